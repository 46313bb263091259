"""Helpers shared by the pages: cached directory/snapshot, login and role, sample-data banner, attribution."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable

import streamlit as st

from graph import settings
from graph.auth import UserStore
from graph.core.roles import ANONYMOUS, ROLE_LABELS, Actor
from graph.core.visibility import LOGIN_REQUIRED, require_reader
from graph.errors import AuthenticationError, Issue, NetzwerkError, ValidationError
from graph.pflege.sicherung import DailyBackups
from graph.services import SNAPSHOT_TABLES, Directory, Snapshot
from views.parts.ui import folded

SAMPLE_NOTE = ("**Beispieldaten:** Die mitgelieferten Partner sind erfunden (nur die Adressen der "
               "Sozialraumzentren sind echt). Telefonnummern und Adressen bitte nicht verwenden.")


@st.cache_resource(show_spinner=False)
def _directory(data_dir: str, backend: str) -> Directory:
    return Directory(data_dir, backend)


def directory() -> Directory:
    """The Directory for the configured data folder and store (one per server process)."""
    return _readable(lambda: _directory(str(settings.data_dir()), settings.store_backend()))


def _readable(load):
    """``load()``, or a German error message instead of the page if the data cannot be read."""
    try:
        return load()
    except ValidationError as exc:
        show_issues(exc.issues, "Die Daten können nicht gelesen werden – bitte „python -m graph validate“ ausführen "
                                "und die Datei korrigieren:", with_rows=True)
        st.stop()
    except NetzwerkError as exc:
        st.error(md_escape(str(exc)), icon="🚫")
        st.stop()


@st.cache_resource(show_spinner=False)
def _daily_backups(data_dir: str, backend: str) -> DailyBackups:
    return DailyBackups(_directory(data_dir, backend).store)


def daily_backups() -> DailyBackups:
    """The daily backups of this server process (``NETZWERK_BACKUP_DIR``; one object per process)."""
    return _daily_backups(str(settings.data_dir()), settings.store_backend())


def show_backup_status() -> None:
    """The newest backup for the Leitstelle; a warning if there is none, it is too old or none is configured."""
    kind, text = daily_backups().status().message()
    if kind == "warning":
        st.warning(md_escape(text), icon="💾")
    else:
        st.caption(md_escape(text))


@st.cache_resource(show_spinner="Daten werden geladen …", max_entries=4)
def _snapshot(data_dir: str, backend: str, token: str) -> Snapshot:
    snap = _directory(data_dir, backend).snapshot()
    _ = snap.partners  # typed once per data version, shared by all sessions; indexes follow on first use
    return snap


def snapshot() -> Snapshot:
    """The current data as the person in this session may see it (:meth:`Snapshot.for_reader`).

    The full snapshot is built once per data version and shared by all sessions; each audience's
    view of it once as well. Pages never see fields their reader may not see.
    """
    d = directory()
    full = _readable(lambda: _snapshot(str(d.data_dir), d.store.name, d.store.token(*SNAPSHOT_TABLES)))
    return full.for_reader(reader())


def reader() -> Actor:
    """Who reads in this session; with ``NETZWERK_LESEN=anmeldung`` nobody without login (ForbiddenError)."""
    actor = current_actor()
    require_reader(actor, settings.reading_mode())
    return actor


def reading_gate() -> None:
    """With ``NETZWERK_LESEN=anmeldung``, a session without login sees only the login prompt (on every page)."""
    if settings.reading_mode() == "anmeldung" and not current_actor().name:
        st.title("Anmeldung erforderlich")
        st.info(LOGIN_REQUIRED, icon="🔒")
        st.stop()


def is_sample_data(snap: Snapshot) -> bool:
    """True while the directory still holds the shipped fictional sample."""
    return snap.is_sample


def sample_banner(snap: Snapshot) -> None:
    """Show the 'Beispieldaten' notice when the shipped sample is in use."""
    if is_sample_data(snap):
        st.warning(SAMPLE_NOTE, icon="ℹ️")


def attribution_caption() -> None:
    """Source line for pages that show reference data."""
    st.caption(f"Gebietsdaten: {settings.ATTRIBUTION_BKG} · Einwohner: {settings.ATTRIBUTION_ZENSUS} · "
               f"{settings.ATTRIBUTION_OSM_PLZ}")


# ------------------------------------------------------------------ session defaults
#: Session-state key of the Sozialraum the user last chose on any page (UI state, this session only).
SOZIALRAUM_KEY = "sitzung_sozialraum"


def sozialraum_default(widget_key: str, multi: bool = False) -> None:
    """Pre-select the session's Sozialraum in a widget that has no value yet (call before the widget)."""
    chosen = st.session_state.get(SOZIALRAUM_KEY)
    if chosen and widget_key not in st.session_state:
        st.session_state[widget_key] = [chosen] if multi else chosen


