"""What a Netzwerker needs to act on one Fallsuche hit: contact, hours, languages, check date, the colleague in
charge (warm handover) and whether the partner already cooperates with the family's Sozialraumzentrum.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from geo.gazetteer import Gazetteer
from geo.maps.kit import html_link, html_text
from graph.core.codes import LANGUAGE_NAMES
from graph.core.taxonomy import Taxonomy
from graph.core.visibility import visible
from graph.fallsuche.handout import route_hint
from graph.fallsuche.matching import Matcher, Query
from graph.netzwerk.model import in_charge
from graph.services import Directory, Snapshot
from graph.verzeichnis.listing import (
    BARRIEREFREI_LABELS,
    address_text,
    date_text,
    languages_text,
    mailto_href,
    tel_href,
    web_href,
)

#: After so many months without a check the card warns that the entry may be outdated.
CHECK_MONTHS = 12
NO_ENTRY = "keine Angabe"


@dataclass(frozen=True)
class CardFacts:
    """Facts of one hit as German text (empty where there is nothing to say)."""

    oeffnungszeiten: str
    sprachen: str
    barrierefrei: str
    geprueft: str
    veraltet: bool
    netzwerkfachkraft: str
    kooperation: str
    ansprechperson: str = ""


def sozialraumzentren(partners: pd.DataFrame, gazetteer: Gazetteer, ags: str) -> list[str]:
    """Ids of the active Sozialraumzentren serving the family's Sozialraum (Helenenberg counts for Schweich)."""
    sr = str(gazetteer.orte.at[ags, "sozialraum_id"]) if ags in gazetteer.orte.index else ""
    if not sr:
        return []
    srz = partners[(partners["kategorie"] == "sozialraumzentrum") & partners["aktiv"]]
    return [pid for pid, tokens in zip(srz.index, srz["einzugsgebiet"]) if f"sr:{sr}" in tokens]


def card_facts(partners: pd.DataFrame, kooperationen: pd.DataFrame, zustaendigkeiten: pd.DataFrame,
               gazetteer: Gazetteer, ags: str, ids: Iterable[str], today: date | None = None,
               with_person: bool = False) -> dict[str, CardFacts]:
    """Facts per hit id; ``partners`` typed, the other tables raw; ``with_person`` shows the Ansprechperson.

    Fields a reader's view does not hold (``graph.core.visibility``: Ansprechperson, Netzwerker names
    without login) stay empty.
    """
    today = today or date.today()
    limit = pd.Timestamp(today) - pd.DateOffset(months=CHECK_MONTHS)
    fachkraft = in_charge(zustaendigkeiten)
    centres = sozialraumzentren(partners, gazetteer, ags)
    names = partners["name"]
    running = kooperationen[kooperationen["bis"].fillna("").astype(str).str.strip().map(
        lambda b: not b or b >= today.isoformat())]
    out = {}
    for pid in ids:
        p = partners.loc[pid]
        checked = pd.to_datetime(p["geprueft_am"], format="%Y-%m-%d", errors="coerce")
        if pd.isna(checked):
            geprueft, old = "nie geprüft", True
        else:
            geprueft, old = date_text(p["geprueft_am"]), bool(checked < limit)
        partners_of = [b if a == pid else a for a, b in zip(running["partner_a"], running["partner_b"]) if pid in (a, b)]
        linked = [names.get(c, c) for c in centres if c in partners_of]
        if pid in centres:
            koop = "ist selbst ein Sozialraumzentrum dieses Sozialraums"
        elif linked:
            koop = f"kooperiert mit {', '.join(linked)}"
        else:
            koop = "keine eingetragene Kooperation mit dem Sozialraumzentrum" if centres else ""
        out[pid] = CardFacts(
            oeffnungszeiten=str(p["oeffnungszeiten"]).strip() or NO_ENTRY,
            sprachen=languages_text(p["sprachen"]) or NO_ENTRY,
            barrierefrei=BARRIEREFREI_LABELS.get(str(p["barrierefrei"]), str(p["barrierefrei"])),
            geprueft=geprueft, veraltet=old, netzwerkfachkraft=fachkraft.get(pid, "").strip(),
            kooperation=koop, ansprechperson=str(p.get("ansprechperson", "")).strip() if with_person else "")
    return out


