"""Page „Sozialräume“: profile per Sozialraum, its „Besonderheiten“, the report texts and the Jahresbericht (also Kreis-wide)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from graph.core.roles import Actor, has_role
from graph.core.text import count, number, when_text
from graph.core.visibility import audience as reader_audience
from graph.io import bericht, profil
from graph.netzwerk.model import KREISWEIT
from graph.netzwerk.service import Netzwerkarbeit
from graph.netzwerk.texte import ABSCHNITT_LABELS, ABSCHNITTE, BESONDERHEITEN
from graph.verzeichnis.stats import area_names
from views.parts.netzwerk.forms import FLASH, run_write
from views.parts.shared import directory, md_escape, reader, remember_sozialraum, sozialraum_default
from views.parts.tables import show_small_table, show_table
from views.parts.ui import folded, page_help, screen_only

HILFE = """
- **Profil:** Gemeinden und Verbandsgemeinden, Sozialraumzentrum, Kennzahlen von heute und die Besonderheiten des
  Sozialraums. Die Namen der Netzwerkfachkräfte sehen nur angemeldete Personen.
- **Drucken:** „Profil als PDF“ oder „Profil als HTML“ – oder die Seite direkt drucken (Bedienelemente werden
  dabei ausgeblendet).
- **Berichtstexte** (Rolle Netzwerk): Erfolge, Schwierigkeiten, Projekte und Netzwerktreffen, Ausblick je Jahr.
  Sie erscheinen im Jahresbericht neben den Zahlen. Keine Namen von Familien oder Privatpersonen.
