"""Partner form: add or edit with inline German messages, conflicts shown side by side, geprüft,
deactivate/reactivate, history with undo."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from geo.geocode import Geocoder
from graph.core.codes import BARRIEREFREI, EBENE_LABELS, EBENEN, ISO_639_1, LANGUAGE_NAMES
from graph.core.model import Record, empty_record, find_partner
from graph.core.text import when_text
from graph.core.validation import split_list
from graph.errors import ConflictError, NetzwerkError, ValidationError
from graph.pflege.review import BADGES, STATES
from graph.services import Directory
from views.parts.pflege.common import Ctx, attempt, flash, gemeinde_options, partner_options, review
from views.parts.pflege.history import history_table
from views.parts.shared import label, md_escape
from views.parts.tables import show_table

GROUPS = {
    "Stammdaten": ["name", "traeger", "kategorie", "ebene", "angebote"],
    "Lage und Einzugsgebiet": ["strasse", "plz", "ort", "ags", "lat", "lon", "einzugsgebiet", "adresse_vertraulich"],
    "Zielgruppe": ["alter_von", "alter_bis", "sprachen", "barrierefrei"],
    "Kontakt": ["telefon", "email", "website", "ansprechperson", "oeffnungszeiten"],
    "Intern": ["notizen", "geprueft_am"],
}
HELP = {
    "name": "Pflichtfeld. Name des Angebots oder der Einrichtung.",
    "adresse_vertraulich": "Für Frauenhäuser und Schutzstellen: Straße und Koordinaten erscheinen nirgends öffentlich "
                           "(nicht auf Karten, Handzetteln, im Verzeichnis und in Exporten zum Veröffentlichen); "
                           "angezeigt wird „Adresse vertraulich – Kontakt über Telefon“.",
    "ags": "Gemeinde, in der das Angebot liegt (Pflichtfeld).",
    "lat": "Dezimalgrad mit Punkt, z. B. 49.6995. Leer lassen: wird aus der Adresse bestimmt.",
    "einzugsgebiet": "Wen das Angebot versorgt. Leer = nur die eigene Gemeinde.",
    "alter_von": "Ganze Jahre; leer = ohne Untergrenze.",
    "website": "Mit http:// oder https://",
    "notizen": "Nur intern sichtbar; wird nicht veröffentlicht (GeoJSON/HSDS).",
}
GROUPS_FLAT = [f for fields in GROUPS.values() for f in fields]
BASE_KEY = "pflege_base"
PARTNER_KEY = "pflege_partner"  # the partner chosen in „Bearbeiten“ (the Prüfliste can preset it)
BADGE_COLOURS = {"dublette": "violet", "ungefaehr": "orange", "faellig": "red", "ungeprueft": "blue"}


def render_edit(ctx: Ctx) -> None:
    """Select a partner and edit it."""
    options = partner_options(ctx.snap)
    pid = st.selectbox("Partner", list(options), format_func=options.get, index=None, key=PARTNER_KEY,
                       placeholder="Name, Ort oder Kennung eingeben …",
                       help="Tippen zum Suchen. Inaktive Partner sind gekennzeichnet.")
    if not pid:
        st.info("Bitte einen Partner wählen – oder unter „Neu anlegen“ einen neuen erfassen.")
        return
    base = _base(ctx, pid)
    stored = find_partner(ctx.snap.raw, pid)
    if stored["version"] != base["version"] and not st.session_state.get(f"{_prefix(pid, base)}_conflict"):
        st.warning(md_escape(f"Dieser Eintrag wurde inzwischen von {stored['geaendert_von'] or 'jemand anderem'} "
                             f"geändert (Version {stored['version']}). Ihre Eingaben werden beim Speichern verglichen."))
        if st.button("Gespeicherte Fassung laden", key="pflege_reload"):
            _set_base(pid, stored)
            st.rerun()
    _actions(ctx, base)
    _form(ctx, base, pid)
    with st.expander("Änderungsverlauf"):
        _history(ctx, pid, stored)


def render_new(ctx: Ctx) -> None:
    """Form for a new partner."""
    n = st.session_state.setdefault("pflege_new_n", 0)
    _form(ctx, {**empty_record(), "aktiv": "ja", "barrierefrei": "unbekannt", "version": str(n)}, None)


# -------------------------------------------------------------------- form
def _form(ctx: Ctx, base: Record, pid: str | None) -> None:
    prefix = _prefix(pid, base)
    conflict = st.session_state.get(f"{prefix}_conflict")
    if conflict:
        _conflict(ctx, prefix, pid, conflict)
    issues: dict[str, list] = st.session_state.get(f"{prefix}_issues", {})
    if issues:
        st.error(f"Nicht gespeichert – bitte korrigieren: {', '.join(label(f) for f in issues)} "
                 "(Hinweise stehen an den Feldern).")
    if note := st.session_state.pop(f"{prefix}_geo", None):
        st.info(md_escape(note))
    values: dict[str, object] = {}
    with st.form(prefix, enter_to_submit=False):
        for group, fields in GROUPS.items():
            st.markdown(f"**{group}**")
            cols = st.columns(2)
            for i, f in enumerate(fields):
                with cols[i % 2]:
                    values[f] = field_widget(ctx, f, base, f"{prefix}_{f}")
                    for issue in issues.get(f, []):
                        (st.error if issue.level == "fehler" else st.warning)(md_escape(issue.message))
        checked_now = st.checkbox("Angaben sind damit geprüft (Prüfdatum heute)", key=f"{prefix}_checked")
        c1, c2 = st.columns(2)
        save = c1.form_submit_button("Speichern" if pid else "Partner anlegen", type="primary",
                                     disabled=not ctx.can_edit)
        c2.form_submit_button("Koordinaten aus Adresse bestimmen", on_click=_locate, args=(ctx, prefix),
                              disabled=not ctx.can_edit, help="Nominatim (OpenStreetMap); ohne Netz: Gemeindemittelpunkt")
    if save:
        record = to_record(values)
        if checked_now:
            record["geprueft_am"] = date.today().isoformat()
        _save(ctx, prefix, pid, base, record)


def _save(ctx: Ctx, prefix: str, pid: str | None, base: Record, record: Record, version: int | None = None) -> None:
    editor = ctx.editor
    try:
        if pid:
            stored = editor.update(pid, record, int(base["version"]) if version is None else version)
        else:
            stored = editor.add(record)
    except ConflictError as exc:
        mine = {f: v for f, v in record.items() if v != base.get(f, "")}
        st.session_state[f"{prefix}_conflict"] = {"mine": mine, "theirs": exc.current, "base": base}
        st.rerun()
    except ValidationError as exc:
        _store_issues(prefix, exc.issues)
        st.rerun()
    else:
        for i in editor.hints:
            flash("warning", f"Hinweis – {label(i.field)}: {md_escape(i.message)}")
        if pid:
            flash("success", md_escape(f"Gespeichert: {stored['name']} (Version {stored['version']})."))
            _set_base(pid, stored)
        else:
            flash("success", md_escape(f"Angelegt: {stored['name']} als {stored['id']}."))
            st.session_state["pflege_new_n"] = st.session_state.get("pflege_new_n", 0) + 1
        st.session_state.pop(f"{prefix}_issues", None)
        st.rerun()


def _conflict(ctx: Ctx, prefix: str, pid: str | None, conflict: dict) -> None:
    """Both versions side by side; the user's own changes can be applied on top of the stored version."""
    mine, theirs, base = conflict["mine"], conflict["theirs"], conflict["base"]
    st.error(md_escape(f"Konflikt: {theirs['geaendert_von'] or 'Jemand'} hat diesen Eintrag am {when_text(theirs['geaendert_am'])} "
                       "gespeichert, während Sie ihn bearbeitet haben. Nichts wurde überschrieben."))
    fields = [f for f in GROUPS_FLAT if f in mine or theirs.get(f, "") != base.get(f, "")]
    rows = [{"Feld": label(f), "Vorher": base.get(f, ""), "Ihre Eingabe": mine.get(f, base.get(f, "")),
             "Jetzt gespeichert": theirs.get(f, "")} for f in fields]
    show_table(pd.DataFrame(rows, columns=["Feld", "Vorher", "Ihre Eingabe", "Jetzt gespeichert"]), hide_index=True)
    c1, c2 = st.columns(2)
    if c1.button("Meine Änderungen auf die gespeicherte Fassung anwenden", key=f"{prefix}_mine",
                 disabled=not ctx.can_edit or not mine):
        st.session_state.pop(f"{prefix}_conflict")
        _save(ctx, prefix, pid, theirs, {**theirs, **mine}, version=int(theirs["version"]))
    if c2.button("Meine Änderungen verwerfen", key=f"{prefix}_theirs"):
        st.session_state.pop(f"{prefix}_conflict")
        _set_base(pid, theirs)
        st.rerun()