def facts_for(directory: Directory, snap: Snapshot, ags: str, ids: Iterable[str]) -> dict[str, CardFacts]:
    """:func:`card_facts` for the hits of a search as the snapshot's reader may see them (``snap.for_reader``):
    the Ansprechperson and the Netzwerkfachkraft only for logged-in readers (``graph.core.visibility``)."""
    zustaendigkeiten = visible(directory.store.read("zustaendigkeiten"), "zustaendigkeiten", snap.audience)
    return card_facts(snap.partners, snap.kooperationen, zustaendigkeiten, snap.gazetteer, ags, ids,
                      with_person="ansprechperson" in snap.partners.columns)


def needs_without_offer(matcher: Matcher, query: Query) -> list[str]:
    """The requested needs for which no partner passes all other filters (even if other needs found hits)."""
    if len(query.tags) < 1:
        return []
    return [t for t in query.tags
            if not matcher.find(Query(query.ags, (t,), None, query.alter, query.sprache, query.barrierefrei,
                                      query.umkreis_km, 1)).total]


def missing_text(tags: list[str], query: Query, taxonomy: Taxonomy) -> str:
    """„Für Hausaufgabenhilfe auf Arabisch kein Angebot …“ for needs without any offer."""
    what = ", ".join(taxonomy.label(t) for t in tags)
    language = f" auf {LANGUAGE_NAMES.get(query.sprache, query.sprache)}" if query.sprache else ""
    access = " barrierefrei" if query.barrierefrei else ""
    return f"Für {what}{language}{access} gibt es hier kein passendes Angebot."


def card_html(n: int, result: dict, partner, taxonomy: Taxonomy, facts: CardFacts) -> str:
    """Result card ``n``: heading (h3: screen readers jump from card to card) and paragraphs, every value escaped.

    ``result`` is a hit of :meth:`Matcher.find` (name, kategorie, zustaendig, reasons, distance_km, missing),
    ``partner`` its typed row.
    """
    e = html_text
    badge = "✅ zuständig" if result["zustaendig"] else "📍 in der Nähe"
    out = [f"{e(partner['traeger'])} · {e(taxonomy.label(result['kategorie']))} · {badge}",
           " · ".join(e(x) for x in result["reasons"])]
    if result.get("missing"):
        out.append(f"⚠️ Es fehlt: {e('; '.join(result['missing']))}")
    out.append(f"<small>Weg zum Angebot: {e(route_hint(result['distance_km']))}<br>{e(address_text(partner))}</small>")
    contact = [html_link(partner["telefon"], tel_href), html_link(partner["email"], mailto_href),
               html_link(partner["website"], web_href, external=True)]
    out.append(" · ".join(c for c in contact if c) or "keine Kontaktdaten eingetragen")
    lines = [("Ansprechperson", e(facts.ansprechperson))] if facts.ansprechperson else []
    lines += [("Öffnungszeiten", e(facts.oeffnungszeiten)),
              ("Sprachen", f"{e(facts.sprachen)} · <strong>Barrierefrei:</strong> {e(facts.barrierefrei)}"),
              ("Zuletzt geprüft", e(facts.geprueft)
               + (f" ⚠️ vor mehr als {CHECK_MONTHS} Monaten – Angaben bitte vorher telefonisch bestätigen" if facts.veraltet
                  else ""))]
    if facts.netzwerkfachkraft:
        lines.append(("Zuständig im Netzwerk",
                      f"{e(facts.netzwerkfachkraft)} (für eine Übergabe mit persönlichem Kontakt)"))
    if facts.kooperation:
        lines.append(("Sozialraumzentrum", e(facts.kooperation)))
    out.append("<br>".join(f"<strong>{label}:</strong> {value}" for label, value in lines))
    return f"<h3>{n}. {e(result['name'])}</h3>" + "".join(f"<p>{para}</p>" for para in out)
