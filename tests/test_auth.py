"""Users file with argon2 hashes, login with rate limiting, the `user` CLI (password never in argv)."""

import io
import json
import threading
import time

import pytest

from graph.auth import MAX_FAILURES, MAX_NAME_LENGTH, MAX_TRACKED, Throttle, UserStore
from graph.cli import main
from graph.core.roles import ANONYMOUS, Actor, cli_actor
from graph.errors import AuthenticationError, ForbiddenError, UsageError, ValidationError
from graph.services import Directory
from graph.store.files import FileStore

ADMIN = Actor("chefin", "admin")


class Clock:
    def __init__(self):
        self.t = 1_000_000.0

    def __call__(self):
        return self.t


@pytest.fixture
def users(tmp_path):
    clock = Clock()
    store = UserStore(FileStore(tmp_path), clock=clock)
    store.add(ADMIN, "Anna", "leitstelle", "korrekt-pferd-batterie")
    return store, clock


def test_password_stored_only_as_argon2_hash(users, tmp_path):
    store, _ = users
    text = (tmp_path / "users.json").read_text()
    assert "korrekt-pferd-batterie" not in text
    (user,) = json.loads(text)["users"]
    assert user["name"] == "anna" and user["rolle"] == "leitstelle" and user["hash"].startswith("$argon2id$")
    assert (tmp_path / "users.json").stat().st_mode & 0o077 == 0  # readable by the owner only
    assert store.users() == [{k: v for k, v in user.items() if k not in ("hash", "sitzung")}]


def test_login_gives_the_role_and_wrong_password_is_refused(users):
    store, _ = users
    assert store.authenticate("ANNA ", "korrekt-pferd-batterie") == Actor("anna", "leitstelle")
    with pytest.raises(AuthenticationError, match="Benutzername oder Passwort ist falsch"):
        store.authenticate("anna", "falsch-falsch")
    with pytest.raises(AuthenticationError, match="Benutzername oder Passwort ist falsch"):
        store.authenticate("niemand", "korrekt-pferd-batterie")  # same answer for unknown names


def test_too_many_failures_lock_the_name_even_for_the_right_password(users):
    store, clock = users
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthenticationError):
            store.authenticate("anna", "rate-mal-weiter")
        clock.t += 10
    with pytest.raises(AuthenticationError, match="Zu viele Fehlversuche"):
        store.authenticate("anna", "korrekt-pferd-batterie")
    clock.t += 16 * 60  # lock expires
    assert store.authenticate("anna", "korrekt-pferd-batterie").rolle == "leitstelle"


def test_a_name_locked_from_one_client_still_logs_in_from_another(users):
    """Guessing from one computer must not lock the person out of the office (login names are no secret)."""
    store, _ = users
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthenticationError):
            store.authenticate("anna", "rate-mal-weiter", client="10.0.0.66")
    with pytest.raises(AuthenticationError, match="Zu viele Fehlversuche"):
        store.authenticate("anna", "korrekt-pferd-batterie", client="10.0.0.66")
    assert store.authenticate("anna", "korrekt-pferd-batterie", client="10.0.0.5").name == "anna"