def _actions(ctx: Ctx, base: Record) -> None:
    pid, version = base["id"], int(base["version"])
    table = review(ctx)
    if pid in table.index:
        states = [s for s in STATES if table.at[pid, s]]
        st.markdown(" ".join(f":{BADGE_COLOURS[s]}-badge[{BADGES[s]} {STATES[s]}]" for s in states)
                    or ":green-badge[✓ keine offenen Prüfpunkte]")
    st.caption(md_escape(f"{pid} · Version {version} · zuletzt geändert am {when_text(base['geaendert_am']) or '–'} von "
                         f"{base['geaendert_von'] or '–'} · geprüft am {when_text(base['geprueft_am']) or 'nie'}"))
    c1, c2 = st.columns(2)
    if c1.button("✅ Heute geprüft", key=f"pflege_check_{pid}", disabled=not ctx.can_edit,
                 help="Setzt „zuletzt geprüft“ auf heute, ohne sonst etwas zu ändern."):
        _apply(ctx, pid, lambda: ctx.editor.mark_verified(pid, version), "Als geprüft markiert.")
    active = base["aktiv"] == "ja"
    if c2.button("Deaktivieren" if active else "Wieder aktivieren", key=f"pflege_active_{pid}",
                 disabled=not ctx.can_edit, help="Partner werden nie gelöscht; inaktive erscheinen nicht in der Suche."):
        call = ctx.editor.deactivate if active else ctx.editor.reactivate
        _apply(ctx, pid, lambda: call(pid, version), "Deaktiviert." if active else "Wieder aktiviert.")


