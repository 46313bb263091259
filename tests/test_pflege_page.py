"""Pflege page via Streamlit AppTest: login, role-dependent sections, form with inline errors, conflicts,
undo, Prüfliste, proposals. The client can never raise its role."""

import csv
from datetime import date

from streamlit.testing.v1 import AppTest

from graph.core.model import next_id
from graph.core.roles import Actor
from graph.pflege.editing import Editor
from graph.pflege.journal import partner_entries
from graph.pflege.proposals import Proposals
from graph.services import Directory
from tests.apptest import click as _click
from tests.apptest import open_page
from tests.conftest import get_partner


def _page(login: str | None = None, password: str | None = None) -> AppTest:
    return open_page("pflege", login, password, timeout=60)


def _section(at: AppTest, role: str, name: str) -> AppTest:
    at.button_group(key=f"pflege_bereich_{role}").set_value(name)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _sections(at: AppTest, role: str) -> list[str]:
    return list(at.button_group(key=f"pflege_bereich_{role}").options)


def _open_partner(at: AppTest, pid: str) -> str:
    _section(at, "leitstelle", "Bearbeiten")
    at.selectbox(key="pflege_partner").set_value(pid)
    at.run()
    return f"pflege_f_{pid}_{get_partner(Directory(None), pid)['version']}"


def test_without_login_only_proposals_and_export(data_dir, users):
    at = _page()
    assert _sections(at, "lesen") == ["Vorschlag machen", "Export"]
    assert any("als Leitstelle Familie anmelden" in i.value for i in at.info)


def test_wrong_password_is_refused(data_dir, users):
    at = _page("anna", "falsch-geraten-1")
    assert any("Benutzername oder Passwort ist falsch" in e.value for e in at.sidebar.error)
    assert _sections(at, "lesen") == ["Vorschlag machen", "Export"]


def _due_by_hand(data_dir) -> int:
    """Active partners never checked or last checked more than a year ago, counted straight from the CSV."""
    today = date.today()
    cutoff = (today.replace(year=today.year - 1, day=28) if (today.month, today.day) == (2, 29)
              else today.replace(year=today.year - 1)).isoformat()
    with open(data_dir / "partners.csv", encoding="utf-8", newline="") as f:
        return sum(r["aktiv"] == "ja" and (not r["geprueft_am"] or r["geprueft_am"] < cutoff) for r in csv.DictReader(f))


def test_roles_see_their_sections(data_dir, users):
    assert _sections(_page("nina"), "netzwerk") == ["Vorschlag machen", "Export", "Verlauf"]
    at = _page("anna")
    assert _sections(at, "leitstelle")[:3] == ["Prüfliste", "Bearbeiten", "Neu anlegen"]
    metrics = {m.label: m.value for m in at.metric}
    due = _due_by_hand(data_dir)
    assert due > 100  # the sample data leaves many partners unchecked; the count moves with the calendar
    assert metrics["⏰ Prüfung fällig"] == str(due)


def test_edit_and_save_is_journaled(data_dir, users):
    at = _page("anna")
    prefix = _open_partner(at, "p-000010")
    assert any("Prüfung fällig" in m.value for m in at.markdown)  # review badge of this partner
    at.text_input(key=f"{prefix}_telefon").input("030 23125 999")
    _click(at, "Speichern")
    at.run()
    assert not at.exception
    assert any("Gespeichert" in s.value for s in at.success)
    assert get_partner(Directory(data_dir), "p-000010")["telefon"] == "030 23125 999"
    (entry,) = partner_entries(Directory(data_dir).store)
    assert entry.benutzer == "anna" and list(entry.aenderungen) == ["telefon"]  # unchanged widgets change nothing
    assert any("geändert, nicht geprüft" in m.value for m in at.markdown)


def test_invalid_input_shows_inline_message_and_saves_nothing(data_dir, users):
    before = (data_dir / "partners.csv").read_bytes()
    at = _page("anna")
    prefix = _open_partner(at, "p-000010")
    at.text_input(key=f"{prefix}_email").input("keine-adresse")
    at.text_input(key=f"{prefix}_alter_von").input("12")
    at.text_input(key=f"{prefix}_alter_bis").input("6")
    _click(at, "Speichern")
    at.run()
    errors = [e.value for e in at.error]
    assert any("bitte korrigieren: Alter von, E-Mail" in e for e in errors)
    assert any("E\\-Mail" in e and "Keine gültige E\\-Mail\\-Adresse" in e for e in errors)
    assert any("größer als" in e for e in errors)
    assert not [e for e in errors if "Zeile" in e]  # inside a form the field is named, not a file line
    assert at.text_input(key=f"{prefix}_email").value == "keine-adresse"  # the input is kept for correction
    assert (data_dir / "partners.csv").read_bytes() == before


