"""Review states and Änderungsvorschläge (propose → field diff → approve/reject by the Leitstelle)."""

import csv
import io
from datetime import date

import pytest

from graph.core.roles import ANONYMOUS, Actor
from graph.errors import ConflictError, ForbiddenError, NetzwerkError, ValidationError
from graph.pflege.editing import Editor
from graph.pflege.journal import partner_entries
from graph.pflege.proposals import Proposals
from graph.pflege.review import (
    ALLE,
    NIEMAND,
    directory_review,
    due_for_review,
    in_charge_of,
    overdue_csv,
    people_in_charge,
    review_table,
)
from graph.services import Directory
from tests.conftest import frame_of, get_partner, make_partner

LEITSTELLE = Actor("anna", "leitstelle")
NETZWERK = Actor("nina", "netzwerk")
TODAY = date(2026, 11, 26)


def test_review_states_on_hand_made_partners(gazetteer, tmp_path):
    raw = frame_of(
        make_partner(id="p-1", name="Kita Sonnenschein Konz", geprueft_am="2026-10-01"),
        make_partner(id="p-2", name="Kita Sonnenschien Konz", geprueft_am="2025-11-25"),   # typo twin; 366 days
        make_partner(id="p-3", name="Jugendtreff Konz", geprueft_am="2025-11-27",         # 364 days: not yet due
                     lat="49.679703", lon="6.598113"),                                    # = Konz reference point
        make_partner(id="p-4", name="Beratung Konz", geprueft_am="", lat="", lon=""),     # never checked, no coords
        make_partner(id="p-5", name="Alte Beratung", geprueft_am="", aktiv="nein"),      # inactive: never due
    )
    t = review_table(raw, gazetteer, [], TODAY)
    assert list(t.index[t["dublette"]]) == ["p-1", "p-2"] and t.at["p-1", "dublette_von"] == "p-2"
    assert list(t.index[t["faellig"]]) == ["p-2", "p-4"]
    assert list(t.index[t["ungefaehr"]]) == ["p-3", "p-4"]
    assert t.at["p-2", "tage_seit_pruefung"] == 366 and t.at["p-1", "sozialraum"] == "Konz"
    assert "⏰ Prüfung fällig" in t.at["p-2", "status"] and "👥" in t.at["p-2", "status"]


def test_changed_but_not_checked_follows_the_journal(directory):
    editor = Editor(directory, LEITSTELLE)
    editor.update("p-000010", {"telefon": "030 23125 999"}, 1)
    editor.update("p-000011", {"telefon": "030 23125 998"}, 1)
    editor.mark_verified("p-000011", 2)
    entries = partner_entries(Directory(directory.data_dir).store)
    t = review_table(directory.store.read("partners"), directory.gazetteer, entries, date.today())
    assert list(t.index[t["ungeprueft"]]) == ["p-000010"]


def test_due_list_sorted_by_sozialraum(directory):
    t = review_table(directory.store.read("partners"), directory.gazetteer, [], TODAY)
    due = due_for_review(t)
    assert len(due) == int(t["faellig"].sum()) > 0 and due["aktiv"].all()
    assert list(due["sozialraum"]) == sorted(due["sozialraum"])
    oldest = due_for_review(t, sort="geprueft_am")
    assert oldest["geprueft_am"].iloc[0] <= oldest["geprueft_am"].iloc[-1]


def test_pruefliste_by_zustaendigkeit_and_the_overdue_csv_of_one_person(directory):
    """Who checks what: the column, the counts per person, the filter and „my overdue partners“ as CSV."""
    in_charge = directory.store.read("zustaendigkeiten")
    t = review_table(directory.store.read("partners"), directory.gazetteer, [], TODAY, in_charge)
    expected = dict(zip(in_charge["partner"], in_charge["netzwerker"]))
    assert {i: n for i, n in t["zustaendig"].items() if n} == {i: n for i, n in expected.items() if i in t.index}
    counts = people_in_charge(t)
    assert sum(counts.values()) == len(t) and counts.get(NIEMAND, 0) == int((t["zustaendig"] == "").sum())
    person = max((n for n in counts if n != NIEMAND), key=lambda n: int(in_charge_of(t, n)["faellig"].sum()))
    mine = in_charge_of(t, person)
    assert len(mine) == counts[person] and set(mine["zustaendig"]) == {person}
    assert len(in_charge_of(t, ALLE)) == len(t)
    rows = list(csv.DictReader(io.StringIO(overdue_csv(t, person).decode("utf-8-sig")), delimiter=";"))
    assert {r["Kennung"] for r in rows} == set(mine.index[mine["faellig"]]) != set()
    assert {r["Zuständig"] for r in rows} == {person}
    checked = [r["Zuletzt geprüft"] for r in rows]
    dates = [date(int(c[6:]), int(c[3:5]), int(c[:2])) for c in checked if c != "nie"]
    assert checked[:len(checked) - len(dates)] == ["nie"] * (len(checked) - len(dates)) and dates == sorted(dates)
    assert len(list(csv.DictReader(io.StringIO(overdue_csv(t).decode("utf-8-sig")), delimiter=";"))) == int(t["faellig"].sum())


