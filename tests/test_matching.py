"""Fallsuche core (graph/fallsuche/matching.py) on hand-made partners whose answers are known by hand."""

from __future__ import annotations

import math

import pytest

from graph.core.model import parse_partners
from graph.fallsuche.matching import Matcher, Query
from tests.conftest import frame_of, make_partner

TAWERN, KONZ, KELL, SAARBURG, HERMESKEIL, TRIER = ("07235132", "07235068", "07235058", "07235118",
                                                   "07235045", "07211000")
VG_KONZ, VG_SAARBURG_KELL = "072355003", "072355008"
EB = ("erziehungsberatung",)


def located(gazetteer, ags: str, dlat: float = 0.0, dlon: float = 0.0) -> dict:
    """Address fields of a partner at a Gemeinde's reference point (plus an offset in degrees)."""
    row = gazetteer.orte.loc[ags]
    return {"ags": ags, "ort": row["name"], "lat": f"{row['lat'] + dlat:.6f}", "lon": f"{row['lon'] + dlon:.6f}"}


def matcher(gazetteer, taxonomy, *records) -> Matcher:
    return Matcher(parse_partners(frame_of(*records)), gazetteer, taxonomy)


def found(m: Matcher, **query) -> list[str]:
    return [r["id"] for r in m.find(Query(limit=None, **query)).results]


