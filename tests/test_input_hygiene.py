"""Every input path stores text in one Unicode form (NFC) and refuses control characters and over-long text.

The attack run stored a 5 MB proposal contact with NUL bytes, and "Jürgen Müller" typed on a Mac
(NFD: u + combining diaeresis) was another string than the same name typed on Windows – the DSGVO
erasure did not find it. The store normalises every row it writes and every table has a validator
that checks every column, so no path can miss either.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pandas as pd
import pytest

from graph.abdeckung.meldungen import BedarfRegister
from graph.cli import main
from graph.core.roles import ANONYMOUS, Actor
from graph.core.tables import TABLES, spec
from graph.errors import ValidationError
from graph.io.importer import apply_import, plan_import
from graph.netzwerk.service import Netzwerkarbeit
from graph.pflege.editing import Editor
from graph.pflege.proposals import Proposals
from graph.services import Directory
from tests.conftest import get_partner

NFC_NAME = "Jürgen Müller"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)
LEITSTELLE = Actor("anna", "leitstelle")
NETZWERK = Actor("nina", "netzwerk")
PARTNER = "p-000010"


def test_the_mac_spelling_is_really_another_string():
    assert NFD_NAME != NFC_NAME and len(NFD_NAME) == len(NFC_NAME) + 2


def test_every_table_has_a_validator(directory):
    assert set(directory.store.validators) == set(TABLES)


def _row(directory: Directory, table: str) -> dict[str, str]:
    """A stored row of the table, or a row of ``x`` where the sample has none."""
    frame = directory.store.read(table)
    if len(frame):
        return {c: str(frame[c].iat[0]) for c in spec(table).columns}
    return {c: "x" for c in spec(table).columns}


@pytest.mark.parametrize("table", list(TABLES))
def test_every_column_of_every_table_refuses_control_characters_and_over_long_text(directory, table):
    base = _row(directory, table)
    s = spec(table)
    for column in s.columns:
        nul = directory.store.check(table, [{**base, column: base[column] + "\x00"}])
        assert any(i.field == column and "Steuerzeichen" in i.message and i.level == "fehler" for i in nul), column
        long = directory.store.check(table, [{**base, column: "a" * (s.limit(column) + 1)}])
        assert any(i.field == column and i.message.startswith("Zu lang") for i in long), column


def test_a_proposal_contact_of_megabytes_with_nul_is_refused_and_nothing_is_stored(directory, data_dir):
    before = (data_dir / "vorschlaege.csv").exists()
    with pytest.raises(ValidationError) as caught:
        Proposals(directory).propose(ANONYMOUS, PARTNER, {"telefon": "030 23125 555"}, "Aushang",
                                     kontakt="A\x00" * 2_500_000)
    fields = {(i.field, i.message.split(" (")[0]) for i in caught.value.issues}
    assert ("kontakt", "Enthält unzulässige Steuerzeichen") in fields and ("kontakt", "Zu lang") in fields
    assert (data_dir / "vorschlaege.csv").exists() == before and directory.store.read("vorschlaege").empty


def test_a_long_reason_is_refused_with_the_limit(directory):
    limit = spec("vorschlaege").limit("begruendung")
    with pytest.raises(ValidationError, match=f"höchstens {limit:,}".replace(",", ".")):
        Proposals(directory).propose(NETZWERK, PARTNER, {"telefon": "030 23125 555"}, "x" * (limit + 1))


def _stored_forms(frame: pd.DataFrame) -> set[str]:
    """Which Unicode forms the name has in a stored table."""
    text = frame.to_csv()
    return {form for form, name in (("NFC", NFC_NAME), ("NFD", NFD_NAME)) if name in text}


def test_the_form_stores_nfc(directory):
    version = int(get_partner(directory, PARTNER)["version"])
    Editor(directory, LEITSTELLE).update(PARTNER, {"ansprechperson": NFD_NAME}, version)
    assert get_partner(directory, PARTNER)["ansprechperson"] == NFC_NAME


def test_the_same_name_in_the_other_form_is_no_change(directory):
    version = int(get_partner(directory, PARTNER)["version"])
    stored = Editor(directory, LEITSTELLE).update(PARTNER, {"ansprechperson": NFC_NAME}, version)
    journal = len(directory.store.journal())
    Editor(directory, LEITSTELLE).update(PARTNER, {"ansprechperson": NFD_NAME}, int(stored["version"]))
    assert len(directory.store.journal()) == journal and get_partner(directory, PARTNER)["version"] == stored["version"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_import_stores_nfc_and_its_preview_shows_no_change_for_the_same_name(directory, fmt):
    from graph.io.tabular import to_csv_bytes, to_xlsx_bytes

    table = pd.DataFrame({"id": [PARTNER], "ansprechperson": [NFD_NAME]})
    data = to_csv_bytes(table) if fmt == "csv" else to_xlsx_bytes({"Partner": table})
    plan = plan_import(data, f"liste.{fmt}", directory)
    assert plan.rows[0].changes["ansprechperson"][1] == NFC_NAME
    apply_import(plan, Editor(directory, LEITSTELLE))
    assert get_partner(directory, PARTNER)["ansprechperson"] == NFC_NAME
    again = plan_import(data, f"liste.{fmt}", directory)
    assert again.rows[0].status == "unveraendert"


def test_proposals_contacts_and_bedarfsmeldungen_store_nfc(directory):
    Proposals(directory).propose(ANONYMOUS, PARTNER, {"ansprechperson": NFD_NAME}, f"Aushang, {NFD_NAME}",
                                 kontakt=f"{NFD_NAME}, Jugendtreff")
    Netzwerkarbeit(directory).assign([PARTNER], "Ju\u0308rgen Weiß", NETZWERK)
    Netzwerkarbeit(directory).add_kontakt({"datum": "2026-01-10", "partner": [PARTNER], "sozialraum": "konz",
                                           "netzwerker": "Ju\u0308rgen Weiß", "art": "Besuch",
                                           "thema": "Ferienangebote für Kinder abgestimmt, Ru\u0308ckfrage"},
                                          NETZWERK, today=date(2026, 2, 1))
    BedarfRegister(directory.store, directory.gazetteer, directory.taxonomy).add(
        {"ags": "07235045", "bedarf": "sport", "text": "Es fehlt ein Sportangebot fu\u0308r Ma\u0308dchen.",
         "datum": "2025-10-01", "quelle": "Workshop"}, NETZWERK)
    assert _stored_forms(directory.store.read("vorschlaege")) == {"NFC"}
    for table in ("kontakte", "zustaendigkeiten", "bedarfe", "vorschlaege"):
        text = directory.store.read(table).to_csv()
        assert text == unicodedata.normalize("NFC", text), table
    assert "Jürgen Weiß" in directory.store.read("zustaendigkeiten")["netzwerker"].tolist()


def test_the_cli_erasure_finds_a_name_typed_in_the_other_form(directory, data_dir, capsys):
    version = int(get_partner(directory, PARTNER)["version"])
    Editor(directory, LEITSTELLE).update(PARTNER, {"ansprechperson": NFC_NAME}, version)
    assert main(["person", "erase", NFD_NAME, "--data", str(data_dir), "--json"]) == 0
    capsys.readouterr()
    assert get_partner(directory, PARTNER)["ansprechperson"] == ""
    assert NFC_NAME not in (data_dir / "journal.jsonl").read_text(encoding="utf-8")


def test_search_texts_have_a_limit(directory):
    from graph.errors import UsageError
    from graph.fallsuche.query import MAX_NEED_TEXT, NeedVocabulary
    from graph.verzeichnis.filters import MAX_SEARCH, PartnerFilter

    with pytest.raises(UsageError, match="Suchtext ist zu lang"):
        PartnerFilter(suche="kita " * (MAX_SEARCH // 5 + 1))
    assert PartnerFilter(suche="k" * MAX_SEARCH).suche
    with pytest.raises(UsageError, match=f"höchstens {MAX_NEED_TEXT} Zeichen"):
        NeedVocabulary(directory.taxonomy).parse(["Hausaufgaben"] * (MAX_NEED_TEXT // 12 + 1))
