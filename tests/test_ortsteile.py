"""Ortsteile: shipped entries name a source; the Leitstelle edits them; every place search knows them."""

import pandas as pd
import pytest

from graph.core.roles import Actor
from graph.errors import ForbiddenError, ValidationError
from graph.pflege.ortsteile import Ortsteile
from graph.services import Directory

ANNA = Actor("anna", "leitstelle")


def test_every_shipped_ortsteil_names_its_source_and_a_gemeinde_of_the_region(directory):
    frame = directory.store.read("ortsteile")
    assert len(frame) > 0 and frame["quelle"].str.strip().ne("").all()
    assert frame["ags"].isin(directory.gazetteer.orte.index).all()
    assert directory.validate()["geo/ortsteile.csv"] == []


def test_leitstelle_adds_and_removes_and_the_search_follows(directory, data_dir):
    ortsteile = Ortsteile(directory.store, directory.gazetteer)
    with pytest.raises(ForbiddenError):
        ortsteile.add(Actor("nina", "netzwerk"), "Merzlich", "07235068", "Ortschronik Konz")
    ortsteile.add(ANNA, "Merzlich", "07235068", "Ortschronik Konz")
    fresh = Directory(data_dir)
    assert fresh.snapshot().gazetteer.resolve("Merzlich") == "07235068"
    assert [e["tabelle"] for e in fresh.store.journal()][-1] == "ortsteile"
    ortsteile.remove(ANNA, "Merzlich", "07235068")
    d = Directory(data_dir)
    with pytest.raises(Exception, match="nicht gefunden"):
        d.snapshot().gazetteer.resolve("Merzlich")


def test_an_ortsteil_needs_a_gemeinde_of_the_region_and_a_source(directory):
    ortsteile = Ortsteile(directory.store, directory.gazetteer)
    with pytest.raises(ValidationError) as exc:
        ortsteile.add(ANNA, "Irgendwo", "01001000", "")
    assert {i.field for i in exc.value.issues} == {"ags", "quelle"}
    assert pd.DataFrame(directory.store.read("ortsteile"))["ortsteil"].ne("Irgendwo").all()
