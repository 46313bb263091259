"""Access control: every write path of the service layer refuses lower roles on the server side.

One table lists every public method of every service class (write or read, so a new method cannot
slip in unclassified), each write is called with every role below the one it needs (and without
login) — it must raise ``ForbiddenError`` and leave the data folder byte-identical — and with the
role it needs, where it must not be refused. Plus: pages never write files themselves, the
password file holds hashes only, the client cannot raise its role, failed logins are rate-limited.
"""

from __future__ import annotations

import ast
import inspect
import json
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from geo.geocode import Geocoder
from graph.abdeckung.meldungen import BedarfRegister
from graph.auth import MAX_FAILURES, UserStore
from graph.core.roles import ANONYMOUS, ROLES, Actor
from graph.errors import AuthenticationError, ForbiddenError
from graph.io.importer import apply_import, plan_import
from graph.netzwerk.service import Netzwerkarbeit
from graph.pflege.editing import Edit, Editor
from graph.pflege.personen import PersonData
from graph.pflege.proposals import Proposals
from graph.services import Directory
from tests.apptest import APP, PASSWORDS, open_page, unfold
from tests.conftest import get_partner, make_partner
from tests.test_corpus import tree
from views.parts.shared import LOGIN_KEY

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 26)
PARTNER = "p-000010"
KOOP = {"partner_a": "p-000001", "partner_b": "p-000150", "art": "Projekt", "seit": "2026-03-01", "intensitaet": "2"}
KONTAKT = {"datum": "2026-11-20", "partner": ["p-000001"], "sozialraum": "konz", "netzwerker": "Andrea Thiel",
           "art": "Besuch", "thema": "Ferienangebote abgestimmt"}
BEDARF = {"ags": "07235045", "bedarf": "sport", "text": "Es fehlt ein Sportangebot am Nachmittag.",
          "datum": "2026-10-01", "quelle": "Workshop"}
IMPORT_CSV = "name;kategorie;strasse;plz;ort\nNeuer Treff;jugendarbeit;Marktstraße 9;54329;Konz\n".encode()


