"""Datenschutz: Auskunft (Art. 15) und Löschung (Art. 17) für eine Ansprechperson (graph/pflege/personen.py)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from graph.core.text import count
from graph.pflege.personen import KEEP, PersonData
from views.parts.pflege.common import Ctx, attempt, flash
from views.parts.shared import label
from views.parts.tables import show_table

HOW = {"leeren": "wird geleert", "ersetzen": "wird durch [entfernt] ersetzt", KEEP: "bleibt – bitte von Hand prüfen"}


def render(ctx: Ctx) -> None:
    """Search a full name, show every occurrence, offer the JSON export and the erasure."""
    st.markdown("Auskunft und Löschung nach DSGVO für **eine Person** (z. B. eine Ansprechperson, die nicht mehr dort "
                "arbeitet). Gesucht wird der vollständige Name in allen Dateien und im Änderungsverlauf.")
    name = st.text_input("Vollständiger Name (Vor- und Nachname)", key="pflege_dsgvo_name",
                         help="Groß-/Kleinschreibung und Leerzeichen egal; nur ganze Namen – „Petra Hoffmann“ findet "
                              "nicht „Petra Hoffmann-Schmidt“.")
    if not name.strip():
        st.info("Namen eingeben, um die Fundstellen zu sehen.")
        return
    people = PersonData(ctx.directory, ctx.actor)
    doc = attempt(lambda: people.export(name))
    if doc is None:
        return
    if not doc["fundstellen"]:
        st.success("Keine Fundstellen – über diese Person ist nichts gespeichert.")
        return
    table = pd.DataFrame(doc["fundstellen"])
    show_table(pd.DataFrame({"Datei": table["datei"], "Zeile/Nr.": table["zeile"], "Kennung": table["kennung"],
                               "Feld": table["feld"].map(label), "Inhalt": table["wert"],
                               "Beim Löschen": table["loeschung"].map(HOW)}), hide_index=True, width="stretch")
    st.download_button("Auskunft als JSON herunterladen", json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"),
                       file_name="auskunft.json", mime="application/json", key="pflege_dsgvo_json", on_click="ignore")
    sure = st.checkbox("Ich habe die Fundstellen geprüft: Die Person soll gelöscht werden.", key="pflege_dsgvo_sicher")
    if st.button("Löschen", type="primary", disabled=not sure, key="pflege_dsgvo_loeschen"):
        done = attempt(lambda: people.erase(name))
        if done:
            rest = len(done["nicht_geloescht"])
            flash("success", f"{count(done['geloescht'], 'Fundstelle', 'Fundstellen')} gelöscht; der Änderungsverlauf enthält den Namen nicht "
                             "mehr." + (f" {count(rest, 'Fundstelle', 'Fundstellen')} bitte von Hand prüfen." if rest else ""))
            st.rerun()
