"""Short help texts ("So funktioniert diese Seite") in plain German, one per page."""

KARTE = """
- Jeder Kreis ist ein Partner: Farbe **und Kürzel** nennen die Kategorie (KT = Kita, SC = Schule …), die
  Legende unten links erklärt alle Kürzel. Große Kreise mit gelbem Rand sind die Sozialraumzentren.
- **Filter** stehen links in der Seitenleiste. Wer einen Sozialraum wählt, findet ihn auch auf den anderen
  Seiten wieder vorausgewählt (nur in diesem Browserfenster).
- Ein Klick auf einen Partner – oder Tabulatortaste und Eingabetaste – zeigt Adresse, Kontakt und Angebote.
- Dieselben Partner stehen unter der Karte auch **als Liste**. Für Workshops: **Präsentationsmodus**.
"""

VERZEICHNIS = """
- Die Tabelle zeigt alle Partner, die zu den **Filtern** links passen; „Sortieren nach“ ändert die Reihenfolge.
- **Details:** eine Zeile anklicken oder unten bei „Details anzeigen für“ einen Partner wählen.
- **Drucken:** „Druckansicht“ einschalten, dann Strg+P. **Herunterladen** als CSV oder Excel.
"""

FALLSUCHE = """
1. **Wohnort** der Familie wählen (Name oder Postleitzahl eintippen).
2. **Bedarfe** auswählen oder in eigenen Worten beschreiben, bei Bedarf Alter und Sprache angeben.
3. **Suchen** – die Treffer stehen nummeriert in der Liste und auf der Karte.
4. Passende Stellen für den **Handzettel** anhaken und als PDF oder HTML ausgeben (Druckansicht).

Über die Familie wird nichts gespeichert. „Eingaben löschen“ leert das Formular für die nächste Familie.
"""

ABDECKUNG = """
- Links wählen, **welcher Bedarf oder welche Kategorie** betrachtet wird.
- Die Karte zeigt je Gemeinde: ✓ versorgt (ein Partner ist zuständig), ◐ erreichbar (nicht zuständig, aber
  in der Nähe), ✗ nicht versorgt. Dieselben Angaben stehen unter der Karte als Tabelle.
- **Lückenliste** und **Matrix** zeigen alle Gemeinden ohne zuständiges Angebot, **Was wäre wenn?** rechnet
  ein geplantes Angebot durch, ohne etwas zu speichern.
"""

PFLEGE = """
- **Ohne Anmeldung:** Änderungen vorschlagen und das Verzeichnis exportieren.
- **Mit Anmeldung als Leitstelle** (links in der Seitenleiste): Prüfliste abarbeiten, Partner bearbeiten, neu
  anlegen, importieren und Vorschläge entscheiden. Jede Änderung steht im Verlauf und lässt sich
  rückgängig machen.
"""

NETZWERK = """
- **Netzwerkgraph:** wer mit wem kooperiert. Einen Partner „im Mittelpunkt“ wählen zeigt sein Netzwerk;
  dieselben Angaben stehen darunter als Tabellen.
- **Kontaktpflege:** bei welchen Partnern ein Kontakt fällig ist; Kontakte erfassen (Rolle Netzwerk).
- **Analyse** und **Jahresbericht** für den Jugendhilfeausschuss (PDF oder HTML).
"""