def haversine(lat1, lon1, lat2, lon2) -> float:
    """Independent great-circle distance (math module only)."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


# ------------------------------------------------------------------ filters
@pytest.mark.parametrize("alter,expected", [
    (5, ["p-3", "p-4"]), (6, ["p-1", "p-3", "p-4"]), (10, ["p-1", "p-4"]), (11, ["p-4"]), (12, ["p-2", "p-4"]),
    (None, ["p-1", "p-2", "p-3", "p-4"]),
])
def test_age_range_edges_are_inclusive_and_empty_means_any(gazetteer, taxonomy, alter, expected):
    here = located(gazetteer, TAWERN)
    m = matcher(gazetteer, taxonomy,
                make_partner(id="p-1", alter_von="6", alter_bis="10", **here),
                make_partner(id="p-2", alter_von="12", alter_bis="", **here),
                make_partner(id="p-3", alter_von="", alter_bis="6", **here),
                make_partner(id="p-4", alter_von="", alter_bis="", **here))
    assert found(m, ags=TAWERN, tags=EB, alter=alter) == expected


@pytest.mark.parametrize("sprache,expected", [("ar", ["p-2"]), ("de", ["p-1", "p-2"]), (None, ["p-1", "p-2", "p-3"]),
                                              ("tr", [])])
def test_language_must_be_listed(gazetteer, taxonomy, sprache, expected):
    here = located(gazetteer, TAWERN)
    m = matcher(gazetteer, taxonomy, make_partner(id="p-1", sprachen="de", **here),
                make_partner(id="p-2", sprachen="de;ar", **here), make_partner(id="p-3", sprachen="", **here))
    assert found(m, ags=TAWERN, tags=EB, sprache=sprache) == expected


def test_barrierefrei_means_ja_only(gazetteer, taxonomy):
    here = located(gazetteer, TAWERN)
    values = {"p-1": "ja", "p-2": "teilweise", "p-3": "nein", "p-4": "unbekannt", "p-5": ""}
    m = matcher(gazetteer, taxonomy, *[make_partner(id=i, barrierefrei=v, **here) for i, v in values.items()])
    assert found(m, ags=TAWERN, tags=EB, barrierefrei=True) == ["p-1"]
    assert found(m, ags=TAWERN, tags=EB) == list(values)
    assert "barrierefrei" in m.find(Query(TAWERN, EB, barrierefrei=True)).results[0]["reasons"]


def test_inactive_partners_are_excluded_even_when_zustaendig(gazetteer, taxonomy):
    here = located(gazetteer, TAWERN)
    m = matcher(gazetteer, taxonomy, make_partner(id="p-1", aktiv="nein", einzugsgebiet="sr:konz", **here),
                make_partner(id="p-2", **here))
    assert found(m, ags=TAWERN, tags=EB) == ["p-2"]


def test_category_or_tag_makes_eligible(gazetteer, taxonomy):
    here = located(gazetteer, TAWERN)
    m = matcher(gazetteer, taxonomy,
                make_partner(id="p-1", kategorie="erziehungsberatung", angebote="praevention", **here),
                make_partner(id="p-2", kategorie="beratung", angebote="erziehungsberatung", **here),
                make_partner(id="p-3", kategorie="beratung", angebote="sucht", **here))
    assert found(m, ags=TAWERN, kategorie="erziehungsberatung") == ["p-1"]
    assert found(m, ags=TAWERN, tags=EB, kategorie="erziehungsberatung") == ["p-2", "p-1"]  # matched tag first
    assert found(m, ags=TAWERN) == ["p-1", "p-2", "p-3"]  # nothing requested: every category


# ----------------------------------------------------------------- ordering
def test_order_matched_then_zustaendig_then_distance_then_id(gazetteer, taxonomy):
    two = "erziehungsberatung;elternbildung"
    konz = located(gazetteer, KONZ)
    records = [
        make_partner(id="p-000004", **located(gazetteer, SAARBURG)),                          # 1 tag, not zuständig
        make_partner(id="p-000006", einzugsgebiet="kreis", **konz),                           # 1 tag, zuständig, tie
        make_partner(id="p-000002", einzugsgebiet="sr:konz", **located(gazetteer, HERMESKEIL)),  # 1 tag, far
        make_partner(id="p-000001", angebote=two, **located(gazetteer, SAARBURG)),            # 2 tags, not zuständig
        make_partner(id="p-000005", einzugsgebiet="kreis", **konz),                           # same place as 6 and 3
        make_partner(id="p-000003", einzugsgebiet=f"vg:{VG_KONZ}", **konz),
    ]
    m = matcher(gazetteer, taxonomy, *records)
    q = Query(TAWERN, ("erziehungsberatung", "elternbildung"), limit=None)
    res = m.find(q)
    assert [r["id"] for r in res.results] == ["p-000001", "p-000003", "p-000005", "p-000006", "p-000002", "p-000004"]
    assert [len(r["matched"]) for r in res.results] == [2, 1, 1, 1, 1, 1]
    assert [r["zustaendig"] for r in res.results] == [False, True, True, True, True, False]
    limited = m.find(Query(TAWERN, ("erziehungsberatung", "elternbildung"), limit=3))
    assert [r["id"] for r in limited.results] == ["p-000001", "p-000003", "p-000005"] and limited.total == 6


@pytest.mark.parametrize("ags", [TAWERN, KELL, HERMESKEIL, "07235010", TRIER])
@pytest.mark.parametrize("tags", [("erziehungsberatung", "elternbildung"), ("sport",),
                                  ("kinderbetreuung", "fruehe-hilfen")])
def test_sample_results_follow_the_contract_order(directory, ags, tags):
    res = directory.snapshot().matcher.find(Query(ags, tags, limit=None))
    key = [(-len(r["matched"]), not r["zustaendig"], r["distance_km"], r["id"]) for r in res.results]
    assert key == sorted(key) and res.total == len(res.results)


# ------------------------------------------------------------- zuständigkeit
def test_zustaendig_via_every_token_kind(gazetteer, taxonomy):
    far = located(gazetteer, HERMESKEIL)
    records = [
        make_partner(id="gem", einzugsgebiet=f"gem:{TAWERN}", **far),
        make_partner(id="vg", einzugsgebiet=f"vg:{VG_KONZ}", **far),
        make_partner(id="sr", einzugsgebiet="sr:konz", **far),
        make_partner(id="kreis", einzugsgebiet="kreis", **far),
        make_partner(id="own", einzugsgebiet="", **located(gazetteer, TAWERN, dlat=0.02)),
        make_partner(id="specific", einzugsgebiet=f"kreis;gem:{TAWERN}", **far),
        make_partner(id="x-gem", einzugsgebiet=f"gem:{KONZ}", **far),
        make_partner(id="x-vg", einzugsgebiet=f"vg:{VG_SAARBURG_KELL}", **far),
        make_partner(id="x-sr", einzugsgebiet="sr:saarburg", **far),
        make_partner(id="x-own", einzugsgebiet="", **far),
    ]
    m = matcher(gazetteer, taxonomy, *records)
    res = m.find(Query(TAWERN, EB, umkreis_km=0.5, limit=None))  # proximity alone does not count here
    reasons = {r["id"]: r["reasons"][1] for r in res.results}
    assert reasons == {
        "gem": "zuständig für Gemeinde Tawern", "vg": "zuständig für Verbandsgemeinde Konz",
        "sr": "zuständig für Sozialraum Konz", "kreis": "zuständig für den ganzen Landkreis",
        "own": "zuständig für Gemeinde Tawern", "specific": "zuständig für Gemeinde Tawern",
    }
    assert all(r["zustaendig"] for r in res.results)


def test_stadt_trier_traeger_found_for_county_gemeinde_it_serves(gazetteer, taxonomy):
    trier = located(gazetteer, TRIER)
    m = matcher(gazetteer, taxonomy,
                make_partner(id="trier-sr", name="Beratung Trier für Hermeskeil", einzugsgebiet="sr:hermeskeil",
                             **trier),
                make_partner(id="trier-own", name="Beratung nur für die Stadt", einzugsgebiet="", **trier))
    strict = m.find(Query(KELL, EB, umkreis_km=10))
    assert [r["id"] for r in strict.results] == ["trier-sr"]
    assert strict.results[0]["zustaendig"] and "zuständig für Sozialraum Hermeskeil" in strict.results[0]["reasons"]
    # without an explicit radius the Trier-only office counts as near (Erziehungsberatung: 25 km), ranked after
    default = m.find(Query(KELL, EB))
    assert [(r["id"], r["zustaendig"]) for r in default.results] == [("trier-sr", True), ("trier-own", False)]
    assert "nicht zuständig für Kell am See" in default.results[1]["reasons"]


def test_reach_follows_the_taxonomy_distance_per_need(gazetteer, taxonomy):
    saarburg = located(gazetteer, SAARBURG)  # about 7 km from Tawern, not serving it
    m = matcher(gazetteer, taxonomy, make_partner(id="kita", kategorie="kita", angebote="kinderbetreuung", **saarburg),
                make_partner(id="eb", **saarburg))
    assert taxonomy.distance_threshold("kinderbetreuung") < 7 < taxonomy.distance_threshold("erziehungsberatung")
    assert found(m, ags=TAWERN, tags=("kinderbetreuung",)) == []
    assert found(m, ags=TAWERN, tags=EB) == ["eb"]
    assert found(m, ags=TAWERN, tags=("kinderbetreuung",), umkreis_km=8) == ["kita"]



# ---------------------------------------------------------------- distances
def test_distances_match_independent_haversine(directory):
    snap = directory.snapshot()
    raw = snap.raw.set_index("id")
    checked = 0
    for ags in (TAWERN, KELL, HERMESKEIL, "07235010"):
        ref = snap.gazetteer.orte.loc[ags]
        for r in snap.matcher.find(Query(ags, ("erziehungsberatung", "sport", "kinderbetreuung"), limit=None)).results:
            p = raw.loc[r["id"]]
            expected = haversine(ref["lat"], ref["lon"], float(p["lat"]), float(p["lon"]))
            assert abs(r["distance_km"] - expected) <= 0.05 + 1e-9, r["id"]  # rounded once, to 0.1 km
            assert f"{r['distance_km']:.1f}".replace(".", ",") + " km entfernt" in r["reasons"]
            checked += 1
    assert checked > 20


def test_partner_without_coordinates_sits_at_its_gemeinde(gazetteer, taxonomy):
    m = matcher(gazetteer, taxonomy, make_partner(id="p-1", ags=KONZ, lat="", lon=""))
    r = m.find(Query(TAWERN, EB)).results[0]
    k, t = gazetteer.orte.loc[KONZ], gazetteer.orte.loc[TAWERN]
    assert abs(r["distance_km"] - haversine(t["lat"], t["lon"], k["lat"], k["lon"])) <= 0.05 + 1e-9  # shown to 0.1 km


# ------------------------------------------------------------ empty results
def test_no_offer_anywhere_points_to_the_sozialraumzentrum(gazetteer, taxonomy):
    here = located(gazetteer, TAWERN)
    m = matcher(gazetteer, taxonomy,
                make_partner(id="srz", kategorie="sozialraumzentrum", einzugsgebiet="sr:konz", **here),
                make_partner(id="inactive", angebote="trauerbegleitung", aktiv="nein", **here))
    res = m.find(Query(TAWERN, ("trauerbegleitung",)))
    assert res.results == [] and res.blocking_filter == "bedarf"
    assert res.explanation == "Kein aktiver Partner bietet Trauerbegleitung an."
    assert [s["id"] for s in res.suggestions] == ["srz"] and "weitervermitteln" in res.suggestions[0]["missing"][0]


def test_too_far_names_reachability_and_suggests_the_nearest(gazetteer, taxonomy):
    m = matcher(gazetteer, taxonomy, make_partner(id="far", **located(gazetteer, HERMESKEIL)),
                make_partner(id="farther", **located(gazetteer, TRIER, dlat=0.2)))
    res = m.find(Query(TAWERN, EB))
    assert res.blocking_filter == "erreichbar" and "Zuständigkeit/Entfernung" in res.explanation
    assert "die letzten 2 Kandidaten" in res.explanation and "Tawern" in res.explanation
    assert [s["id"] for s in res.suggestions] == ["far", "farther"]
    assert res.suggestions[0]["missing"][0].startswith("für diesen Bedarf weit entfernt")


def test_explanation_names_the_last_filter_and_what_relaxing_gives(gazetteer, taxonomy):
    here = dict(einzugsgebiet="sr:konz", **located(gazetteer, TAWERN))
    aside = dict(einzugsgebiet="sr:konz", **located(gazetteer, TAWERN, dlat=0.001))
    m = matcher(gazetteer, taxonomy,
                make_partner(id="A", alter_von="6", alter_bis="10", sprachen="de", barrierefrei="ja", **here),
                make_partner(id="B", alter_von="0", alter_bis="3", sprachen="de;ar", barrierefrei="ja", **aside),
                make_partner(id="C", alter_von="6", alter_bis="10", sprachen="de", barrierefrei="teilweise", **here))
    res = m.find(Query(TAWERN, EB, alter=8, sprache="ar", barrierefrei=True))
    assert res.results == [] and res.total == 0 and res.blocking_filter == "sprache"
    assert res.explanation.startswith("Kein Treffer: Der Filter „Sprache“ hat die letzten 2 Kandidaten ausgeschlossen")
    assert "Arabisch" in res.explanation
    assert "ohne den Filter „Alter“ gäbe es 1 Treffer" in res.explanation
    assert "ohne den Filter „Sprache“ gäbe es 1 Treffer" in res.explanation
    assert "barrierefrei“ gäbe" not in res.explanation
    assert [(s["id"], s["missing"]) for s in res.suggestions] == [
        ("A", ["Arabisch nicht als Sprache angegeben"]),
        ("B", ["nur 0–3 Jahre"]),
        ("C", ["Arabisch nicht als Sprache angegeben", "nur teilweise barrierefrei"]),
    ]
    assert "spricht Arabisch" not in res.suggestions[0]["reasons"]
    assert "spricht Arabisch" in res.suggestions[1]["reasons"]


def test_barrierefrei_explanation_counts_partial_and_unknown(gazetteer, taxonomy):
    here = located(gazetteer, TAWERN)
    m = matcher(gazetteer, taxonomy, make_partner(id="t1", barrierefrei="teilweise", **here),
                make_partner(id="t2", barrierefrei="teilweise", **here),
                make_partner(id="u", barrierefrei="unbekannt", **here))
    res = m.find(Query(TAWERN, EB, barrierefrei=True))
    assert res.blocking_filter == "barrierefrei"
    assert "(2 teilweise barrierefrei, 1 ohne Angabe)" in res.explanation
    partial, unknown = ["nur teilweise barrierefrei"], ["Barrierefreiheit unbekannt"]
    assert [s["missing"] for s in res.suggestions] == [partial, partial, unknown]


def test_results_carry_german_reasons(gazetteer, taxonomy):
    m = matcher(gazetteer, taxonomy, make_partner(id="p-1", angebote="erziehungsberatung;elternbildung",
                                                  sprachen="de;ar", alter_von="0", alter_bis="27",
                                                  einzugsgebiet="sr:konz", **located(gazetteer, KONZ)))
    r = m.find(Query(TAWERN, ("erziehungsberatung", "elternbildung"), alter=7, sprache="ar")).results[0]
    assert r["reasons"][0] == "bietet Erziehungsberatung und Elternbildung"
    assert r["reasons"][1] == "zuständig für Sozialraum Konz"
    assert r["reasons"][2].endswith(" km entfernt") and "," in r["reasons"][2]
    assert r["reasons"][3:] == ["0–27 Jahre", "spricht Arabisch", "barrierefrei"]


def test_one_distance_and_one_rounding_in_every_text(directory):
    """The reason ("… km entfernt"), the way hint ("Luftlinie …") and the JSON use the same number."""
    from graph.core.text import km
    from graph.fallsuche.handout import route_hint

    snap = directory.snapshot()
    for ags in list(snap.gazetteer.gemeinden.index)[::7]:
        for r in snap.matcher.find(Query(ags, ("erziehungsberatung", "familienhilfe"), limit=20)).results:
            shown = km(r["distance_km"])
            assert f"{shown} entfernt" in r["reasons"] and f"Luftlinie {shown}" in route_hint(r["distance_km"])
