"""Helpers shared by the pages: cached directory/snapshot, the sample-data banner, attribution."""

from __future__ import annotations

import re

import streamlit as st

from graph import settings, stats
from graph.filters import PartnerIndex
from graph.services import Directory, Snapshot

SAMPLE_NOTE = ("**Beispieldaten:** Die mitgelieferten Partner sind erfunden (nur die Adressen der "
               "Sozialraumzentren sind echt). Telefonnummern und Adressen bitte nicht verwenden.")


@st.cache_resource(show_spinner=False)
def _directory(data_dir: str, backend: str) -> Directory:
    return Directory(data_dir, backend)


def directory() -> Directory:
    """The Directory for the configured data folder and store (one per server process)."""
    return _directory(str(settings.data_dir()), settings.store_backend())


@st.cache_resource(show_spinner="Daten werden geladen …", max_entries=4)
def _snapshot(data_dir: str, backend: str, token: str) -> Snapshot:
    snap = _directory(data_dir, backend).snapshot()
    _ = snap.partners, snap.graph  # build once per data version, shared by all sessions
    return snap


def snapshot() -> Snapshot:
    """The current data; rebuilt only when the store's data version changes."""
    d = directory()
    return _snapshot(str(d.data_dir), d.store.name, d.store.token())


def is_sample_data(snap: Snapshot) -> bool:
    """True while the directory still holds the shipped fictional sample."""
    return stats.is_sample_data(snap.raw)


def sample_banner(snap: Snapshot) -> None:
    """Show the 'Beispieldaten' notice when the shipped sample is in use."""
    if is_sample_data(snap):
        st.warning(SAMPLE_NOTE, icon="ℹ️")


def attribution_caption() -> None:
    """Source line for pages that show reference data."""
    st.caption(f"Gebietsdaten: {settings.ATTRIBUTION_BKG} · Einwohner: {settings.ATTRIBUTION_ZENSUS} · "
               f"{settings.ATTRIBUTION_OSM_PLZ}")


def coming_soon(title: str, what: str) -> None:
    """Placeholder body for a page whose issue has not landed yet."""
    st.title(title)
    st.info(f"Diese Seite ist in Vorbereitung: {what}")


@st.cache_resource(show_spinner=False, max_entries=4)
def _partner_index(data_dir: str, backend: str, token: str) -> PartnerIndex:
    snap = _snapshot(data_dir, backend, token)
    return PartnerIndex(snap.partners, snap.gazetteer, snap.taxonomy)


def partner_index() -> PartnerIndex:
    """Filter index over all partners of the current data version (built once per version)."""
    d = directory()
    return _partner_index(str(d.data_dir), d.store.name, d.store.token())


def static_url() -> str:
    """Root-relative URL of the app's ``static/`` folder (honours ``server.baseUrlPath``)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&\"'=^@%/;,?])")


def md(text: object) -> str:
    """User text made literal for ``st.markdown`` (Markdown, HTML, LaTeX and directives escaped)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


#: Streamlit's table toolbar offers its own CSV export, which does not neutralise formulas.
_HIDE_TABLE_CSV = ('<style>[data-testid="stElementToolbarButton"]:has(button[aria-label="Download as CSV"])'
                   "{display:none !important}</style>")


def hide_table_csv_export() -> None:
    """Hide the table toolbar's CSV export app-wide; pages offer neutralised downloads instead."""
    st.html(_HIDE_TABLE_CSV)
