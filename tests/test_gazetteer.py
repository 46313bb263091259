"""The official geography: 104 Gemeinden, their VG and Sozialraum, look-ups."""

import pytest

from geo.gazetteer import TRIER_AGS, AmbiguousNameError
from graph.errors import NotFoundError

FORMER_KELL_HERMESKEIL = {"Heddert", "Kell am See", "Mandern", "Schillingen", "Waldweiler"}
FORMER_KELL_SAARBURG = {"Baldringen", "Greimerath", "Hentern", "Lampaden", "Paschel", "Schömerich",
                        "Vierherrenborn", "Zerf"}


def test_all_104_gemeinden_each_in_exactly_one_of_four_sozialraeume(gazetteer):
    g = gazetteer.gemeinden
    assert len(g) == 104 and g.index.is_unique
    assert set(g["sozialraum_id"]) == {"konz", "schweich", "hermeskeil", "saarburg"}
    assert g["sozialraum_id"].value_counts().to_dict() == {"schweich": 50, "saarburg": 24, "hermeskeil": 18, "konz": 12}
    assert all(a.startswith("07235") and len(a) == 8 for a in g.index)


def test_six_verbandsgemeinden_2021(gazetteer):
    vg = gazetteer.verbandsgemeinden
    assert sorted(vg["name"]) == ["Hermeskeil", "Konz", "Ruwer", "Saarburg-Kell",
                                  "Schweich an der Römischen Weinstraße", "Trier-Land"]
    assert vg.set_index("name").loc["Saarburg-Kell", "anzahl_gemeinden"] == 29


def test_former_vg_kell_split_between_hermeskeil_and_saarburg(gazetteer):
    g = gazetteer.gemeinden.set_index("name")
    assert set(g.loc[list(FORMER_KELL_HERMESKEIL), "sozialraum_id"]) == {"hermeskeil"}
    assert set(g.loc[list(FORMER_KELL_SAARBURG), "sozialraum_id"]) == {"saarburg"}
    assert set(g.loc[list(FORMER_KELL_HERMESKEIL | FORMER_KELL_SAARBURG), "vg_name"]) == {"Saarburg-Kell"}


def test_population_zensus_2022(gazetteer):
    assert int(gazetteer.gemeinden["einwohner"].sum()) == 147_805
    assert gazetteer.sozialraeume["einwohner"].to_dict() == {"konz": 31_943, "schweich": 67_455,
                                                             "hermeskeil": 20_221, "saarburg": 28_186}
    assert int(gazetteer.gemeinde(TRIER_AGS)["einwohner"]) == 102_727


@pytest.mark.parametrize("text", ["Kell am See", "kell a. see", "KELL  AM SEE", "Kell-am-See", "07235058"])
def test_name_lookup_is_case_umlaut_and_abbreviation_insensitive(gazetteer, text):
    assert gazetteer.resolve(text) == "07235058"


@pytest.mark.parametrize("text,name", [("Föhren", "Föhren"), ("foehren", "Föhren"), ("hinzert-poelert", "Hinzert-Pölert"),
                                       ("Beuren", "Beuren (Hochwald)"), ("Trier", "Trier")])
def test_umlaut_and_suffix_variants(gazetteer, text, name):
    assert gazetteer.gemeinde(gazetteer.resolve(text))["name"] == name


def test_ambiguous_name_lists_candidates(gazetteer):
    with pytest.raises(AmbiguousNameError) as exc:
        gazetteer.resolve("Naurath")
    assert "Naurath (Eifel)" in str(exc.value) and "Naurath (Wald)" in str(exc.value)


def test_unknown_name_suggests_close_spelling(gazetteer):
    with pytest.raises(NotFoundError) as exc:
        gazetteer.resolve("Herneskeil")
    assert "Hermeskeil" in str(exc.value)


def test_plz_lookup_only_when_unambiguous(gazetteer):
    assert gazetteer.resolve("54329") == "07235068"  # Konz has its own PLZ
    assert len(gazetteer.find("54298")) == 4  # Aach, Greimerath, Igel, Welschbillig
    with pytest.raises(AmbiguousNameError):
        gazetteer.resolve("54298")


def test_area_path_and_tokens(gazetteer):
    path = gazetteer.area_path("07235058")
    assert [(a.kind, a.name) for a in path] == [("gemeinde", "Kell am See"), ("vg", "Saarburg-Kell"),
                                                ("sozialraum", "Hermeskeil"), ("kreis", "Landkreis Trier-Saarburg")]
    assert [a.token for a in path] == ["gem:07235058", "vg:072355008", "sr:hermeskeil", "kreis"]
    assert len(gazetteer.gemeinden_in("vg:072355008")) == 29
    assert len(gazetteer.gemeinden_in("sr:hermeskeil")) == 18
    assert len(gazetteer.gemeinden_in("kreis")) == 104
    with pytest.raises(NotFoundError):
        gazetteer.area("sr:trier")


def test_reference_points_lie_inside_their_polygons(gazetteer):
    for ags, row in gazetteer.orte.iterrows():
        assert gazetteer.contains(ags, row["lat"], row["lon"]), row["name"]
    assert gazetteer.locate(54.0, 7.0) is None  # North Sea
