"""Exports of the directory: CSV and Excel (neutralised), GeoJSON and Open Referral HSDS 3.0.

Two kinds (:data:`KINDS`), and every file says which it is (file name; Excel also in its first sheet):

* ``veroeffentlichung`` – for publishing, the default for everyone: only the public fields
  (:mod:`graph.core.visibility`), never Ansprechpersonen, internal notes or login names, and no street
  or coordinates of a confidential address. GeoJSON and HSDS are always of this kind. The CSV/Excel
  re-import as updates (absent columns, and a confidential address left empty, stay as stored).
* ``intern`` – every partners.csv column, CSV/Excel only, and only from a snapshot that holds every
  field (the Leitstelle's view or the command line): a reader's view cannot export what it cannot see.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd

from graph import settings
from graph.core.model import CONFIDENTIAL_FIELDS, PARTNER_COLUMNS, hide_confidential_addresses, parse_partners
from graph.core.visibility import INTERNAL, PUBLIC, may_see, visible
from graph.errors import ForbiddenError, UsageError
from graph.io.hsds import hsds_documents
from graph.io.tabular import to_csv_bytes, to_xlsx_bytes
from graph.store.outputs import write_output, write_outputs

PUBLISHING, INTERNAL_KIND = "veroeffentlichung", "intern"
KINDS = {PUBLISHING: "für die Veröffentlichung (ohne Ansprechpersonen, interne Notizen und Benutzernamen)",
         INTERNAL_KIND: "INTERN – mit Ansprechpersonen, internen Notizen und Benutzernamen; nicht weitergeben"}
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "geojson": "application/geo+json", "hsds": "application/zip"}


def file_name(fmt: str, kind: str = PUBLISHING) -> str:
    """``partner-veroeffentlichung.csv``, ``partner-intern.xlsx``, ``partner-hsds-veroeffentlichung.zip`` …"""
    stem = "partner-hsds" if fmt == "hsds" else "partner"
    return f"{stem}-{kind}.{'zip' if fmt == 'hsds' else fmt}"


FORMATS = {fmt: (file_name(fmt), mime) for fmt, mime in MIME.items()}


def export_table(snapshot, kind: str = PUBLISHING) -> pd.DataFrame:
    """The partners.csv columns of the export kind (raw text), one row per partner."""
    if kind == INTERNAL_KIND:
        if snapshot.audience != INTERNAL:
            raise ForbiddenError("Der interne Export (alle Spalten, mit Ansprechpersonen und internen Notizen) "
                                 "erfordert die Rolle Leitstelle Familie.")
        return snapshot.raw.reindex(columns=PARTNER_COLUMNS, fill_value="")
    if kind != PUBLISHING:
        raise UsageError(f"Unbekannte Exportart „{kind}“ (erlaubt: {', '.join(KINDS)})")
    public = [c for c in PARTNER_COLUMNS if may_see(PUBLIC, "partners", c)]
    return hide_confidential_addresses(snapshot.raw.reindex(columns=public, fill_value=""))


def export_bytes(snapshot, fmt: str, kind: str = PUBLISHING) -> tuple[bytes, str, str]:
    """(content, file name, MIME type) of one export; HSDS comes as a zip of its JSON files."""
    if fmt not in MIME:
        raise UsageError(f"Unbekanntes Format „{fmt}“ (erlaubt: {', '.join(MIME)})")
    if kind == INTERNAL_KIND and fmt not in ("csv", "xlsx"):
        raise UsageError(f"Einen internen Export gibt es nur als CSV oder Excel; {fmt} ist immer zur Veröffentlichung.")
    raw = export_table(snapshot, kind)
    if fmt == "csv":
        data = to_csv_bytes(raw)
    elif fmt == "xlsx":
        data = to_xlsx_bytes({"Hinweise": _notes(kind), "Partner": raw})
    elif fmt == "geojson":
        data = _json_bytes(geojson(raw, snapshot.taxonomy))
    else:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, items in hsds_documents(raw, snapshot.gazetteer, snapshot.taxonomy).items():
                z.writestr(name, _json_bytes(items))
        data = buf.getvalue()
    return data, file_name(fmt, kind), MIME[fmt]


def write_export(snapshot, fmt: str, out: str | Path, data_dir: str | Path, kind: str = PUBLISHING) -> list[Path]:
    """Write an export to ``out`` outside the data folder (for ``hsds`` a folder of JSON files); returns the files."""
    out = Path(out)
    if fmt == "hsds":
        if kind != PUBLISHING:
            raise UsageError("Einen internen Export gibt es nur als CSV oder Excel; hsds ist immer zur Veröffentlichung.")
        docs = {name: _json_bytes(items) for name, items in hsds_documents(export_table(snapshot), snapshot.gazetteer,
                                                                            snapshot.taxonomy).items()}
        folder = write_outputs(out, docs, data_dir)
        return [folder / name for name in docs]
    if out.is_dir():
        raise UsageError(f"„{out}“ ist ein Ordner; für --format {fmt} bitte einen Dateinamen angeben.")
    return [write_output(out, export_bytes(snapshot, fmt, kind)[0], data_dir)]


def geojson(raw: pd.DataFrame, taxonomy) -> dict:
    """FeatureCollection of partners (properties: the public columns; for publishing only).

    Partners without coordinates are left out – except those with a confidential address: they
    stay in, with no geometry and no street (their Gemeinde is in ``ags``/``ort``).
    """
    raw = hide_confidential_addresses(visible(raw, "partners", PUBLIC))
    typed = parse_partners(raw)
    features = []
    for rec, (_, p) in zip(raw.to_dict("records"), typed.iterrows()):
        hidden = bool(p["adresse_vertraulich"])
        if not hidden and (pd.isna(p["lat"]) or pd.isna(p["lon"])):
            continue
        props = {k: v for k, v in rec.items() if k not in ("lat", "lon") and not (hidden and k in CONFIDENTIAL_FIELDS)}
        props["kategorie_label"] = taxonomy.label(rec["kategorie"])
        geometry = None if hidden else {"type": "Point", "coordinates": [float(p["lon"]), float(p["lat"])]}
        features.append({"type": "Feature", "id": rec["id"], "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "name": f"Netzwerkpartner Trier-Saarburg – {KINDS[PUBLISHING]}",
            "features": features}


def _notes(kind: str) -> pd.DataFrame:
    return pd.DataFrame({"Hinweis": [
        f"Exportart: {KINDS[kind]}.",
        "Netzwerkpartner des Jugendamts Landkreis Trier-Saarburg, exportiert aus der Netzwerkpartner-Karte.",
        "Zum Aktualisieren: Blatt „Partner“ bearbeiten (Spalten nicht umbenennen, „id“ und „version“ stehen lassen) "
        "und auf der Seite „Pflege“ wieder importieren. Spalten, die fehlen, bleiben beim Import unverändert.",
        f"Gebietsdaten: {settings.ATTRIBUTION_BKG}; {settings.ATTRIBUTION_OSM_PLZ}.",
    ]})


def _json_bytes(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