def remember_sozialraum(value: str | list | tuple | None) -> None:
    """Remember a widget's Sozialraum for the other pages; of a list only a single choice counts."""
    if isinstance(value, (list, tuple)):
        if len(value) > 1:
            return
        value = value[0] if value else None
    st.session_state[SOZIALRAUM_KEY] = value or None


def widget_key(prefix: str, name: str) -> str:
    """Key of a page's widget in the current generation of its inputs (see :func:`reset_inputs`)."""
    generation = st.session_state.get(f"_generation_{prefix}", 0)
    return f"{prefix}_{name}" if not generation else f"{prefix}_{name}_g{generation}"


def reset_inputs(prefix: str, names: Iterable[str]) -> None:
    """Forget a page's inputs ``names`` and give their widgets new identities (callback of a reset button).

    Deleting the values alone is not enough: the browser keeps showing – and sends back with the next
    run – what the old widgets held. New keys make it draw fresh, empty widgets.
    """
    for name in names:
        st.session_state.pop(widget_key(prefix, name), None)
    st.session_state[f"_generation_{prefix}"] = st.session_state.get(f"_generation_{prefix}", 0) + 1


def static_url() -> str:
    """Root-relative URL of the app's ``static/`` folder (honours ``server.baseUrlPath``)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&\"'=^@%/;,?])")


def md_escape(text: object) -> str:
    """User text made literal for ``st.markdown`` (Markdown, HTML, LaTeX and directives escaped)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


FIELD_LABELS = {
    "id": "Kennung", "name": "Name", "traeger": "Träger", "kategorie": "Kategorie", "angebote": "Angebote",
    "strasse": "Straße und Hausnummer", "plz": "PLZ", "ort": "Ort", "ags": "Gemeinde (AGS)", "lat": "Breite",
    "lon": "Länge", "einzugsgebiet": "Einzugsgebiet", "alter_von": "Alter von", "alter_bis": "Alter bis",
    "sprachen": "Sprachen", "barrierefrei": "Barrierefrei", "ebene": "Ebene", "telefon": "Telefon",
    "email": "E-Mail", "website": "Webseite", "ansprechperson": "Ansprechperson",
    "oeffnungszeiten": "Öffnungszeiten", "notizen": "Notizen (intern)", "geprueft_am": "Zuletzt geprüft",
    "aktiv": "Aktiv", "adresse_vertraulich": "Adresse vertraulich", "version": "Version", "geaendert_am": "Geändert am",
    "geaendert_von": "Geändert von",
    # other tables
    "partner": "Partner", "partner_a": "Partner A", "partner_b": "Partner B", "art": "Art", "seit": "Seit",
    "bis": "Bis", "intensitaet": "Intensität", "datum": "Datum", "sozialraum": "Sozialraum",
    "netzwerker": "Netzwerker/in", "thema": "Thema", "bedarf": "Bedarf", "text": "Beschreibung", "quelle": "Quelle",
    "begruendung": "Begründung", "kontakt": "Kontakt", "passwort": "Passwort", "ortsteil": "Ortsteil",
}


def label(field: str) -> str:
    """German label of a column."""
    return FIELD_LABELS.get(field, field)


def show_issues(issues: list[Issue], intro: str = "Nicht gespeichert – bitte korrigieren:",
                describe: Callable[[Issue], str] | None = None, with_rows: bool = False) -> None:
    """Validation issues as one escaped German list: field label and message per line.

    Inside a form the field is enough; ``describe`` names the row (e.g. the partner of a table
    row) and ``with_rows`` the line of a file (for data files read from disk).
    """
    lines = []
    for i in issues[:30]:
        where = [describe(i)] if describe else [f"Zeile {i.row}"] if with_rows and i.row else []
        where += [label(i.field)] if i.field else []
        lines.append(f"- {md_escape(', '.join(filter(None, where)))}: {md_escape(i.message)}" if where
                     else f"- {md_escape(i.message)}")
    more = ["- …"] if len(issues) > 30 else []
    st.error(md_escape(intro) + "\n\n" + "\n".join(lines + more))


def md_link(text: str, href: str | None) -> str:
    """Markdown link with escaped text; plain escaped text when there is no safe ``href``."""
    return f"[{md_escape(text)}](<{href}>)" if href else md_escape(text)