- **Jahresbericht** für einen Sozialraum oder den ganzen Landkreis (alle vier Sozialräume nebeneinander).
"""


@st.cache_resource(show_spinner=False)
def _netzwerkarbeit(data_dir: str, backend: str) -> Netzwerkarbeit:
    return Netzwerkarbeit(directory())


@st.cache_data(show_spinner="Profil wird erstellt …", max_entries=16)
def _profile(token: str, texte: str, bedarfe: str, audience: str, sr: str, day: date, _nw=None, _actor=None
             ) -> tuple[dict, str, bytes]:
    """Profile with HTML and PDF; data tokens, audience, Sozialraum and day are the cache key."""
    p = _nw.profile(sr, _actor, today=day)
    return p, profil.to_html(p), profil.to_pdf(p)


@st.cache_data(show_spinner="Bericht wird erstellt …", max_entries=8)
def _report(token: str, texte: str, bedarfe: str, audience: str, sr: str, jahr: int, day: date, _nw=None,
            _actor=None) -> tuple[str, bytes]:
    """Jahresbericht (Sozialraum or ``kreis``) as HTML and PDF."""
    report = _nw.annual_report(sr, jahr, today=day, ns=_nw.snapshot().for_reader(_actor))
    return bericht.to_html(report), bericht.to_pdf(report)


def _text_form(nw: Netzwerkarbeit, actor: Actor, sr: str, jahr: int | None, sections: dict[str, str], name: str,
               button: str) -> None:
    """Edit sections of a Sozialraum (and year); the versions read first are sent along (conflicts are refused)."""
    stored = nw.texte(sr, jahr)
    base = f"sozialraum_{name}_{sr}_{jahr or 'profil'}"
    for a in sections:  # the version this session started editing from
        st.session_state.setdefault(f"{base}_v_{a}", int(stored[a]["version"]) if a in stored else 0)
    with st.form(f"{base}_form"):
        values = {a: st.text_area(label, value=str(stored.get(a, {}).get("text", "")), max_chars=4000, height=140,
                                  key=f"{base}_{a}") for a, label in sections.items()}
        if st.form_submit_button(button, type="primary"):
            changed = {a: (v, st.session_state[f"{base}_v_{a}"]) for a, v in values.items()
                       if v.strip() != str(stored.get(a, {}).get("text", "")).strip()}
            for a in sections:
                st.session_state.pop(f"{base}_v_{a}", None)
            if changed:
                run_write(lambda: nw.save_texts(sr, jahr, changed, actor), "Texte gespeichert.")
            else:
                st.info("Keine Änderung.")


st.title("Sozialräume")
st.markdown("Profil eines Sozialraums: Gebiet, Sozialraumzentrum, Kennzahlen und Besonderheiten – zum Drucken und "
            "als Grundlage für den Jahresbericht an den Jugendhilfeausschuss.")
page_help(HILFE)
d = directory()
nw = _netzwerkarbeit(str(d.data_dir), d.store.name)
actor = reader()
may_write = has_role(actor.rolle, "netzwerk")
if message := st.session_state.pop(FLASH, None):
    st.success(message)
names = {k: v for k, v in area_names(d.gazetteer).items() if k in d.gazetteer.sozialraeume.index}
sozialraum_default("sozialraum_sr")
with screen_only("sozialraum-auswahl"):
    sr = st.selectbox("Sozialraum", list(names), format_func=names.get, key="sozialraum_sr")
remember_sozialraum(sr)
today = date.today()
ns_token, texte_token, bedarf_token = nw.token(), nw.texte_token(), d.bedarfe.token()
audience = reader_audience(actor)
p, profile_html, profile_pdf = _profile(ns_token, texte_token, bedarf_token, audience, sr, today, _nw=nw, _actor=actor)

if p["beispieldaten"]:
    st.warning("**Beispieldaten:** Partner, Kontakte und Kooperationen sind erfunden.", icon="ℹ️")
st.header(f"Sozialraum {p['name']}")
st.caption(f"Stand {when_text(p['stand'])}")
m1, m2, m3 = st.columns(3)
m1.metric("Gemeinden", len(p["gemeinden"]))
m2.metric("Einwohner (Zensus 2022)", number(p["einwohner"]))
m3.metric("Verbandsgemeinden", len(p["verbandsgemeinden"]))
st.markdown("**Verbandsgemeinden:** " + md_escape(", ".join(
    f"{v['name']} ({count(v['gemeinden'], 'Gemeinde', 'Gemeinden')})" for v in p["verbandsgemeinden"])))
folded(f"Alle {count(len(p['gemeinden']), 'Gemeinde', 'Gemeinden')} als Tabelle", "sozialraum_gemeinden",
       lambda: show_table(pd.DataFrame(p["gemeinden"]).drop(columns="ags").rename(
           columns={"name": "Gemeinde", "vg": "Verbandsgemeinde", "einwohner": "Einwohner"}), hide_index=True))

st.subheader("Sozialraumzentrum" if len(p["zentren"]) == 1 else "Sozialraumzentren")
if p["zentren"]:
    show_small_table(pd.DataFrame(p["zentren"]).rename(columns={"name": "Einrichtung", "anschrift": "Anschrift",
                                                                 "telefon": "Telefon"}))
else:
    st.caption("Im Verzeichnis ist kein Sozialraumzentrum mit Sitz im Sozialraum erfasst.")

st.subheader("Netzwerkfachkräfte")
if p["netzwerkfachkraefte"] is None:
    st.caption("Die Namen der Netzwerkfachkräfte sehen nur angemeldete Personen.")
elif p["netzwerkfachkraefte"]:
    show_small_table(pd.DataFrame([{"Name": f["name"], "zuständig für": count(f["partner"], "Partner", "Partner")}
                                   for f in p["netzwerkfachkraefte"]]))
else:
    st.caption("Für die Partner im Sozialraum ist niemand als zuständig erfasst.")

st.subheader("Kennzahlen")
k1, k2, k3, k4, k5 = st.columns(5)
k1.metric("Aktive Partner", p["partner"])
k2.metric("Laufende Kooperationen", p["kooperationen"])
k3.metric("Überfällige Kontakte", f"{p['ueberfaellig']} von {p['partner_aktiv']}",
          help="Partner, deren letzter Kontakt länger zurückliegt, als die Taxonomie vorsieht (oder nie).")
k4.metric("Offene Lücken", f"{p['luecken']} von {p['schluessel']}",
          help="Kategorien und Bedarfe, für die mindestens eine Gemeinde kein zuständiges Angebot hat.")
k5.metric(f"Bedarfsmeldungen {p['jahr']}", p["bedarfsmeldungen"])
folded("Partner je Kategorie", "sozialraum_kategorien",
       lambda: show_table(pd.DataFrame(p["kategorien"]).rename(columns={"label": "Kategorie", "partner": "Partner"}),
                          hide_index=True))

st.subheader(ABSCHNITT_LABELS[BESONDERHEITEN])
besonderheiten = str(p["besonderheiten"].get("text", "")).strip()
st.markdown(md_escape(besonderheiten) if besonderheiten else "_Noch nicht beschrieben._")
with screen_only("sozialraum-profil"):
    if may_write:
        with st.expander("Besonderheiten bearbeiten"):
            _text_form(nw, actor, sr, None, {BESONDERHEITEN: ABSCHNITT_LABELS[BESONDERHEITEN]}, "besonderheiten",
                       "Besonderheiten speichern")
    c1, c2 = st.columns(2)
    c1.download_button("Profil als PDF", profile_pdf, file_name=f"sozialraumprofil_{sr}.pdf", mime="application/pdf",
                       on_click="ignore")
    c2.download_button("Profil als HTML", profile_html.encode("utf-8"), file_name=f"sozialraumprofil_{sr}.html",
                       mime="text/html", on_click="ignore")

with screen_only("sozialraum-bericht"):
    st.subheader("Jahresbericht")
    jahr = int(st.number_input("Berichtsjahr", min_value=2000, max_value=today.year, value=today.year, step=1,
                               key="sozialraum_jahr"))
    if may_write:
        with st.expander(f"Berichtstexte {p['name']} {jahr} bearbeiten"):
            st.caption("Erscheinen im Jahresbericht neben den Zahlen. Einrichtungen und Projekte dürfen genannt "
                       "werden, Familien und Privatpersonen nicht.")
            _text_form(nw, actor, sr, jahr, ABSCHNITTE, "bericht", "Berichtstexte speichern")
    scopes = {sr: f"Sozialraum {p['name']}", KREISWEIT: "Landkreis (alle Sozialräume nebeneinander)"}
    scope = st.radio("Bericht für", list(scopes), format_func=scopes.get, horizontal=True, key="sozialraum_umfang")
    if st.toggle("Bericht erstellen", key="sozialraum_bericht_an"):
        html_text, pdf = _report(ns_token, texte_token, bedarf_token, audience, scope, jahr, today, _nw=nw,
                                 _actor=actor)
        stem = f"jahresbericht_{scope}_{jahr}"
        r1, r2 = st.columns(2)
        r1.download_button("Bericht als PDF", pdf, file_name=f"{stem}.pdf", mime="application/pdf", on_click="ignore")
        r2.download_button("Bericht als HTML", html_text.encode("utf-8"), file_name=f"{stem}.html", mime="text/html",
                           on_click="ignore")
