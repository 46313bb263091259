"""Counts per Sozialraum and category (start page, ``python -m graph stats``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.gazetteer import TRIER_AGS, Gazetteer
from graph.services import Snapshot

OUTSIDE = "stadt_trier"
def sitz_sozialraum(partners: pd.DataFrame, gazetteer: Gazetteer) -> pd.Series:
    """Sozialraum id of each partner's location (``stadt_trier`` for Trier, ``unbekannt`` if the AGS is unknown)."""
    sr_of = gazetteer.orte["sozialraum_id"].replace("", OUTSIDE)
    return partners["ags"].map(sr_of).fillna("unbekannt")


def area_names(gazetteer: Gazetteer) -> dict[str, str]:
    """Display names of the Sozialräume and of the Stadt Trier group."""
    return {**gazetteer.sozialraeume["name"].to_dict(), OUTSIDE: gazetteer.orte.at[TRIER_AGS, "name"] + " (kreisfrei)"}


def _counts(rows: pd.Series, cols: pd.Series, row_ids: list[str], col_ids: list[str]) -> pd.DataFrame:
    """Cross table of two label columns over the given ids (other labels are left out), in numpy."""
    r = pd.Categorical(rows.to_numpy(dtype=object), categories=row_ids).codes
    c = pd.Categorical(cols.to_numpy(dtype=object), categories=col_ids).codes
    known = (r >= 0) & (c >= 0)
    flat = np.bincount(r[known].astype(np.int64) * len(col_ids) + c[known], minlength=len(row_ids) * len(col_ids))
    return pd.DataFrame(flat.reshape(len(row_ids), len(col_ids)), index=row_ids, columns=col_ids)


def directory_stats(snap: Snapshot) -> dict:
    """Active partners per Sozialraum (by location; Stadt Trier apart) × category, plus freshness."""
    active = snap.active
    gaz, tax = snap.gazetteer, snap.taxonomy
    table = _counts(sitz_sozialraum(active, gaz), active["kategorie"],
                    list(gaz.sozialraeume.index) + [OUTSIDE], list(tax.category_ids))
    names = area_names(gaz)
    checked = pd.to_datetime(active["geprueft_am"].replace("", None), errors="coerce")
    return {
        "partner_gesamt": len(snap.partners),
        "partner_aktiv": len(active),
        "sozialraeume": [
            {"id": sr, "name": names[sr], "anzahl": int(table.loc[sr].sum()),
             "kategorien": {k: int(v) for k, v in table.loc[sr].items()}}
            for sr in table.index
        ],
        "kategorien": [{"id": k, "label": tax.label(k), "anzahl": int(table[k].sum())} for k in tax.category_ids],
        "zuletzt_geprueft": None if checked.isna().all() else checked.max().date().isoformat(),
        "aeltestes_geprueft": None if checked.isna().all() else checked.min().date().isoformat(),
        "ohne_pruefdatum": int(checked.isna().sum()),
    }
