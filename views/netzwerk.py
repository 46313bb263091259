"""Page „Netzwerk“: cooperation graph, Kontaktpflege, cooperations, network analysis, Jahresbericht."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from graph.core.roles import ROLE_LABELS, has_role
from graph.core.text import count
from graph.io.bericht import to_html, to_pdf
from graph.io.tabular import to_csv_bytes
from graph.netzwerk import queries as q
from graph.netzwerk.analysis import SEKTOR_LABELS
from graph.netzwerk.service import Netzwerkarbeit
from graph.netzwerk.snapshot import NetzwerkSnapshot
from graph.verzeichnis.stats import OUTSIDE, area_names
from views.parts import hilfe
from views.parts.netzwerk import TAB_INPUTS, TAB_KEY, forms
from views.parts.netzwerk.chart import graph_spec
from views.parts.shared import (
    directory,
    md_escape,
    reader,
    remember_sozialraum,
    sample_banner,
    sozialraum_default,
)
from views.parts.tables import show_table
from views.parts.ui import folded, keep_inputs, open_tab_only, page_help, presentation_mode

keep_inputs(TAB_INPUTS)

for key, value in {"netzwerk_ego": "", "netzwerk_klick": ""}.items():
    st.session_state.setdefault(key, value)


@st.cache_resource(show_spinner=False)
def _netzwerkarbeit(data_dir: str, backend: str) -> Netzwerkarbeit:
    return Netzwerkarbeit(directory())


@st.cache_resource(show_spinner="Netzwerkdaten werden geladen …", max_entries=4)
def _snapshot(data_dir: str, backend: str, token: str) -> NetzwerkSnapshot:
    return _netzwerkarbeit(data_dir, backend).snapshot()


@st.cache_data(show_spinner="Netzwerk wird berechnet …", max_entries=32)
def _graph(token: str, audience: str, day: date, sr: str, sektoren: tuple, ego: str, radius: int, iso: bool, _ns=None) -> dict:
    return q.graph_view(_ns, day, sr, list(sektoren), ego, radius, iso)


@st.cache_data(show_spinner=False, max_entries=32)
def _graph_spec(token: str, audience: str, day: date, sr: str, sektoren: tuple, ego: str, radius: int, iso: bool,
                large: bool, _view=None) -> dict:
    """The drawing's Vega-Lite spec for the same key as :func:`_graph`."""
    return graph_spec(_view, large)


@st.cache_data(show_spinner="Analyse wird berechnet …", max_entries=16)
def _tables(token: str, audience: str, day: date, sr: str, sektoren: tuple, _ns=None) -> dict:
    return q.analysis_tables(_ns, day, sr, list(sektoren))


@st.cache_data(show_spinner="Bericht wird erstellt …", max_entries=8)
def _report(token: str, audience: str, bedarf_token: str, texte_token: str, sr: str, jahr: int, today: date,
            _nw=None, _ns=None) -> tuple[dict, bytes, str]:
    """Report with PDF and HTML; the data tokens (report texts included), Sozialraum, year and day are the cache key."""
    report = _nw.annual_report(sr, jahr, today=today, ns=_ns)
    return report, to_pdf(report), to_html(report)


def _apply_click() -> None:
    """A click on a partner in the drawing selects its ego network (once per new click)."""
    event = st.session_state.get("netzwerk_graph")
    picked = (((event or {}).get("selection") or {}).get("partner") or [{}])[0].get("id", "")
    if picked and picked != st.session_state["netzwerk_klick"]:
        st.session_state["netzwerk_klick"] = picked
        st.session_state["netzwerk_ego"] = picked


st.title("Netzwerk")
st.markdown("Kooperationen und Kontaktpflege der Netzwerkpartner, Analyse des Netzwerks und der Jahresbericht "
            "für den Jugendhilfeausschuss.")
