"""Streamlit pages via AppTest: every page renders without exception on the sample data."""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from graph.core.roles import Actor
from graph.pflege.editing import Editor
from graph.services import Directory
from graph.settings import DEFAULT_DATA_DIR
from tests.conftest import get_partner

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["views/karte.py", "views/verzeichnis.py", "views/fallsuche.py", "views/abdeckung.py",
         "views/pflege.py", "views/netzwerk.py", "views/sozialraum.py", "views/barrierefreiheit.py"]


def _run(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_start_page_shows_counts_and_sample_notice(data_dir):
    at = _run()
    assert at.title[0].value == "Netzwerkpartner-Karte Trier-Saarburg"
    assert any("Beispieldaten" in w.value for w in at.warning)
    metrics = {m.label: m.value for m in at.metric}
    expected, total = _active_by_sozialraum(DEFAULT_DATA_DIR)
    assert {sr: metrics[sr] for sr in expected} == {sr: str(n) for sr, n in expected.items()}
    assert metrics["Aktive Partner"].endswith(f"von {total}")
    assert "GeoBasis-DE / BKG 2021" in " ".join(c.value for c in at.caption)


def _active_by_sozialraum(data: Path) -> tuple[dict[str, int], int]:
    """Active partners per Sozialraum of their seat, counted from the files; and all partners."""
    partners = pd.read_csv(data / "partners.csv", dtype=str, keep_default_na=False)
    gemeinden = pd.read_csv(data / "geo" / "gemeinden.csv", dtype=str, keep_default_na=False)
    sr = partners["ags"].map(dict(zip(gemeinden["ags"], gemeinden["sozialraum_name"])))
    counts = sr[partners["aktiv"] == "ja"].value_counts()
    return {name: int(n) for name, n in counts.items()}, len(partners)


def test_start_page_follows_data_changes(data_dir):
    d = Directory(data_dir)
    before, _ = _active_by_sozialraum(data_dir)
    Editor(d, Actor("test", "leitstelle")).deactivate("p-000001", int(get_partner(d, "p-000001")["version"]))
    after, _ = _active_by_sozialraum(data_dir)
    assert after["Konz"] == before["Konz"] - 1  # p-000001 sits in Konz
    metrics = {m.label: m.value for m in _run().metric}
    assert metrics["Konz"] == str(after["Konz"])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(data_dir, page):
    at = _run(page)
    assert at.title, page