def _history(ctx: Ctx, pid: str, stored: Record) -> None:
    entries = ctx.editor.history(pid)
    if not entries:
        st.caption("Noch keine Änderungen über die App.")
        return
    show_table(history_table(entries[::-1]), hide_index=True)
    if ctx.can_edit and st.button("↩️ Letzte Änderung rückgängig machen", key=f"pflege_undo_{pid}",
                                  help="Stellt alle Felder wie vor der letzten Änderung wieder her (wird protokolliert)."):
        _apply(ctx, pid, lambda: ctx.editor.undo_last(pid, int(stored["version"])), "Rückgängig gemacht.")


def _apply(ctx: Ctx, pid: str, action, success: str) -> None:
    stored = attempt(action, success)
    if stored is not None:
        _set_base(pid, stored)
        st.rerun()


# ----------------------------------------------------------------- widgets
def field_widget(ctx: Ctx, f: str, base: Record, key: str) -> object:
    """The input for one partner field, prefilled from ``base``; returns its value."""
    gaz, tax = ctx.directory.gazetteer, ctx.directory.taxonomy
    value = base.get(f, "")
    text = label(f) + (" *" if f in ("name", "kategorie", "ags") else "")
    if f == "kategorie":
        return _select(text, tax.category_ids, value, key, tax.label)
    if f == "ebene":
        return _select(text, list(EBENEN), value, key, EBENE_LABELS.get)
    if f == "barrierefrei":
        return _select(text, list(BARRIEREFREI), value, key, str)
    if f == "adresse_vertraulich":
        return "ja" if st.checkbox(text, value=value == "ja", key=key, help=HELP.get(f)) else "nein"
    if f == "ags":
        fmt = gemeinde_options(gaz.orte)
        return _select(text, list(fmt), value, key, lambda a: fmt.get(a, a), HELP.get(f))
    if f in ("angebote", "sprachen", "einzugsgebiet"):
        options, fmt = _choices(ctx, f)
        current = split_list(value)
        options += [c for c in current if c not in options]
        return st.multiselect(text, options, default=current, format_func=lambda o: fmt.get(o, o), key=key,
                              help=HELP.get(f), placeholder="auswählen …")
    if f == "geprueft_am":
        day = pd.to_datetime(value, errors="coerce", format="%Y-%m-%d") if value else None
        return st.date_input(text, value=None if day is None or pd.isna(day) else day.date(), format="DD.MM.YYYY",
                             key=key, min_value=date(2000, 1, 1), max_value=date.today())
    if f in ("oeffnungszeiten", "notizen"):
        return st.text_area(text, value=value, key=key, help=HELP.get(f), height=80)
    return st.text_input(text, value=value, key=key, help=HELP.get(f))