def test_pruefliste_names_only_for_readers_who_may_see_them(directory):
    names = set(directory.store.read("zustaendigkeiten")["netzwerker"])
    seen = directory_review(directory, directory.snapshot().for_reader(LEITSTELLE), TODAY)
    assert set(seen["zustaendig"]) - {""} == names
    anonymous = directory_review(directory, directory.snapshot().for_reader(ANONYMOUS), TODAY)
    assert set(anonymous["zustaendig"]) == {""}


def test_proposal_diff_and_partial_approval(directory):
    proposals = Proposals(directory)
    p = get_partner(directory, "p-000010")
    prop = proposals.propose(NETZWERK, "p-000010", {"telefon": "030 23125 555", "oeffnungszeiten": "Mo–Fr 8–12 Uhr",
                                                   "name": p["name"]}, "Neue Nummer laut Aushang")
    assert get_partner(directory, "p-000010") == p  # nothing changed yet
    diff = proposals.diff(prop["id"]).set_index("feld")
    assert list(diff.index) == ["telefon", "oeffnungszeiten"]  # unchanged fields are not part of the proposal
    assert diff.at["telefon", "aktuell"] == p["telefon"] and diff.at["telefon", "vorgeschlagen"] == "030 23125 555"
    with pytest.raises(ForbiddenError):
        proposals.decide(NETZWERK, prop["id"], accept=True)
    stored = proposals.decide(LEITSTELLE, prop["id"], accept=True, fields=["telefon"], expected_version=1)
    assert stored["telefon"] == "030 23125 555" and stored["oeffnungszeiten"] == p["oeffnungszeiten"]
    assert proposals.all().iloc[0]["status"] == "teilweise"
    (entry,) = Editor(directory, LEITSTELLE).history("p-000010")
    assert entry.aktion == "vorschlag" and entry.quelle == f"vorschlag:{prop['id']}"
    with pytest.raises(NetzwerkError, match="bereits entschieden"):
        proposals.decide(LEITSTELLE, prop["id"], accept=False)


def test_diff_marks_fields_changed_since_the_proposal_and_stale_accept_conflicts(directory):
    proposals = Proposals(directory)
    prop = proposals.propose(NETZWERK, "p-000010", {"telefon": "030 23125 555"}, "")
    Editor(directory, LEITSTELLE).update("p-000010", {"telefon": "030 23125 444"}, 1)
    assert bool(proposals.diff(prop["id"]).at[0, "inzwischen_geaendert"])
    with pytest.raises(ConflictError):
        proposals.decide(LEITSTELLE, prop["id"], accept=True)  # made on version 1, now 2
    assert proposals.open()["id"].tolist() == [prop["id"]]
    proposals.decide(LEITSTELLE, prop["id"], accept=True, expected_version=2)
    assert get_partner(directory, "p-000010")["telefon"] == "030 23125 555"


def test_rejected_proposal_changes_nothing(directory, data_dir):
    before = (data_dir / "partners.csv").read_bytes()
    proposals = Proposals(directory)
    prop = proposals.propose(NETZWERK, "p-000010", {"telefon": "030 23125 555"}, "")
    proposals.decide(LEITSTELLE, prop["id"], accept=False, kommentar="Nummer stimmt nicht")
    assert (data_dir / "partners.csv").read_bytes() == before
    assert proposals.all().iloc[0][["status", "kommentar"]].tolist() == ["abgelehnt", "Nummer stimmt nicht"]


def test_invalid_or_personal_proposals_are_refused(directory):
    proposals = Proposals(directory)
    with pytest.raises(ValidationError) as exc:
        proposals.propose(NETZWERK, "p-000010", {"email": "kaputt"}, "Familie Meier, Tel. 0651 998877, braucht das")
    fields = {i.field for i in exc.value.issues}
    assert fields == {"email", "begruendung"}
    with pytest.raises(ValidationError, match="ändert nichts"):
        proposals.propose(NETZWERK, "p-000010", {}, "")
    assert proposals.all().empty


def test_external_proposals_need_a_sender_and_new_partners_can_be_proposed(directory):
    proposals = Proposals(directory)
    new = make_partner(id="", name="Neue Krabbelgruppe", kategorie="familienbildung", angebote="eltern-kind-gruppe")
    with pytest.raises(ValidationError, match="Namen und Ihre Einrichtung"):
        proposals.propose(ANONYMOUS, "", new, "Gibt es seit Mai")
    prop = proposals.propose(ANONYMOUS, "", new, "Gibt es seit Mai", kontakt="B. Berg, Familienzentrum Konz")
    assert prop["rolle"] == "extern" and prop["von"] == "B. Berg, Familienzentrum Konz"
    stored = proposals.decide(LEITSTELLE, prop["id"], accept=True)
    assert get_partner(directory, stored["id"])["name"] == "Neue Krabbelgruppe"
