"""Prüfliste: review-state badges and filterable lists, "Prüfung fällig" by Sozialraum, batch actions."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from graph.core.text import count
from graph.pflege.editing import Edit
from graph.pflege.review import ALLE, BADGES, NIEMAND, STATES, in_charge_of, overdue_csv, people_in_charge, sort_review
from views.parts.pflege.common import Ctx, attempt, flash, partner_options, review
from views.parts.pflege.form import PARTNER_KEY, geocoder_for
from views.parts.tables import show_table

SORTS = {"sozialraum": "Sozialraum", "zustaendig": "Zuständigkeit", "geprueft_am": "am längsten nicht geprüft",
         "name": "Name"}
COLUMNS = {"name": "Name", "ort": "Ort", "sozialraum": "Sozialraum", "zustaendig": "Zuständig",
           "geprueft_am": "Zuletzt geprüft", "tage_seit_pruefung": "Tage seit Prüfung", "status": "Prüfstatus"}


def render(ctx: Ctx) -> None:
    """Counts, filters, the list and the actions on selected rows."""
    table = review(ctx)
    active = table[table["aktiv"]]
    cols = st.columns(len(STATES))
    for col, (key, text) in zip(cols, STATES.items()):
        col.metric(f"{BADGES[key]} {text}", int(active[key].sum()), help=_HELP[key])
    states = st.pills("Prüfstatus", list(STATES), selection_mode="multi", default=["faellig"],
                      format_func=lambda s: f"{BADGES[s]} {STATES[s]}", key="pflege_pruef_status",
                      help="Zeigt Partner mit mindestens einem der gewählten Zustände.")
    f2, f3, f4 = st.columns([2, 2, 1])
    areas = f2.multiselect("Sozialraum", sorted(table["sozialraum"].unique()), key="pflege_pruef_sr",
                           placeholder="alle Sozialräume")
    sort = f4.selectbox("Sortierung", list(SORTS), format_func=SORTS.get, key="pflege_pruef_sort")
    show_inactive = st.checkbox("auch inaktive Partner zeigen", key="pflege_pruef_inaktiv")
    view = table if show_inactive else active
    if states:
        view = view[view[list(states)].any(axis=1)]
    if areas:
        view = view[view["sozialraum"].isin(areas)]
    shown_now = people_in_charge(view)
    people = [ALLE, *people_in_charge(table)]
    who = f3.selectbox("Zuständig", people, key="pflege_pruef_zustaendig",
                       format_func=lambda n: "alle" if n == ALLE else f"{n} ({shown_now.get(n, 0)})",
                       help="Wer die Partner prüft (Zuständigkeit aus der Seite „Netzwerk“); in Klammern die "
                            "Zahl der Partner in dieser Auswahl.")
    view = sort_review(in_charge_of(view, who), sort)
    _overdue_download(table, who)
    if view.empty:
        st.success("Keine Partner mit diesem Prüfstatus. 👍")
        return
    st.caption(f"{count(len(view), 'Partner', 'Partner')}. Eine Zeile anklicken, um sie zu bearbeiten oder als "
               "geprüft zu markieren; mehrere Zeilen, um sie gemeinsam als geprüft zu markieren.")
    shown = view[list(COLUMNS)].rename(columns=COLUMNS)
    picked = show_table(shown, hide_index=True, width="stretch", placeholder="nie", on_select="rerun",
                        selection_mode="multi-row", key="pflege_pruef_tabelle")
    ids = list(view.index[picked.selection.rows]) if picked else []
    _actions(ctx, table, ids)
    if "dublette" in (states or []):
        _duplicates(ctx, table)


def _overdue_download(table: pd.DataFrame, who: str) -> None:
    """CSV of the overdue partners of the chosen Netzwerkfachkraft (or of all)."""
    whose = {ALLE: "Alle überfälligen Partner", NIEMAND: "Überfällige Partner ohne Zuständigkeit"}.get(
        who, f"Überfällige Partner von {who}")
    due = int(in_charge_of(table, who)["faellig"].sum())
    st.download_button(f"⬇️ {whose} als CSV ({count(due, 'Partner', 'Partner')})",
                       lambda: overdue_csv(table, who), file_name="pruefung_faellig.csv", mime="text/csv",
                       key="pflege_pruef_csv", on_click="ignore", disabled=not due,
                       help="Aktive Partner, die seit über 12 Monaten (oder nie) geprüft wurden – für Excel.")


def _open_in_editor(section_key: str, pid: str) -> None:
    """Callback: switch to „Bearbeiten“ with the partner chosen (before the widgets are drawn)."""
    st.session_state[section_key] = "Bearbeiten"
    st.session_state[PARTNER_KEY] = pid


def _actions(ctx: Ctx, table: pd.DataFrame, ids: list[str]) -> None:
    if not ids:
        return
    c1, c2, c3 = st.columns(3)
    checked = "✅ Geprüft, unverändert" if len(ids) == 1 else f"✅ {len(ids)} als geprüft, unverändert markieren"
    if c1.button(checked, key="pflege_pruef_ok", disabled=not ctx.can_edit, type="primary",
                 help="Setzt „Zuletzt geprüft“ auf heute; der Verlauf vermerkt die Prüfung."):
        edits = [Edit(i, {"geprueft_am": date.today().isoformat()}, int(table.at[i, "version"])) for i in ids]
        if attempt(lambda: ctx.editor.update_many(edits, aktion="geprueft", quelle="pruefliste"),
                   f"{count(len(ids), 'Partner', 'Partner')} als geprüft markiert.") is not None:
            st.rerun()
    if len(ids) == 1:
        c3.button("✏️ Bearbeiten", key="pflege_pruef_bearbeiten", disabled=not ctx.can_edit,
                  on_click=_open_in_editor, args=(f"pflege_bereich_{ctx.actor.rolle}", ids[0]),
                  help=f"Öffnet „{table.at[ids[0], 'name']}“ im Bereich „Bearbeiten“.")
    locate = [i for i in ids if table.at[i, "ungefaehr"]]
    if c2.button(f"📍 Koordinaten bestimmen ({len(locate)} mit ungefährer Lage)", key="pflege_pruef_geo",
                 disabled=not (ctx.can_edit and locate),
                 help="Sucht die Adressen bei Nominatim (1 Anfrage/Sekunde); ohne Netz bleibt der Gemeindemittelpunkt."):
        bar = st.progress(0.0, text="Koordinaten werden bestimmt …")
        progress = lambda done, total, text: bar.progress(done / total, text=f"{done}/{total}: {text}")
        results = attempt(lambda: ctx.editor.geocode(locate, geocoder_for(ctx), progress))
        if results is not None:
            found = sum(not r.ungefaehr for r in results.values())
            flash("info", f"{found} von {count(len(results), 'Adresse', 'Adressen')} gefunden; die übrigen bleiben ungefähr.")
            st.rerun()


def _duplicates(ctx: Ctx, table: pd.DataFrame) -> None:
    names = partner_options(ctx.snap)
    pairs = sorted({tuple(sorted((a, b.strip()))) for a, others in table["dublette_von"].items() if others
                    for b in others.split(",")})
    with st.expander(f"👥 {count(len(pairs), 'mögliches Dubletten-Paar', 'mögliche Dubletten-Paare')}", expanded=bool(pairs)):
        show_table(pd.DataFrame([{"Partner A": names.get(a, a), "Partner B": names.get(b, b)} for a, b in pairs]),
                     hide_index=True, width="stretch")
        st.caption("Ist es wirklich derselbe Partner, im Bereich „Bearbeiten“ die Angaben im einen Eintrag "
                   "vervollständigen und den anderen deaktivieren.")


_HELP = {"dublette": "Ähnlicher Name in derselben Gemeinde (oder gleiche Adresse)",
         "ungefaehr": "Keine Koordinaten oder nur der Gemeindemittelpunkt",
         "faellig": "Seit über 12 Monaten (oder nie) geprüft",
         "ungeprueft": "In der App geändert, danach nicht als geprüft markiert"}