page_help(hilfe.NETZWERK)
d = directory()
nw = _netzwerkarbeit(str(d.data_dir), d.store.name)
token = nw.token()
actor = reader()
ns = _snapshot(str(d.data_dir), d.store.name, token).for_reader(actor)  # only the fields this reader may see
sample_banner(ns.snap)
role = actor.rolle
may_write = has_role(role, "netzwerk")
if message := st.session_state.pop(forms.FLASH, None):
    st.success(message)

areas = {q.ALLE: "alle Sozialräume", **area_names(d.gazetteer)}
kreis_areas = {k: v for k, v in areas.items() if k not in (q.ALLE, OUTSIDE)}
f1, f2, f3 = st.columns([2, 3, 1])
sozialraum_default("netzwerk_sr")
sr = f1.selectbox("Sozialraum", list(areas), format_func=areas.get, key="netzwerk_sr",
                  help="Partner mit Sitz im Sozialraum und ihre direkten Kooperationspartner. Ein gewählter "
                       "Sozialraum ist auf den anderen Seiten vorausgewählt (nur in diesem Browserfenster).")
remember_sozialraum(sr if sr in kreis_areas else None)
sektoren = f2.multiselect("Sektoren", list(SEKTOR_LABELS), format_func=SEKTOR_LABELS.get, key="netzwerk_sektoren",
                          placeholder="alle Sektoren")
day = f3.date_input("Stichtag", value=date.today(), format="DD.MM.YYYY", key="netzwerk_tag",
                    help="Kooperationen, die an diesem Tag laufen; Kontakte bis zu diesem Tag")


def _graph_tab() -> None:
    """Netzwerkgraph: the drawing (click = ego network) and the same data as tables."""
    _apply_click()
    labels = forms.partner_labels(ns)
    g1, g2, g3, g4 = st.columns([3, 2, 2, 2])
    ego = g1.selectbox("Partner im Mittelpunkt (Ego-Netzwerk)", [""] + list(labels), key="netzwerk_ego",
                       format_func=lambda p: labels.get(p, "– ganzes Netzwerk –"),
                       help="Oder einen Partner in der Zeichnung anklicken")
    # only the controls that apply are shown (greyed-out ones are hard to read, WCAG 1.4.3)
    radius = g2.radio("Umkreis", [1, 2], horizontal=True, format_func=lambda r: count(r, "Schritt", "Schritte"),
                      key="netzwerk_radius") if ego else 1
    iso = False if ego else g3.checkbox("auch Partner ohne Kooperation", key="netzwerk_iso")
    with g4:
        large = presentation_mode("netzwerk")
    key = (token, ns.audience, day, sr, tuple(sektoren), ego, radius, iso)
    view = _graph(*key, _ns=ns)
    st.caption(md_escape(view["text"]))
    if view["nodes"].empty:
        st.info("Für diese Auswahl gibt es keine Partner mit laufender Kooperation.")
    else:
        st.vega_lite_chart(spec=_graph_spec(*key, large, _view=view), key="netzwerk_graph", on_select="rerun",
                           selection_mode="partner", width="stretch",
                           alt=view["text"] + " Dieselben Angaben stehen in der Tabelle darunter.")
        st.caption("Linien = laufende Kooperationen (dicker = engere Zusammenarbeit), Symbolgröße = Zahl der "
                   "Kooperationspartner, Farbe und Form = Sektor. Namen stehen an den Partnern mit den meisten "
                   "Kooperationen (im Ego-Netzwerk an allen, soweit Platz ist); alle Namen in der Tabelle. "
                   "Mausrad: zoomen, ziehen: verschieben.")
        folded(f"Partner dieser Ansicht als Tabelle ({len(view['nodes'])})", "netzwerk_partnertabelle",
               lambda: show_table(view["nodes"].sort_values("name")[
                   ["name", "kategorie_label", "sektor_label", "sozialraum_name", "kooperationen"]].rename(columns={
                       "name": "Partner", "kategorie_label": "Kategorie", "sektor_label": "Sektor (Farbe und Form)",
                       "sozialraum_name": "Sozialraum", "kooperationen": "Kooperationen"}),
                   hide_index=True, width="stretch"))
        if len(view["edges"]):
            folded(f"Kooperationen dieser Ansicht als Tabelle ({len(view['edges'])})", "netzwerk_kooperationstabelle",
                   lambda: show_table(view["edges"][["name_a", "name_b", "arten", "intensitaet"]].rename(columns={
                       "name_a": "Partner", "name_b": "mit", "arten": "Art", "intensitaet": "Intensität"}),
                       hide_index=True, width="stretch"))


