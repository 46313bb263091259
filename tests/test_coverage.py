"""Coverage: serving counts, nearest partner, status, population sums, 2SFCA, what-if.

Small hand-made partner sets on the real gazetteer; expected values come from the area tree
as the DESIGN states it and from independent haversine computations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from geo.distance import EARTH_RADIUS_KM, haversine_km
from graph.abdeckung.coverage import (
    CoverageInput,
    compute,
    coverage_matrix,
    gap_list,
    gaussian_decay,
    resolve_keys,
    sozialraum_summary,
    status_table,
)
from graph.abdeckung.whatif import Hypothetical, what_if
from graph.core.model import parse_partners
from graph.errors import NotFoundError, ValidationError
from tests.conftest import frame_of, make_partner

KONZ, SAARBURG, HERMESKEIL, TRIER = "07235068", "07235118", "07235045", "07211000"
VG_SAARBURG_KELL, VG_HERMESKEIL = "072355008", "072355001"
KM_PER_DEG = EARTH_RADIUS_KM * np.pi / 180


def _partners(*records) -> pd.DataFrame:
    return parse_partners(frame_of(*records))


@pytest.fixture
def three(gazetteer):
    """Beratung in Konz (own Gemeinde), in Saarburg (VG Saarburg-Kell), inactive one in Trier for the Kreis."""
    sb = gazetteer.gemeinde(SAARBURG)
    return _partners(
        make_partner(id="p-1", name="Beratung Konz"),
        make_partner(id="p-2", name="Beratung Saarburg", ags=SAARBURG, plz="54439", ort="Saarburg",
                     lat=f"{sb['lat']:.6f}", lon=f"{sb['lon']:.6f}", einzugsgebiet=f"vg:{VG_SAARBURG_KELL}"),
        make_partner(id="p-3", name="Beratung Trier (inaktiv)", ags=TRIER, plz="54290", ort="Trier",
                     lat="49.7560", lon="6.6410", einzugsgebiet="kreis", aktiv="nein"),
    )


def _row(m: pd.DataFrame, ags: str, key: str = "beratung") -> pd.Series:
    return m[(m["ags"] == ags) & (m["key"] == key)].iloc[0]


def test_serving_counts_follow_einzugsgebiet_and_ignore_inactive(three, gazetteer, taxonomy):
    m = coverage_matrix(three, gazetteer, resolve_keys(taxonomy, ["beratung"]))
    assert len(m) == 104 and set(m["ags"]) == set(gazetteer.gemeinden.index)
    served = set(m.loc[m["serving"] > 0, "ags"])
    vg = set(gazetteer.gemeinden.index[gazetteer.gemeinden["vg_ars"] == VG_SAARBURG_KELL])
    assert served == vg | {KONZ}  # the inactive Kreis-wide partner counts for nobody
    assert m["serving"].max() == 1
    assert (m.loc[m["serving"] > 0, "status"] == "versorgt").all()


def test_nearest_partner_and_distance_from_reference_point(three, gazetteer, taxonomy):
    m = coverage_matrix(three, gazetteer, resolve_keys(taxonomy, ["beratung"]))
    g = gazetteer.gemeinde(HERMESKEIL)
    to_konz = haversine_km(g["lat"], g["lon"], 49.699550, 6.579050)
    to_saarburg = haversine_km(g["lat"], g["lon"], gazetteer.gemeinde(SAARBURG)["lat"], gazetteer.gemeinde(SAARBURG)["lon"])
    row = _row(m, HERMESKEIL)
    assert row["nearest_id"] == ("p-1" if to_konz < to_saarburg else "p-2")
    assert row["nearest_km"] == pytest.approx(min(to_konz, to_saarburg), abs=1e-6)
    assert _row(m, SAARBURG)["nearest_km"] == pytest.approx(0.0, abs=1e-6)


def test_status_served_reachable_not_covered(three, gazetteer, taxonomy):
    keys = resolve_keys(taxonomy, ["beratung"])
    assert keys[0].schwelle_km == 25.0
    m = coverage_matrix(three, gazetteer, keys)
    g = gazetteer.gemeinden
    d = np.minimum(haversine_km(g["lat"], g["lon"], 49.699550, 6.579050),
                   haversine_km(g["lat"], g["lon"], g.at[SAARBURG, "lat"], g.at[SAARBURG, "lon"]))
    expected = pd.Series(np.where(d <= 25.0, "erreichbar", "nicht_versorgt"), index=g.index)
    expected[list(set(m.loc[m["serving"] > 0, "ags"]))] = "versorgt"
    assert m.set_index("ags")["status"].sort_index().equals(expected.sort_index().rename("status"))
    assert {"versorgt", "erreichbar", "nicht_versorgt"} == set(m["status"])


def test_partner_in_trier_is_nearest_but_not_serving(gazetteer, taxonomy):
    trier = _partners(make_partner(id="p-t", ags=TRIER, plz="54290", ort="Trier", lat="49.7560", lon="6.6410",
                                   einzugsgebiet=f"gem:{TRIER}"))
    m = coverage_matrix(trier, gazetteer, resolve_keys(taxonomy, ["beratung"]))
    assert (m["serving"] == 0).all() and (m["nearest_id"] == "p-t").all()
    assert set(m["status"]) <= {"erreichbar", "nicht_versorgt"}


def test_key_without_partners_is_not_covered_everywhere(three, gazetteer, taxonomy):
    m = coverage_matrix(three, gazetteer, resolve_keys(taxonomy, ["polizei"], ["sport"]))
    assert len(m) == 208 and m["nearest_id"].isna().all() and m["nearest_km"].isna().all()
    assert (m["status"] == "nicht_versorgt").all() and (m["zugang"] == 0).all()


def test_tag_keys_match_offers_not_category(gazetteer, taxonomy):
    p = _partners(make_partner(id="p-a", kategorie="verein", angebote="sport;musik-kultur", einzugsgebiet="kreis"))
    m = coverage_matrix(p, gazetteer, resolve_keys(taxonomy, ["verein"], ["sport", "trauerbegleitung"]))
    served = m.groupby("key")["serving"].min()
    assert served["verein"] == 1 and served["sport"] == 1 and m.loc[m["key"] == "trauerbegleitung", "serving"].max() == 0


def test_population_sums_per_sozialraum(three, gazetteer, taxonomy):
    m = coverage_matrix(three, gazetteer, resolve_keys(taxonomy, ["beratung"]))
    s = sozialraum_summary(m).set_index("sozialraum")
    g = gazetteer.gemeinden
    # DESIGN: these five Gemeinden of VG Saarburg-Kell belong to Sozialraum Hermeskeil
    five = g[g["name"].isin(["Heddert", "Kell am See", "Mandern", "Schillingen", "Waldweiler"])]
    assert len(five) == 5
    assert s.at["hermeskeil", "einwohner_versorgt"] == five["einwohner"].sum()
    assert s.at["hermeskeil", "gemeinden_versorgt"] == 5
    assert s.at["konz", "einwohner_versorgt"] == g.at[KONZ, "einwohner"]
    assert s.at["kreis", "einwohner"] == g["einwohner"].sum()
    for sr in ("konz", "schweich", "hermeskeil", "saarburg", "kreis"):
        row = s.loc[sr]
        parts = row["einwohner_versorgt"] + row["einwohner_erreichbar"] + row["einwohner_nicht_versorgt"]
        assert parts == row["einwohner"]
    not_covered = m[(m["sozialraum"] == "hermeskeil") & (m["status"] == "nicht_versorgt")]["einwohner"].sum()
    assert s.at["hermeskeil", "einwohner_nicht_versorgt"] == not_covered > 0


def test_gap_list_ranks_not_covered_first_then_people(three, gazetteer, taxonomy):
    m = coverage_matrix(three, gazetteer, resolve_keys(taxonomy, ["beratung"]))
    bedarfe = pd.DataFrame({"ags": [HERMESKEIL, HERMESKEIL], "bedarf": ["beratung", "sport"]})
    gaps = gap_list(m, bedarfe)
    assert "versorgt" not in set(gaps["status"])
    ranks = gaps["status"].map({"nicht_versorgt": 0, "erreichbar": 1})
    assert ranks.is_monotonic_increasing
    first = gaps[gaps["status"] == "nicht_versorgt"]["einwohner"]
    assert first.is_monotonic_decreasing and gaps.iloc[0]["ags"] == HERMESKEIL  # biggest uncovered town
    assert gaps.iloc[0]["meldungen"] == 1 and gaps["meldungen"].sum() == 1


def test_status_table_is_gemeinde_by_key(three, gazetteer, taxonomy):
    m = coverage_matrix(three, gazetteer, resolve_keys(taxonomy, ["beratung", "kita"], ["erziehungsberatung"]))
    t = status_table(m)
    assert t.shape == (104, 3) and list(t.columns) == ["beratung", "kita", "erziehungsberatung (Bedarf)"]
    assert t.loc[(KONZ, "Konz", "konz"), "beratung"] == "versorgt"


def test_unknown_keys_give_german_errors(taxonomy):
    with pytest.raises(NotFoundError, match="Meinten Sie: kita"):
        resolve_keys(taxonomy, ["kitta"])
    with pytest.raises(NotFoundError, match="„sport“ ist ein Bedarf, keine Kategorie"):
        resolve_keys(taxonomy, ["sport"])
    assert len(resolve_keys(taxonomy)) == len(taxonomy.category_ids) + len(taxonomy.tag_ids)


# ------------------------------------------------------------------ 2SFCA, computed by hand
def _equator(km: list[float]) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(len(km)), np.asarray(km) / KM_PER_DEG


def _input(caps: list[float]) -> CoverageInput:
    """Demand A (0 km, 1000), B (5 km, 2000), C (30 km, 500); supply S1 at A, S2 at B, S3 at C; d0 = 10 km."""
    dlat, dlon = _equator([0, 5, 30])
    plat, plon = _equator([0, 5, 30])
    member = sparse.csr_matrix(np.ones((3, 1), dtype=np.int32))
    served = sparse.csr_matrix(np.eye(3, dtype=np.int32))
    return CoverageInput(dlat, dlon, np.array([1000.0, 2000.0, 500.0]), plat, plon, np.array(caps, float),
                         member, served, np.array([10.0]))


def test_gaussian_decay_endpoints():
    w = gaussian_decay(np.array([0.0, 5.0, 10.0, 12.0]), 10.0)
    g = (np.exp(-1 / 8) - np.exp(-1 / 2)) / (1 - np.exp(-1 / 2))
    assert w == pytest.approx([1.0, g, 0.0, 0.0])


def test_two_step_fca_three_partner_example_by_hand():
    res = compute(_input([10, 20, 5]))
    g = (np.exp(-1 / 8) - np.exp(-1 / 2)) / (1 - np.exp(-1 / 2))  # weight at 5 km of 10 km
    r1 = 10 / (1000 * 1 + 2000 * g)
    r2 = 20 / (1000 * g + 2000 * 1)
    r3 = 5 / 500
    want = 1000 * np.array([r1 + g * r2, g * r1 + r2, r3])
    assert res.zugang[:, 0] == pytest.approx(want, rel=1e-6)
    assert want == pytest.approx([9.3546, 10.3227, 10.0], abs=1e-3)
    # every place lies in some catchment: all capacity is handed out (35 = 10 + 20 + 5)
    assert (res.zugang[:, 0] * [1000, 2000, 500] / 1000).sum() == pytest.approx(35.0)
    assert res.kapazitaet_basis == ["angegeben"]


def test_two_step_fca_unknown_capacity_uses_median_of_known():
    res = compute(_input([10, 20, np.nan]))
    assert res.zugang[2, 0] == pytest.approx(1000 * 15 / 500)  # median(10, 20) = 15 for S3
    assert res.kapazitaet_basis == ["1 von 3 geschätzt (Median)"]
    none_known = compute(_input([np.nan, np.nan, np.nan]))
    assert none_known.zugang[2, 0] == pytest.approx(1000 * 1 / 500)
    assert none_known.kapazitaet_basis[0].startswith("Anzahl Angebote")


def test_core_counts_nearest_status_by_hand():
    res = compute(_input([1, 1, 1]))
    assert res.serving[:, 0].tolist() == [1, 1, 1]
    assert res.nearest[:, 0].tolist() == [0, 1, 2] and np.allclose(res.nearest_km[:, 0], 0, atol=1e-9)
    inp = _input([1, 1, 1])
    inp.served = sparse.csr_matrix(([1], ([0], [0])), shape=(3, 3))  # S1 serves only A
    inp.partner_lat, inp.partner_lon = _equator([0, 5, 100])  # S3 moves away: C is 25 km from S2
    res = compute(inp)
    assert res.serving[:, 0].tolist() == [1, 0, 0]
    assert res.nearest[:, 0].tolist() == [0, 1, 1] and res.nearest_km[2, 0] == pytest.approx(25.0)
    assert res.status[:, 0].tolist() == [0, 1, 2]  # versorgt, erreichbar (0 km ≤ 10), nicht versorgt (25 > 10)


# ------------------------------------------------------------------ what-if
def test_what_if_adding_partner_covers_vg_and_counts_people(three, gazetteer, taxonomy):
    keys = resolve_keys(taxonomy, ["beratung"])
    plan = Hypothetical("beratung", ("erziehungsberatung",), ags=HERMESKEIL, einzugsgebiet=(f"vg:{VG_HERMESKEIL}",))
    w = what_if(three, gazetteer, taxonomy, keys, add=[plan])
    g = gazetteer.gemeinden
    vg = g[g["vg_ars"] == VG_HERMESKEIL]
    now_served = w.changes[w.changes["status_nachher"] == "versorgt"]
    assert set(now_served["ags"]) == set(vg.index) and (now_served["serving_nachher"] == 1).all()
    others = w.changes[w.changes["status_nachher"] != "versorgt"]  # now within 25 km of the new office
    assert len(others) and (others["status_vorher"] == "nicht_versorgt").all()
    assert (others["status_nachher"] == "erreichbar").all() and (others["nearest_km_nachher"] <= 25).all()
    s = w.summary.iloc[0]
    assert s["einwohner_versorgt_aenderung"] == vg["einwohner"].sum()
    assert s["gemeinden_versorgt_aenderung"] == len(vg)
    assert s["einwohner_versorgt_nachher"] - s["einwohner_versorgt_vorher"] == vg["einwohner"].sum()
    assert len(three) == 3 and "plan-1" not in three.index  # the data frame is untouched


def test_what_if_removing_partner(three, gazetteer, taxonomy):
    w = what_if(three, gazetteer, taxonomy, resolve_keys(taxonomy, ["beratung"]), remove=["p-2"])
    vg = gazetteer.gemeinden[gazetteer.gemeinden["vg_ars"] == VG_SAARBURG_KELL]
    assert set(w.changes["ags"]) == set(vg.index)
    assert w.summary.iloc[0]["einwohner_versorgt_aenderung"] == -vg["einwohner"].sum()
    assert (w.changes["status_nachher"] != "versorgt").all()


def test_what_if_point_location_and_errors(three, gazetteer, taxonomy):
    keys = resolve_keys(taxonomy, ["beratung"])
    g = gazetteer.gemeinde(HERMESKEIL)
    w = what_if(three, gazetteer, taxonomy, keys, add=[Hypothetical("beratung", lat=g["lat"], lon=g["lon"])])
    served = w.changes[w.changes["serving_nachher"] > 0]
    assert served["ags"].tolist() == [HERMESKEIL]  # empty Einzugsgebiet = the Gemeinde of the point
    with pytest.raises(ValidationError, match="weder im Landkreis noch in der Stadt Trier"):
        what_if(three, gazetteer, taxonomy, keys, add=[Hypothetical("beratung", lat=52.5, lon=13.4)])
    with pytest.raises(ValidationError, match="Unbekanntes Gebiet"):
        what_if(three, gazetteer, taxonomy, keys, add=[Hypothetical("beratung", ags=KONZ, einzugsgebiet=("sr:mond",))])
    with pytest.raises(NotFoundError, match="p-404"):
        what_if(three, gazetteer, taxonomy, keys, remove=["p-404"])


# ------------------------------------------------------------------ the shipped sample shows the known gaps
def test_sample_data_shows_the_deliberate_gaps(directory):
    snap = directory.snapshot()
    m = coverage_matrix(snap.partners, directory.gazetteer,
                        resolve_keys(directory.taxonomy, [], ["kinder-psychisch-kranker-eltern", "sport"]))
    kipke = m[m["key"] == "kinder-psychisch-kranker-eltern"]
    south = kipke["sozialraum"].isin(["hermeskeil", "saarburg"])
    assert (kipke.loc[south, "serving"] == 0).all() and (kipke.loc[south, "status"] != "versorgt").all()
    assert (kipke.loc[~south, "status"] == "versorgt").all()
    sport = sozialraum_summary(m[m["key"] == "sport"]).set_index("sozialraum")
    assert sport.at["hermeskeil", "gemeinden_versorgt"] == 0 and sport.at["hermeskeil", "gemeinden_nicht_versorgt"] > 0
    assert sport.at["kreis", "anteil_ohne_zustaendiges"] > 50


def test_capacity_column_validation(gazetteer, taxonomy):
    from graph.core.model import validate_partners

    frame = frame_of(make_partner(id="p-1", kapazitaet="25"), make_partner(id="p-2", kapazitaet="-3"),
                     make_partner(id="p-3", kapazitaet="zwölf"), make_partner(id="p-4", kapazitaet=""))
    issues = [(i.row, i.field) for i in validate_partners(frame, gazetteer, taxonomy) if i.level == "fehler"]
    assert issues == [(3, "kapazitaet"), (4, "kapazitaet")]
    older = frame_of(make_partner(id="p-1")).drop(columns=["kapazitaet"])  # files from before the column
    assert not [i for i in validate_partners(older, gazetteer, taxonomy) if i.level == "fehler"]
    typed = parse_partners(frame)
    assert typed.at["p-1", "kapazitaet"] == 25 and np.isnan(typed.at["p-4", "kapazitaet"])
