"""Page „Verzeichnis“: searchable, sortable partner list, detail view with graph neighbours, downloads."""

from __future__ import annotations

from contextlib import nullcontext

import pandas as pd
import streamlit as st

from geo.names import search_key
from graph.core.model import CONFIDENTIAL_ADDRESS
from graph.core.network import partner_neighbourhood
from graph.io.printview import print_block
from graph.io.tabular import to_csv_bytes, to_xlsx_bytes
from graph.verzeichnis.listing import (
    TABLE_COLUMNS,
    address_text,
    age_text,
    date_text,
    languages_text,
    mailto_href,
    offers_text,
    partner_table,
    tel_href,
    web_href,
)
from views.parts import hilfe
from views.parts.filters import filtered_page, show_empty_state
from views.parts.shared import md_escape, md_link
from views.parts.ui import screen_only

C = TABLE_COLUMNS
SORTS = {"Name (A–Z)": ([C["name"]], [True]), "Ort": ([C["ort"], C["name"]], [True, True]),
         "Kategorie": ([C["kategorie"], C["name"]], [True, True]),
         "Zuletzt geprüft (älteste zuerst)": ([C["geprueft_am"], C["name"]], [True, True]),
         "Zuletzt geprüft (neueste zuerst)": ([C["geprueft_am"], C["name"]], [False, True])}
SHOWN = [C[c] for c in ("name", "kategorie", "traeger", "angebote", "ort", "sozialraum", "alter", "sprachen",
                        "barrierefrei", "telefon", "email", "geprueft_am")]
DETAIL_KEY, TABLE_KEY, IDS_KEY = "verzeichnis_detail", "verzeichnis_tabelle", "verzeichnis_ids"


def _pick_from_table() -> None:
    """Row selected in the table → show that partner's details."""
    rows = st.session_state[TABLE_KEY]["selection"]["rows"]
    ids = st.session_state.get(IDS_KEY, [])
    if rows and rows[0] < len(ids):
        st.session_state[DETAIL_KEY] = ids[rows[0]]


def _print_table(table: pd.DataFrame) -> pd.DataFrame:
    """The columns that fit on an A4 page, address in one column."""
    full = (table[C["strasse"]] + ", " + table[C["plz"]] + " " + table[C["ort"]]).str.strip(", ")
    address = table[C["strasse"]].where(table[C["strasse"]] == CONFIDENTIAL_ADDRESS, full)
    out = table[[C["name"], C["kategorie"], C["angebote"]]].assign(Adresse=address)
    return out.join(table[[C["telefon"], C["email"], C["alter"], C["barrierefrei"], C["geprueft_am"]]])


def _sorted(table: pd.DataFrame, how: str) -> pd.DataFrame:
    cols, ascending = SORTS[how]
    return table.sort_values(cols, ascending=ascending, key=lambda s: s.map(search_key), kind="stable")


def _area(node: dict) -> str:
    """``Gemeinde Konz``, ``Sozialraum Saarburg`` – the Kreis by its name only."""
    return node["name"] if node["label"] == "Kreis" else f"{node['label']} {node['name']}"


