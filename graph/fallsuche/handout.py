"""Handout for the family: the chosen partners' contacts in plain German (HTML print view, PDF).

The handout holds partner data only — no Gemeinde, need, age, language or distance of the
family — and says so. Every value is escaped in HTML and drawn literally in the PDF.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from datetime import date

import pandas as pd

from graph.core.taxonomy import Taxonomy
from graph.core.text import km
from graph.core.validation import split_list
from graph.io.pdf import Document
from graph.verzeichnis.listing import address_text, languages_text, mailto_href, offers_text, tel_href, web_href

TITLE = "Hilfe und Beratung für Ihre Familie"
INTRO = ("Diese Stellen können Ihnen weiterhelfen. Rufen Sie an oder schreiben Sie eine E-Mail; am besten "
         "vereinbaren Sie vorher einen Termin.")
#: Shown where a partner has not told its opening hours (never a general "come by at opening hours").
NO_HOURS = "keine Angabe – bitte vorher anrufen"
NO_CASE_DATA = ("Dieses Blatt enthält keine Angaben über Sie oder Ihre Familie – nur die Kontaktdaten der Stellen. "
                "Es wurde nichts über Sie gespeichert.")
TRANSIT = "Bus und Bahn: Fahrplanauskunft des Verkehrsverbunds Region Trier (VRT)"
_WALK_KMH, _CAR_KMH, _DETOUR = 4.5, 45.0, 1.3  # road distance ≈ 1.3 × straight line
_FIELDS = (("traeger", "Träger"), ("adresse", "Adresse"), ("telefon", "Telefon"), ("email", "E-Mail"),
           ("website", "Internet"), ("oeffnungszeiten", "Öffnungszeiten"), ("ansprechperson", "Ansprechperson"),
           ("sprachen", "Sprachen"), ("angebote", "Angebote"))


def route_hint(distance_km: float | None) -> str:
    """"Weg zum Angebot": straight-line distance and a rough travel time in plain German."""
    if distance_km is None or math.isnan(distance_km):
        return "Entfernung unbekannt"
    road = distance_km * _DETOUR
    if distance_km <= 2.0:
        return f"Luftlinie {km(distance_km)} · zu Fuß etwa {_minutes(road, _WALK_KMH)} Minuten"
    return f"Luftlinie {km(distance_km)} · mit dem Auto etwa {_minutes(road, _CAR_KMH)} Minuten · {TRANSIT}"


def _minutes(road_km: float, speed_kmh: float) -> int:
    return max(5, math.ceil(road_km / speed_kmh * 60 / 5.0) * 5)


def handout_entries(partners: pd.DataFrame, ids: Iterable[str], taxonomy: Taxonomy) -> list[dict[str, str]]:
    """Contact blocks (plain strings) for the chosen partners, in the given order."""
    out = []
    for pid in ids:
        p = partners.loc[pid]
        tags = p["angebote"] if isinstance(p["angebote"], tuple) else tuple(split_list(p["angebote"]))
        out.append({"name": str(p["name"]), "traeger": str(p["traeger"]), "adresse": address_text(p),
                    "telefon": str(p["telefon"]), "email": str(p["email"]), "website": str(p["website"]),
                    "oeffnungszeiten": str(p["oeffnungszeiten"]).strip() or NO_HOURS,
                    "ansprechperson": str(p["ansprechperson"]),
                    "sprachen": languages_text(p["sprachen"] if isinstance(p["sprachen"], tuple)
                                               else split_list(p["sprachen"])),
                    "angebote": offers_text(tags, taxonomy)})
    return out


def handout_html(entries: list[dict[str, str]], today: date | None = None) -> str:
    """A standalone, printable HTML page (A4) with every value escaped."""
    e = html.escape
    blocks = []
    for entry in entries:
        rows = "".join(f"<tr><th>{e(label)}</th><td>{_html_value(key, entry.get(key, ''))}</td></tr>"
                       for key, label in _FIELDS if str(entry.get(key, "")).strip())
        blocks.append(f"<section><h2>{e(entry['name'])}</h2><table>{rows}</table></section>")
    body = "".join(blocks) or "<p>Keine Stellen ausgewählt.</p>"
    stand = f"Stand {(today or date.today()):%d.%m.%Y}"
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{e(TITLE)}</title>
<style>
@page {{ size: A4; margin: 18mm; }}
body {{ font-family: "DejaVu Sans", Arial, sans-serif; font-size: 12pt; line-height: 1.4; color: #000; margin: 1rem; }}
h1 {{ font-size: 18pt; margin: 0 0 .5rem; }} h2 {{ font-size: 14pt; margin: 1rem 0 .25rem; }}
section {{ break-inside: avoid; border-top: 1px solid #888; }}
th {{ text-align: left; vertical-align: top; padding-right: 1rem; font-weight: normal; color: #333;
      white-space: nowrap; }}
.note {{ margin-top: 1.5rem; font-size: 10pt; border: 1px solid #888; padding: .5rem; }}
@media print {{ .no-print {{ display: none; }} body {{ margin: 0; }} h2 {{ break-after: avoid; }} }}
button {{ font-size: 12pt; padding: .3rem 1rem; }} button:focus-visible {{ outline: 3px solid #e65100; }}
</style></head>
<body><main>
<button class="no-print" type="button" onclick="window.print()">Drucken</button>
<h1>{e(TITLE)}</h1>
<p>{e(INTRO)}</p>
{body}
<p class="note">{e(NO_CASE_DATA)} {e(stand)}.</p>
</main></body></html>"""


def _html_value(key: str, value: str) -> str:
    """Escaped cell; phone, e-mail and web address become links only when their target is safe."""
    text = html.escape(str(value))
    href = {"telefon": tel_href, "email": mailto_href, "website": web_href}.get(key, lambda _v: None)(value)
    return f'<a href="{html.escape(href, quote=True)}">{text}</a>' if href else text


def handout_pdf(entries: list[dict[str, str]]) -> bytes:
    """The same handout as an A4 PDF (graph/io/pdf.py)."""
    doc = Document(TITLE, footer_note="enthält keine Angaben über die Familie")
    doc.heading(TITLE, size=16)
    doc.paragraph(INTRO, size=11)
    for entry in entries:
        doc.heading(entry["name"], size=12)
        lines = [f"{label}: {entry[key]}" for key, label in _FIELDS if str(entry.get(key, "")).strip()]
        doc.paragraph("\n".join(lines), size=10)
    if not entries:
        doc.paragraph("Keine Stellen ausgewählt.")
    doc.paragraph(NO_CASE_DATA, size=9, style="I")
    return doc.to_bytes()
