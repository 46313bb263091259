"""Helpers shared by the pages: cached directory/snapshot, the sample-data banner, attribution."""

from __future__ import annotations

import streamlit as st

from graph import settings, stats
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
