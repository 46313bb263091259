"""Map part of the Abdeckung page (choropleth of the Gemeinden by coverage status)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.coverage import Key


def map_section(rows: pd.DataFrame, key: Key, bedarfe: pd.DataFrame) -> None:
    """Choropleth, legend, export (pending geo/maps.py from issue 4)."""
    st.info("Die Karte folgt, sobald die Offline-Kartenbausteine (geo/maps.py) verfügbar sind.")
