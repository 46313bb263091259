"""Ortsteile: the names families use for where they live (Könen, Beurig …), each with its Gemeinde and source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.core.text import count
from graph.pflege.ortsteile import Ortsteile
from views.parts.pflege.common import Ctx, attempt, flash, gemeinde_options
from views.parts.shared import md_escape
from views.parts.tables import show_table


def render(ctx: Ctx) -> None:
    """The list, a form to add an Ortsteil and the removal of one (every change journaled)."""
    service = Ortsteile(ctx.directory.store, ctx.directory.gazetteer)
    table = service.table()
    st.caption("Ortsteile machen Namen wie „Könen“ oder „Beurig“ in der Fallsuche, bei den Filtern und in der "
               "Kommandozeile findbar. Bitte nur eintragen, was eine Quelle belegt (Hauptsatzung, Gemeinde-Website).")
    st.subheader(f"Eingetragen: {count(len(table), 'Ortsteil', 'Ortsteile')}")
    if not table.empty:
        show_table(pd.DataFrame({"Ortsteil": table["ortsteil"], "Gemeinde": table["gemeinde"],
                                 "Quelle": table["quelle"]}), hide_index=True, width="stretch")
    orte = ctx.directory.gazetteer.orte
    gemeinden = gemeinde_options(orte[orte["im_kreis"]])
    with st.form("pflege_ortsteil_neu", clear_on_submit=True, enter_to_submit=False):
        st.markdown("**Ortsteil eintragen**")
        c1, c2 = st.columns(2)
        name = c1.text_input("Ortsteil", key="pflege_ortsteil_name", max_chars=80)
        ags = c2.selectbox("Gemeinde", list(gemeinden), format_func=gemeinden.get, index=None,
                           key="pflege_ortsteil_gemeinde", placeholder="Gemeinde wählen …")
        source = st.text_input("Quelle", key="pflege_ortsteil_quelle", max_chars=300,
                               help="Woher die Zuordnung stammt, z. B. „Hauptsatzung der Stadt Konz, § 1“ mit Adresse.")
        if st.form_submit_button("Eintragen", type="primary", disabled=not ctx.can_edit):
            done = attempt(lambda: service.add(ctx.actor, name, ags or "", source))
            if done is not None:
                flash("success", md_escape(f"Ortsteil „{done['ortsteil']}“ ({gemeinden.get(done['ags'], done['ags'])}) "
                                           "eingetragen."))
                st.rerun()
    if table.empty:
        return
    entries = {f"{o}|{a}": f"{o} ({g})" for o, a, g in zip(table["ortsteil"], table["ags"], table["gemeinde"])}
    with st.expander("Ortsteil entfernen"):
        key = st.selectbox("Eintrag", list(entries), format_func=entries.get, index=None,
                           key="pflege_ortsteil_weg", placeholder="Ortsteil wählen …")
        if st.button("Entfernen", key="pflege_ortsteil_entfernen", disabled=not (key and ctx.can_edit)):
            ortsteil, ags = key.split("|", 1)
            if attempt(lambda: service.remove(ctx.actor, ortsteil, ags), md_escape(f"„{entries[key]}“ entfernt.")) is not None:
                st.rerun()

