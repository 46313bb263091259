"""Shared pieces of the Pflege sections: context, German field labels, flash messages, error display."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import pandas as pd
import streamlit as st

from graph.core.roles import Actor, has_role
from graph.errors import ConflictError, NetzwerkError, ValidationError
from graph.pflege.editing import Editor
from graph.pflege.review import directory_review
from graph.services import Directory, Snapshot
from views.parts.shared import md_escape, show_issues

FLASH_KEY = "pflege_flash"
T = TypeVar("T")


@dataclass
class Ctx:
    """What every section needs: who acts, the directory, the current data and the editor."""

    actor: Actor
    directory: Directory
    snap: Snapshot

    @property
    def editor(self) -> Editor:
        """Service for writes (checks the role itself)."""
        return Editor(self.directory, self.actor)

    @property
    def can_edit(self) -> bool:
        """True for Leitstelle and Admin (buttons are hidden otherwise; the services check again)."""
        return has_role(self.actor.rolle, "leitstelle")


def flash(kind: str, text: str) -> None:
    """Queue a message for the next run (shown by :func:`show_flash`)."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, text))


def show_flash() -> None:
    """Show and clear queued messages."""
    for kind, text in st.session_state.pop(FLASH_KEY, []):
        getattr(st, kind)(text)


def attempt(action: Callable[[], T], success: str | None = None) -> T | None:
    """Run a service call; show German errors (validation, permission, conflict) instead of a trace."""
    try:
        result = action()
    except ValidationError as exc:
        show_issues(exc.issues)
        return None
    except ConflictError as exc:
        st.error(md_escape(str(exc)))
        return None
    except NetzwerkError as exc:
        st.error(md_escape(str(exc)))
        return None
    if success:
        flash("success", success)
    return result


def gemeinde_options(orte: pd.DataFrame) -> dict[str, str]:
    """``{ags: "Name (Verbandsgemeinde)"}`` sorted by name, for select boxes (``orte``: gazetteer rows)."""
    orte = orte.sort_values("name")
    return {a: f"{n} ({v or 'kreisfrei'})" for a, n, v in zip(orte.index, orte["name"], orte["vg_name"])}


def partner_options(snap: Snapshot, active_only: bool = False) -> dict[str, str]:
    """``{id: "Name – Ort (id)"}`` sorted by name, for select boxes."""
    raw = snap.raw if not active_only else snap.raw[snap.raw["aktiv"] == "ja"]
    raw = raw.sort_values("name", key=lambda s: s.str.casefold())
    inactive = {i for i, a in zip(raw["id"], raw["aktiv"]) if a != "ja"}
    return {i: f"{n} – {o} ({i}){' · inaktiv' if i in inactive else ''}"
            for i, n, o in zip(raw["id"], raw["name"], raw["ort"])}


@st.cache_data(show_spinner="Prüfstatus wird berechnet …", max_entries=4)
def _review(token: str, audience: str, today: date, _ctx: Ctx) -> pd.DataFrame:
    return directory_review(_ctx.directory, _ctx.snap, today)


def review(ctx: Ctx) -> pd.DataFrame:
    """Review states of all partners (cached per data, journal and Zuständigkeit version, reader and day)."""
    return _review(ctx.directory.store.token("partners", "journal", "zustaendigkeiten"), ctx.snap.audience,
                   date.today(), ctx)
