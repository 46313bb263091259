"""The Fallsuche leaves no trace: a real server, a real search, then disk and server log are searched for it."""

from __future__ import annotations

import os
import re
import tempfile
import time
import uuid
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import TIMEOUT_MS, choose, download, open_page
from tests.browser.server import REPO
from tests.test_corpus import tree

TOKEN = f"Lernquokka{uuid.uuid4().hex[:8]}"  # typed by the social worker; new each run, so it is nowhere else


def _files_mentioning(roots: list[Path], text: str, since: float) -> list[str]:
    """Files below ``roots`` written after ``since`` that contain ``text`` (small text files; .git skipped)."""
    hits = []
    for root in roots:
        for path in root.rglob("*") if root.is_dir() else []:
            try:
                st = path.stat()
                if not path.is_file() or st.st_mtime < since or st.st_size > 20_000_000 or ".git" in path.parts:
                    continue
                if text.encode() in path.read_bytes() or text.encode("utf-16-le") in path.read_bytes():
                    hits.append(str(path))
            except OSError:  # vanished or unreadable (other processes' temp files)
                continue
    return hits


def test_fallsuche_leaves_no_trace_on_disk_or_in_the_server_log(web, start_app, data_dir, tmp_path):
    before = tree(data_dir)
    since = time.time() - 1
    url = start_app(data_dir)
    page = open_page(web.page, url, "fallsuche")
    place = page.get_by_role("combobox", name="Wohnort der Familie (Gemeinde)", exact=True)
    place.click()
    place.fill("54456")
    page.get_by_role("option", name="Tawern · VG Konz · 54456", exact=True).click()
    choose(page, "Bedarfe", "Erziehungsberatung")
    page.get_by_role("textbox", name="Bedarf in eigenen Worten (optional)", exact=True).fill(f"Hausaufgaben {TOKEN}")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_text(re.compile(r"passendes? Angebote? für Tawern"))).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text(TOKEN, exact=False).first).to_be_visible()  # reported as not understood, on screen only
    assert len(download(page, "PDF herunterladen")) > 1000
    page.get_by_role("button", name="Eingaben löschen").first.click()
    page.wait_for_timeout(1000)
    assert TOKEN not in page.url and not [u for u in web.requests if TOKEN in u]
    # the server's log and every file written meanwhile: data folder, repository, temp, Streamlit's home folder
    logs = list(tmp_path.glob("streamlit-*.log"))
    assert logs and all(TOKEN not in p.read_text(encoding="utf-8", errors="replace") for p in logs)
    assert tree(data_dir) == before
    roots = [REPO, Path(tempfile.gettempdir()), Path(os.path.expanduser("~")) / ".streamlit"]
    assert _files_mentioning(roots, TOKEN, since) == []
