"""Streamlit entry point: the router over views/ (``streamlit run app.py``)."""

from pathlib import Path

import streamlit as st

from views.parts.errors import run_page
from views.parts.shared import daily_backups, hide_table_csv_export, login_sidebar, reading_gate
from views.parts.ui import apply_app_style

VIEWS = Path(__file__).parent / "views"

st.set_page_config(page_title="Netzwerkpartner-Karte Trier-Saarburg", page_icon="🗺️", layout="wide")
hide_table_csv_export()  # exports go through graph.io.tabular (formula injection neutralised)
apply_app_style()  # contrast, focus, print styles, page language German

PAGES = [
    st.Page(VIEWS / "start.py", title="Start", icon="🏠", default=True),
    st.Page(VIEWS / "karte.py", title="Karte", icon="🗺️"),
    st.Page(VIEWS / "verzeichnis.py", title="Verzeichnis", icon="📇"),
    st.Page(VIEWS / "fallsuche.py", title="Fallsuche", icon="🧭"),
    st.Page(VIEWS / "abdeckung.py", title="Abdeckung", icon="📊"),
    st.Page(VIEWS / "pflege.py", title="Pflege", icon="🛠️"),
    st.Page(VIEWS / "netzwerk.py", title="Netzwerk", icon="🕸️"),
    st.Page(VIEWS / "sozialraum.py", title="Sozialräume", icon="🏘️"),
    st.Page(VIEWS / "barrierefreiheit.py", title="Barrierefreiheit", icon="♿"),
]

navigation = st.navigation(PAGES)
st.set_page_config(page_title=f"{navigation.title} – Netzwerkpartner-Karte Trier-Saarburg")  # title per page
# German error message instead of a traceback; NETZWERK_LESEN=anmeldung: only the login prompt without login;
# after the page: the daily backup, if configured and due
run_page(login_sidebar, reading_gate, navigation.run, lambda: daily_backups().poke())
