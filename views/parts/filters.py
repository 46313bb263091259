"""The partner filter sidebar shared by the Karte and Verzeichnis pages (widgets → PartnerFilter)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from geo.gazetteer import Gazetteer
from graph.core.codes import LANGUAGE_NAMES
from graph.services import Snapshot
from graph.verzeichnis.filters import GEBIET_MODI, MAX_SEARCH, PartnerFilter, PartnerIndex
from views.parts.shared import (
    remember_sozialraum,
    reset_inputs,
    sample_banner,
    snapshot,
    sozialraum_default,
    widget_key,
)
from views.parts.ui import page_help

AGE_RANGE = (0, 27)
BARRIEREFREI_WAHL = {"egal": (), "barrierefrei": ("ja",), "mindestens teilweise barrierefrei": ("ja", "teilweise")}
GEPRUEFT_WAHL = {"egal": None, "in den letzten 3 Monaten": 3, "in den letzten 6 Monaten": 6,
                 "in den letzten 12 Monaten": 12, "in den letzten 24 Monaten": 24}


#: The filter widgets (names after the page prefix) that "Filter zurücksetzen" clears.
FILTER_FIELDS = ("suche", "kategorien", "angebote", "alle_angebote", "sozialraeume", "verbandsgemeinden", "gemeinden",
                 "gebiet", "alter", "sprachen", "barrierefrei", "nur_aktiv", "geprueft")
EMPTY_DIRECTORY = ("Im Verzeichnis stehen noch keine Partner. Die Leitstelle Familie legt sie auf der Seite "
                   "„Pflege“ an – einzeln oder per Import einer Excel- oder CSV-Datei.")
EMPTY_MESSAGE = ("Keine Partner entsprechen den Filtern. Lockern Sie die Filter in der Seitenleiste oder setzen "
                 "Sie sie zurück.")


@dataclass
class FilteredPartners:
    """What a filtered partner page works with."""

    snap: Snapshot
    index: PartnerIndex
    filter: PartnerFilter
    result: pd.DataFrame
    controls: object  # where the filters are: the sidebar, or the „Filter“ bar in presentation mode


def filtered_page(title: str, prefix: str, help_text: str, large: bool = False) -> FilteredPartners:
    """The common top of a partner page: title, help, sample notice, filters, filtered partners.

    The filters sit in the sidebar; in presentation mode (``large``, no sidebar) behind a compact
    „Filter“ button at the top of the page, so a moderator can change them without leaving the mode.
    """
    st.title(title)
    page_help(help_text)
    snap = snapshot()
    sample_banner(snap)
    index = snapshot().index
    controls = st.popover("Filter", icon=":material/filter_alt:", key=f"{prefix}_filterleiste") if large \
        else st.sidebar
    filt = sidebar_filters(prefix, index, where=controls)
    return FilteredPartners(snap, index, filt, index.apply(filt), controls)


def show_empty_state(total: int) -> None:
    """The message shown when no partner matches (or the directory holds none yet)."""
    st.info(EMPTY_MESSAGE if total else EMPTY_DIRECTORY, icon="🔎")


def reset_filters(prefix: str) -> None:
    """Forget the page's filters, in the browser too (callback of the reset button)."""
    reset_inputs(prefix, FILTER_FIELDS)
    remember_sozialraum(None)  # otherwise the next run would pre-select it again


