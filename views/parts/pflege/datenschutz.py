"""Datenschutz: Auskunft (Art. 15) und Löschung (Art. 17) für eine Ansprechperson (graph/pflege/personen.py)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from graph.core.text import count
from graph.pflege.personen import KEEP, NEAR, PersonData
from views.parts.pflege.common import Ctx, attempt, flash
from views.parts.shared import label
from views.parts.tables import show_table

HOW = {"leeren": "wird geleert", "ersetzen": "wird durch [entfernt] ersetzt", KEEP: "bleibt – bitte von Hand prüfen",
       NEAR: "nur wenn unten bestätigt"}


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
    if not doc["fundstellen"] and not doc["aehnlich"]:
        st.success("Keine Fundstellen und keine ähnlichen Schreibweisen – über diese Person ist nichts gespeichert.")
        return
    if doc["fundstellen"]:
        _table(doc["fundstellen"])
    else:
        st.info("Der Name kommt so nicht vor – aber in ähnlicher Schreibweise:")
    also = False
    if doc["aehnlich"]:
        st.warning(f"{count(len(doc['aehnlich']), 'ähnliche Schreibweise', 'ähnliche Schreibweisen')} gefunden („Nachname, Vorname“, ae/oe/ue, "
                   "Initiale). Bitte prüfen, ob dieselbe Person gemeint ist.")
        _table(doc["aehnlich"], spelling=True)
        also = st.checkbox("Die ähnlichen Schreibweisen meinen dieselbe Person – ebenfalls löschen.",
                           key="pflege_dsgvo_aehnliche")
    st.download_button("Auskunft als JSON herunterladen", json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"),
                       file_name="auskunft.json", mime="application/json", key="pflege_dsgvo_json", on_click="ignore")
    sure = st.checkbox("Ich habe die Fundstellen geprüft: Die Person soll gelöscht werden.", key="pflege_dsgvo_sicher")
    if st.button("Löschen", type="primary", disabled=not sure, key="pflege_dsgvo_loeschen"):
        done = attempt(lambda: people.erase(name, auch_aehnliche=also))
        if done:
            rest = len(done["nicht_geloescht"])
            near = len(done["aehnlich"])
            flash("success" if done["vollstaendig"] else "warning",
                  f"{count(done['geloescht'], 'Fundstelle', 'Fundstellen')} gelöscht; der Änderungsverlauf enthält den Namen nicht mehr."
                  + (f" {count(rest, 'Fundstelle', 'Fundstellen')} bitte von Hand prüfen." if rest else "")
                  + (f" {count(near, 'ähnliche Schreibweise wurde', 'ähnliche Schreibweisen wurden')} nicht gelöscht." if near else ""))
            st.rerun()


def _table(found: list[dict], spelling: bool = False) -> None:
    table = pd.DataFrame(found)
    shown = {"Datei": table["datei"], "Zeile/Nr.": table["zeile"], "Kennung": table["kennung"],
             "Feld": table["feld"].map(label)}
    if spelling:
        shown["Schreibweise"] = table["schreibweise"]
    shown.update({"Inhalt": table["wert"], "Beim Löschen": table["loeschung"].map(HOW)})
    show_table(pd.DataFrame(shown), hide_index=True, width="stretch")
