"""Prüfliste: review-state badges and filterable lists, "Prüfung fällig" by Sozialraum, batch actions."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from graph.core.text import count
from graph.pflege.editing import Edit
from graph.pflege.review import BADGES, STATES, sort_review
from views.parts.pflege.common import Ctx, attempt, flash, partner_options, review
from views.parts.pflege.form import geocoder_for
from views.parts.tables import show_table

SORTS = {"sozialraum": "Sozialraum", "geprueft_am": "am längsten nicht geprüft", "name": "Name"}
COLUMNS = {"name": "Name", "ort": "Ort", "sozialraum": "Sozialraum", "geprueft_am": "Zuletzt geprüft",
           "tage_seit_pruefung": "Tage seit Prüfung", "status": "Prüfstatus"}


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
    f2, f3 = st.columns([3, 1])
    areas = f2.multiselect("Sozialraum", sorted(table["sozialraum"].unique()), key="pflege_pruef_sr",
                           placeholder="alle Sozialräume")
    sort = f3.selectbox("Sortierung", list(SORTS), format_func=SORTS.get, key="pflege_pruef_sort")
    show_inactive = st.checkbox("auch inaktive Partner zeigen", key="pflege_pruef_inaktiv")
    view = table if show_inactive else active
    if states:
        view = view[view[list(states)].any(axis=1)]
    if areas:
        view = view[view["sozialraum"].isin(areas)]
    view = sort_review(view, sort)
    if view.empty:
        st.success("Keine Partner mit diesem Prüfstatus. 👍")
        return
    st.caption(f"{len(view)} Partner. Zeilen anklicken, um sie gemeinsam zu bearbeiten.")
    shown = view[list(COLUMNS)].rename(columns=COLUMNS)
    picked = show_table(shown, hide_index=True, width="stretch", placeholder="nie", on_select="rerun",
                          selection_mode="multi-row", key="pflege_pruef_tabelle")
    ids = list(view.index[picked.selection.rows]) if picked else []
    _actions(ctx, table, ids)
    if "dublette" in (states or []):
        _duplicates(ctx, table)


def _actions(ctx: Ctx, table: pd.DataFrame, ids: list[str]) -> None:
    if not ids:
        return
    c1, c2 = st.columns(2)
    if c1.button(f"✅ {len(ids)} als heute geprüft markieren", key="pflege_pruef_ok", disabled=not ctx.can_edit):
        edits = [Edit(i, {"geprueft_am": date.today().isoformat()}, int(table.at[i, "version"])) for i in ids]
        if attempt(lambda: ctx.editor.update_many(edits, aktion="geprueft", quelle="pruefliste"),
                   f"{len(ids)} Partner als geprüft markiert.") is not None:
            st.rerun()
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
