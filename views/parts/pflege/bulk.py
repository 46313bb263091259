"""Schnellbearbeitung: a table editor for quick fixes, saved all-or-nothing with the same validation."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from graph.core.text import count
from graph.errors import NetzwerkError, ValidationError
from graph.pflege.editing import Edit
from views.parts.pflege.common import Ctx, flash
from views.parts.shared import label, md_escape, show_issues
from views.parts.tables import DATE_FORMAT

EDITABLE = ["name", "traeger", "strasse", "plz", "ort", "telefon", "email", "website", "ansprechperson",
            "oeffnungszeiten", "angebote", "sprachen", "geprueft_am"]
HELP = {"angebote": "Kennungen mit ; getrennt, z. B. sport;musik-kultur", "sprachen": "ISO-Codes mit ; getrennt, z. B. de;tr"}
DATES = {"geprueft_am"}  # edited as dates (shown 01.11.2026), saved as ISO text


def _cell(column: str, value: object) -> str:
    """An edited cell as the text the store keeps (dates as ``2026-11-01``)."""
    if value is None:
        return ""
    return str(value)[:10] if column in DATES else str(value)


def render(ctx: Ctx) -> None:
    """Filter, edit cells, check and save."""
    raw = ctx.snap.raw
    gaz, tax = ctx.directory.gazetteer, ctx.directory.taxonomy
    c1, c2, c3 = st.columns(3)
    area = c1.selectbox("Sozialraum", [""] + list(gaz.sozialraeume.index), key="pflege_bulk_sr",
                        format_func=lambda s: gaz.sozialraeume.at[s, "name"] if s else "alle")
    kat = c2.selectbox("Kategorie", [""] + tax.category_ids, key="pflege_bulk_kat",
                       format_func=lambda k: tax.label(k) if k else "alle")
    text = c3.text_input("Name enthält", key="pflege_bulk_text")
    frame = raw[raw["aktiv"] == "ja"]
    if area:
        frame = frame[frame["ags"].isin(gaz.gemeinden_in(f"sr:{area}"))]
    if kat:
        frame = frame[frame["kategorie"] == kat]
    if text.strip():
        frame = frame[frame["name"].str.contains(text.strip(), case=False, regex=False)]
    frame = frame.reset_index(drop=True)
    if frame.empty:
        st.info("Keine aktiven Partner für diese Auswahl.")
        return
    st.caption(f"{len(frame)} Partner. Zellen doppelt anklicken zum Ändern; Filter ändern verwirft nicht gespeicherte "
               "Änderungen. Gespeichert wird erst mit dem Knopf unten – alles oder nichts.")
    digest = hashlib.sha1(f"{area}|{kat}|{text}".encode()).hexdigest()[:8]
    key = f"pflege_bulk_{ctx.snap.token}_{digest}"
    config = {c: st.column_config.DateColumn(label(c), format=DATE_FORMAT) if c in DATES
              else st.column_config.TextColumn(label(c), help=HELP.get(c)) for c in EDITABLE}
    config["id"] = st.column_config.TextColumn("Kennung", disabled=True)
    shown = frame[["id"] + EDITABLE].assign(**{c: pd.to_datetime(frame[c], format="%Y-%m-%d", errors="coerce").dt.date
                                               for c in DATES})
    st.data_editor(shown, key=key, hide_index=True, num_rows="fixed", disabled=["id"],
                   column_config=config, width="stretch", height=min(600, 38 + 35 * len(frame)))
    edited = st.session_state.get(key, {}).get("edited_rows", {})
    edits = [Edit(frame.at[int(pos), "id"], {c: _cell(c, v) for c, v in changes.items()},
                  int(frame.at[int(pos), "version"])) for pos, changes in edited.items() if changes]
    if not edits:
        return
    if st.button(f"{count(len(edits), 'geänderte Zeile', 'geänderte Zeilen')} prüfen und speichern", type="primary", key="pflege_bulk_save",
                 disabled=not ctx.can_edit):
        try:
            saved = ctx.editor.update_many(edits, quelle="schnellbearbeitung")
        except ValidationError as exc:
            names = dict(zip(raw.index + 2, raw["name"] + " (" + raw["id"] + ")"))
            show_issues(exc.issues, "Nichts gespeichert – bitte korrigieren:", describe=lambda i: names.get(i.row, ""))
            return
        except NetzwerkError as exc:  # conflict of a single row, missing permission
            st.error(md_escape(str(exc)))
            return
        flash("success", f"{len(saved)} Partner gespeichert.")
        st.rerun()

