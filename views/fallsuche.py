"""Page „Fallsuche“: who can help a family in Gemeinde X? Nothing about the family is stored.

Privacy: the form lives in this browser session only (``st.session_state``); nothing is written
to disk, logged, cached across sessions or put into the URL. The handout holds partner
contacts only.
"""

from __future__ import annotations

import streamlit as st

from geo.maps.kit import html_text
from geo.maps.live import MapDocument, document
from geo.maps.partners import case_base_map, case_state, partner_points
from graph.abdeckung.meldungen import WRITE_ROLE
from graph.core.codes import LANGUAGE_NAMES
from graph.core.privacy import personal_data_findings
from graph.core.roles import has_role
from graph.core.text import count
from graph.errors import NetzwerkError
from graph.fallsuche.cards import CardFacts, card_html, facts_for, missing_text, needs_without_offer
from graph.fallsuche.handout import handout_entries, handout_html, handout_pdf
from graph.fallsuche.query import NeedMatch, build_query
from views.parts import hilfe
from views.parts.livemap import live_map
from views.parts.shared import (
    attribution_caption,
    current_actor,
    directory,
    md_escape,
    reset_inputs,
    sample_banner,
    snapshot,
    static_url,
    widget_key,
)
from views.parts.ui import folded, page_help

PRIVACY_NOTE = ("🔒 Es wird nichts über die Familie gespeichert: keine Protokolle, keine gespeicherten Suchen, "
                "nichts in der Adresszeile. Die Eingaben gelten nur in diesem Browserfenster.")
PREFIX = "fallsuche"
KEY = f"{PREFIX}_"
#: The inputs of the search form ("Eingaben löschen" clears them all).
INPUTS = ("gemeinde", "bedarfe", "freitext", "kategorie", "alter", "sprache", "umkreis", "limit", "barrierefrei")


def _gemeinde_label(gaz) -> dict[str, str]:
    """Picker labels: name, Verbandsgemeinde and postcodes (so typing a PLZ finds the Gemeinde)."""
    out = {}
    for ags, row in gaz.orte.sort_values("name").iterrows():
        where = f"VG {row['vg_name']}" if row["vg_name"] else "kreisfreie Stadt"
        out[ags] = f"{row['name']} · {where} · {', '.join(gaz.plz_of(ags))}"
    return out


def _form(snap) -> bool:
    """The search form; returns True once a search was submitted in this session."""
    gaz, tax = snap.gazetteer, snap.taxonomy
    labels = _gemeinde_label(gaz)
    languages = sorted({c for cell in snap.active["sprachen"] for c in cell}, key=lambda c: LANGUAGE_NAMES.get(c, c))
    with st.form(f"{KEY}form", border=True):
        c1, c2 = st.columns(2)
        c1.selectbox("Wohnort der Familie (Gemeinde)", list(labels), format_func=labels.get, index=None,
                     placeholder="Name oder PLZ tippen …", key=_k("gemeinde"),
                     help="Alle 104 Ortsgemeinden des Kreises und die Stadt Trier; Eintippen filtert die Liste.")
        c2.multiselect("Bedarfe", tax.tag_ids, format_func=tax.label, key=_k("bedarfe"), placeholder="auswählen …",
                       help="Mehrere Bedarfe möglich: Partner, die mehr davon abdecken, stehen oben.")
        st.text_input("Bedarf in eigenen Worten (optional)", key=_k("freitext"), max_chars=200,
                      placeholder="z. B. Hausaufgaben, Fußball, Hebamme",
                      help="Wörter werden den Bedarfen zugeordnet (auch mit Tippfehlern). Bitte keine Namen oder "
                           "anderen Angaben zur Familie eintragen.")
        c3, c4, c5 = st.columns(3)
        c3.selectbox("Kategorie (optional)", tax.category_ids, format_func=tax.label, index=None, placeholder="alle",
                     key=_k("kategorie"), help="Auch Partner dieser Kategorie zeigen, die keinen der Bedarfe nennen.")
        c4.number_input("Alter des Kindes (Jahre)", min_value=0, max_value=99, value=None, step=1,
                        placeholder="beliebig", key=_k("alter"))
        c5.selectbox("Sprache", languages, format_func=lambda c: LANGUAGE_NAMES.get(c, c), index=None,
                     placeholder="beliebig", key=_k("sprache"), help="Nur Partner, die diese Sprache angeben.")
        c6, c7, c8 = st.columns(3)
        c6.number_input("Umkreis (km)", min_value=1, max_value=100, value=None, step=1, placeholder="üblich je Bedarf",
                        key=_k("umkreis"),
                        help="Zuständige Partner erscheinen immer. Der Umkreis gilt für weitere Partner in der Nähe; "
                             "leer = übliche Entfernung je Bedarf (z. B. Kita 5 km, Erziehungsberatung 25 km).")
        c7.number_input("Höchstens Treffer", min_value=1, max_value=50, value=10, step=1, key=_k("limit"))
        c8.checkbox("barrierefrei nötig", key=_k("barrierefrei"),
                    help="Nur Angebote, die als barrierefrei eingetragen sind. Teilweise barrierefreie erscheinen "
                         "als Vorschlag, wenn sonst nichts passt.")
        if st.form_submit_button("Suchen", type="primary", icon="🔎"):
            st.session_state[f"{KEY}gesucht"] = True
    st.button("Eingaben löschen", key=f"{KEY}loeschen", on_click=_clear, icon="🧹",
              help="Setzt das Formular zurück (z. B. vor der nächsten Familie).")
    return bool(st.session_state.get(f"{KEY}gesucht"))