def test_sixteen_concurrent_wrong_logins_leave_the_right_one_through_in_under_two_seconds(tmp_path):
    """The attack run: 16 parallel wrong logins made the correct login wait 30 s and fail (a lock was held while
    argon2 hashed, and the name was locked for everyone).

    Now no lock is held while hashing, the name stays open to other clients, and one client runs at most
    ``MAX_CONCURRENT_CHECKS`` password check at a time – the other guesses are refused without hashing.
    The 2 s bound is the issue's: one argon2 check takes about 0.1 s on an idle core and up to 0.6 s on the
    two heavily shared cores of the test machine; the correct login runs beside at most one guess, so it needs
    about one check's time – serialised behind 16 checks it needed 2–10 s even before the lock-out.
    """
    store = UserStore(FileStore(tmp_path))
    store.add(ADMIN, "anna", "leitstelle", "korrekt-pferd-batterie")
    start = threading.Barrier(17)
    answers: list[str] = []

    def guess() -> None:
        start.wait()
        try:
            store.authenticate("anna", "falsch-geraten-123", client="10.0.0.66")
        except AuthenticationError as exc:
            answers.append(str(exc))

    threads = [threading.Thread(target=guess) for _ in range(16)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    actor = store.authenticate("anna", "korrekt-pferd-batterie", client="10.0.0.5")
    elapsed = time.perf_counter() - t0
    for t in threads:
        t.join()
    assert actor.name == "anna" and store.current(actor).rolle == "leitstelle"
    assert elapsed < 2.0, f"correct login took {elapsed:.2f} s"
    assert len(answers) == 16 and all("falsch" in a or "einen Moment warten" in a for a in answers)


def test_the_table_of_failed_logins_stays_bounded_and_stores_no_long_names(users):
    store, _ = users
    with pytest.raises(AuthenticationError):
        store.authenticate("x" * 10_000_000, "egal-egal-egal", client="10.0.0.66")  # a 10 MB login name
    assert max(len(k) for k in store.throttle.tracked()) <= len("10.0.0.66") + 1 + MAX_NAME_LENGTH + 1
    throttle = Throttle(lambda: 1_000.0)
    for i in range(2 * MAX_TRACKED):
        throttle.fail(f"10.0.{i // 250}.{i % 250}\x00name{i}")
    assert len(throttle) == MAX_TRACKED and throttle.tracked()[0].endswith(f"name{MAX_TRACKED}")  # oldest dropped


def test_success_resets_the_failure_count(users):
    store, _clock = users
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(AuthenticationError):
            store.authenticate("anna", "vertippt-123")
    store.authenticate("anna", "korrekt-pferd-batterie")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(AuthenticationError):
            store.authenticate("anna", "vertippt-123")
    assert store.authenticate("anna", "korrekt-pferd-batterie").name == "anna"


def test_user_management_needs_admin(users):
    store, _ = users
    leitstelle = Actor("anna", "leitstelle")
    with pytest.raises(ForbiddenError):
        store.add(leitstelle, "bernd", "admin", "ein-langes-passwort")
    with pytest.raises(ForbiddenError):
        store.set_role(leitstelle, "anna", "admin")
    with pytest.raises(ForbiddenError):
        store.set_password(leitstelle, "chefin", "ein-langes-passwort")
    with pytest.raises(ForbiddenError):
        store.remove(ANONYMOUS, "anna")
    store.set_password(leitstelle, "anna", "mein-neues-passwort")  # own password is allowed
    assert store.authenticate("anna", "mein-neues-passwort").name == "anna"


def test_role_and_password_changes_end_running_sessions_and_removal_too(users):
    store, _ = users
    session = store.authenticate("anna", "korrekt-pferd-batterie")
    assert store.current(session) == Actor("anna", "leitstelle")
    store.set_role(ADMIN, "anna", "netzwerk")
    assert store.current(session) == ANONYMOUS  # logged out: the next login gets the new role
    session = store.authenticate("anna", "korrekt-pferd-batterie")
    assert store.current(session) == Actor("anna", "netzwerk")
    other = store.authenticate("anna", "korrekt-pferd-batterie")  # a second browser
    own = store.set_password(session, "anna", "ein-neues-passwort-1")
    assert store.current(own) == Actor("anna", "netzwerk")  # the changing session goes on …
    assert store.current(other) == ANONYMOUS  # … every other one ends
    store.remove(ADMIN, "anna")
    assert store.current(own) == ANONYMOUS


def test_a_forged_session_without_the_login_stamp_counts_as_anonymous(users):
    store, _ = users
    assert store.current(Actor("anna", "leitstelle")) == ANONYMOUS


def test_password_policy_and_names(users):
    store, _ = users
    with pytest.raises(ValidationError, match="mindestens 10 Zeichen"):
        store.add(ADMIN, "bernd", "netzwerk", "kurz")
    with pytest.raises(UsageError, match="Ungültiger Benutzername"):
        store.add(ADMIN, "b ernd", "netzwerk", "ein-langes-passwort")
    with pytest.raises(UsageError, match="Unbekannte Rolle"):
        store.add(ADMIN, "bernd", "gott", "ein-langes-passwort")
    with pytest.raises(UsageError, match="gibt es schon"):
        store.add(ADMIN, "ANNA", "netzwerk", "ein-langes-passwort")


def test_cli_user_add_reads_the_password_from_stdin(data_dir, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("sicheres-passwort-1\n"))
    assert main(["user", "add", "Carla", "--rolle", "netzwerk", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["user"]["name"] == "carla" and "hash" not in doc["user"]
    store = UserStore(Directory(data_dir).store)
    assert store.authenticate("carla", "sicheres-passwort-1") == Actor("carla", "netzwerk")
    assert main(["user", "list", "--json"]) == 0
    assert [u["name"] for u in json.loads(capsys.readouterr().out)["users"]] == ["carla"]


def test_cli_refuses_password_arguments_and_empty_stdin(data_dir, monkeypatch, capsys):
    assert main(["user", "add", "dora", "--rolle", "netzwerk", "--passwort", "x" * 12]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["user", "add", "dora", "--rolle", "netzwerk"]) == 2
    assert "Kein Passwort" in capsys.readouterr().err
    assert not (data_dir / "users.json").exists()


def test_cli_actor_is_admin():
    assert cli_actor().rolle == "admin" and cli_actor().name.startswith("cli:")
