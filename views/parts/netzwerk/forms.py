"""Forms of the Netzwerk page: contacts, Zuständigkeiten, cooperations (writes go through graph.netzwerk.service)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from graph.core.model import KOOPERATION_ARTEN
from graph.core.roles import Actor
from graph.errors import ConflictError, ForbiddenError, NetzwerkError, ValidationError
from graph.netzwerk.model import KONTAKT_ARTEN, KREISWEIT
from graph.netzwerk.queries import INTENSITAET_LABELS
from graph.netzwerk.service import Netzwerkarbeit
from graph.netzwerk.snapshot import NetzwerkSnapshot
from views.parts.shared import md_escape, show_issues

FLASH = "netzwerk_meldung"
PRIVACY_HELP = ("Keine Fall- oder Familiendaten: keine Namen, Anschriften, Telefonnummern oder Geburtsdaten von "
                "Familien. Nur das Thema, z. B. „Ferienangebote abgestimmt“.")


def run_write(action: Callable[[], object], success: str) -> None:
    """Run a service call; show German errors, or remember a success message and reload the page."""
    try:
        action()
    except ValidationError as exc:
        show_issues(exc.issues)
        return
    except ConflictError as exc:
        st.warning(md_escape(exc))
        return
    except (ForbiddenError, NetzwerkError) as exc:
        st.error(md_escape(exc))
        return
    st.session_state[FLASH] = success
    st.rerun()


def partner_labels(ns: NetzwerkSnapshot) -> dict[str, str]:
    """Active partner id → „Name (Ort)“, sorted by name."""
    p = ns.snap.active.sort_values("name")
    return {pid: f"{name} ({ort})" for pid, name, ort in zip(p.index, p["name"], p["ort"])}


def kontakt_form(nw: Netzwerkarbeit, ns: NetzwerkSnapshot, actor: Actor, sozialraeume: dict[str, str],
                 default_sr: str, netzwerker: list[str]) -> None:
    """Record a contact (date, partners, Sozialraum, Netzwerker, kind, anonymous topic)."""
    labels = partner_labels(ns)
    areas = {**sozialraeume, KREISWEIT: "kreisweit (alle Sozialräume)"}
    with st.form("netzwerk_kontakt_form", clear_on_submit=True):
        st.caption(PRIVACY_HELP)
        c1, c2, c3 = st.columns(3)
        day = c1.date_input("Datum", value=date.today(), max_value=date.today(), format="DD.MM.YYYY",
                            key="netzwerk_kf_datum")
        art = c2.selectbox("Art", KONTAKT_ARTEN, key="netzwerk_kf_art")
        sr = c3.selectbox("Sozialraum", list(areas), index=list(areas).index(default_sr) if default_sr in areas else 0,
                          format_func=areas.get, key="netzwerk_kf_sr")
        partners = st.multiselect("Partner", list(labels), format_func=labels.get, key="netzwerk_kf_partner",
                                  placeholder="einen oder mehrere Partner wählen")
        who = st.text_input("Zuständige Netzwerkerin / zuständiger Netzwerker", value=actor.name, key="netzwerk_kf_wer",
                            help="Bereits verwendet: " + ", ".join(netzwerker[:12]) if netzwerker else None)
        thema = st.text_area("Thema", max_chars=500, help=PRIVACY_HELP, key="netzwerk_kf_thema")
        if st.form_submit_button("Kontakt speichern", type="primary"):
            record = {"datum": day.isoformat(), "partner": partners, "sozialraum": sr, "netzwerker": who,
                      "art": art, "thema": thema}
            run_write(lambda: nw.add_kontakt(record, actor), "Kontakt gespeichert.")


def kontakt_loeschen(nw: Netzwerkarbeit, recent: pd.DataFrame, ns: NetzwerkSnapshot, actor: Actor) -> None:
    """Remove a wrongly recorded contact."""
    if recent.empty:
        st.caption("Keine Kontakte erfasst.")
        return
    options = dict(zip(recent["id"], recent["Datum"] + " · " + recent["Art"] + " · " + recent["Partner"].str[:60]))
    with st.form("netzwerk_kontakt_loeschen"):
        kid = st.selectbox("Kontakt", list(options), format_func=options.get)
        if st.form_submit_button("Kontakt löschen"):
            expected = ns.kontakte.set_index("id").loc[kid].to_dict() | {"id": kid}
            run_write(lambda: nw.delete_kontakt(kid, expected, actor), "Kontakt gelöscht.")


def zustaendigkeit_form(nw: Netzwerkarbeit, ns: NetzwerkSnapshot, actor: Actor, preselect: list[str]) -> None:
    """Assign (or remove) the responsible Netzwerker for partners."""
    labels = partner_labels(ns)
    current = dict(zip(ns.zustaendigkeiten["partner"], ns.zustaendigkeiten["netzwerker"]))
    with st.form("netzwerk_zustaendigkeit_form"):
        ids = st.multiselect("Partner", list(labels), default=[p for p in preselect if p in labels][:50],
                             format_func=lambda p: f"{labels[p]} – bisher: {current.get(p) or 'niemand'}")
        who = st.text_input("Zuständig (leer lassen = Zuständigkeit entfernen)", value=actor.name)
        if st.form_submit_button("Zuständigkeit speichern", type="primary"):
            expected = {p: current.get(p, "") for p in ids}
            run_write(lambda: nw.assign(ids, who, actor, expected), "Zuständigkeit gespeichert.")


def kooperation_neu_form(nw: Netzwerkarbeit, ns: NetzwerkSnapshot, actor: Actor) -> None:
    """Record a new cooperation between two active partners."""
    labels = partner_labels(ns)
    ids = list(labels)
    with st.form("netzwerk_kooperation_neu", clear_on_submit=True):
        c1, c2 = st.columns(2)
        a = c1.selectbox("Partner A", ids, format_func=labels.get, index=None, placeholder="Partner wählen")
        b = c2.selectbox("Partner B", ids, format_func=labels.get, index=None, placeholder="Partner wählen")
        c3, c4, c5 = st.columns(3)
        art = c3.selectbox("Art", KOOPERATION_ARTEN)
        seit = c4.date_input("seit", value=date.today(), format="DD.MM.YYYY")
        stufe = c5.selectbox("Intensität", list(INTENSITAET_LABELS), index=1, format_func=INTENSITAET_LABELS.get)
        notizen = st.text_input("Notizen (ohne Fall- oder Familiendaten)", max_chars=300)
        if st.form_submit_button("Kooperation speichern", type="primary"):
            record = {"partner_a": a or "", "partner_b": b or "", "art": art, "seit": seit.isoformat(),
                      "intensitaet": stufe, "notizen": notizen}
            run_write(lambda: nw.add_kooperation(record, actor), "Kooperation gespeichert.")


def kooperation_bearbeiten_form(nw: Netzwerkarbeit, ns: NetzwerkSnapshot, liste: pd.DataFrame, actor: Actor) -> None:
    """Change or end an existing cooperation (the row as shown is the expected state)."""
    if liste.empty:
        st.caption("Keine Kooperationen für diese Auswahl.")
        return
    options = dict(zip(liste["id"], liste["Partner A"] + " ↔ " + liste["Partner B"] + " (" + liste["Art"] + ")"))
    kid = st.selectbox("Kooperation", list(options), format_func=options.get, key="netzwerk_koop_auswahl")
    row = ns.snap.kooperationen.set_index("id").loc[kid].fillna("").to_dict() | {"id": kid}
    with st.form(f"netzwerk_kooperation_edit_{kid}"):
        c1, c2, c3 = st.columns(3)
        art = c1.selectbox("Art", KOOPERATION_ARTEN, index=_index(KOOPERATION_ARTEN, row["art"]))
        seit = c2.date_input("seit", value=_date(row["seit"]), format="DD.MM.YYYY")
        stufe = c3.selectbox("Intensität", list(INTENSITAET_LABELS), format_func=INTENSITAET_LABELS.get,
                             index=_index(list(INTENSITAET_LABELS), row["intensitaet"], 1))
        ended = st.checkbox("Kooperation ist beendet", value=bool(row["bis"]))
        bis = st.date_input("beendet am", value=_date(row["bis"]) or date.today(), format="DD.MM.YYYY")
        notizen = st.text_input("Notizen", value=row["notizen"], max_chars=300)
        if st.form_submit_button("Änderung speichern", type="primary"):
            changes = {"art": art, "seit": seit.isoformat() if seit else "", "intensitaet": stufe, "notizen": notizen,
                       "bis": bis.isoformat() if ended and bis else ""}
            run_write(lambda: nw.update_kooperation(kid, changes, row, actor), "Kooperation gespeichert.")


def _index(options, value: str, default: int = 0) -> int:
    options = list(options)
    return options.index(value) if value in options else default


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
