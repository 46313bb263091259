"""Streamlit pages via AppTest: every page renders without exception on the sample data."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["views/karte.py", "views/verzeichnis.py", "views/fallsuche.py", "views/abdeckung.py",
         "views/pflege.py", "views/netzwerk.py", "views/barrierefreiheit.py"]


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
    assert metrics["Konz"] == "54" and metrics["Hermeskeil"] == "47"
    assert metrics["Aktive Partner"].endswith("von 322")
    assert "GeoBasis-DE / BKG 2021" in " ".join(c.value for c in at.caption)


def test_start_page_follows_data_changes(data_dir):
    from graph.services import Directory

    d = Directory(data_dir)
    p = d.store.get("p-000001")
    d.store.deactivate("p-000001", int(p["version"]), "test")
    at = _run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Konz"] == "53"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(data_dir, page):
    at = _run(page)
    assert at.title, page
