"""The one "serves" rule (graph/core/areas.py): Einzugsgebiet tokens, the own Gemeinde, the Stadt Trier."""

import numpy as np
import pandas as pd

from graph.core.areas import coordinates, one_hot, served_matrix
from graph.core.model import parse_partners
from graph.services import Directory
from tests.conftest import frame_of, make_partner

KONZ, SAARBURG, KELL, ZERF, TRIER = "07235068", "07235118", "07235058", "07235152", "07211000"


def _serves(directory, partners: pd.DataFrame) -> dict[str, set[str]]:
    matrix = served_matrix(partners, directory.gazetteer).toarray().astype(bool)
    places = np.array(directory.gazetteer.orte.index)
    return {pid: set(places[row]) for pid, row in zip(partners["id"], matrix)}


def test_tokens_own_gemeinde_and_the_kreis(tiny_data):
    d = Directory(tiny_data)
    serves = _serves(d, d.snapshot().partners)
    kreis = set(d.gazetteer.gemeinden.index)
    assert serves["p-000001"] == {KONZ}  # empty Einzugsgebiet: the own Gemeinde
    assert serves["p-000002"] == kreis and TRIER not in serves["p-000002"]  # "kreis" does not include the Stadt Trier
    assert serves["p-000003"] == set(d.gazetteer.gemeinden_in("sr:saarburg")) and ZERF in serves["p-000003"]
    assert serves["p-000004"] == set(d.gazetteer.gemeinden_in("vg:072355008"))  # Kell's VG (status does not matter)
    assert KELL in serves["p-000004"] and KELL not in serves["p-000003"]  # Kell: VG Saarburg-Kell, SR Hermeskeil


def test_several_tokens_unknown_tokens_and_the_stadt_trier(directory):
    partners = parse_partners(frame_of(
        make_partner(id="a", einzugsgebiet=f"gem:{KONZ};gem:{TRIER};gem:{KONZ}"),
        make_partner(id="b", einzugsgebiet="sr:nirgendwo"),
        make_partner(id="c", ags=TRIER, einzugsgebiet="")))
    serves = _serves(directory, partners)
    assert serves == {"a": {KONZ, TRIER}, "b": set(), "c": {TRIER}}


def test_coordinates_fall_back_to_the_gemeinde_point_as_a_pair(directory):
    partners = parse_partners(frame_of(make_partner(id="a", lat="49.7", lon="6.6"),
                                       make_partner(id="b", lat="", lon="6.6"), make_partner(id="c", lat="", lon="")))
    lat, lon = coordinates(partners, directory.gazetteer)
    ref = directory.gazetteer.orte.loc[KONZ]
    assert (lat[0], lon[0]) == (49.7, 6.6)
    assert (lat[1], lon[1]) == (lat[2], lon[2]) == (ref["lat"], ref["lon"])  # never one real, one reference value


def test_one_hot_ignores_codes_outside_the_vocabulary():
    matrix, position = one_hot([("a", "b"), (), ("c",)], ["a", "c"])
    assert position == {"a": 0, "c": 1}
    assert matrix.tolist() == [[True, False], [False, False], [False, True]]
    assert one_hot([("x",), ("y", "x")])[1] == {"x": 0, "y": 1}