def test_concurrent_edit_shows_both_versions_and_merges_on_request(data_dir, users):
    at = _page("anna")
    prefix = _open_partner(at, "p-000010")
    Editor(Directory(data_dir), Actor("bernd", "leitstelle")).update("p-000010", {"telefon": "030 23125 111"}, 1)
    at.text_area(key=f"{prefix}_oeffnungszeiten").input("Mo 9–12 Uhr")
    _click(at, "Speichern")
    at.run()
    assert any("Konflikt" in e.value and "bernd" in e.value for e in at.error)
    table = at.dataframe[0].value.set_index("Feld")
    assert table.at["Telefon", "Jetzt gespeichert"] == "030 23125 111"
    assert table.at["Öffnungszeiten", "Ihre Eingabe"] == "Mo 9–12 Uhr"
    assert get_partner(Directory(data_dir), "p-000010")["oeffnungszeiten"] != "Mo 9–12 Uhr"  # nothing overwritten
    _click(at, "Meine Änderungen auf die gespeicherte Fassung anwenden")
    at.run()
    stored = get_partner(Directory(data_dir), "p-000010")
    assert (stored["telefon"], stored["oeffnungszeiten"], stored["version"]) == ("030 23125 111", "Mo 9–12 Uhr", "3")


def test_verify_deactivate_and_undo_buttons(data_dir, users):
    d = Directory(data_dir)
    original = get_partner(d, "p-000010")["geprueft_am"]
    at = _page("anna")
    _open_partner(at, "p-000010")
    _click(at, "✅ Heute geprüft")
    at.run()
    assert get_partner(d, "p-000010")["geprueft_am"] == date.today().isoformat() != original
    _click(at, "↩️ Letzte Änderung rückgängig machen")
    at.run()
    assert not at.exception and get_partner(d, "p-000010")["geprueft_am"] == original
    _click(at, "Deaktivieren")
    at.run()
    assert get_partner(d, "p-000010")["aktiv"] == "nein"
    assert [e.aktion for e in partner_entries(Directory(data_dir).store)] == ["geprueft", "rueckgaengig", "deaktiviert"]


def test_new_partner_form(data_dir, users):
    at = _section(_page("anna"), "leitstelle", "Neu anlegen")
    prefix = "pflege_f_neu_0"
    at.text_input(key=f"{prefix}_name").input("Jugendtreff Neu")
    at.selectbox(key=f"{prefix}_kategorie").set_value("jugendarbeit")
    at.multiselect(key=f"{prefix}_angebote").set_value(["offene-jugendarbeit"])
    at.selectbox(key=f"{prefix}_ags").set_value("07235068")
    at.text_input(key=f"{prefix}_strasse").input("Brückenstraße 3")
    at.button(key=f"FormSubmitter:{prefix}-Koordinaten aus Adresse bestimmen").click()
    at.run()
    assert at.text_input(key=f"{prefix}_lat").value == "49.679703"  # offline: Gemeinde reference point
    assert any("ausgeschaltet" in i.value for i in at.info)
    fresh = next_id(Directory(data_dir).store.read("partners")["id"])
    _click(at, "Partner anlegen")
    at.run()
    assert any("Angelegt" in s.value and fresh.replace("-", "\\-") in s.value for s in at.success)
    assert get_partner(Directory(data_dir), fresh)["name"] == "Jugendtreff Neu"


def test_proposal_from_network_member_decided_by_leitstelle(data_dir, users):
    at = _section(_page("nina"), "netzwerk", "Vorschlag machen")
    at.selectbox(key="pflege_vorschlag_partner").set_value("p-000010")
    at.run()
    at.multiselect(key="pflege_vorschlag_felder_p-000010").set_value(["telefon"])
    at.run()
    at.text_input(key="pflege_vorschlag_p-000010_0_telefon").input("030 23125 777")
    _click(at, "Vorschlag senden")
    at.run()
    assert any("Danke" in s.value for s in at.success)
    assert get_partner(Directory(data_dir), "p-000010")["telefon"] != "030 23125 777"
    at = _section(_page("anna"), "leitstelle", "Vorschläge prüfen")
    diff = at.dataframe[0].value
    assert diff.iloc[0]["Feld"] == "Telefon" and diff.iloc[0]["Vorgeschlagen"] == "030 23125 777"
    _click(at, "Annehmen")
    at.run()
    assert get_partner(Directory(data_dir), "p-000010")["telefon"] == "030 23125 777"
    assert Proposals(Directory(data_dir)).all().iloc[0]["status"] == "angenommen"


def test_export_and_history_sections_render(data_dir, users):
    at = _section(_page("anna"), "leitstelle", "Export")
    keys = [b.key for b in at.get("download_button")]
    assert keys == [f"pflege_export_veroeffentlichung_{f}" for f in ("csv", "xlsx", "geojson", "hsds")] + [
        "pflege_export_intern_csv", "pflege_export_intern_xlsx"]  # the internal exports for the Leitstelle only
    at = _section(at, "leitstelle", "Verlauf")
    assert any("Noch keine Änderungen" in i.value for i in at.info)