def _detail(pid: str) -> None:
    """Everything about one partner and its neighbours in the graph."""
    p = index.partners.loc[pid]
    nb = partner_neighbourhood(snap.graph, pid)
    st.header(md_escape(p["name"]))
    left, right = st.columns(2)
    facts = [("Kategorie", md_escape(tax.label(p["kategorie"]))), ("Träger", md_escape(p["traeger"])),
             ("Adresse", md_escape(address_text(p))),
             ("Telefon", md_link(p["telefon"], tel_href(p["telefon"]))),
             ("E-Mail", md_link(p["email"], mailto_href(p["email"]))),
             ("Website", md_link(p["website"], web_href(p["website"]))),
             ("Ansprechperson", md_escape(p["ansprechperson"])), ("Öffnungszeiten", md_escape(p["oeffnungszeiten"])),
             ("Angebote", md_escape(offers_text(p["angebote"], tax))), ("Alter", md_escape(age_text(p["alter_von"], p["alter_bis"]))),
             ("Sprachen", md_escape(languages_text(p["sprachen"]))), ("Barrierefrei", md_escape(p["barrierefrei"])),
             ("Zuletzt geprüft", md_escape(date_text(p["geprueft_am"]))), ("Status", "aktiv" if p["aktiv"] else "**inaktiv**"),
             ("Notizen", md_escape(p["notizen"]))]
    left.markdown("\n".join(f"- **{k}:** {v}" for k, v in facts if v))
    with right:
        st.markdown("**Im Netzwerk**")
        where = [_area(n) for n in nb["liegt_in"]]
        served = [_area(n) for n in nb["versorgt"]]
        st.markdown(f"- **Liegt in:** {md_escape(', '.join(where)) or '–'}\n- **Versorgt:** {md_escape(', '.join(served)) or '–'}")
        same = nb.get("gleicher_traeger", [])
        st.markdown(f"**Weitere Partner desselben Trägers ({len(same)})**")
        if same:
            st.markdown("\n".join(f"- {md_escape(s['name'])}" for s in same[:20]) + ("\n- …" if len(same) > 20 else ""))
        coop = pd.DataFrame(nb["kooperationen"], columns=["name", "art", "seit", "bis", "intensitaet"])
        st.markdown(f"**Kooperationen ({len(coop)})**")
        if coop.empty:
            st.caption("Keine Kooperationen erfasst.")
        else:
            st.dataframe(coop.rename(columns={"name": "Partner", "art": "Art", "seit": "seit", "bis": "bis",
                                              "intensitaet": "Intensität"}), hide_index=True)


page = filtered_page("Verzeichnis", "verzeichnis", hilfe.VERZEICHNIS)
snap, index, filt, result = page.snap, page.index, page.filter, page.result
tax = index.taxonomy
total = int(index.partners["aktiv"].sum()) if filt.nur_aktiv else len(index)

top1, top2 = st.columns([1, 2])
top1.metric("Gefundene Partner", len(result), help=f"von {total} {'aktiven ' if filt.nur_aktiv else ''}Partnern")
how = top2.selectbox("Sortieren nach", list(SORTS), key="verzeichnis_sortierung")

if result.empty:
    show_empty_state(len(index))
    st.stop()

table = _sorted(partner_table(result, tax, index.gazetteer), how)
st.session_state[IDS_KEY] = list(table[C["id"]])
printing = st.toggle("Druckansicht", key="verzeichnis_druck",
                     help="Die gefilterte Liste als einfache Tabelle, die vollständig gedruckt wird (Strg+P); "
                          "Seitenleiste und Schaltflächen erscheinen nicht auf dem Papier.")
if printing:
    st.html(print_block(_print_table(table), caption=f"{len(table)} Partner, sortiert nach {how}"))
else:
    st.dataframe(table[SHOWN], hide_index=True, key=TABLE_KEY, on_select=_pick_from_table,
                 selection_mode="single-row",
                 column_config={C["geprueft_am"]: st.column_config.TextColumn(C["geprueft_am"], help="JJJJ-MM-TT")})
    st.caption("Spaltenköpfe anklicken sortiert; eine Zeile anklicken zeigt unten die Details.")

d1, d2, _ = st.columns([1, 1, 3])
d1.download_button("CSV herunterladen", data=lambda: to_csv_bytes(table), file_name="partner_auswahl.csv",
                   mime="text/csv", key="verzeichnis_csv", on_click="ignore",
                   help="Für Excel: Semikolon, UTF-8. Zellen, die mit = + - @ beginnen, werden entschärft.")
d2.download_button("Excel herunterladen", data=lambda: to_xlsx_bytes({"Partner": table}),
                   file_name="partner_auswahl.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="verzeichnis_xlsx",
                   on_click="ignore")

with screen_only("verzeichnis-details") if printing else nullcontext():  # the list alone on paper
    st.divider()
    ids = st.session_state[IDS_KEY]
    if st.session_state.get(DETAIL_KEY) not in ids:  # set, not drop: the picker must show what is shown below
        st.session_state[DETAIL_KEY] = ids[0]
    names = dict(zip(table[C["id"]], table[C["name"]] + " – " + table[C["ort"]]))
    chosen = st.selectbox("Details anzeigen für", ids, format_func=names.get, key=DETAIL_KEY)
    if chosen:
        _detail(chosen)
