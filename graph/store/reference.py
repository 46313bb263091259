"""Reference data of the data folder, read here and nowhere else: areas, postcodes, taxonomy, operator texts.

Files missing from a custom data folder are taken from the repository's ``data/`` (see
:func:`graph.settings.reference_path`). Reference data is not edited in the app; it stays in
files even when the tables live on Neo4j.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from geo.gazetteer import Gazetteer
from graph import settings
from graph.core.taxonomy import Taxonomy

GEO_LAYERS = ("gemeinden", "verbandsgemeinden", "sozialraeume", "kreis", "stadt-trier")


def load_gazetteer(data_dir: str | Path) -> Gazetteer:
    """The gazetteer from ``geo/`` of the data folder (the shipped one when it has no ``gemeinden.csv``).

    ``geo/`` may exist only for the Ortsteile table (e.g. after ``neo4j-export`` into an empty folder).
    """
    geo = settings.reference_path(Path(data_dir), "geo/gemeinden.csv").parent
    read = lambda name: pd.read_csv(geo / name, dtype=str, keep_default_na=False)
    return Gazetteer(read("gemeinden.csv"), read("plz.csv"), lambda layer: _geojson(str(geo / f"{layer}.geojson")))


def load_taxonomy(data_dir: str | Path) -> Taxonomy:
    """Categories and need tags from ``taxonomie.csv``."""
    path = settings.reference_path(Path(data_dir), "taxonomie.csv")
    return Taxonomy(pd.read_csv(path, dtype=str, keep_default_na=False))


def operator_text(data_dir: str | Path, name: str) -> str:
    """A Markdown text the operator put into the data folder (``""`` if there is none)."""
    path = Path(data_dir) / name
    return path.read_text(encoding="utf-8").strip() if path.is_file() else ""


@lru_cache(maxsize=32)
def _geojson(path: str) -> dict:
    """A GeoJSON file, parsed once per process (callers must not change it)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