def _k(name: str) -> str:
    """Key of a search input in the current generation (see :func:`_clear`)."""
    return widget_key(PREFIX, name)


def _clear() -> None:
    """Forget every input and choice of this page – in the browser too (new, empty widgets)."""
    reset_inputs(PREFIX, INPUTS)
    for key in [k for k in st.session_state if str(k).startswith(KEY)]:  # results, handout choices
        del st.session_state[key]


def _needs(snap) -> NeedMatch:
    """Selected tags plus those recognised in the free text, parsed once (with feedback on the free text)."""
    state = st.session_state
    tags = list(state.get(_k("bedarfe")) or [])
    text = (state.get(_k("freitext")) or "").strip()
    if not text:
        return NeedMatch(tuple(tags), (), ())
    found = personal_data_findings(text)
    if found:
        st.warning(f"Der Freitext enthält vermutlich {', '.join(found)}. Bitte nur Bedarfe eintragen, "
                   "keine Angaben zur Familie.", icon="⚠️")
    parsed = snap.vocabulary.parse(text)
    if parsed.recognised:
        pairs = [f"„{md_escape(w)}“ → {md_escape(snap.taxonomy.label(t))}" for w, t in parsed.recognised]
        st.caption("Erkannt: " + "; ".join(pairs))
    if parsed.unknown:
        st.warning(md_escape(snap.vocabulary.unknown_message(parsed.unknown)), icon="❓")
    return NeedMatch(tuple(dict.fromkeys(tags + list(parsed.tags))), parsed.recognised, ())


def _card(n: int, r: dict, p, tax, facts: CardFacts, picked: bool = True) -> None:
    """One result or suggestion: who, why, how to reach, what to check, whom to ask for a warm handover.

    The card's text is one escaped HTML block (no Markdown to parse) plus the handout box: a new search
    redraws quickly.
    """
    with st.container(border=True):
        st.html(card_html(n, r, p, tax, facts))
        st.checkbox("auf den Handzettel", value=picked, key=f"{KEY}wahl_{r['id']}")


def _report_gap(g: dict, missing: list[str], query) -> None:
    """„Lücke melden“: record an anonymous Bedarfsmeldung per need without an offer (role Netzwerk and above)."""
    if not missing or not has_role(current_actor().rolle, WRITE_ROLE):
        return
    signature = f"{KEY}gemeldet_{g['ags']}_{'_'.join(missing)}_{query.sprache or ''}"
    if st.session_state.get(signature):
        st.success("Lücke gemeldet – sie steht unter Abdeckung → Bedarfsmeldungen.", icon="✅")
        return
    language = LANGUAGE_NAMES.get(query.sprache, query.sprache) if query.sprache else ""
    if st.button("Lücke melden", key=f"{KEY}luecke", icon="📣",
                 help="Hält anonym fest, dass es hier für diesen Bedarf kein Angebot gibt: nur Gemeinde, Bedarf, Datum "
                      "und Quelle „Fallsuche“ – nichts über die Familie, auch nicht der Freitext."):
        try:
            directory().bedarfe.report_gap(current_actor(), g["ags"], missing, language)
        except NetzwerkError as exc:
            st.error(md_escape(str(exc)))
            return
        st.session_state[signature] = True
        st.rerun()


@st.cache_resource(show_spinner=False, max_entries=4)
def _base_map(data_dir: str, url: str) -> MapDocument:
    """Sozialräume and Gemeinden with an empty hit layer, rendered once; each search sends only its state."""
    d = directory()
    return document(case_base_map(d.gazetteer, d.taxonomy, static_url=url))


