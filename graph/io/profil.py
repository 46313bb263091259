"""Render a Sozialraum profile (:func:`graph.netzwerk.profil.profile`) as printable HTML or PDF (report renderer)."""

from __future__ import annotations

from graph.core.text import count, number, when_text
from graph.io.bericht import Block, html_page, pdf_document
from graph.netzwerk.texte import ABSCHNITT_LABELS, BESONDERHEITEN


def title(profile: dict) -> str:
    """Document title."""
    return f"Sozialraumprofil {profile['name']}"


def blocks(profile: dict) -> list[Block]:
    """The profile in reading order; the Netzwerkfachkräfte only if the profile holds them (visibility)."""
    p = profile
    out = [Block("h1", title(p)), Block("p", f"Stand {when_text(p['stand'])}")]
    if p["beispieldaten"]:
        out.append(Block("note", "Beispieldaten: Partner, Kontakte und Kooperationen sind erfunden."))
    out += [Block("h2", "Gebiet"),
            Block("p", f"{count(len(p['gemeinden']), 'Gemeinde', 'Gemeinden')} mit "
                       f"{count(p['einwohner'], 'Einwohner', 'Einwohnern')} (Zensus 2022) in "
                       f"{count(len(p['verbandsgemeinden']), 'Verbandsgemeinde', 'Verbandsgemeinden')}."),
            Block("table", header=("Verbandsgemeinde", "Gemeinden im Sozialraum"),
                  items=tuple((v["name"], v["gemeinden"]) for v in p["verbandsgemeinden"])),
            Block("table", header=("Gemeinde", "Verbandsgemeinde", "Einwohner"),
                  items=tuple((g["name"], g["vg"], number(g["einwohner"])) for g in p["gemeinden"])),
            Block("h2", "Sozialraumzentrum" if len(p["zentren"]) == 1 else "Sozialraumzentren")]
    out.append(Block("table", header=("Einrichtung", "Anschrift", "Telefon"),
                     items=tuple((z["name"], z["anschrift"], z["telefon"]) for z in p["zentren"]))
               if p["zentren"] else Block("p", "Im Verzeichnis ist kein Sozialraumzentrum mit Sitz im Sozialraum erfasst."))
    if p["netzwerkfachkraefte"] is not None:
        out += [Block("h2", "Netzwerkfachkräfte"),
                Block("table", header=("Name", "zuständig für"),
                      items=tuple((f["name"], count(f["partner"], "Partner", "Partner")) for f in p["netzwerkfachkraefte"]))
                if p["netzwerkfachkraefte"] else Block("p", "Für die Partner im Sozialraum ist niemand als zuständig erfasst.")]
    out += [Block("h2", "Kennzahlen"),
            Block("table", header=("Kennzahl", "Wert"), items=(
                ("Aktive Partner mit Sitz im Sozialraum", p["partner"]),
                ("Laufende Kooperationen", p["kooperationen"]),
                ("Partner mit überfälligem Kontakt", f"{p['ueberfaellig']} von {p['partner_aktiv']}"),
                ("Kategorien und Bedarfe mit Lücke", f"{p['luecken']} von {p['schluessel']}"),
                (f"Bedarfsmeldungen {p['jahr']}", p["bedarfsmeldungen"]))),
            Block("table", header=("Kategorie", "Partner"), items=tuple((k["label"], k["partner"]) for k in p["kategorien"])),
            Block("h2", ABSCHNITT_LABELS[BESONDERHEITEN])]
    text = str(p["besonderheiten"].get("text", "")).strip()
    out += [Block("p", para.strip()) for para in text.split("\n\n") if para.strip()] or [
        Block("p", "Noch nicht beschrieben.")]
    return out


def to_html(profile: dict) -> str:
    """The profile as a self-contained, printable HTML page (all text escaped)."""
    return html_page(title(profile), blocks(profile), {})


def to_pdf(profile: dict) -> bytes:
    """The profile as A4 PDF."""
    return pdf_document(title(profile), blocks(profile), {})