def _kontakt_tab() -> None:
    """Kontaktpflege: overdue contacts, recording a contact, the latest contacts."""
    names = q.netzwerker_namen(ns)
    k1, k2 = st.columns([2, 1])
    who = k1.selectbox("Zuständig", [q.ALLE, "(ohne Zuständigkeit)", *names], key="netzwerk_zustaendig",
                       format_func=lambda n: n or "alle") if q.shows_netzwerker(ns) else q.ALLE
    only_due = k2.checkbox("nur überfällige", value=True, key="netzwerk_nur_faellig",
                           help="überfällig = kein Kontakt seit dem in der Kategorie festgelegten Intervall")
    liste = q.kontakt_liste(ns, day, sr, who, only_due)
    st.header(f"Kontakt überfällig: {len(liste)} Partner" if only_due else f"Kontaktstatus: {len(liste)} Partner")
    st.caption("Fällig ist der nächste Kontakt am selben Tag so viele Monate nach dem letzten Kontakt, wie die "
               "Kategorie vorsieht (am Monatsende: letzter Tag des Monats); überfällig ab dem Folgetag.")
    if liste.empty:
        st.success("Keine überfälligen Kontakte für diese Auswahl.")
    else:
        show_table(liste.drop(columns="id"), hide_index=True, width="stretch")
        st.download_button("Liste als CSV (Excel)", to_csv_bytes(liste.drop(columns="id")),
                           file_name="kontakte_ueberfaellig.csv", mime="text/csv", on_click="ignore")
    st.header("Kontakt erfassen")
    if not may_write:
        st.info(f"Zum Erfassen ist die Rolle {ROLE_LABELS['netzwerk']} nötig (angemeldet: {ROLE_LABELS.get(role, role)}).")
    else:
        default_sr = sr if sr in kreis_areas else next(iter(kreis_areas))
        forms.kontakt_form(nw, ns, actor, kreis_areas, default_sr, names)
        with st.expander("Zuständigkeit festlegen"):
            forms.zustaendigkeit_form(nw, ns, actor, list(liste.loc[liste["zuständig"] == "– niemand –", "id"]))
    recent = q.kontakte_im_sozialraum(ns, sr)
    with st.expander(f"Zuletzt erfasste Kontakte ({len(recent)})"):
        if recent.empty:
            st.caption("Für diese Auswahl sind noch keine Kontakte erfasst.")
        else:
            show_table(recent.drop(columns="id"), hide_index=True, width="stretch")
        if may_write and not recent.empty:
            forms.kontakt_loeschen(nw, recent, ns, actor)


def _koop_tab() -> None:
    """Kooperationen: the running cooperations; new, change, end."""
    kliste = q.kooperation_liste(ns, day, sr)
    if kliste.empty:
        st.info("Für diese Auswahl sind am Stichtag keine Kooperationen erfasst.")
    else:
        show_table(kliste.drop(columns="id"), hide_index=True, width="stretch")
    if not may_write:
        st.info(f"Kooperationen anlegen und bearbeiten: Rolle {ROLE_LABELS['netzwerk']} nötig.")
    else:
        with st.expander("Neue Kooperation"):
            forms.kooperation_neu_form(nw, ns, actor)
        with st.expander("Kooperation ändern oder beenden"):
            forms.kooperation_bearbeiten_form(nw, ns, kliste, actor)


