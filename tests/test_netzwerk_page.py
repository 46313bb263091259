"""The Netzwerk page in Streamlit's AppTest: roles, the contact form, ego network and the report."""


import pandas as pd
from streamlit.testing.v1 import AppTest

from graph.core.text import count
from tests.apptest import open_page, show_tab
from views.parts.netzwerk import TAB_KEY


def _page(login: str | None = None, tab: str | None = None) -> AppTest:
    at = open_page("netzwerk", login)
    return show_tab(at, TAB_KEY, tab) if tab else at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_reader_sees_lists_but_no_forms(data_dir):
    at = _page(tab="Kontaktpflege")
    assert at.title[0].value == "Netzwerk"
    assert not [b for b in at.button if b.label in ("Kontakt speichern", "Kooperation speichern")]
    assert any("Rolle Netzwerk nötig" in i.value for i in at.info)
    assert any(s.value.startswith("Kontakt überfällig: ") for s in at.main.header)


def test_contact_form_rejects_personal_data_then_saves(data_dir, users):
    before = (data_dir / "kontakte.csv").read_bytes()
    at = _page("nina", tab="Kontaktpflege")
    at.multiselect(key="netzwerk_kf_partner").set_value(["p-000001"])
    at.text_area(key="netzwerk_kf_thema").input("Gespräch mit Frau Schneider wegen ihrem Sohn")
    _button(at, "Kontakt speichern").click()
    at.run()
    assert any("personenbezogenen Daten" in e.value for e in at.error)
    assert (data_dir / "kontakte.csv").read_bytes() == before

    at.multiselect(key="netzwerk_kf_partner").set_value(["p-000001"])
    at.text_area(key="netzwerk_kf_thema").input("Ferienangebote im Sozialraum abgestimmt")
    _button(at, "Kontakt speichern").click()
    at.run()
    assert not at.exception and any(s.value == "Kontakt gespeichert." for s in at.success)
    last = pd.read_csv(data_dir / "kontakte.csv", dtype=str, keep_default_na=False).iloc[-1]
    assert (last["partner"], last["thema"], last["erfasst_von"]) == ("p-000001", "Ferienangebote im Sozialraum abgestimmt",
                                                                     "nina")


def test_ego_network_caption_matches_the_cooperations(data_dir):
    koop = pd.read_csv(data_dir / "kooperationen.csv", dtype=str, keep_default_na=False)
    srz = "p-000002"
    running = koop[((koop["partner_a"] == srz) | (koop["partner_b"] == srz)) & (koop["bis"] == "")]
    partners = (set(running["partner_a"]) | set(running["partner_b"])) - {srz}
    at = _page()
    at.selectbox(key="netzwerk_ego").set_value(srz)
    at.run()
    assert any(c.value.replace("\\", "") == f"Sozialraumzentrum Schweich: {count(len(partners), 'direkter Kooperationspartner', 'direkte Kooperationspartner')}."
               for c in at.caption)


def test_report_tab_offers_pdf_and_html(data_dir):
    at = _page(tab="Jahresbericht")
    at.toggle(key="netzwerk_bericht_an").set_value(True)
    at.run()
    assert not at.exception
    metrics = {m.label for m in at.metric}
    assert {"Partner (Jahresende)", "Kontakte", "Netzwerktreffen", "Bedarfsmeldungen",
            "Kategorien/Bedarfe mit Lücke (heute)"} <= metrics
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"PDF herunterladen", "HTML herunterladen"} <= labels


def test_user_text_cannot_inject_markdown(data_dir):
    """A partner name with a markdown image must not turn into an image (no external request)."""
    raw = pd.read_csv(data_dir / "partners.csv", dtype=str, keep_default_na=False)
    raw.loc[raw["id"] == "p-000002", "name"] = "![x](http://tracker.example/x.png) SRZ"
    raw.to_csv(data_dir / "partners.csv", index=False)
    at = _page()
    at.selectbox(key="netzwerk_ego").set_value("p-000002")
    at.run()
    shown = [c.value for c in at.caption if "tracker" in c.value]
    assert shown and all("\\!\\[x\\]\\(http" in v for v in shown)


def test_only_the_open_tab_runs_and_its_inputs_survive_a_visit_elsewhere(data_dir):
    at = _page()
    assert [t.label for t in at.tabs] == ["Netzwerkgraph", "Kontaktpflege", "Kooperationen", "Analyse", "Jahresbericht"]
    assert not [s for s in at.main.header if s.value.startswith("Kontakt überfällig")]  # Kontaktpflege not drawn
    at.selectbox(key="netzwerk_ego").set_value("p-000002").run()
    caption = [c.value for c in at.caption if c.value.startswith("Sozialraumzentrum Schweich")]
    show_tab(at, TAB_KEY, "Kontaktpflege")
    assert [s for s in at.main.header if s.value.startswith("Kontakt überfällig")]
    assert not [s for s in at.selectbox if s.key == "netzwerk_ego"]
    at.checkbox(key="netzwerk_nur_faellig").uncheck().run()
    show_tab(at, TAB_KEY, "Netzwerkgraph")
    assert at.selectbox(key="netzwerk_ego").value == "p-000002"  # the ego network is still chosen …
    assert caption and [c.value for c in at.caption if c.value.startswith("Sozialraumzentrum Schweich")] == caption
    show_tab(at, TAB_KEY, "Kontaktpflege")
    assert at.checkbox(key="netzwerk_nur_faellig").value is False  # … and so is „nur überfällige“ off
    assert any(s.value.startswith("Kontaktstatus: ") for s in at.main.header)
