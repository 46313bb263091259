"""Page „Barrierefreiheit“: Erklärung zur Barrierefreiheit (BITV 2.0 / Landesinklusionsgesetz RLP).

The feedback contact is the operator's to fill in: a Markdown file ``barrierefreiheit_kontakt.md``
in the data folder replaces the clearly marked placeholder below.
"""

from __future__ import annotations

import streamlit as st

from graph.store.reference import operator_text
from views.parts.shared import directory

CONTACT_FILE = "barrierefreiheit_kontakt.md"
STAND = "26. November 2026"
PLACEHOLDER_CONTACT = """**Kreisverwaltung Trier-Saarburg – Jugendamt, Leitstelle Familie**
[Straße und Hausnummer] · [PLZ Ort]
Telefon: [Telefonnummer] · E-Mail: [E-Mail-Adresse]"""
PAGES = "Start, Karte, Verzeichnis, Fallsuche, Abdeckung, Pflege, Netzwerk, Sozialräume und Barrierefreiheit"
LIMITS = [
    ("Karten (Karte, Fallsuche, Abdeckung)",
     "Die Kartenfläche selbst ist eine Grafik: Verschieben und Zoomen gehen mit Pfeiltasten und +/−, die "
     "Partner-Symbole sind mit der Tabulatortaste erreichbar und öffnen mit der Eingabetaste ihre Angaben. "
     "Gebietsgrenzen und Hinweise beim Überfahren mit der Maus erreichen Screenreader aber nicht. "
     "**Alternative auf derselben Seite:** „Partner auf der Karte als Liste“ (Karte), die nummerierte "
     "Trefferliste (Fallsuche), „Alle Gemeinden als Tabelle“, Lückenliste und Matrix (Abdeckung)."),
    ("Netzwerkgraph (Netzwerk)",
     "Die Zeichnung der Kooperationen ist eine Grafik, Partner lassen sich darin nur mit der Maus anklicken. "
     "**Alternative:** die Auswahl „Partner im Mittelpunkt“ und die Tabellen „Partner dieser Ansicht“ und "
     "„Kooperationen dieser Ansicht“ direkt darunter."),
    ("Interaktive Tabellen",
     "Die sortierbaren Tabellen werden als Zeichenfläche mit einer unsichtbaren Tabellenstruktur für "
     "Screenreader dargestellt; Sortieren über die Spaltenköpfe geht nur mit der Maus. "
     "**Alternative:** Sortierauswahl über der Tabelle, die „Druckansicht“ im Verzeichnis (eine einfache "
     "HTML-Tabelle) sowie die Downloads als CSV und Excel. Die Schnellbearbeitung in der Pflege ist mit "
     "Screenreadern kaum nutzbar; dafür gibt es das Formular „Bearbeiten“."),
    ("Englische Texte der Bedienelemente",
     "Das verwendete Programmgerüst (Streamlit) beschriftet einige Bedienelemente nur englisch (z. B. die Meldung "
     "einer Auswahlliste ohne Treffer, das Hochladen von Dateien und die für Screenreader unsichtbaren Namen der "
     "Hilfe-Symbole). Die App übersetzt diese Texte im Browser ins Deutsche; "
     "für einen Augenblick beim Laden und bei ausgeschaltetem JavaScript kann noch die englische Fassung "
     "erscheinen. Der Kalender der Datumsfelder folgt der Spracheinstellung des Browsers."),
    ("PDF-Dateien",
     "Handzettel und Jahresbericht als PDF sind nicht für Screenreader strukturiert (kein getaggtes PDF). "
     "**Alternative:** beide gibt es mit demselben Inhalt als barrierearme HTML-Datei."),
    ("Leichte Sprache und Gebärdensprache",
     "Erläuterungen in Leichter Sprache und in Deutscher Gebärdensprache gibt es noch nicht."),
]


def _contact() -> str:
    """The operator's feedback contact (Markdown file in the data folder); empty while not set."""
    return operator_text(directory().data_dir, CONTACT_FILE)


st.title("Erklärung zur Barrierefreiheit")
st.markdown(
    "Der Landkreis Trier-Saarburg ist bemüht, die **Netzwerkpartner-Karte Trier-Saarburg** barrierefrei "
    "zugänglich zu machen – nach § 10 des Landesinklusionsgesetzes Rheinland-Pfalz (LInklG) in Verbindung mit "
    "der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0). Maßstab sind die Richtlinien für "
    "barrierefreie Webinhalte WCAG 2.1, Stufe AA (Europäische Norm EN 301 549).\n\n"
    f"Diese Erklärung gilt für alle Seiten der Anwendung: {PAGES}.")

st.header("Stand der Vereinbarkeit mit den Anforderungen")
st.markdown("Die Anwendung ist **teilweise barrierefrei**. Die unten genannten Inhalte sind nicht oder nur "
            "eingeschränkt barrierefrei.")
st.markdown(
    "- Alle Seiten werden bei jeder Änderung automatisch mit **axe-core** (Regeln für WCAG 2.0/2.1 A und AA) "
    "geprüft, auch nach den wichtigsten Bedienschritten; schwerwiegende Fehler lassen die Prüfung scheitern.\n"
    "- Die Fallsuche wird automatisch **nur mit der Tastatur** bedient: von der Wahl der Gemeinde bis zum "
    "Handzettel.\n"
    "- Farben tragen nie allein eine Information: Partner haben Kürzel (z. B. KT = Kita), die Abdeckung "
    "zeigt ✓ / ◐ / ✗, der Netzwerkgraph unterscheidet Sektoren auch durch Formen.\n"
    "- Jede Karte hat auf derselben Seite eine Tabelle oder Liste mit denselben Angaben.\n"
    "- Eine Prüfung durch Menschen mit Assistenztechnik (z. B. ein BITV-Test) steht noch aus.")

st.header("Nicht barrierefreie Inhalte")
for title, text in LIMITS:
    st.markdown(f"**{title}.** {text}")

st.header("Erstellung dieser Erklärung")
st.markdown(f"Diese Erklärung wurde am {STAND} erstellt. Grundlage ist eine Selbstbewertung: automatische "
            "Prüfungen mit axe-core und Prüfungen der Tastaturbedienung in einem echten Browser.")

st.header("Feedback und Kontakt")
st.markdown("Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen, oder brauchen Sie Inhalte in einer "
            "anderen Form? Dann melden Sie sich bitte – wir antworten in der Regel innerhalb von zwei Wochen.")
contact = _contact()
if contact:
    st.markdown(contact)
else:
    st.markdown(PLACEHOLDER_CONTACT)
    st.warning(f"**Platzhalter:** Die Kontaktangaben muss der Betreiber noch eintragen – als Datei "
               f"`{CONTACT_FILE}` im Datenordner (Markdown). Bis dahin erscheint hier dieser Hinweis.", icon="✏️")

st.header("Schlichtungsverfahren")
st.markdown(
    "Wenn Sie auch nach Ihrem Feedback an den oben genannten Kontakt keine zufriedenstellende Lösung erhalten "
    "haben, können Sie sich an die **Schlichtungsstelle beim Landesbeauftragten für die Belange von Menschen mit "
    "Behinderungen Rheinland-Pfalz** wenden (nach dem Landesinklusionsgesetz). Das Schlichtungsverfahren ist "
    "kostenlos; Sie brauchen keinen Rechtsbeistand. Ziel ist eine außergerichtliche Einigung.")
st.caption("Anschrift und Internetseite der Schlichtungsstelle bitte beim Landesbeauftragten erfragen; der "
           "Betreiber ergänzt sie in dieser Erklärung, wenn er die Kontaktdatei anlegt.")
