"""Änderungsvorschläge: propose (everyone; network members and partners) and decide (Leitstelle)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.core.model import empty_record, find_partner
from graph.core.text import count
from graph.pflege.proposals import MAX_CONTACT, MAX_REASON, STATUS_LABELS, Proposals
from views.parts.pflege.common import Ctx, attempt, flash, partner_options
from views.parts.pflege.form import GROUPS_FLAT, field_widget, to_record
from views.parts.shared import label, md_escape
from views.parts.tables import show_table

NEW_PARTNER_FIELDS = ["name", "traeger", "kategorie", "angebote", "strasse", "plz", "ort", "ags", "telefon", "email",
                      "website", "ansprechperson", "oeffnungszeiten"]
CHANGEABLE = [f for f in GROUPS_FLAT if f not in ("notizen", "geprueft_am", "lat", "lon")]


def render_propose(ctx: Ctx) -> None:
    """Form for a proposal; nothing changes until the Leitstelle Familie accepts it."""
    st.markdown("Sie haben einen Fehler entdeckt oder kennen ein Angebot, das fehlt? Schlagen Sie die Änderung vor – "
                "die Leitstelle Familie prüft und übernimmt sie.")
    kind = st.radio("Vorschlag", ["Angaben eines Partners ändern", "Neuen Partner melden"], horizontal=True,
                    key="pflege_vorschlag_art")
    n = st.session_state.setdefault("pflege_vorschlag_n", 0)
    pid, base, fields = "", {**empty_record()}, NEW_PARTNER_FIELDS
    if kind.startswith("Angaben"):
        options = partner_options(ctx.snap, active_only=True)
        pid = st.selectbox("Partner", list(options), format_func=options.get, index=None, key="pflege_vorschlag_partner",
                           placeholder="Name oder Ort eingeben …")
        if not pid:
            return
        base = {**empty_record(), **find_partner(ctx.snap.raw, pid)}  # fields the reader may not see stay empty
        fields = st.multiselect("Welche Angaben möchten Sie ändern?", CHANGEABLE, format_func=label,
                                key=f"pflege_vorschlag_felder_{pid}")
        if not fields:
            return
    with st.form(f"pflege_vorschlag_{pid or 'neu'}_{n}", enter_to_submit=False):
        values = {f: field_widget(ctx, f, base, f"pflege_vorschlag_{pid or 'neu'}_{n}_{f}") for f in fields}
        reason = st.text_area("Begründung / Quelle (optional)", max_chars=MAX_REASON,
                              help="Bitte keine Angaben über Familien oder Kinder – nur über das Angebot.")
        contact = "" if ctx.actor.name else st.text_input(
            "Ihr Name und Ihre Einrichtung *", max_chars=MAX_CONTACT, help="Damit die Leitstelle bei Rückfragen Kontakt aufnehmen kann.")
        sent = st.form_submit_button("Vorschlag senden", type="primary")
    if sent:
        done = attempt(lambda: Proposals(ctx.directory).propose(ctx.actor, pid, to_record(values), reason, contact))
        if done:
            flash("success", "Danke! Ihr Vorschlag ist bei der Leitstelle Familie eingegangen.")
            st.session_state["pflege_vorschlag_n"] = n + 1
            st.rerun()


def render_decide(ctx: Ctx) -> None:
    """Open proposals with a field-by-field comparison; accept (all or some fields) or reject."""
    proposals = Proposals(ctx.directory)
    waiting = proposals.open()
    names = dict(zip(ctx.snap.raw["id"], ctx.snap.raw["name"]))
    if waiting.empty:
        st.success("Keine offenen Vorschläge.")
    for i, p in waiting.iterrows():
        title = names.get(p["partner_id"], "Neuer Partner") if p["partner_id"] else "Neuer Partner"
        who = f"{p['von']} ({'ohne Anmeldung' if p['rolle'] == 'extern' else p['rolle']})"
        with st.expander(md_escape(f"{p['id']} · {title} · von {who} · {p['eingegangen_am'][:10]}"), expanded=i == 0):
            _decide_one(ctx, proposals, p)
    decided = proposals.all()
    decided = decided[decided["status"] != "offen"]
    if not decided.empty:
        with st.expander(f"Entschiedene Vorschläge ({len(decided)})"):
            table = decided[["id", "partner_id", "von", "eingegangen_am", "status", "entschieden_von", "kommentar"]]
            show_table(table.assign(status=table["status"].map(STATUS_LABELS)), hide_index=True, width="stretch")


def _decide_one(ctx: Ctx, proposals: Proposals, p: pd.Series) -> None:
    if p["begruendung"]:
        st.markdown(f"**Begründung:** {md_escape(p['begruendung'])}")
    if p["kontakt"]:
        st.caption(md_escape(f"Kontakt: {p['kontakt']}"))
    diff = proposals.diff(p["id"])
    shown = pd.DataFrame({"Feld": diff["feld"].map(label), "Aktuell": diff["aktuell"],
                          "Vorgeschlagen": diff["vorgeschlagen"],
                          "Hinweis": diff["inzwischen_geaendert"].map({True: "⚠️ seit dem Vorschlag geändert", False: ""})})
    show_table(shown, hide_index=True, width="stretch")
    chosen = st.multiselect("Übernehmen", list(diff["feld"]), default=list(diff["feld"]), format_func=label,
                            key=f"pflege_entscheid_felder_{p['id']}")
    comment = st.text_input("Kommentar (optional)", key=f"pflege_entscheid_kommentar_{p['id']}")
    version = int(find_partner(ctx.snap.raw, p["partner_id"])["version"]) if p["partner_id"] else None
    c1, c2 = st.columns(2)
    if c1.button("Annehmen" if len(chosen) == len(diff) else f"{count(len(chosen), 'Feld', 'Felder')} annehmen", type="primary",  # noqa: SIM102
                 key=f"pflege_annehmen_{p['id']}", disabled=not (ctx.can_edit and chosen)):
        if attempt(lambda: proposals.decide(ctx.actor, p["id"], True, chosen, version, comment),
                   f"Vorschlag {p['id']} übernommen.") is not None:
            st.rerun()
    if c2.button("Ablehnen", key=f"pflege_ablehnen_{p['id']}", disabled=not ctx.can_edit):  # noqa: SIM102
        if attempt(lambda: proposals.decide(ctx.actor, p["id"], False, kommentar=comment),
                   f"Vorschlag {p['id']} abgelehnt.") is not None:
            st.rerun()
