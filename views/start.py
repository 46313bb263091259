"""Start page: what the tool does, where each role begins, the session's Sozialraum, counts, data freshness."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph import settings
from graph.core.text import when_text
from graph.verzeichnis.stats import directory_stats
from views.parts.filters import EMPTY_DIRECTORY
from views.parts.shared import (
    SOZIALRAUM_KEY,
    attribution_caption,
    directory,
    remember_sozialraum,
    sample_banner,
    snapshot,
)
from views.parts.tables import show_small_table

#: Where to begin, per role: (heading, sentence, [(page, link text, icon)]).
ROLES = [
    ("Netzwerker/in und Lotsen", "Eine Familie braucht Unterstützung? Wohnort und Bedarf eingeben, passende "
     "Stellen finden und einen Handzettel mitgeben. Über die Familie wird nichts gespeichert.",
     [("views/fallsuche.py", "Fallsuche – Hilfe finden", "🧭"),
      ("views/verzeichnis.py", "Verzeichnis – alle Partner", "📇"),
      ("views/netzwerk.py", "Netzwerk – Kontaktpflege", "🕸️")]),
    ("Leitstelle Familie", "Das Verzeichnis aktuell halten: Partner ergänzen, prüfen, importieren und "
     "exportieren – nach der Anmeldung links in der Seitenleiste.",
     [("views/pflege.py", "Pflege – bearbeiten, prüfen", "🛠️"),
      ("views/verzeichnis.py", "Verzeichnis – drucken, Export", "📇"),
      ("views/sozialraum.py", "Sozialräume – Profil, Jahresbericht", "🏘️")]),
    ("Workshop und Planung", "Gemeinsam auf die Karte schauen: Wo sitzen die Partner, welchen Gemeinden fehlt "
     "ein Angebot? Der Präsentationsmodus zeigt Karte und Legende groß für den Beamer.",
     [("views/karte.py", "Karte – alle Partner", "🗺️"),
      ("views/abdeckung.py", "Abdeckung – wo fehlt was?", "📊"),
      ("views/netzwerk.py", "Netzwerk – wer mit wem?", "🕸️")]),
]
READING = {
    "offen": "- **Lesen geht ohne Anmeldung** – Einrichtungen, Angebote, Adressen, Telefon, E-Mail und Webseite.\n"
             "  Ansprechpersonen und die zuständigen Netzwerker/innen sehen angemeldete Nutzerinnen und Nutzer,\n"
             "  interne Notizen nur die Leitstelle Familie.",
    "anmeldung": "- **Lesen nur nach Anmeldung** (so eingestellt). Ansprechpersonen und die zuständigen\n"
                 "  Netzwerker/innen sehen alle Angemeldeten, interne Notizen nur die Leitstelle Familie.",
}
GOOD_TO_KNOW = """
- **Ändern** können angemeldete Nutzerinnen und Nutzer je nach Rolle; alle anderen können Änderungen
  vorschlagen (Seite Pflege).
- **Jede Seite erklärt sich selbst:** „So funktioniert diese Seite“ oben aufklappen.
- **Drucken:** Verzeichnis („Druckansicht“), Handzettel der Fallsuche, Sozialraumprofil und Jahresbericht sind
  für Papier gemacht;
  sonst druckt Strg+P die Seite ohne Seitenleiste und Schaltflächen.
- **Tastatur:** Alles ist mit Tabulator, Eingabe- und Pfeiltasten bedienbar; jede Karte hat ihre Angaben auch
  als Tabelle oder Liste auf derselben Seite.
"""


def _sozialraum_choice(names: pd.Series) -> None:
    """„Mein Sozialraum“: pre-selects the filters on the other pages for this browser session."""
    if "start_sozialraum" not in st.session_state:  # chosen on another page, or none yet
        st.session_state["start_sozialraum"] = st.session_state.get(SOZIALRAUM_KEY)
    choice = st.selectbox("Mein Sozialraum (für diese Sitzung)", list(names.index), index=None, key="start_sozialraum",
                          format_func=names.get, placeholder="kein bestimmter – ganzer Kreis",
                          help="Karte, Verzeichnis und Netzwerk zeigen dann gleich diesen Sozialraum. Gilt nur in "
                               "diesem Browserfenster und wird nirgends gespeichert.")
    remember_sozialraum(choice)


st.title("Netzwerkpartner-Karte Trier-Saarburg")
st.markdown(
    "Dieses Werkzeug des Jugendamts zeigt, **wer im Landkreis Trier-Saarburg was für Kinder, Jugendliche und "
    "Familien anbietet** – Kitas, Schulen, Beratungsstellen, Vereine, Frühe Hilfen und viele mehr – und **wo ein "
    "Angebot fehlt**. Es dient der Netzwerkarbeit in den vier Sozialräumen Konz, Schweich / Trier-Land / Ruwer, "
    "Hermeskeil und Saarburg.")
snap = snapshot()
sample_banner(snap)

st.header("Wo fange ich an?")
for col, (title, text, links) in zip(st.columns(len(ROLES)), ROLES):
    with col.container(border=True):
        st.subheader(title, anchor=False)
        st.markdown(text)
        for page, label, icon in links:
            st.page_link(page, label=label, icon=icon)

_sozialraum_choice(snap.gazetteer.sozialraeume["name"])
if st.session_state.get(SOZIALRAUM_KEY):
    st.caption("Der gewählte Sozialraum ist auf den Seiten Karte, Verzeichnis und Netzwerk vorausgewählt.")

st.header("Gut zu wissen")
st.markdown(READING[settings.reading_mode()] + GOOD_TO_KNOW)
st.page_link("views/barrierefreiheit.py", label="Erklärung zur Barrierefreiheit", icon="♿")

stats = directory_stats(snap)
if not stats["partner_gesamt"]:
    st.info(EMPTY_DIRECTORY, icon="📭")
st.header("Partner je Sozialraum")
cols = st.columns(len(stats["sozialraeume"]))
for col, sr in zip(cols, stats["sozialraeume"]):
    col.metric(sr["name"], sr["anzahl"], help="aktive Partner mit Sitz in diesem Gebiet")

st.header("Partner je Kategorie und Sozialraum")
labels = {k["id"]: k["label"] for k in stats["kategorien"]}
table = pd.DataFrame({sr["name"]: sr["kategorien"] for sr in stats["sozialraeume"]}).rename(index=labels)
table["Gesamt"] = table.sum(axis=1)
show_small_table(table.rename_axis("Kategorie").reset_index())

st.header("Aktualität der Daten")
f1, f2, f3 = st.columns(3)
f1.metric("Aktive Partner", f"{stats['partner_aktiv']} von {stats['partner_gesamt']}")
f2.metric("Zuletzt geprüft", when_text(stats["zuletzt_geprueft"]) or "–")
f3.metric("Ohne Prüfdatum", stats["ohne_pruefdatum"])
d = directory()
st.caption(f"Datenquelle: {d.store.describe()}")
attribution_caption()
