"""Every page's texts and tables as the app produces them (AppTest): German dates (never raw ISO), no
„1 …en“ plurals, and every date column shown in German format – for readers and for the Leitstelle, on every
Pflege section. (What Streamlit itself draws in the browser is swept in tests/browser/test_german_in_browser.py.)
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from tests.apptest import open_page
from tests.german import ISO_DATE, ONE_PLURAL, problems

PAGES = ["start", "karte", "verzeichnis", "fallsuche", "abdeckung", "pflege", "netzwerk", "sozialraum", "barrierefreiheit"]
TEXT_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error", "text")
GERMAN_FORMATS = {"DD.MM.YYYY", "DD.MM.YYYY, HH:mm"}


def _texts(at) -> list[str]:
    out = [e.value for kind in TEXT_KINDS for e in getattr(at, kind)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    out += [b.label for b in at.button] + [e.label for e in at.expander]
    return [str(t) for t in out]


def _table_problems(at, where: str) -> list[str]:
    """ISO text cells, and date columns without a German format."""
    found = []
    for n, table in enumerate(at.dataframe):
        frame = table.value
        if not isinstance(frame, pd.DataFrame):
            continue
        config = json.loads(table.proto.columns or "{}")
        for column in frame.columns:
            values = frame[column]
            cells = values.dropna()
            dates = len(cells) and all(isinstance(v, date) for v in cells)
            if pd.api.types.is_datetime64_any_dtype(values) or dates:
                fmt = config.get(str(column), {}).get("type_config", {}).get("format")
                if fmt not in GERMAN_FORMATS:
                    found.append(f"{where}, Tabelle {n + 1}, Spalte {column}: Datum ohne deutsches Format ({fmt})")
            elif pd.api.types.is_string_dtype(values) or values.dtype == object:
                iso = values.map(lambda v: isinstance(v, str)) & values.astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}.*)?")
                if iso.any():
                    found.append(f"{where}, Tabelle {n + 1}, Spalte {column}: {values[iso].iloc[0]}")
    return found


def _sweep(at, where: str) -> list[str]:
    assert not at.exception, [e.value for e in at.exception]
    found = [p for t in _texts(at) for p in problems(t, where, (ONE_PLURAL, ISO_DATE))]
    return found + _table_problems(at, where)


@pytest.mark.slow
@pytest.mark.parametrize("login", [None, "anna"])
def test_every_page_has_german_dates_and_singulars(data_dir, users, login):
    found = []
    for page in PAGES:
        at = open_page(page, login=login)
        found += _sweep(at, f"{page} ({login or 'ohne Anmeldung'})")
        if page == "pflege" and login:
            group = at.button_group(key="pflege_bereich_leitstelle")
            for section in group.options:
                at.button_group(key="pflege_bereich_leitstelle").set_value(section).run()
                found += _sweep(at, f"Pflege › {section}")
    assert not found, "\n".join(dict.fromkeys(found))


def test_the_sweep_catches_what_it_looks_for():
    """The rules themselves: ISO dates, "(n)" plurals and a count of one before a plural noun."""
    assert problems("Stand 2026-11-01", "x", (ISO_DATE,))
    assert problems("Import übernehmen (1 Zeilen)", "x", (ONE_PLURAL,))
    assert problems("1 passende Angebote für Zerf", "x", (ONE_PLURAL,))
    assert problems("3 Zeile(n) prüfen", "x", (ONE_PLURAL,))
    assert not problems("1 passendes Angebot, 11 Zeilen, 0–1 Jahre, 21 Gemeinden", "x", (ONE_PLURAL,))
