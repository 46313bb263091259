"""graph.verzeichnis.filters: every filter on hand-made partners whose answers are known by hand."""

from __future__ import annotations

import random
import re
from datetime import date
from pathlib import Path

import pytest

from graph.core.model import parse_partners
from graph.core.roles import ANONYMOUS, Actor
from graph.errors import UsageError
from graph.pflege.editing import Editor
from graph.verzeichnis.filters import PartnerFilter, PartnerIndex
from tests.conftest import frame_of, make_partner

TODAY = date(2026, 11, 26)
KONZ, TRIER, SAARBURG, KELL, HERMESKEIL = "07235068", "07211000", "07235118", "07235058", "07235045"
SAARBURG_KELL = "072355008"


@pytest.fixture(scope="module")
def index(gazetteer, taxonomy) -> PartnerIndex:
    partners = parse_partners(frame_of(
        make_partner(id="p-1", name="Kita Sonnenschein", traeger="Caritasverband Trier", kategorie="kita",
                     angebote="kinderbetreuung;sprachfoerderung", alter_von="0", alter_bis="6", sprachen="de;ar",
                     barrierefrei="ja", geprueft_am="2026-10-01"),
        make_partner(id="p-2", name="Erziehungsberatung Trier", traeger="Diakonie", ags=TRIER, ort="Trier",
                     plz="54290", lat="49.7560", lon="6.6410", einzugsgebiet="kreis", sprachen="de;tr",
                     barrierefrei="teilweise", geprueft_am="2025-01-10"),
        make_partner(id="p-3", name="Jugendtreff Saarburg", traeger="Stadt Saarburg", kategorie="jugendarbeit",
                     angebote="offene-jugendarbeit;sport", ags=SAARBURG, ort="Saarburg", plz="54439", lat="49.6056",
                     lon="6.5516", einzugsgebiet="sr:saarburg", alter_von="12", alter_bis="21", barrierefrei="nein",
                     geprueft_am=""),
        make_partner(id="p-4", name="Kita Kell", kategorie="kita", angebote="kinderbetreuung", ags=KELL,
                     ort="Kell am See", plz="54427", lat="49.6277", lon="6.8187", einzugsgebiet=f"vg:{SAARBURG_KELL}",
                     aktiv="nein"),
        make_partner(id="p-5", name="Mütterzentrum Hermeskeil", traeger="Förderverein", kategorie="familienbildung",
                     angebote="elternbildung;eltern-kind-gruppe", ags=HERMESKEIL, ort="Hermeskeil", plz="54411",
                     lat="49.6559", lon="6.9461", einzugsgebiet=f"gem:{KELL}", barrierefrei="",
                     geprueft_am="2026-06-01"),
    ))
    return PartnerIndex(partners, gazetteer, taxonomy)


def ids(index: PartnerIndex, **kwargs) -> set[str]:
    return set(index.apply(PartnerFilter(**kwargs), today=TODAY).index)


def test_only_active_by_default(index):
    assert ids(index) == {"p-1", "p-2", "p-3", "p-5"}
    assert ids(index, nur_aktiv=False) == {"p-1", "p-2", "p-3", "p-4", "p-5"}


def test_category_and_need_tags(index):
    assert ids(index, kategorien=["kita"]) == {"p-1"}
    assert ids(index, kategorien=["kita"], nur_aktiv=False) == {"p-1", "p-4"}
    assert ids(index, angebote=["sport", "kinderbetreuung"]) == {"p-1", "p-3"}
    assert ids(index, angebote=["sport", "kinderbetreuung"], alle_angebote=True) == set()
    assert ids(index, angebote=["offene-jugendarbeit", "sport"], alle_angebote=True) == {"p-3"}


def test_area_located_in_versus_serving(index):
    assert ids(index, sozialraeume=["saarburg"]) == {"p-3"}
    assert ids(index, gemeinden=[KELL]) == set()  # the Kita there is inactive
    assert ids(index, gemeinden=[KELL], gebiet="versorgt") == {"p-2", "p-5"}  # Kreis-wide and gem:Kell
    assert ids(index, gemeinden=[KELL], gebiet="sitz_oder_versorgt", nur_aktiv=False) == {"p-2", "p-4", "p-5"}
    assert ids(index, gemeinden=[TRIER]) == {"p-2"}
    assert ids(index, gemeinden=[SAARBURG], gebiet="versorgt") == {"p-2", "p-3"}


def test_area_levels_narrow_each_other(index):
    both = PartnerFilter(sozialraeume=("hermeskeil",), verbandsgemeinden=(SAARBURG_KELL,))
    assert sorted(index.area_gemeinden(both)) == ["07235040", KELL, "07235081", "07235119", "07235142"]
    assert ids(index, sozialraeume=["hermeskeil"], verbandsgemeinden=[SAARBURG_KELL],
               gebiet="versorgt") == {"p-2", "p-5"}
    assert ids(index, sozialraeume=["hermeskeil", "saarburg"]) == {"p-3", "p-5"}
    assert index.area_gemeinden(PartnerFilter()) is None


