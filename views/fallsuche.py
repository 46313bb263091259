"""Page „Fallsuche“: who can help a family in Gemeinde X? Nothing about the family is stored.

Privacy: the form lives in this browser session only (``st.session_state``); nothing is written
to disk, logged, cached across sessions or put into the URL. The handout holds partner
contacts only.
"""

from __future__ import annotations

import streamlit as st

from graph._codes import LANGUAGE_NAMES
from graph.errors import NetzwerkError
from graph.handout import handout_entries, handout_html, handout_pdf, route_hint
from graph.needs import NeedVocabulary, build_query
from graph.privacy import personal_data_findings
from views.shared import sample_banner, snapshot

# Provisional until issue 4's graph/listing.py and views/shared.md land on main.
import re as _re

_MD_SPECIAL = _re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&\"'=^@%/;,?])")


def md(text: object) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


def _tel(v):
    d = _re.sub(r"\D", "", str(v or ""))
    return f"tel:+49{d[1:]}" if d.startswith("0") and len(d) >= 6 else None


def _mailto(v):
    return f"mailto:{v}" if _re.fullmatch(r"[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", str(v or "")) else None


def _web(v):
    return str(v) if _re.fullmatch(r"https?://[A-Za-z0-9.-]+(/[^\s<>\"'`\\]*)?", str(v or "")) else None


def _link(text, href):
    return f"[{md(text)}](<{href}>)" if href else md(text)

PRIVACY_NOTE = ("🔒 Es wird nichts über die Familie gespeichert: keine Protokolle, keine gespeicherten Suchen, "
                "nichts in der Adresszeile. Die Eingaben gelten nur in diesem Browserfenster.")
KEY = "fallsuche_"


@st.cache_resource(show_spinner=False, max_entries=4)
def _vocabulary(token: str, _snap) -> NeedVocabulary:
    """Need-word index of the taxonomy (per data version; holds no query)."""
    return NeedVocabulary(_snap.taxonomy)


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
                     placeholder="Name oder PLZ tippen …", key=f"{KEY}gemeinde",
                     help="Alle 104 Ortsgemeinden des Kreises und die Stadt Trier; Eintippen filtert die Liste.")
        c2.multiselect("Bedarfe", tax.tag_ids, format_func=tax.label, key=f"{KEY}bedarfe", placeholder="auswählen …",
                       help="Mehrere Bedarfe möglich: Partner, die mehr davon abdecken, stehen oben.")
        st.text_input("Bedarf in eigenen Worten (optional)", key=f"{KEY}freitext", max_chars=200,
                      placeholder="z. B. Hausaufgaben, Fußball, Hebamme",
                      help="Wörter werden den Bedarfen zugeordnet (auch mit Tippfehlern). Bitte keine Namen oder "
                           "anderen Angaben zur Familie eintragen.")
        c3, c4, c5 = st.columns(3)
        c3.selectbox("Kategorie (optional)", tax.category_ids, format_func=tax.label, index=None, placeholder="alle",
                     key=f"{KEY}kategorie", help="Auch Partner dieser Kategorie zeigen, die keinen der Bedarfe nennen.")
        c4.number_input("Alter des Kindes (Jahre)", min_value=0, max_value=99, value=None, step=1,
                        placeholder="beliebig", key=f"{KEY}alter")
        c5.selectbox("Sprache", languages, format_func=lambda c: LANGUAGE_NAMES.get(c, c), index=None,
                     placeholder="beliebig", key=f"{KEY}sprache", help="Nur Partner, die diese Sprache angeben.")
        c6, c7, c8 = st.columns(3)
        c6.number_input("Umkreis (km)", min_value=1, max_value=100, value=None, step=1, placeholder="üblich je Bedarf",
                        key=f"{KEY}umkreis",
                        help="Zuständige Partner erscheinen immer. Der Umkreis gilt für weitere Partner in der Nähe; "
                             "leer = übliche Entfernung je Bedarf (z. B. Kita 5 km, Erziehungsberatung 25 km).")
        c7.number_input("Höchstens Treffer", min_value=1, max_value=50, value=10, step=1, key=f"{KEY}limit")
        c8.checkbox("barrierefrei nötig", key=f"{KEY}barrierefrei",
                    help="Nur Angebote, die als barrierefrei eingetragen sind. Teilweise barrierefreie erscheinen "
                         "als Vorschlag, wenn sonst nichts passt.")
        if st.form_submit_button("Suchen", type="primary", icon="🔎"):
            st.session_state[f"{KEY}gesucht"] = True
    st.button("Eingaben löschen", key=f"{KEY}loeschen", on_click=_clear, icon="🧹",
              help="Setzt das Formular zurück (z. B. vor der nächsten Familie).")
    return bool(st.session_state.get(f"{KEY}gesucht"))


