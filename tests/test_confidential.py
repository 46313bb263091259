"""Confidential addresses (Frauenhaus, Schutzstellen): no street and no coordinates anywhere public.

The partner still counts where it serves (coverage by its Gemeinde) and is found by the Fallsuche,
with "Adresse vertraulich – Kontakt über Telefon" instead of the address.
"""

import io
import json
import zipfile

import pandas as pd
import pytest

from geo.maps.markers import partner_points
from graph.abdeckung.coverage import coverage_matrix, resolve_keys
from graph.core.model import CONFIDENTIAL_ADDRESS
from graph.fallsuche.handout import handout_entries, handout_html
from graph.fallsuche.query import build_query
from graph.io.export import export_bytes
from graph.verzeichnis.listing import partner_table


@pytest.fixture
def shelter(directory):
    """The sample's confidential partner: its raw row (with the real street and coordinates) and the snapshot."""
    snap = directory.snapshot()
    rows = snap.raw[snap.raw["adresse_vertraulich"] == "ja"]
    assert len(rows) >= 1
    row = rows.iloc[0].to_dict()
    assert row["strasse"] and row["lat"] and row["lon"]  # the Leitstelle knows the address …
    return row, snap


def _coordinates(row: dict) -> list[str]:
    """The coordinates as they could appear in a file (as stored and as a float)."""
    return [row["lat"], row["lon"], str(float(row["lat"])), str(float(row["lon"]))]


def test_exports_for_publishing_omit_street_and_coordinates(shelter):
    row, snap = shelter
    geo = json.loads(export_bytes(snap, "geojson")[0])
    (feature,) = [f for f in geo["features"] if f["id"] == row["id"]]
    assert feature["geometry"] is None and "strasse" not in feature["properties"]
    assert feature["properties"]["ort"] == row["ort"]  # still findable by its place
    with zipfile.ZipFile(io.BytesIO(export_bytes(snap, "hsds")[0])) as z:
        docs = {n: json.loads(z.read(n)) for n in z.namelist()}
    (location,) = [loc for loc in docs["locations.json"] if loc["name"] == row["name"]]
    assert not {"latitude", "longitude", "addresses"} & set(location)
    text = json.dumps(docs, ensure_ascii=False) + json.dumps(geo, ensure_ascii=False)
    assert row["name"] in text
    for secret in _coordinates(row):
        assert secret not in text, secret


def test_never_on_a_map_but_in_lists_with_the_notice(shelter):
    row, snap = shelter
    points = partner_points(snap.partners, snap.taxonomy, snap.gazetteer)
    assert row["id"] not in {p["id"] for p in points}
    assert not any(coordinate in json.dumps(points) for coordinate in _coordinates(row))
    table = partner_table(snap.partners.loc[[row["id"]]], snap.taxonomy, snap.gazetteer)
    assert table["Straße"].tolist() == [CONFIDENTIAL_ADDRESS]


def test_fallsuche_finds_it_and_the_handout_shows_the_notice(shelter):
    row, snap = shelter
    query = build_query(snap.gazetteer, snap.taxonomy, "Konz", bedarf=["gewaltschutz"], limit=50)
    found = snap.matcher.find(query)
    assert row["id"] in [r["id"] for r in found.results]
    (entry,) = handout_entries(snap.partners, [row["id"]], snap.taxonomy)
    html = handout_html([entry])
    assert entry["adresse"] == CONFIDENTIAL_ADDRESS and row["strasse"] not in html and row["telefon"] in html


def test_coverage_still_counts_it_where_it_serves(shelter):
    row, snap = shelter
    keys = resolve_keys(snap.taxonomy, [], ["gewaltschutz"])
    with_it = coverage_matrix(snap.partners, snap.gazetteer, keys)
    without = coverage_matrix(snap.partners.drop(index=row["id"]), snap.gazetteer, keys)
    served = set(snap.gazetteer.gemeinden_in(row["einzugsgebiet"].split(";")[0]))
    diff = (with_it.set_index("ags")["serving"] - without.set_index("ags")["serving"])
    assert set(diff[diff > 0].index) == served


def test_the_leitstelle_keeps_the_real_address_in_the_data(shelter, directory):
    row, _ = shelter
    stored = pd.read_csv(directory.data_dir / "partners.csv", dtype=str, keep_default_na=False).set_index("id")
    assert stored.at[row["id"], "strasse"] == row["strasse"]
