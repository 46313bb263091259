"""What a Fallsuche card tells the Netzwerker, which needs found nothing, and „Lücke melden“ without case data."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from graph.core.roles import Actor
from graph.errors import ForbiddenError
from graph.fallsuche.cards import card_facts, missing_text, needs_without_offer, sozialraumzentren
from graph.fallsuche.matching import Query
from graph.services import Directory
from tests.apptest import open_page
from tests.test_fallsuche_page import search, tree

TODAY = date(2026, 11, 26)
NINA = Actor("nina", "netzwerk")


def test_card_facts_come_from_the_tables(directory):
    snap = directory.snapshot()
    zust = directory.store.read("zustaendigkeiten")
    ags = "07235058"  # Kell am See, Sozialraum Hermeskeil
    hits = [r["id"] for r in snap.matcher.find(Query(ags, ("familienhilfe", "erziehungsberatung"), limit=30)).results]
    facts = card_facts(snap.partners, snap.kooperationen, zust, snap.gazetteer, ags, hits, today=TODAY, with_person=True)
    in_charge = dict(zip(zust["partner"], zust["netzwerker"]))
    for pid in hits:
        p, f = snap.partners.loc[pid], facts[pid]
        assert f.netzwerkfachkraft == in_charge.get(pid, "")
        assert f.oeffnungszeiten == (p["oeffnungszeiten"] or "keine Angabe")
        checked = pd.to_datetime(p["geprueft_am"] or None)
        assert f.veraltet == (checked is None or pd.isna(checked) or checked < pd.Timestamp(2025, 11, 26))
        assert f.ansprechperson == p["ansprechperson"]
    assert not any(f.ansprechperson for f in card_facts(snap.partners, snap.kooperationen, zust, snap.gazetteer, ags,
                                                        hits, today=TODAY).values())  # not logged in: no names


def test_a_cooperation_with_the_family_s_sozialraumzentrum_is_named(directory):
    snap = directory.snapshot()
    ags = "07235058"
    centres = sozialraumzentren(snap.partners, snap.gazetteer, ags)
    koop = snap.kooperationen
    linked = koop[(koop["partner_a"].isin(centres) | koop["partner_b"].isin(centres)) & (koop["bis"] == "")]
    assert len(linked), "the sample links partners to the Sozialraumzentrum Hermeskeil"
    row = linked.iloc[0]
    other = row["partner_b"] if row["partner_a"] in centres else row["partner_a"]
    facts = card_facts(snap.partners, koop, directory.store.read("zustaendigkeiten"), snap.gazetteer, ags, [other],
                       today=TODAY)
    assert facts[other].kooperation.startswith("kooperiert mit Sozialraumzentrum")


def test_weak_results_name_the_need_that_found_nothing(tiny_data):
    snap = Directory(tiny_data).snapshot()
    query = Query("07235068", ("erziehungsberatung", "sport"), sprache="de")
    assert snap.matcher.find(query).total > 0  # the search as a whole found something …
    assert needs_without_offer(snap.matcher, query) == ["sport"]  # … but nothing for sport
    assert missing_text(["sport"], query, snap.taxonomy) == "Für Sport auf Deutsch gibt es hier kein passendes Angebot."


def test_reporting_a_gap_stores_gemeinde_need_date_and_source_only(directory, data_dir):
    with pytest.raises(ForbiddenError):
        directory.bedarfe.report_gap(Actor("", "lesen"), "07235152", ["hausaufgabenhilfe"])
    before = len(directory.bedarfe.load())
    rows = directory.bedarfe.report_gap(NINA, "07235152", ["hausaufgabenhilfe", "sport"], "Arabisch", today=TODAY)
    stored = directory.bedarfe.load().iloc[before:]
    assert list(stored["bedarf"]) == ["hausaufgabenhilfe", "sport"] == [r["bedarf"] for r in rows]
    assert set(stored["quelle"]) == {"Fallsuche"} and set(stored["ags"]) == {"07235152"}
    assert set(stored["datum"]) == {TODAY.isoformat()}
    assert [e["tabelle"] for e in directory.store.journal()][-2:] == ["bedarfe", "bedarfe"]


def test_the_page_reports_a_gap_with_one_click_and_no_case_detail_reaches_disk(data_dir, users):
    at = open_page("fallsuche", "nina")
    before = tree(data_dir)
    secret = "Familie Sonnenschein-Geheim, Tochter 9 Jahre"
    at = search(at, gemeinde="07235152", bedarfe=["hausaufgabenhilfe"], sprache="ar", alter=9, freitext=secret)
    (button,) = [b for b in at.button if b.label == "Lücke melden"]
    button.click()
    at.run()
    assert not at.exception and any("Lücke gemeldet" in s.value for s in at.success)
    changed = {f for f, h in tree(data_dir).items() if before.get(f) != h}
    assert changed <= {"bedarfe.csv", "journal.jsonl"}
    text = "".join((data_dir / f).read_text(encoding="utf-8") for f in changed)
    assert "Sonnenschein" not in text and "9 Jahre" not in text and "Tochter" not in text
    new = Directory(data_dir).bedarfe.load().iloc[-1]
    assert (new["ags"], new["bedarf"], new["quelle"]) == ("07235152", "hausaufgabenhilfe", "Fallsuche")