def _analyse_tab() -> None:
    """Analyse: central partners, bridges between sectors, isolated partners, levels."""
    t = _tables(token, ns.audience, day, sr, tuple(sektoren), _ns=ns)
    st.header("Zentrale Partner")
    st.caption("Wer hat die meisten Kooperationspartner, und über wen laufen die Verbindungen zwischen anderen? "
               "„Zwischen“ = Anteil der kürzesten Wege zwischen anderen Partnern, die über diesen Partner führen.")
    if t["zentral"].empty:
        st.info("Ohne laufende Kooperationen gibt es keine zentralen Partner.")
    else:
        show_table(t["zentral"].head(25), hide_index=True, width="stretch",
                     column_order=["name", "erklaerung", "kategorie_label", "sozialraum_name", "kooperationen",
                                   "zwischen"],
                     column_config={"name": "Partner",
                                    "erklaerung": st.column_config.TextColumn("Erklärung", width="large"),
                                    "kategorie_label": "Kategorie", "sozialraum_name": "Sozialraum",
                                    "kooperationen": "Kooperationen",
                                    "zwischen": st.column_config.NumberColumn("Zwischen", format="percent")})
    st.header("Brücken zwischen den Sektoren")
    st.caption("Ein Partner verbindet zwei Sektoren, wenn er zu einem gehört und mit dem anderen kooperiert "
               "(direkt) oder mit Partnern beider Sektoren kooperiert (vermittelnd).")
    b = t["brokers"]
    fragile = int((b["anzahl"] == 1).sum())
    if b.empty:
        st.info("Keine Verbindungen zwischen verschiedenen Sektoren.")
    else:
        if fragile:
            st.warning(f"{count(fragile, 'Verbindung', 'Verbindungen')} zwischen Sektoren "
                       + ("hängt" if fragile == 1 else "hängen") + " an einem einzigen Partner.")
        show_table(b, hide_index=True, width="stretch",
                     column_order=["erklaerung", "sektor_a", "sektor_b", "anzahl", "vermittelnd", "partner"],
                     column_config={"erklaerung": st.column_config.TextColumn("Erklärung", width="large"),
                                    "sektor_a": "Sektor", "sektor_b": "und Sektor", "anzahl": "Partner",
                                    "vermittelnd": "davon vermittelnd", "partner": "Namen"})
    st.header("Welche Sektoren kooperieren miteinander?")
    st.caption("Zahl der laufenden Kooperationen zwischen den Sektoren (Diagonale: innerhalb eines Sektors).")
    if t["matrix"].empty:
        st.info("Keine laufenden Kooperationen für diese Auswahl.")
    else:
        show_table(t["matrix"].rename_axis("Sektor"), width="stretch")  # named index column (screen readers)
    for text in t["fehlend"]["erklaerung"]:  # sector labels only, no user text
        st.markdown(f"- {text}")
    st.header("Nicht vernetzte Partner und Kategorien")
    cats = t["isolierte_kategorien"]
    if len(cats):
        show_table(cats[["erklaerung"]], hide_index=True, width="stretch",
                     column_config={"erklaerung": st.column_config.TextColumn("Erklärung", width="large")})
    iso_table = t["isoliert"]
    st.caption(f"{len(iso_table)} Partner ohne laufende Kooperation.")
    if len(iso_table):
        show_table(iso_table[["name", "kategorie_label", "sozialraum_name"]].rename(columns={
            "name": "Partner", "kategorie_label": "Kategorie", "sozialraum_name": "Sozialraum"}), hide_index=True,
            width="stretch")
    st.header("Netzwerkebenen")
    st.caption("lokal, Kreisebene, überregional und Entscheidungsebene (Spalte „ebene“ der Partner).")
    if len(t["ebenen"]):
        show_table(t["ebenen"], hide_index=True, width="stretch",
                     column_order=["erklaerung", "ebene", "partner", "mit_kooperation", "innerhalb", "mit_anderen_ebenen"],
                     column_config={"erklaerung": st.column_config.TextColumn("Erklärung", width="large"),
                                    "ebene": "Ebene", "partner": "Partner", "mit_kooperation": "mit Kooperation",
                                    "innerhalb": "Kooperationen innerhalb",
                                    "mit_anderen_ebenen": "mit anderen Ebenen"})