def _map(snap, ags: str, shown: list[dict]) -> None:
    """The Gemeinde (red outline) and the listed partners; marker tooltips carry the card number."""
    ids = [r["id"] for r in shown]
    points = partner_points(snap.partners.loc[ids], snap.taxonomy, snap.gazetteer)
    rank = {pid: n for n, pid in enumerate(ids, 1)}
    for p in points:
        p["t"] = html_text(f"{rank[p['id']]}. {snap.partners.at[p['id'], 'name']}")
    live_map(_base_map(str(directory().data_dir), static_url()), case_state(snap.gazetteer, ags, points),
             key=f"{KEY}karte", height=520)
    st.caption("Rot umrandet: Wohnort der Familie. Beim Darüberfahren zeigt jeder Marker die Nummer aus der Liste.")
    attribution_caption()


def _handout(snap, ids: list[str]) -> None:
    """Printable handout (HTML print view and PDF) with the chosen partners' contacts."""
    st.header("Handzettel für die Familie")
    st.caption("Enthält nur die Kontaktdaten der ausgewählten Stellen – keine Angaben über die Familie.")
    if not ids:
        st.info("Bitte oben mindestens ein Angebot für den Handzettel anhaken.")
        return
    entries = handout_entries(snap.partners, ids, snap.taxonomy)
    page = handout_html(entries)
    d1, d2, _ = st.columns([1, 1, 2])
    d1.download_button("PDF herunterladen", data=lambda: handout_pdf(entries), file_name="handzettel.pdf",
                       mime="application/pdf", key=f"{KEY}pdf", on_click="ignore", icon="📄")
    d2.download_button("HTML herunterladen", data=page.encode("utf-8"), file_name="handzettel.html",
                       mime="text/html", key=f"{KEY}html", on_click="ignore", icon="🖨️")
    # drawn only while open: a new search does not load a hidden print document each time
    folded("Druckansicht", f"{KEY}druckansicht",
           lambda: st.iframe(page, height=600))  # every value in ``page`` is escaped (graph/fallsuche/handout.py)


st.title("Fallsuche")
st.caption(PRIVACY_NOTE)
page_help(hilfe.FALLSUCHE)
snap = snapshot()
sample_banner(snap)
searched = _form(snap)
gemeinde = st.session_state.get(_k("gemeinde"))
if not searched:
    st.info("Gemeinde der Familie wählen, Bedarfe angeben und **Suchen** klicken. Ohne Bedarf werden alle "
            "erreichbaren Partner gezeigt.", icon="🧭")
    st.stop()
if not gemeinde:
    st.warning("Bitte den Wohnort der Familie (Gemeinde) wählen.")
    st.stop()

state = st.session_state
notes = st.container()  # what the free text was read as: comes and goes, the results below keep their place
try:
    with notes:
        need = _needs(snap)
    query = build_query(snap.gazetteer, snap.taxonomy, gemeinde, need=need,
                        kategorie=state.get(_k("kategorie")),
                        alter=state.get(_k("alter")), sprache=state.get(_k("sprache")),
                        barrierefrei=bool(state.get(_k("barrierefrei"))), umkreis_km=state.get(_k("umkreis")),
                        limit=int(state.get(_k("limit")) or 10), vocabulary=snap.vocabulary)
    found = snap.matcher.find(query)
except NetzwerkError as exc:
    st.error(md_escape(str(exc)))
    st.stop()

g = found.gemeinde
more = f" (die ersten {len(found.results)})" if len(found.results) < found.total else ""
st.header(f"{count(found.total, 'passendes Angebot', 'passende Angebote')} für {md_escape(g['name'])}{more}")
shown, picked = found.results, True
missing = needs_without_offer(snap.matcher, query) if found.results else list(query.tags)
with st.container():  # notices come and go; the cards and the map below keep their place (and the map its frame)
    if not found.results:
        st.warning(md_escape(found.explanation or "Keine Treffer."), icon="🔎")
        if found.suggestions:
            st.markdown("**Am nächsten dran** – erfüllen nicht alle Angaben; bei Bedarf für den Handzettel anhaken:")
        shown, picked = found.suggestions, False
    if found.results and missing:
        st.warning(md_escape(missing_text(missing, query, snap.taxonomy)), icon="🕳️")
    _report_gap(g, missing, query)
if shown:
    facts = facts_for(directory(), snap, g["ags"], [r["id"] for r in shown])  # what this reader may see
    cards, where = st.columns([3, 2], gap="medium")
    with cards:
        for n, r in enumerate(shown, 1):
            _card(n, r, snap.partners.loc[r["id"]], snap.taxonomy, facts[r["id"]], picked)
    with where:
        _map(snap, g["ags"], shown)
    _handout(snap, [r["id"] for r in shown if state.get(f"{KEY}wahl_{r['id']}", picked)])