#: Streamlit's table toolbar offers its own CSV export, which does not neutralise formulas.
_HIDE_TABLE_CSV = ('<style>[data-testid="stElementToolbarButton"]:has(button[aria-label="Download as CSV"])'
                   "{display:none !important}</style>")


def hide_table_csv_export() -> None:
    """Hide the table toolbar's CSV export app-wide; pages offer neutralised downloads instead."""
    st.html(_HIDE_TABLE_CSV)


# ------------------------------------------------------------------ login
#: Session-state key of the logged-in actor. Not a widget key: only the server sets it, after a
#: successful password check, so a client can neither set nor raise its role.
AUTH_KEY = "_auth_actor"
AUTH_SEEN_KEY = "_auth_seen"
#: Session key of the folded login section (open = the form is drawn).
LOGIN_KEY = "auth_anmelden"
IDLE_LOGOUT_S = 8 * 3600


@st.cache_resource(show_spinner=False)
def _user_store(data_dir: str, backend: str) -> UserStore:
    return UserStore(_directory(data_dir, backend).store)


def user_store() -> UserStore:
    """The accounts of the configured store (one object per server process: it holds the login throttle)."""
    return _user_store(str(settings.data_dir()), settings.store_backend())


def current_actor() -> Actor:
    """Who is logged in in this browser session (``ANONYMOUS`` with role ``lesen`` if nobody).

    The role is re-read from the users file on every run (changes and removals apply at once);
    sessions idle for more than ``IDLE_LOGOUT_S`` are logged out.
    """
    actor = st.session_state.get(AUTH_KEY, ANONYMOUS)
    if actor.name and time.time() - st.session_state.get(AUTH_SEEN_KEY, 0) > IDLE_LOGOUT_S:
        actor = ANONYMOUS
    actor = user_store().current(actor) if actor.name else ANONYMOUS
    st.session_state[AUTH_KEY] = actor
    st.session_state[AUTH_SEEN_KEY] = time.time()
    return actor


def current_role() -> str:
    """Role of the current session: ``lesen``, ``netzwerk``, ``leitstelle`` or ``admin``."""
    return current_actor().rolle


def client_address() -> str:
    """Where this browser session comes from, for the login throttle (empty if Streamlit cannot tell).

    Behind a reverse proxy on the same machine every request comes from loopback; then the
    proxy's ``X-Forwarded-For`` (its last entry, the address the proxy saw) names the client.
    """
    try:
        ip, forwarded = st.context.ip_address, st.context.headers.get("X-Forwarded-For", "")
    except (AttributeError, RuntimeError):
        return ""
    ip = ip if isinstance(ip, str) else ""  # no request behind the session (e.g. AppTest): unknown
    forwarded = forwarded if isinstance(forwarded, str) else ""
    if forwarded and ip in ("127.0.0.1", "::1", ""):
        return forwarded.split(",")[-1].strip()
    return ip


def _login_form() -> None:
    """Name and password; on success the session's actor changes and the page runs again."""
    if not user_store().has_users():
        st.caption("Noch keine Benutzer angelegt. Auf dem Server: "
                   "`python -m graph user add NAME --rolle leitstelle`")
    with st.form("auth_login", clear_on_submit=True, border=False):
        name = st.text_input("Benutzername", key="auth_name", autocomplete="username")
        password = st.text_input("Passwort", type="password", key="auth_password", autocomplete="current-password")
        submitted = st.form_submit_button("Anmelden")
    if submitted:
        try:
            st.session_state[AUTH_KEY] = user_store().authenticate(name, password, client_address())
            st.session_state[AUTH_SEEN_KEY] = time.time()
            st.rerun()
        except AuthenticationError as exc:
            st.error(str(exc))


def login_sidebar() -> Actor:
    """Login form (or the logged-in user with a logout button) in the sidebar; returns the actor.

    The form is folded away and sent only once opened, so a page's first load needs no input code for it.
    """
    actor = current_actor()
    with st.sidebar:
        if actor.name:
            st.caption(f"Angemeldet: **{md_escape(actor.name)}** ({ROLE_LABELS[actor.rolle]})")
            if st.button("Abmelden", key="auth_logout"):
                st.session_state[AUTH_KEY] = ANONYMOUS
                st.rerun()
            return actor
        folded("Anmelden", LOGIN_KEY, _login_form, expanded=settings.reading_mode() == "anmeldung")
        if settings.reading_mode() == "offen":
            st.caption("Ohne Anmeldung: nur lesen (ohne Ansprechpersonen) und Änderungen vorschlagen.")
    return actor
