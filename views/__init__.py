"""Streamlit pages (one module per page); pages call graph/ and geo/ services only."""