def _bericht_tab() -> None:
    """Jahresbericht for the Jugendhilfeausschuss (PDF and HTML)."""
    st.markdown("Jahresbericht der Netzwerkarbeit für den Jugendhilfeausschuss: Partner je Kategorie, Kontakte und "
                "Netzwerktreffen, neue und beendete Kooperationen, Vernetzung, Abdeckungslücken und "
                "Bedarfsmeldungen – als PDF oder HTML. Berichtstexte (Erfolge, Schwierigkeiten, Projekte, Ausblick) "
                "und den Bericht für den ganzen Landkreis gibt es auf der Seite „Sozialräume“.")
    st.page_link("views/sozialraum.py", label="Zur Seite „Sozialräume“ (Berichtstexte, Kreisbericht)", icon="🏘️")
    r1, r2 = st.columns(2)
    report_sr = r1.selectbox("Sozialraum", list(kreis_areas), format_func=kreis_areas.get, key="netzwerk_bericht_sr",
                             index=list(kreis_areas).index(sr) if sr in kreis_areas else 0)
    jahr = int(r2.number_input("Jahr", min_value=2000, max_value=date.today().year, value=date.today().year - 1,
                               step=1, key="netzwerk_bericht_jahr"))
    if st.toggle("Bericht erstellen", key="netzwerk_bericht_an"):
        report, pdf, html_text = _report(token, ns.audience, d.bedarfe.token(), nw.texte_token(), report_sr, jahr,
                                         date.today(), _nw=nw, _ns=ns)
        p, k = report["partner"], report["kontakte"]
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Partner (Jahresende)", p["summe_jahr"], p["summe_jahr"] - p["summe_vorjahr"])
        m2.metric("Kontakte", k["anzahl"], k["anzahl"] - k["anzahl_vorjahr"])
        m3.metric("Netzwerktreffen", k["nach_art"].get("Netzwerktreffen", 0))
        m4.metric("Neue / beendete Kooperationen",
                  f"{len(report['kooperationen']['neu'])} / {len(report['kooperationen']['beendet'])}")
        show_table(pd.DataFrame(p["kategorien"]).drop(columns="kategorie").rename(columns={
            "label": "Kategorie", "vorjahr": f"Ende {jahr - 1}", "jahr": f"Ende {jahr}", "veraenderung": "Veränderung"}),
            hide_index=True)
        a, b = report["abdeckung"], report["bedarfsmeldungen"]
        n1, n2 = st.columns(2)
        n1.metric("Kategorien/Bedarfe mit Lücke (heute)", f"{len(a['luecken'])} von {a['schluessel']}",
                  help="Mindestens eine Gemeinde des Sozialraums hat kein zuständiges Angebot (Stand heute).")
        n2.metric("Bedarfsmeldungen", b["anzahl"], b["anzahl"] - b["anzahl_vorjahr"], delta_color="off",
                  help=f"Gemeldete fehlende Angebote mit Datum im Jahr {jahr}; Veränderung zum Vorjahr.")
        st.caption(report["methode"])
        st.caption(report["methode_abdeckung"])
        stem = f"jahresbericht_{report_sr}_{jahr}"
        c1, c2 = st.columns(2)
        c1.download_button("PDF herunterladen", pdf, file_name=f"{stem}.pdf", mime="application/pdf", on_click="ignore")
        c2.download_button("HTML herunterladen", html_text.encode("utf-8"), file_name=f"{stem}.html", mime="text/html",
                           on_click="ignore")


open_tab_only({"Netzwerkgraph": _graph_tab, "Kontaktpflege": _kontakt_tab, "Kooperationen": _koop_tab,
               "Analyse": _analyse_tab, "Jahresbericht": _bericht_tab}, TAB_KEY)  # the first screen loads no table code