def _select(text: str, options: list[str], value: str, key: str, fmt, help_text: str | None = None) -> str | None:
    options = options + ([value] if value and value not in options else [])
    return st.selectbox(text, options, index=options.index(value) if value else None, format_func=fmt, key=key,
                        placeholder="bitte wählen …", help=help_text)


def _choices(ctx: Ctx, f: str) -> tuple[list[str], dict[str, str]]:
    gaz, tax = ctx.directory.gazetteer, ctx.directory.taxonomy
    if f == "angebote":
        return list(tax.tag_ids), {t: tax.label(t) for t in tax.tag_ids}
    if f == "sprachen":
        codes = list(LANGUAGE_NAMES) + sorted(ISO_639_1 - set(LANGUAGE_NAMES))
        return [c for c in codes if c in ISO_639_1], {c: f"{LANGUAGE_NAMES.get(c, c)} ({c})" for c in codes}
    fmt = {"kreis": "ganzer Landkreis"}
    fmt |= {f"sr:{i}": f"Sozialraum {n}" for i, n in zip(gaz.sozialraeume.index, gaz.sozialraeume["name"])}
    fmt |= {f"vg:{i}": f"VG {n}" for i, n in zip(gaz.verbandsgemeinden.index, gaz.verbandsgemeinden["name"])}
    g = gaz.orte.sort_values("name")
    fmt |= {f"gem:{a}": f"Gemeinde {n}" for a, n in zip(g.index, g["name"])}
    return list(fmt), fmt


def to_record(values: dict[str, object]) -> Record:
    """Widget values → record strings (lists joined by ``;``, dates ISO, nothing chosen = empty)."""
    out: Record = {}
    for f, v in values.items():
        if v is None:
            out[f] = ""
        elif isinstance(v, (list, tuple)):
            out[f] = ";".join(map(str, v))
        elif isinstance(v, date):
            out[f] = v.isoformat()
        else:
            out[f] = str(v).strip()
    return out


def _locate(ctx: Ctx, prefix: str) -> None:
    """Form callback: geocode the entered address into the latitude/longitude fields."""
    state = st.session_state
    record = {f: state.get(f"{prefix}_{f}") or "" for f in ("strasse", "plz", "ort", "ags", "name")}
    try:
        result = geocoder_for(ctx).locate(record)
    except NetzwerkError as exc:  # e.g. no Gemeinde chosen yet
        state[f"{prefix}_geo"] = f"Keine Koordinaten bestimmt: {exc}"
        return
    state[f"{prefix}_lat"], state[f"{prefix}_lon"] = f"{result.lat:.6f}", f"{result.lon:.6f}"
    state[f"{prefix}_geo"] = result.hinweis or "Koordinaten aus der Adresse übernommen – bitte speichern."


@st.cache_resource(show_spinner=False)
def _cached_geocoder(data_dir: str, backend: str, _directory: Directory) -> Geocoder:
    return Geocoder.from_settings(_directory.gazetteer, _directory.store)


def geocoder_for(ctx: Ctx) -> Geocoder:
    """One geocoder per data folder and server process (shares the rate limit and offline pause)."""
    return _cached_geocoder(str(ctx.directory.data_dir), ctx.directory.store.name, ctx.directory)


def _base(ctx: Ctx, pid: str) -> Record:
    bases = st.session_state.setdefault(BASE_KEY, {})
    if pid not in bases:
        bases[pid] = find_partner(ctx.snap.raw, pid)
    return bases[pid]


def _set_base(pid: str | None, record: Record) -> None:
    if pid:
        st.session_state.setdefault(BASE_KEY, {})[pid] = record


def _prefix(pid: str | None, base: Record) -> str:
    return f"pflege_f_{pid or 'neu'}_{base.get('version', '0')}"


def _store_issues(prefix: str, issues) -> None:
    grouped: dict[str, list] = {}
    for i in issues:
        grouped.setdefault(i.field if i.field in GROUPS_FLAT else "name", []).append(i)
    st.session_state[f"{prefix}_issues"] = grouped
