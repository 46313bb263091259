"""Helpers for Streamlit AppTest page tests: open a page, log in through the real sidebar form."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from views.parts.shared import LOGIN_KEY

APP = str(Path(__file__).resolve().parent.parent / "app.py")
#: Accounts created by the ``users`` fixture (tests/conftest.py).
PASSWORDS = {"anna": "anna-passwort-123", "nina": "nina-passwort-123", "lea": "lea-passwort-123"}
ROLES = {"anna": "leitstelle", "nina": "netzwerk", "lea": "lesen"}


def click(where, label: str) -> None:
    """Click the one button with this label (in ``at`` or ``at.sidebar``)."""
    (button,) = [b for b in where.button if b.label == label]
    button.click()


def widget(at: AppTest, kind: str, key: str):
    """The ``kind`` widget (``"multiselect"`` …) whose key is ``key`` in its current generation.

    A reset gives a page's widgets new keys (``<key>_g<n>``, see ``views.parts.shared.reset_inputs``).
    """
    found = [w for w in getattr(at, kind) if w.key == key or re.fullmatch(rf"{re.escape(key)}_g\d+", w.key or "")]
    assert len(found) == 1, f"{kind} {key}: {[w.key for w in found]}"
    return found[0]


def unfold(at: AppTest, key: str) -> AppTest:
    """Open the folded section ``key`` (``views.parts.ui.folded``: its content runs only while open)."""
    at.session_state[key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def show_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Open the tab ``label`` of the tabs with session key ``key`` (tabs drawn only while open)."""
    at.session_state[key] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(page: str | None, login: str | None = None, password: str | None = None,
              timeout: int = 90) -> AppTest:
    """Run the app, switch to ``views/<page>.py`` and optionally log in via the sidebar form."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    if page:
        at.switch_page(f"views/{page}.py")
        at.run()
    if login:
        unfold(at, LOGIN_KEY)  # the login form is folded away until opened
        at.sidebar.text_input(key="auth_name").input(login)
        at.sidebar.text_input(key="auth_password").input(password or PASSWORDS[login])
        click(at.sidebar, "Anmelden")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rename_first_partner(data_dir: Path, name: str) -> None:
    """Give the first partner of ``data_dir/partners.csv`` this name (e.g. a payload)."""
    import pandas as pd

    path = Path(data_dir) / "partners.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "name"] = name
    frame.to_csv(path, index=False)
