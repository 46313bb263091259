"""Änderungsverlauf: recent changes of the whole directory (journal), filterable by partner."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.core.text import count
from graph.pflege.journal import Entry
from views.parts.pflege.common import Ctx, partner_options
from views.parts.shared import label
from views.parts.tables import show_table

MAX_SHOWN = 500


def history_table(entries: list[Entry], names: dict[str, str] | None = None) -> pd.DataFrame:
    """Journal entries as a table (one row per entry; changes as „Feld: alt → neu“ lines)."""
    rows = []
    for e in entries:
        changes = "\n".join(f"{label(f)}: {old or '–'} → {new or '–'}" for f, (old, new) in e.aenderungen.items())
        row = {"Nr.": e.nr, "Zeit": e.zeit[:19].replace("T", " "), "Wer": e.benutzer, "Aktion": e.label,
               "Änderungen": changes, "Quelle": e.quelle}
        if names is not None:
            row = {"Partner": names.get(e.partner_id, e.partner_id), **row}
        rows.append(row)
    return pd.DataFrame(rows)


def render(ctx: Ctx) -> None:
    """The journal, newest first."""
    options = partner_options(ctx.snap)
    pid = st.selectbox("Nur Änderungen an", list(options), format_func=options.get, index=None,
                       placeholder="alle Partner", key="pflege_verlauf_partner")
    entries = ctx.editor.history(pid)
    if not entries:
        st.info("Noch keine Änderungen über die App protokolliert.")
        return
    shown = entries[::-1][:MAX_SHOWN]
    st.caption(f"{count(len(entries), 'Änderung', 'Änderungen')}, die neuesten {len(shown)} zuerst. Rückgängig machen: im Bereich "
               "„Bearbeiten“ beim jeweiligen Partner.")
    names = dict(zip(ctx.snap.raw["id"], ctx.snap.raw["name"]))
    show_table(history_table(shown, names), hide_index=True, width="stretch",
                 column_config={"Änderungen": st.column_config.TextColumn(width="large")})

