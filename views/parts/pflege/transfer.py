"""Import with preview (upload) and export downloads (CSV, Excel, GeoJSON, HSDS)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from graph.core.text import count
from graph.core.visibility import INTERNAL
from graph.errors import NetzwerkError
from graph.io.export import INTERNAL_KIND, MIME, PUBLISHING, export_bytes, file_name
from graph.io.importer import ImportPlan, apply_import, plan_import
from views.parts.pflege.common import Ctx, attempt, flash
from views.parts.pflege.form import geocoder_for
from views.parts.shared import label, md_escape
from views.parts.tables import show_table

EXPORTS = {  # for publishing: no Ansprechpersonen, internal notes or login names
    "csv": ("CSV für Excel", "Semikolon, UTF-8 – nach dem Bearbeiten hier wieder importierbar."),
    "xlsx": ("Excel-Arbeitsmappe", "Blatt „Partner“; ebenso wieder importierbar."),
    "geojson": ("GeoJSON", "Punkte für GIS und Webkarten."),
    "hsds": ("Open Referral HSDS 3.0", "ZIP mit organizations.json, services.json, service_at_locations.json, "
                                      "locations.json, service_areas.json und Taxonomie."),
}
INTERNAL_EXPORTS = {
    "csv": ("Intern: CSV mit allen Spalten", "Mit Ansprechpersonen, internen Notizen und Benutzernamen – "
                                             "nicht weitergeben."),
    "xlsx": ("Intern: Excel mit allen Spalten", "Wie die CSV; das erste Blatt sagt, dass die Datei intern ist."),
}
REJECTED_KEY = "pflege_import_abgelehnt"
MAX_UPLOAD_BYTES = 20_000_000


def render_export(ctx: Ctx) -> None:
    """One download button per format and kind; files are built only when clicked."""
    st.markdown("Exporte enthalten alle Partner (auch inaktive, Spalte „aktiv“). Tabellenzellen, die Excel als Formel "
                "lesen würde, werden mit `'` entschärft.")
    st.header("Zur Veröffentlichung")
    st.caption("Ohne Ansprechpersonen, interne Notizen und Benutzernamen – für Webseiten, Partner und Open Data.")
    _downloads(ctx, EXPORTS, PUBLISHING)
    if ctx.snap.audience == INTERNAL:
        st.header("Intern (Leitstelle Familie)")
        _downloads(ctx, INTERNAL_EXPORTS, INTERNAL_KIND)


def _downloads(ctx: Ctx, exports: dict[str, tuple[str, str]], kind: str) -> None:
    snap = ctx.snap
    for fmt, (title, text) in exports.items():
        st.download_button(f"⬇️ {title}", data=lambda fmt=fmt: export_bytes(snap, fmt, kind)[0],
                           file_name=file_name(fmt, kind), mime=MIME[fmt], key=f"pflege_export_{kind}_{fmt}",
                           help=text, on_click="ignore")  # no rerun: the next click is safe
        st.caption(text)


@st.cache_data(show_spinner="Datei wird geprüft …", max_entries=8)
def _plan(digest: str, token: str, merge: tuple, name: str, _data: bytes, _ctx: Ctx) -> ImportPlan:
    return plan_import(_data, name, _ctx.directory, merge=dict(merge))


def render_import(ctx: Ctx) -> None:
    """Upload, preview every row and error, choose the mode, import."""
    _offer_rejected()
    upload = st.file_uploader("CSV- oder Excel-Datei (.csv, .txt, .xlsx)", type=["csv", "txt", "xlsx"],
                              key="pflege_import_datei",
                              help="UTF-8 oder Windows-1252, Trennzeichen ; , oder Tab; Spaltennamen wie „Träger“, "
                                   "„PLZ“, „E-Mail“, „Breitengrad“ werden erkannt.")
    if upload is None:
        st.info("Tipp: Erst unter „Export“ die Excel-Datei holen, dort ändern oder ergänzen und hier wieder hochladen – "
                "vorhandene Partner werden dann aktualisiert statt doppelt angelegt.")
        return
    data = upload.getvalue()
    if len(data) > MAX_UPLOAD_BYTES:
        st.error(f"Die Datei ist größer als {MAX_UPLOAD_BYTES // 1_000_000} MB – bitte aufteilen.")
        return
    digest = hashlib.sha256(data).hexdigest()
    merge_key = f"pflege_import_merge_{digest[:16]}"
    merge = st.session_state.setdefault(merge_key, {})
    try:
        plan = _plan(digest, ctx.snap.token, tuple(sorted(merge.items())), upload.name, data, ctx)
    except NetzwerkError as exc:
        st.error(md_escape(str(exc)))
        return
    st.caption(md_escape(f"Erkannt: {plan.dialect}; {count(len(plan.mapping), 'Spalte', 'Spalten')} zugeordnet."))
    c = st.columns(4)
    for col, (status, text) in zip(c, [("neu", "neu"), ("geaendert", "geändert"), ("unveraendert", "unverändert"),
                                       ("fehler", "fehlerhaft")]):
        col.metric(text, plan.count(status))
    _errors(plan)
    _duplicates(plan, merge, merge_key)
    _changes(plan)
    _apply(ctx, plan)


def _errors(plan: ImportPlan) -> None:
    column = {v: k for k, v in plan.mapping.items()}
    table = lambda issues: pd.DataFrame([{"Zeile": i.row or "–", "Spalte": column.get(i.field, i.field),
                                          "Meldung": i.message} for i in issues])
    if plan.errors:
        rows = plan.count("fehler")
        st.error(f"{len(plan.errors)} Fehler in {count(rows, 'Zeile', 'Zeilen') if rows else 'der Kopfzeile'}. "
                 "Ohne Korrektur wird nichts übernommen.")
        show_table(table(plan.errors), hide_index=True, width="stretch")
    if plan.warnings:
        with st.expander(count(len(plan.warnings), "Hinweis", "Hinweise")):
            show_table(table(plan.warnings), hide_index=True, width="stretch")
    with st.expander("Zuordnung der Spalten"):
        show_table(pd.DataFrame({"Spalte in der Datei": list(plan.mapping),
                                   "Feld": [label(v) for v in plan.mapping.values()]}), hide_index=True)


def _duplicates(plan: ImportPlan, merge: dict, merge_key: str) -> None:
    rows = [r for r in plan.rows if r.duplicates or r.match == "zusammengefuehrt"]
    if not rows:
        return
    st.warning(f"{count(len(rows), 'neue Zeile ähnelt', 'neue Zeilen ähneln')} vorhandenen Partnern. Zusammenführen aktualisiert den vorhandenen "
               "Eintrag, statt einen zweiten anzulegen.")
    for r in rows:
        best = r.duplicates[0] if r.duplicates else {"id": r.partner_id, "name": "", "score": ""}
        text = f"Zeile {r.line}: „{r.record['name']}“ mit {best['name'] or best['id']} ({best['id']}) zusammenführen"
        checked = st.checkbox(md_escape(text), value=r.line in merge, key=f"{merge_key}_{r.line}")
        if checked and r.line not in merge:
            merge[r.line] = best["id"]
            st.rerun()
        if not checked and r.line in merge:
            del merge[r.line]
            st.rerun()


def _changes(plan: ImportPlan) -> None:
    changed = [{"Zeile": r.line, "Partner": f"{r.record['name']} ({r.partner_id})", "Feld": label(f), "bisher": old,
                "neu": new} for r in plan.rows if r.status == "geaendert" for f, (old, new) in r.changes.items()]
    new = [{"Zeile": r.line, "Kennung": r.partner_id, "Name": r.record["name"], "Ort": r.record["ort"],
            "Koordinaten": "werden bestimmt" if r.geocode else "aus der Datei"} for r in plan.rows if r.status == "neu"]
    if changed:
        with st.expander(f"Änderungen an {count(plan.count('geaendert'), 'vorhandenen Partner', 'vorhandenen Partnern')}", expanded=len(changed) <= 30):
            show_table(pd.DataFrame(changed), hide_index=True, width="stretch")
    if new:
        with st.expander(f"{len(new)} neue Partner", expanded=len(new) <= 30):
            show_table(pd.DataFrame(new), hide_index=True, width="stretch")


def _apply(ctx: Ctx, plan: ImportPlan) -> None:
    todo = plan.count("neu") + plan.count("geaendert")
    valid_only = False
    if plan.errors and todo:
        mode = st.radio("Übernehmen", ["alles oder nichts", "nur gültige Zeilen übernehmen"], key="pflege_import_modus",
                        help="„Nur gültige Zeilen“ übernimmt die fehlerfreien Zeilen; die fehlerhaften erhalten Sie als "
                             "Datei zum Korrigieren.")
        valid_only = mode.startswith("nur")
    blocked = not ctx.can_edit or not todo or (plan.errors and not valid_only)
    if not st.button(f"Import übernehmen ({count(todo, 'Zeile', 'Zeilen')})", type="primary", disabled=bool(blocked),
                     key="pflege_import_los"):
        if not todo and not plan.errors:
            st.success("Die Datei enthält keine Änderungen gegenüber dem Verzeichnis.")
        return
    bar = st.progress(0.0, text="Import wird vorbereitet …")
    progress = lambda done, total, text: bar.progress(done / total, text=f"Koordinaten {done}/{total}: {text}")
    result = attempt(lambda: apply_import(plan, ctx.editor, valid_only=valid_only, geocoder=geocoder_for(ctx),
                                          progress=progress))
    if result is None:
        return
    flash("success", f"Übernommen: {result['added']} neu, {result['updated']} geändert.")
    if result["hints"]:
        flash("info", f"{count(len(result['hints']), 'Adresse', 'Adressen')} nur ungefähr verortet (Gemeindemittelpunkt) – siehe Prüfliste.")
    if result["rejected_file"]:
        st.session_state[REJECTED_KEY] = (f"{Path(plan.filename).stem}-fehlerhaft.csv", result["rejected_file"])
    st.rerun()


def _offer_rejected() -> None:
    if REJECTED_KEY in st.session_state:
        name, data = st.session_state[REJECTED_KEY]
        st.warning("Nicht übernommene Zeilen – bitte korrigieren und erneut hochladen:")
        st.download_button("⬇️ Fehlerhafte Zeilen herunterladen", data=data, file_name=name, mime="text/csv",
                           key="pflege_import_fehlerdatei", on_click=lambda: st.session_state.pop(REJECTED_KEY, None))
