"""Friendly error pages: an unexpected exception on a page shows a German message, never a traceback.

``client.showErrorDetails = "none"`` (``.streamlit/config.toml``) already hides Streamlit's own
traceback view; this wrapper replaces its bare "error" box with what a user can do next.
The server log gets the exception type and code location with a short reference number, but
never the exception text, which may contain what somebody typed (e.g. in the Fallsuche).
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Callable

import streamlit as st

from graph.errors import NetzwerkError, ValidationError
from views.parts.shared import md_escape, show_issues

LOG = logging.getLogger("netzwerk.app")
DATA_ERROR = ("**Die Daten konnten nicht verarbeitet werden.** Bitte wenden Sie sich an die Leitstelle Familie "
              "oder die IT; die folgende Meldung hilft bei der Suche:")
UNEXPECTED = ("**Hier ist leider etwas schiefgegangen.** Bitte laden Sie die Seite neu (Taste F5) oder wählen Sie "
              "links eine andere Seite. Ihre Eingaben auf anderen Seiten bleiben erhalten. Tritt der Fehler "
              "wieder auf, nennen Sie der IT bitte die Fehlernummer **{ref}** und die Uhrzeit.")


def run_page(*steps: Callable[[], object]) -> None:
    """Run the page's steps (sidebar login, the page); show German messages instead of tracebacks."""
    try:
        for step in steps:
            step()
    except NetzwerkError as exc:  # our own errors carry German messages written for users
        show_data_error(exc)
    except Exception as exc:  # noqa: BLE001 - last line of defence for the whole page
        ref = uuid.uuid4().hex[:8]
        LOG.error("Fehler %s auf einer Seite: %s in %s", ref, type(exc).__name__, where(exc))
        st.error(UNEXPECTED.format(ref=ref), icon="⚠️")


def show_data_error(exc: NetzwerkError) -> None:
    """A project error (bad data, missing permission, conflict) as a German message with its details."""
    if isinstance(exc, ValidationError) and exc.issues:
        show_issues(exc.issues, DATA_ERROR, with_rows=True)
    else:
        st.error(DATA_ERROR, icon="⚠️")
        st.markdown(md_escape(str(exc)))


def where(exc: BaseException) -> str:
    """``file:line in function`` of the innermost frames (code locations only, no values)."""
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    return " ← ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} in {f.name}" for f in reversed(frames))