def test_age_overlap(index):
    assert ids(index, alter_von=7, alter_bis=7) == {"p-2", "p-5"}  # no age given = any age
    assert ids(index, alter_von=0, alter_bis=3) == {"p-1", "p-2", "p-5"}
    assert ids(index, alter_von=20) == {"p-2", "p-3", "p-5"}
    assert ids(index, alter_bis=5) == {"p-1", "p-2", "p-5"}


def test_language_accessibility_and_verification(index):
    assert ids(index, sprachen=["ar"]) == {"p-1"}
    assert ids(index, sprachen=["ar", "tr"]) == {"p-1", "p-2"}
    assert ids(index, sprachen=["uk"]) == set()  # valid code nobody speaks
    assert ids(index, barrierefrei=["ja"]) == {"p-1"}
    assert ids(index, barrierefrei=["ja", "teilweise"]) == {"p-1", "p-2"}
    assert ids(index, barrierefrei=["unbekannt"]) == {"p-5"}  # empty cell counts as unknown
    assert ids(index, geprueft_monate=6) == {"p-1", "p-5"}  # never verified (p-3) never matches
    assert ids(index, geprueft_monate=3) == {"p-1"}


@pytest.mark.parametrize("query,expected", [
    ("caritas", {"p-1"}), ("CARITASVERBAND trier", {"p-1"}), ("mütter", {"p-5"}), ("muetter", {"p-5"}),
    ("Mutterzentrum", {"p-5"}), ("konz", {"p-1"}), ("Sport", {"p-3"}), ("sprachforderung", {"p-1"}),
    ("Sprachförderung", {"p-1"}), ("jugend saarburg", {"p-3"}), ("jugend konz", set()),
    ("  ", {"p-1", "p-2", "p-3", "p-5"}),
    ("Kindertagesstätte", {"p-1"}), ("forderverein", {"p-5"}),
])
def test_full_text_search_is_umlaut_insensitive(index, query, expected):
    assert ids(index, suche=query) == expected


def test_filters_combine(index):
    assert ids(index, suche="kita", gemeinden=[KONZ], sprachen=["ar"], alter_von=3, alter_bis=3) == {"p-1"}
    assert ids(index, suche="kita", gemeinden=[KELL]) == set()


@pytest.mark.parametrize("kwargs,word", [
    ({"kategorien": ("kiga",)}, "Kategorie"), ({"angebote": ("yoga",)}, "Angebot"),
    ({"sozialraeume": ("trier",)}, "Sozialraum"), ({"gemeinden": ("07235999",)}, "Gemeinde"),
    ({"verbandsgemeinden": ("1",)}, "Verbandsgemeinde"), ({"sprachen": ("xx",)}, "Sprache"),
    ({"barrierefrei": ("vielleicht",)}, "Barrierefreiheit"),
])
def test_unknown_values_are_reported_in_german(index, kwargs, word):
    with pytest.raises(UsageError, match=word):
        index.mask(PartnerFilter(**kwargs))


def test_invalid_filters_are_rejected():
    with pytest.raises(UsageError, match="Gebiet"):
        PartnerFilter(gebiet="irgendwo")
    with pytest.raises(UsageError, match="größer"):
        PartnerFilter(alter_von=10, alter_bis=3)



@pytest.mark.slow
def test_agrees_with_the_row_by_row_baseline(directory):
    """Random filter combinations on the sample give the same ids as the naive benchmark baseline."""
    from bench.bench_filters import naive_filter, random_filters

    snap = directory.snapshot()
    index = PartnerIndex(snap.partners, directory.gazetteer, directory.taxonomy)
    records = snap.partners.to_dict("records")
    for f in random_filters(index, 60, random.Random(7)):
        expected = naive_filter(records, f, directory.gazetteer, directory.taxonomy, TODAY)
        assert list(index.apply(f, today=TODAY).index) == expected, f


def test_readme_search_example_holds_and_finds_ansprechpersonen_only_for_those_who_see_them(directory):
    """The README promises „Mueller“ = „Müller“ = „Muller“ in the Verzeichnis search, Ansprechperson included
    after login: each spelling finds a partner whose Ansprechperson is the umlaut spelling – not without login."""
    text = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    spellings = re.findall(r"„(\w+)“", re.search(r"Umlaute egal:\s*(.*?)\)", text, re.DOTALL).group(1))
    assert len(spellings) >= 3 and any("ü" in s for s in spellings), spellings
    person = f"Jana {next(s for s in spellings if 'ü' in s)}"
    first = directory.store.read("partners").iloc[0]
    pid = first["id"]
    Editor(directory, Actor("anna", "leitstelle")).update(pid, {"ansprechperson": person}, int(first["version"]))
    snap = directory.snapshot()
    for spelling in spellings:
        logged_in = snap.for_reader(Actor("lea", "lesen")).index
        assert pid in set(logged_in.partners.index[logged_in.search_mask(spelling)]), spelling
        anonymous = snap.for_reader(ANONYMOUS).index
        assert pid not in set(anonymous.partners.index[anonymous.search_mask(spelling)]), spelling