class World:
    """The services of one data copy, with one open proposal and one user per role."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.d = Directory(data_dir)
        self.users = UserStore(self.d.store)
        for name, rolle in (("anna", "leitstelle"), ("nina", "netzwerk"), ("lea", "lesen")):
            self.users.add(Actor("cli:test", "admin"), name, rolle, f"{name}-passwort-123")
        self.nw = Netzwerkarbeit(self.d)
        Editor(self.d, Actor("anna", "leitstelle")).update(PARTNER, {"notizen": "geprüft"}, self.version())  # to undo
        self.proposal = Proposals(self.d).propose(Actor("nina", "netzwerk"), PARTNER, {"telefon": "030 23125 555"},
                                                  "Neue Nummer laut Aushang")["id"]
        self.koop = self.d.store.read("kooperationen").iloc[0].to_dict()
        self.kontakt = self.nw.snapshot().kontakte.iloc[0].to_dict()

    def version(self) -> int:
        return int(get_partner(self.d, PARTNER)["version"])


Call = Callable[[World, Actor], object]
#: (service, method) → (role needed, a call that is valid for that role)
WRITES: dict[tuple[str, str], tuple[str, Call]] = {
    ("Editor", "add"): ("leitstelle", lambda w, a: Editor(w.d, a).add(make_partner(id="", name="Neu"))),
    ("Editor", "update"): ("leitstelle", lambda w, a: Editor(w.d, a).update(PARTNER, {"telefon": "030 23125 999"},
                                                                            w.version())),
    ("Editor", "deactivate"): ("leitstelle", lambda w, a: Editor(w.d, a).deactivate(PARTNER, w.version())),
    ("Editor", "reactivate"): ("leitstelle", lambda w, a: Editor(w.d, a).reactivate(PARTNER, w.version())),
    ("Editor", "mark_verified"): ("leitstelle", lambda w, a: Editor(w.d, a).mark_verified(PARTNER, w.version())),
    ("Editor", "update_many"): ("leitstelle", lambda w, a: Editor(w.d, a).update_many(
        [Edit(PARTNER, {"notizen": "x"}, w.version())])),
    ("Editor", "undo_last"): ("leitstelle", lambda w, a: Editor(w.d, a).undo_last(PARTNER, w.version())),
    ("Editor", "geocode"): ("leitstelle", lambda w, a: Editor(w.d, a).geocode(
        [PARTNER], Geocoder.from_settings(w.d.gazetteer, w.d.store))),
    ("Editor", "commit"): ("leitstelle", lambda w, a: Editor(w.d, a).commit([make_partner(id="")], [], aktion="import",
                                                                            quelle="x")),
    ("import", "apply_import"): ("leitstelle", lambda w, a: apply_import(plan_import(IMPORT_CSV, "x.csv", w.d),
                                                                        Editor(w.d, a))),
    ("Proposals", "decide"): ("leitstelle", lambda w, a: Proposals(w.d).decide(a, w.proposal, accept=False)),
    ("Netzwerkarbeit", "add_kooperation"): ("netzwerk", lambda w, a: w.nw.add_kooperation(KOOP, a)),
    ("Netzwerkarbeit", "update_kooperation"): ("netzwerk", lambda w, a: w.nw.update_kooperation(
        w.koop["id"], {"intensitaet": "3"}, w.koop, a)),
    ("Netzwerkarbeit", "end_kooperation"): ("netzwerk", lambda w, a: w.nw.end_kooperation(
        w.koop["id"], TODAY, w.koop, a)),
    ("Netzwerkarbeit", "add_kontakt"): ("netzwerk", lambda w, a: w.nw.add_kontakt(KONTAKT, a, TODAY)),
    ("Netzwerkarbeit", "delete_kontakt"): ("netzwerk", lambda w, a: w.nw.delete_kontakt(
        w.kontakt["id"], w.kontakt, a)),
    ("Netzwerkarbeit", "assign"): ("netzwerk", lambda w, a: w.nw.assign([PARTNER], "Andrea Thiel", a)),
    ("Netzwerkarbeit", "save_text"): ("netzwerk", lambda w, a: w.nw.save_text("konz", 2026, "erfolge", "Text", 0, a)),
    ("Netzwerkarbeit", "save_texts"): ("netzwerk", lambda w, a: w.nw.save_texts(
        "konz", None, {"besonderheiten": ("Text", 0)}, a)),
    ("BedarfRegister", "add"): ("netzwerk", lambda w, a: w.d.bedarfe.add(BEDARF, a)),
    ("BedarfRegister", "report_gap"): ("netzwerk", lambda w, a: w.d.bedarfe.report_gap(
        a, BEDARF["ags"], ["sport"], today=TODAY)),
    ("UserStore", "add"): ("admin", lambda w, a: w.users.add(a, "neu", "lesen", "ein-langes-passwort")),
    ("UserStore", "set_password"): ("admin", lambda w, a: w.users.set_password(a, "lea", "ein-neues-passwort")),
    ("UserStore", "set_role"): ("admin", lambda w, a: w.users.set_role(a, "lea", "admin")),
    ("UserStore", "remove"): ("admin", lambda w, a: w.users.remove(a, "lea")),
    ("PersonData", "export"): ("leitstelle", lambda w, a: PersonData(w.d, a).export("Sarah Becker")),
    ("PersonData", "erase"): ("leitstelle", lambda w, a: PersonData(w.d, a).erase("Sarah Becker")),
}
#: Public methods that write nothing, or are open to everyone by design (see the tests below).
READS = {
    "Editor": {"check", "history"}, "Proposals": {"token", "all", "open", "diff", "propose"},
    "Netzwerkarbeit": {"token", "snapshot", "annual_report", "texte_token", "texte", "profile"}, "BedarfRegister": {"load", "token", "validate"},
    "UserStore": {"users", "has_users", "current", "authenticate"}, "PersonData": {"find"},
}
SERVICES = {"Editor": Editor, "Proposals": Proposals, "Netzwerkarbeit": Netzwerkarbeit, "BedarfRegister": BedarfRegister,
            "UserStore": UserStore, "PersonData": PersonData}


@pytest.fixture
def world(data_dir) -> World:
    return World(data_dir)


def test_every_public_service_method_is_classified():
    for name, cls in SERVICES.items():
        public = {m for m, _ in inspect.getmembers(cls, inspect.isfunction) if not m.startswith("_")}
        writes = {m for (s, m) in WRITES if s == name}
        assert public == writes | READS[name], f"{name}: nicht eingeordnet {public ^ (writes | READS[name])}"


def _below(needed: str) -> list[Actor]:
    """Every weaker actor: the roles below ``needed``, anonymous, no role, an unknown role."""
    return ([Actor(f"x-{r}", r) for r in ROLES[: ROLES.index(needed)]]
            + [ANONYMOUS, Actor("ohne", None), Actor("ohne", ""), Actor("gast", "gast")])


@pytest.mark.parametrize("key", sorted(WRITES), ids=lambda k: ".".join(k))
def test_write_path_refuses_weaker_roles_and_admits_the_needed_one(world, key):
    needed, call = WRITES[key]
    before = tree(world.data_dir)
    for actor in _below(needed):
        with pytest.raises(ForbiddenError):
            call(world, actor)
        assert tree(world.data_dir) == before, f"{actor} hat geschrieben"
    call(world, Actor("berechtigt", needed))  # the needed role does it (the call is real, not refused early)


def test_proposals_from_readers_never_touch_the_directory(world):
    own = ("vorschlaege.csv", "journal.jsonl")
    before = {n: h for n, h in tree(world.data_dir).items() if n not in own}
    journal = len(world.d.store.journal())
    Proposals(world.d).propose(ANONYMOUS, PARTNER, {"telefon": "030 23125 777"}, "Nummer geändert",
                               kontakt="Kita-Leitung Beuren")
    assert {n: h for n, h in tree(world.data_dir).items() if n not in own} == before
    assert [e["tabelle"] for e in world.d.store.journal()[journal:]] == ["vorschlaege"]  # the proposal, journaled
    assert get_partner(world.d, PARTNER)["telefon"] != "030 23125 777"


FILE_WRITES = {"write_bytes", "save_text", "atomic_write_bytes", "to_csv", "to_excel", "unlink", "mkdir", "rmtree",
               "upsert_many"}
STORAGE = {"store", "table", "journal", "partners", "kooperationen"}
CONSTRUCTORS = {"open", "CsvTable", "FileStore", "Journal", "atomic_write_bytes"}


def _writes(tree_: ast.AST) -> list[tuple[int, str]]:
    """Calls in a module that write files or reach storage directly."""
    found = []
    for node in ast.walk(tree_):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name) and f.id in CONSTRUCTORS:
            found.append((node.lineno, f.id))
        elif isinstance(f, ast.Attribute):
            owner = f.value.attr if isinstance(f.value, ast.Attribute) else getattr(f.value, "id", "")
            if f.attr in FILE_WRITES or (owner in STORAGE or owner.endswith("_table")) and f.attr in (
                    "write", "add", "update", "deactivate", "append", "redact"):
                found.append((node.lineno, f"{owner}.{f.attr}"))
    return sorted(found)


def test_pages_never_write_files_themselves():
    """Views reach the data only through the role-checked services (no file or store writes in views/)."""
    found = [f"{p.name}:{line} {what}" for p in sorted((REPO / "views").rglob("*.py"))
             for line, what in _writes(ast.parse(p.read_text(encoding="utf-8")))]
    assert not found, found
    assert _writes(ast.parse("d.store.update(x)\nCsvTable(p).write(f)\nself.kontakte_table.write(f)")) == [
        (1, "store.update"), (2, "CsvTable"), (3, "kontakte_table.write")]  # the check itself can fail


def test_password_file_holds_hashes_only(world):
    text = (world.data_dir / "users.json").read_text(encoding="utf-8")
    users = json.loads(text)["users"]
    assert {u["name"] for u in users} == {"anna", "nina", "lea"}
    assert all(u["hash"].startswith("$argon2id$") and set(u) <= {"name", "rolle", "hash", "angelegt_am",
                                                                 "geaendert_am", "geaendert_von", "sitzung"}
               for u in users)
    with pytest.raises(AuthenticationError):
        world.users.authenticate("anna", "falsch-falsch-falsch")
    world.users.authenticate("anna", "anna-passwort-123")
    for path in world.data_dir.rglob("*"):  # no password anywhere in the data folder, not even a failed one
        if path.is_file():
            data = path.read_bytes()
            assert b"passwort-123" not in data and b"falsch-falsch" not in data, path
    assert (world.data_dir / "users.json").stat().st_mode & 0o077 == 0


def test_session_state_cannot_raise_the_role(data_dir, users):
    """A forged session (name + role, no session stamp of a login) counts as not logged in."""
    from streamlit.testing.v1 import AppTest

    from views.parts.shared import AUTH_KEY, AUTH_SEEN_KEY

    for forged in (Actor("nina", "admin"), Actor("mallory", "admin")):
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state[AUTH_KEY] = forged
        at.session_state[AUTH_SEEN_KEY] = time.time()  # a live session, not an idle one
        at.query_params["rolle"] = "admin"
        at.query_params[AUTH_KEY] = "anna"
        at.run()
        at.switch_page("views/pflege.py")
        at.run()
        assert not at.exception
        assert list(at.button_group(key="pflege_bereich_lesen").options) == ["Vorschlag machen", "Export"]
        assert not [b for b in at.button_group if b.key == "pflege_bereich_admin"]


def test_failed_logins_are_rate_limited_in_the_app(data_dir, users):
    at = open_page("pflege")
    for _ in range(MAX_FAILURES):
        at = _login(at, "anna", "falsch-geraten-1")
        assert any("Benutzername oder Passwort ist falsch" in e.value for e in at.sidebar.error)
    at = _login(at, "anna", PASSWORDS["anna"])  # the right password, but too late
    assert any("Zu viele Fehlversuche" in e.value for e in at.sidebar.error)
    assert list(at.button_group(key="pflege_bereich_lesen").options) == ["Vorschlag machen", "Export"]
    other = _login(open_page("pflege"), "nina", PASSWORDS["nina"])  # other names are not locked
    assert not other.sidebar.error and "nina" in " ".join(c.value for c in other.sidebar.caption)


def _login(at, name: str, password: str):
    unfold(at, LOGIN_KEY)
    at.sidebar.text_input(key="auth_name").input(name)
    at.sidebar.text_input(key="auth_password").input(password)
    (button,) = [b for b in at.sidebar.button if b.label == "Anmelden"]
    button.click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