def sidebar_filters(prefix: str, index: PartnerIndex, gebiet: str = "sitz", where=None) -> PartnerFilter:
    """Render the filter widgets in the sidebar (or ``where``; keys ``<prefix>_…``) and return the filter."""
    tax, gaz = index.taxonomy, index.gazetteer

    def k(name: str) -> str:
        return widget_key(prefix, name)

    with where if where is not None else st.sidebar:
        st.header("Filter")
        # At the top: near the bottom of a long sidebar, the click that also closes an open list moved the
        # button away under the pointer (the first click then did nothing).
        st.button("Filter zurücksetzen", on_click=reset_filters, args=(prefix,), key=k("reset"))
        suche = st.text_input("Suche", key=k("suche"), placeholder="z. B. Hebamme, Caritas, Kell", max_chars=MAX_SEARCH,
                              help="Sucht in Name, Träger, Kategorie, Angeboten und Ort; Groß-/Kleinschreibung "
                                   "und Umlaute (ü/ue/u) spielen keine Rolle. Mehrere Wörter müssen alle vorkommen.")
        kategorien = st.multiselect("Kategorie", tax.category_ids, format_func=tax.label, key=k("kategorien"),
                                    placeholder="alle Kategorien")
        angebote = st.multiselect("Bedarf / Angebot", tax.tag_ids, format_func=tax.label, key=k("angebote"),
                                  placeholder="alle Angebote")
        alle = st.checkbox("alle gewählten Angebote müssen passen", key=k("alle_angebote"),
                           help="Aus: Partner mit mindestens einem der gewählten Angebote. An: nur Partner mit allen.")
        with st.expander("Gebiet", expanded=True):
            sozialraum_default(k("sozialraeume"), multi=True)
            sozialraeume = st.multiselect("Sozialraum", list(gaz.sozialraeume.index), key=k("sozialraeume"),
                                          format_func=lambda i: gaz.sozialraeume.at[i, "name"], placeholder="alle",
                                          help="Ein hier gewählter Sozialraum ist auf den anderen Seiten "
                                               "vorausgewählt (nur in diesem Browserfenster).")
            remember_sozialraum(sozialraeume)
            vgs = st.multiselect("Verbandsgemeinde", list(gaz.verbandsgemeinden.index), key=k("verbandsgemeinden"),
                                 format_func=lambda i: gaz.verbandsgemeinden.at[i, "name"], placeholder="alle")
            places = _places(gaz)
            gemeinden = st.multiselect("Gemeinde", list(places), key=k("gemeinden"), format_func=places.get,
                                       placeholder="alle", help="Die Karte zoomt auf die gewählten Gemeinden.")
            modus = st.radio("Gebiet bedeutet", list(GEBIET_MODI), format_func=GEBIET_MODI.get, key=k("gebiet"),
                             index=list(GEBIET_MODI).index(gebiet),
                             help="„Sitz“: Adresse liegt im Gebiet. „versorgt“: das Einzugsgebiet des Partners "
                                  "umfasst mindestens eine Gemeinde des Gebiets. Mehrere Ebenen schränken "
                                  "gemeinsam ein.")
        with st.expander("Zielgruppe und Zugang", expanded=False):
            alter = st.slider("Alter (Jahre)", *AGE_RANGE, value=AGE_RANGE, key=k("alter"),
                              help="Partner, deren Altersbereich sich damit überschneidet (ohne Angabe = jedes Alter).")
            sprachen = st.multiselect("Sprache", index.languages, format_func=lambda c: LANGUAGE_NAMES.get(c, c),
                                      key=k("sprachen"), placeholder="alle Sprachen",
                                      help="Partner, die mindestens eine der gewählten Sprachen sprechen.")
            barriere = st.selectbox("Barrierefreiheit", list(BARRIEREFREI_WAHL), key=k("barrierefrei"))
        with st.expander("Datenstand", expanded=False):
            nur_aktiv = st.checkbox("nur aktive Partner", value=True, key=k("nur_aktiv"))
            geprueft = st.selectbox("Zuletzt geprüft", list(GEPRUEFT_WAHL), key=k("geprueft"))
    von, bis = alter if tuple(alter) != AGE_RANGE else (None, None)
    return PartnerFilter(
        kategorien=tuple(kategorien), angebote=tuple(angebote), alle_angebote=alle, sozialraeume=tuple(sozialraeume),
        verbandsgemeinden=tuple(vgs), gemeinden=tuple(gemeinden), gebiet=modus,
        alter_von=von, alter_bis=bis,
        sprachen=tuple(sprachen), barrierefrei=BARRIEREFREI_WAHL[barriere], nur_aktiv=nur_aktiv,
        geprueft_monate=GEPRUEFT_WAHL[geprueft], suche=suche)


@functools.lru_cache(maxsize=4)
def _places(gaz: Gazetteer) -> dict[str, str]:
    """The Kreis' Gemeinden by name, then the Stadt Trier (AGS → label; built once per gazetteer)."""
    g = gaz.gemeinden.sort_values("name")
    order = list(g.index) + [a for a in gaz.orte.index if a not in g.index]
    return {a: _place_label(gaz, a) for a in order}


def _place_label(gaz: Gazetteer, ags: str) -> str:
    row = gaz.orte.loc[ags]
    return str(row["name"]) if row["im_kreis"] else f"{row['name']} (Stadt, außerhalb des Kreises)"