def _clear() -> None:
    """Forget every input and choice of this page in this session."""
    for key in [k for k in st.session_state if str(k).startswith(KEY)]:
        del st.session_state[key]


def _needs(snap) -> list[str] | None:
    """Selected tags plus those recognised in the free text (with feedback); None = nothing to search."""
    state = st.session_state
    tags = list(state.get(f"{KEY}bedarfe") or [])
    text = (state.get(f"{KEY}freitext") or "").strip()
    if text:
        found = personal_data_findings(text)
        if found:
            st.warning(f"Der Freitext enthält vermutlich {', '.join(found)}. Bitte nur Bedarfe eintragen, "
                       "keine Angaben zur Familie.", icon="⚠️")
        parsed = _vocabulary(snap.token, snap).parse(text)
        if parsed.recognised:
            pairs = [f"„{md(w)}“ → {md(snap.taxonomy.label(t))}" for w, t in parsed.recognised]
            st.caption("Erkannt: " + "; ".join(pairs))
        if parsed.unknown:
            st.warning(md(_vocabulary(snap.token, snap).unknown_message(parsed.unknown)), icon="❓")
        tags += [t for t in parsed.tags if t not in tags]
    return tags


def _card(r: dict, p, tax, picked: bool = True) -> None:
    """One result or suggestion: name, Träger, reasons, what is missing, way, contact links, handout choice."""
    with st.container(border=True):
        left, right = st.columns([4, 1])
        badge = "✅ zuständig" if r["zustaendig"] else "📍 in der Nähe"
        left.markdown(f"**{md(r['name'])}**  \n{md(p['traeger'])} · {md(tax.label(r['kategorie']))} · {badge}")
        left.markdown(" · ".join(md(x) for x in r["reasons"]))
        if r.get("missing"):
            left.markdown(f"⚠️ Es fehlt: {md('; '.join(r['missing']))}")
        left.caption(f"Weg zum Angebot: {md(route_hint(r['distance_km']))}  \n"
                     f"{md(p['strasse'])}, {md(p['plz'])} {md(p['ort'])}")
        contact = [_link(p["telefon"], _tel(p["telefon"])), _link(p["email"], _mailto(p["email"])),
                   _link(p["website"], _web(p["website"]))]
        left.markdown(" · ".join(c for c in contact if c) or "keine Kontaktdaten eingetragen")
        right.checkbox("auf den Handzettel", value=picked, key=f"{KEY}wahl_{r['id']}")


def _handout(snap, ids: list[str]) -> None:
    """Printable handout (HTML print view and PDF) with the chosen partners' contacts."""
    st.subheader("Handzettel für die Familie")
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
    with st.expander("Druckansicht", expanded=False):
        st.iframe(page, height=600)  # every value in ``page`` is escaped (graph/handout.py)


st.title("Fallsuche")
st.caption(PRIVACY_NOTE)
snap = snapshot()
sample_banner(snap)
searched = _form(snap)
gemeinde = st.session_state.get(f"{KEY}gemeinde")
if not searched:
    st.info("Gemeinde der Familie wählen, Bedarfe angeben und **Suchen** klicken. Ohne Bedarf werden alle "
            "erreichbaren Partner gezeigt.", icon="🧭")
    st.stop()
if not gemeinde:
    st.warning("Bitte den Wohnort der Familie (Gemeinde) wählen.")
    st.stop()

state = st.session_state
try:
    query = build_query(snap.gazetteer, snap.taxonomy, gemeinde, bedarf=_needs(snap),
                        kategorie=state.get(f"{KEY}kategorie"),
                        alter=state.get(f"{KEY}alter"), sprache=state.get(f"{KEY}sprache"),
                        barrierefrei=bool(state.get(f"{KEY}barrierefrei")), umkreis_km=state.get(f"{KEY}umkreis"),
                        limit=int(state.get(f"{KEY}limit") or 10), vocabulary=_vocabulary(snap.token, snap))
    found = snap.matcher.find(query)
except NetzwerkError as exc:
    st.error(md(str(exc)))
    st.stop()

g = found.gemeinde
more = f" (die ersten {len(found.results)})" if len(found.results) < found.total else ""
st.subheader(f"{found.total} passende Angebote für {md(g['name'])}{more}")
shown, picked = found.results, True
if not found.results:
    st.warning(md(found.explanation or "Keine Treffer."), icon="🔎")
    if found.suggestions:
        st.markdown("**Am nächsten dran** – erfüllen nicht alle Angaben; bei Bedarf für den Handzettel anhaken:")
    shown, picked = found.suggestions, False
for r in shown:
    _card(r, snap.partners.loc[r["id"]], snap.taxonomy, picked)
if shown:
    _handout(snap, [r["id"] for r in shown if state.get(f"{KEY}wahl_{r['id']}", picked)])
