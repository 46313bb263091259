"""Free-text needs → tags (synonyms, umlauts, typos, compounds) and resolving the Lotse's input."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.gazetteer import AmbiguousNameError
from graph.core.taxonomy import Taxonomy
from graph.errors import NotFoundError, UsageError
from graph.fallsuche.query import NeedVocabulary, build_query, language_code


@pytest.fixture(scope="module")
def vocab(taxonomy):
    return NeedVocabulary(taxonomy)


@pytest.mark.parametrize("text,tags", [
    ("Hebamme", ("familienhebamme",)),
    ("Hausaufgaben", ("hausaufgabenhilfe",)),
    ("Sportverein", ("sport",)),
    ("Fußball", ("sport",)),
    ("FUSSBALL", ("sport",)),
    ("Fußballverein", ("sport",)),             # compound of a known word
    ("Nachmittagsbetreuung", ("kinderbetreuung",)),
    ("Hausaufgabn", ("hausaufgabenhilfe",)),  # typos
    ("Hebame", ("familienhebamme",)),
    ("Fusball", ("sport",)),
    ("Erzihungsberatung", ("erziehungsberatung",)),
    ("Fruehe Hilfen", ("fruehe-hilfen",)),     # umlaut spelt out
    ("frühe hilfen", ("fruehe-hilfen",)),
    ("Hilfe bei häuslicher Gewalt", ("gewaltschutz",)),
    ("Kinder psychish kranker Eltern", ("kinder-psychisch-kranker-eltern",)),
    ("kinder-psychisch-kranker-eltern", ("kinder-psychisch-kranker-eltern",)),  # tag id
    ("Hausaufgaben, Fußball", ("hausaufgabenhilfe", "sport")),
    ("Erziehungsfragen und Elternkurs", ("erziehungsberatung", "elternbildung")),
])
def test_words_map_to_tags(vocab, text, tags):
    got = vocab.parse(text)
    assert got.tags == tags and got.unknown == ()


def test_several_entries_keep_order_and_drop_duplicates(vocab):
    got = vocab.parse(["Fußball", "Hausaufgaben", "Sportverein"])
    assert got.tags == ("sport", "hausaufgabenhilfe")
    assert ("Sportverein", "sport") in got.recognised


def test_filler_words_are_skipped_and_unknown_words_reported(vocab):
    assert vocab.parse("Hilfe für das Kind") == vocab.parse("")
    got = vocab.parse("Zirkus und Hebamme")
    assert got.tags == ("familienhebamme",) and got.unknown == ("Zirkus",)


def test_short_or_distant_words_are_not_guessed(vocab):
    assert vocab.parse("Schule").unknown == ("Schule",)   # not Schulden (two edits away)
    assert vocab.parse("Kit").unknown == ("Kit",)         # short words must match exactly


def test_unknown_message_hints_at_categories_and_close_labels(vocab):
    text = vocab.unknown_message(["Polizei", "Hausaufgabenhlfe xyz"])
    assert "„Polizei“ ist eine Kategorie" in text and "--kategorie polizei" in text
    assert "Bekannte Bedarfe:" in text and "Hausaufgabenhilfe" in text


def test_synonyms_come_from_the_taxonomy_file(taxonomy):
    frame = taxonomy.kategorien.reset_index(drop=True)
    tags = taxonomy.angebote.reset_index(drop=True).copy()
    tags.loc[tags["id"] == "musik-kultur", "synonyme"] += ";Zirkus"
    extended = Taxonomy(pd.concat([frame, tags], ignore_index=True))
    assert NeedVocabulary(extended).parse("Zirkus").tags == ("musik-kultur",)


@pytest.mark.parametrize("text,code", [("ar", "ar"), ("AR", "ar"), ("Arabisch", "ar"), ("türkisch", "tr"),
                                       ("Tuerkisch", "tr"), ("Ukrainisch", "uk")])
def test_language_names_and_codes(text, code):
    assert language_code(text) == code


def test_unknown_language_is_a_german_error():
    with pytest.raises(NotFoundError, match="Unbekannte Sprache „Arabish“.*Arabisch"):
        language_code("Arabish")


def test_build_query_resolves_everything(gazetteer, taxonomy):
    q = build_query(gazetteer, taxonomy, "kell a. see", ["Hausaufgaben, Fußball"], kategorie="Erziehungsberatung",
                    alter=7, sprache="Arabisch", barrierefrei=True, umkreis_km=15, limit=5)
    assert (q.ags, q.tags, q.kategorie, q.alter, q.sprache, q.barrierefrei, q.umkreis_km, q.limit) == (
        "07235058", ("hausaufgabenhilfe", "sport"), "erziehungsberatung", 7, "ar", True, 15, 5)


@pytest.mark.parametrize("kwargs,error,text", [
    ({"gemeinde": "Tawer"}, NotFoundError, "Meinten Sie: Tawern"),
    ({"gemeinde": "Naurath"}, AmbiguousNameError, "mehrdeutig"),
    ({"gemeinde": "Konz", "bedarf": ["Zirkus"]}, NotFoundError, "Bedarf nicht erkannt: „Zirkus“"),
    ({"gemeinde": "Konz", "kategorie": "zirkus"}, NotFoundError, "Unbekannte Kategorie „zirkus“"),
    ({"gemeinde": "Konz", "alter": 120}, UsageError, "zwischen 0 und 99"),
    ({"gemeinde": "Konz", "umkreis_km": 0}, UsageError, "Umkreis"),
    ({"gemeinde": "Konz", "limit": 0}, UsageError, "--limit"),
])
def test_build_query_errors_are_german(gazetteer, taxonomy, kwargs, error, text):
    with pytest.raises(error, match=text):
        build_query(gazetteer, taxonomy, **kwargs)


@pytest.mark.parametrize("text,tag", [
    ("Erziehungsbeistand", "erziehungsbeistand"),  # one letter from "Erziehungsberatung": the exact synonym wins
    ("Erziehungsberatung", "erziehungsberatung"),
    ("SPFH", "familienhilfe"), ("sozialpädagogische Familienhilfe", "familienhilfe"),
    ("JGH", "jugendgerichtshilfe"), ("Tagesgruppe", "tagesgruppe"), ("Pflegefamilie", "vollzeitpflege"),
    ("soziale Gruppenarbeit", "soziale-gruppenarbeit"), ("junge Volljährige", "junge-volljaehrige"),
    ("Situationsklärung", "erstberatung"),
])
def test_hilfen_zur_erziehung_are_found_exactly(vocab, text, tag):
    m = vocab.parse(text)
    assert m.tags == (tag,) and m.guessed == () and m.unknown == ()


def test_typo_matches_are_marked_as_guesses_and_exact_words_are_not(vocab):
    m = vocab.parse("Erzihungsbeistand, Hausaufgaben")
    assert m.tags == ("erziehungsbeistand", "hausaufgabenhilfe")
    assert m.guessed == (("Erzihungsbeistand", "erziehungsbeistand"),)
