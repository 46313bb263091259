"""Exports of the directory: CSV and Excel (neutralised), GeoJSON and Open Referral HSDS 3.0.

CSV/Excel carry every partners.csv column (they re-import as updates); GeoJSON and HSDS
are for publishing and leave out the internal ``notizen``.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd

from graph import settings
from graph.core.model import CONFIDENTIAL_FIELDS, PARTNER_COLUMNS, hide_confidential_addresses, parse_partners
from graph.errors import UsageError
from graph.io.hsds import hsds_documents
from graph.io.tabular import to_csv_bytes, to_xlsx_bytes
from graph.store.outputs import write_output, write_outputs

FORMATS = {"csv": ("partner.csv", "text/csv"), "xlsx": ("partner.xlsx",
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
           "geojson": ("partner.geojson", "application/geo+json"), "hsds": ("partner-hsds.zip", "application/zip")}
PUBLIC_EXCLUDED = ("notizen",)


def export_bytes(snapshot, fmt: str) -> tuple[bytes, str, str]:
    """(content, file name, MIME type) of one export; HSDS comes as a zip of its JSON files."""
    raw = snapshot.raw.reindex(columns=PARTNER_COLUMNS, fill_value="")
    if fmt == "csv":
        data = to_csv_bytes(raw)
    elif fmt == "xlsx":
        data = to_xlsx_bytes({"Partner": raw, "Hinweise": _notes(snapshot)})
    elif fmt == "geojson":
        data = _json_bytes(geojson(hide_confidential_addresses(raw), snapshot.taxonomy))
    elif fmt == "hsds":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, items in hsds_documents(hide_confidential_addresses(raw), snapshot.gazetteer,
                                              snapshot.taxonomy).items():
                z.writestr(name, _json_bytes(items))
        data = buf.getvalue()
    else:
        raise UsageError(f"Unbekanntes Format „{fmt}“ (erlaubt: {', '.join(FORMATS)})")
    return data, *FORMATS[fmt]


def write_export(snapshot, fmt: str, out: str | Path, data_dir: str | Path) -> list[Path]:
    """Write an export to ``out`` outside the data folder (for ``hsds`` a folder of JSON files); returns the files."""
    out = Path(out)
    if fmt == "hsds":
        raw = hide_confidential_addresses(snapshot.raw.reindex(columns=PARTNER_COLUMNS, fill_value=""))
        docs = {name: _json_bytes(items) for name, items in hsds_documents(raw, snapshot.gazetteer,
                                                                            snapshot.taxonomy).items()}
        folder = write_outputs(out, docs, data_dir)
        return [folder / name for name in docs]
    if out.is_dir():
        raise UsageError(f"„{out}“ ist ein Ordner; für --format {fmt} bitte einen Dateinamen angeben.")
    return [write_output(out, export_bytes(snapshot, fmt)[0], data_dir)]


def geojson(raw: pd.DataFrame, taxonomy) -> dict:
    """FeatureCollection of partners (properties: contract columns without notes).

    Partners without coordinates are left out – except those with a confidential address: they
    stay in, with no geometry and no street (their Gemeinde is in ``ags``/``ort``).
    """
    typed = parse_partners(raw)
    features = []
    for rec, (_, p) in zip(raw.to_dict("records"), typed.iterrows()):
        hidden = bool(p["adresse_vertraulich"])
        if not hidden and (pd.isna(p["lat"]) or pd.isna(p["lon"])):
            continue
        props = {k: v for k, v in rec.items() if k not in ("lat", "lon") + PUBLIC_EXCLUDED
                 and not (hidden and k in CONFIDENTIAL_FIELDS)}
        props["kategorie_label"] = taxonomy.label(rec["kategorie"])
        geometry = None if hidden else {"type": "Point", "coordinates": [float(p["lon"]), float(p["lat"])]}
        features.append({"type": "Feature", "id": rec["id"], "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def _notes(snapshot) -> pd.DataFrame:
    return pd.DataFrame({"Hinweis": [
        "Netzwerkpartner des Jugendamts Landkreis Trier-Saarburg, exportiert aus der Netzwerkpartner-Karte.",
        "Zum Aktualisieren: Blatt „Partner“ bearbeiten (Spalten nicht umbenennen, „id“ und „version“ stehen lassen) "
        "und auf der Seite „Pflege“ wieder importieren.",
        f"Gebietsdaten: {settings.ATTRIBUTION_BKG}; {settings.ATTRIBUTION_OSM_PLZ}.",
    ]})


def _json_bytes(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