def test_import_preview_all_or_nothing_then_valid_rows_only(data_dir, users):
    from tests.test_import import BROKEN_CSV

    before = (data_dir / "partners.csv").read_bytes()
    at = _section(_page("anna"), "leitstelle", "Import")
    at.file_uploader[0].set_value(("kaputt.csv", BROKEN_CSV.encode("cp1252"), "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["neu"], metrics["fehlerhaft"]) == ("2", "5")
    errors = at.dataframe[0].value
    assert list(zip(errors["Zeile"], errors["Spalte"])) == [(3, "kategorie"), (4, "plz"), (6, "email"),
                                                           (7, "alter_von"), (8, "ags")]
    (go,) = [b for b in at.button if b.key == "pflege_import_los"]
    assert go.disabled  # all or nothing: blocked while there are errors
    at.radio(key="pflege_import_modus").set_value("nur gültige Zeilen übernehmen")
    at.run()
    at.button(key="pflege_import_los").click()
    at.run()
    assert any("Übernommen: 2 neu" in s.value for s in at.success)
    assert (data_dir / "partners.csv").read_bytes() != before
    assert [d.label for d in at.get("download_button")] == ["⬇️ Fehlerhafte Zeilen herunterladen"]


def test_import_offers_likely_duplicates_for_merge(data_dir, users):
    csv = "Name;Kategorie;Straße;PLZ;Ort\nKita Sonnenschien Aach e.V.;kita;Hauptstraße 1;54298;Aach\n"
    at = _section(_page("anna"), "leitstelle", "Import")
    at.file_uploader[0].set_value(("neu.csv", csv.encode(), "text/csv"))
    at.run()
    assert {m.label: m.value for m in at.metric}["neu"] == "1"
    (box,) = [c for c in at.checkbox if "zusammenführen" in c.label]
    assert "Kita Sonnenschein Aach" in box.label
    box.check()
    at.run()
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["neu"], metrics["geändert"]) == ("0", "1")
    at.button(key="pflege_import_los").click()
    at.run()
    d = Directory(data_dir)
    assert len(d.store.read("partners")) == 322 and get_partner(d, "p-000006")["strasse"] == "Hauptstraße 1"


def test_pruefliste_filtered_by_zustaendigkeit(data_dir, users):
    """Choosing a Netzwerkfachkraft shows only her partners; the option says how many there are."""
    in_charge = Directory(data_dir).store.read("zustaendigkeiten")
    person = in_charge["netzwerker"].value_counts().index[0]
    at = _page("anna")
    at.pills(key="pflege_pruef_status").set_value([])  # every state: all active partners
    at.run()
    box = at.selectbox(key="pflege_pruef_zustaendig")
    active = set(Directory(data_dir).store.read("partners").query("aktiv == 'ja'")["id"])
    mine = set(in_charge.loc[in_charge["netzwerker"] == person, "partner"]) & active
    assert f"{person} ({len(mine)})" in box.options
    box.set_value(person)
    at.run()
    shown = at.dataframe[0].value
    assert set(shown["Zuständig"]) == {person} and len(shown) == len(mine)


def test_ortsteile_added_and_removed_by_the_leitstelle_are_found_by_the_place_search(data_dir, users):
    """A new Ortsteil entered in Pflege resolves to its Gemeinde in the place search; removing it undoes that."""
    d = Directory(data_dir)
    orte = d.gazetteer.orte[d.gazetteer.orte["im_kreis"]]
    ags, gemeinde = orte.index[0], orte["name"].iloc[0]
    name = "Zwölfhäuserhof"
    assert name not in set(d.store.read("ortsteile")["ortsteil"])
    at = _section(_page("anna"), "leitstelle", "Ortsteile")
    at.text_input(key="pflege_ortsteil_name").input(name)
    at.selectbox(key="pflege_ortsteil_gemeinde").set_value(ags)
    at.text_input(key="pflege_ortsteil_quelle").input("Hauptsatzung, § 1")
    _click(at, "Eintragen")
    at.run()
    assert not at.exception and any(name in s.value and gemeinde in s.value for s in at.success)
    fresh = Directory(data_dir)
    fresh.snapshot()  # the place search follows the stored Ortsteile
    assert fresh.gazetteer.resolve(name) == ags
    assert [(e["tabelle"], e["benutzer"]) for e in fresh.store.journal()][-1] == ("ortsteile", "anna")
    at.selectbox(key="pflege_ortsteil_weg").set_value(f"{name}|{ags}")
    at.run()
    _click(at, "Entfernen")
    at.run()
    assert name not in set(Directory(data_dir).store.read("ortsteile")["ortsteil"])
