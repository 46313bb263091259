"""Page „Fallsuche“ in AppTest: a search renders cards and a handout and leaves no trace on disk."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SECRET = "Zirkus Hausaufgaben Familie Mustermann-Geheim"


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (recursively) → SHA-256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def search(at: AppTest, **values) -> AppTest:
    """Fill the form by widget key (``fallsuche_<name>``) and press „Suchen“."""
    for name, value in values.items():
        widget = next(w for w in at.main if getattr(w, "key", None) == f"fallsuche_{name}")
        widget.set_value(value)
    next(b for b in at.button if b.label == "Suchen").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def cards(at: AppTest) -> str:
    """The result cards' HTML (each card is one ``st.html`` block starting with its numbered heading)."""
    return " ".join(h.proto.body for h in at.get("html") if h.proto.body.startswith("<h3>"))


def page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/fallsuche.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_search_leaves_the_data_folder_byte_identical(data_dir, tmp_path):
    before, everything_before = tree(data_dir), tree(tmp_path)
    at = search(page(), gemeinde="07235132", bedarfe=["erziehungsberatung"], freitext=SECRET, alter=7, sprache="ar",
                barrierefrei=True)
    assert next(s.value for s in at.main.header).endswith("für Tawern")
    assert at.get("download_button"), "handout downloads missing"
    assert tree(data_dir) == before  # same files, same bytes, nothing new
    assert tree(tmp_path) == everything_before
    assert not any(SECRET.encode() in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert dict(at.query_params) == {}  # nothing in the URL


def test_search_shows_cards_reasons_free_text_mapping_and_handout(data_dir):
    at = search(page(), gemeinde="07235132", bedarfe=["erziehungsberatung"], freitext="Hausaufgabn, Zirkus")
    captions = " ".join(c.value for c in at.caption)
    assert "Hausaufgabenhilfe" in captions
    assert any("Bedarf nicht erkannt" in w.value and "Zirkus" in w.value for w in at.warning)
    text = cards(at)
    assert "zuständig für Sozialraum Konz" in text and 'href="tel:+49' in text and "Weg zum Angebot" in text
    picks = [c for c in at.checkbox if c.key.startswith("fallsuche_wahl_")]
    assert picks and all(c.value for c in picks)
    assert len(re.findall(r"<h3>\d+\. ", text)) == len(picks)  # one card per handout box
    assert {b.label for b in at.get("download_button")} == {"PDF herunterladen", "HTML herunterladen"}


def test_empty_result_explains_and_suggests(data_dir):
    at = search(page(), gemeinde="07235058", bedarfe=["sport"], sprache="ar", barrierefrei=True)
    assert any(w.value.startswith("Kein Treffer") for w in at.warning)
    assert any("Am nächsten dran" in m.value for m in at.markdown)
    assert "<p>⚠️ Es fehlt:" in cards(at)
    picks = [c for c in at.checkbox if c.key.startswith("fallsuche_wahl_")]
    assert picks and not any(c.value for c in picks)  # suggestions are not on the handout unless ticked
    assert any("mindestens ein Angebot" in i.value for i in at.info)
    picks[0].check()
    at.run()
    assert {b.label for b in at.get("download_button")} == {"PDF herunterladen", "HTML herunterladen"}


def test_missing_gemeinde_asks_for_it(data_dir):
    at = search(page(), bedarfe=["sport"])
    assert any("Gemeinde" in w.value for w in at.warning)


def test_clear_button_forgets_the_inputs(data_dir):
    at = search(page(), gemeinde="07235132", bedarfe=["sport"], freitext="Fußball")
    next(b for b in at.button if b.label == "Eingaben löschen").click()
    at.run()
    assert not at.exception
    widget = lambda kind, label: next(w for w in getattr(at, kind) if w.label == label)
    assert widget("selectbox", "Wohnort der Familie (Gemeinde)").value is None
    assert widget("text_input", "Bedarf in eigenen Worten (optional)").value == ""
    assert widget("multiselect", "Bedarfe").value == []
    assert not at.main.header  # back to the start hint (the browser side: tests/browser/test_reset_in_browser.py)


def test_case_map_is_offline_and_keeps_gemeinde_and_results_in_view(directory):
    from geo.maps.partners import case_map, case_state, external_assets, partner_points

    snap = directory.snapshot()
    partners = snap.partners.loc[["p-000001", "p-000240"]].copy()
    partners.loc["p-000240", "name"] = "<script>alert(1)</script>"
    points = partner_points(partners, snap.taxonomy, snap.gazetteer)
    m = case_map(snap.gazetteer, snap.taxonomy, "07235132", points)
    html = m.get_root().render()
    assert external_assets(m) == [] and "<script>alert(1)" not in html
    state = case_state(snap.gazetteer, "07235132", points)
    assert state["outline"] == ["07235132"] and [p["id"] for p in state["points"]] == ["p-000001", "p-000240"]
    (south, west), (north, east) = state["view"]["bounds"]  # one zoom: the Gemeinde and every hit in view
    for lat, lon in [*zip(partners["lat"], partners["lon"]), tuple(snap.gazetteer.orte.loc["07235132", ["lat", "lon"]])]:
        assert south <= lat <= north and west <= lon <= east
    assert state["view"]["margin"] >= 20  # pixels around the bounds: markers at the edge stay whole (NK.fit)
