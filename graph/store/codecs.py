"""How each table is laid out in the data folder: CSV, or the JSON layouts of users and geocode cache.

``decode`` turns file bytes into a frame of text columns (raising :class:`ValidationError` in
German, with row and field, for files that are not what the contract says); ``encode`` turns a
frame back into bytes. Line breaks inside CSV cells are stored as ``\\n`` (a lone ``\\r`` would be
written unquoted and split the record on the next read).
"""

from __future__ import annotations

import io
import json

import pandas as pd

from graph.core.formats import DATA_FORMAT, MARKER_FILE, defaults
from graph.core.tables import TableSpec
from graph.errors import Issue, NetzwerkError, ValidationError
from graph.store._csvread import read_csv_bytes


def decode(spec: TableSpec, data: bytes | None) -> pd.DataFrame:
    """The table from its file's bytes (``None`` = the file does not exist: no rows)."""
    if data is None:
        frame = pd.DataFrame({c: pd.Series(dtype=str) for c in spec.columns})
    elif spec.fmt == "csv":
        frame = read_csv_bytes(data, spec.file.rsplit("/", 1)[-1], spec.required)
    else:
        frame = _decode_json(spec, data)
    return with_defaults(spec, frame)


def with_defaults(spec: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """Every contract column first (extra columns kept); columns an older format lacked filled with their default."""
    out = frame.reindex(columns=list(dict.fromkeys(list(spec.columns) + list(frame.columns))), fill_value="")
    for column, default in defaults(spec.name).items():
        if column not in frame.columns:
            out[column] = default
    return out


def encode(spec: TableSpec, frame: pd.DataFrame) -> bytes:
    """The file's bytes for ``frame``."""
    if spec.fmt == "users":
        rows = frame.reindex(columns=list(spec.columns), fill_value="").astype(str).to_dict("records")
        doc = {"format": 1, "users": sorted(rows, key=lambda r: r["name"])}
        return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    if spec.fmt == "geocache":
        doc = {}
        for r in frame.astype(str).to_dict("records"):
            hit = [float(r["lat"]), float(r["lon"])] if r["lat"] and r["lon"] else None
            doc[r["schluessel"]] = {"hit": hit, "t": float(r["zeit"] or 0)}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    text = frame.fillna("").astype(str)
    broken = [c for c in text.columns if text[c].str.contains("\r", regex=False).any()]
    for c in broken:
        text[c] = text[c].str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    buf = io.StringIO()
    text.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def encode_marker(version: int = DATA_FORMAT) -> bytes:
    """The data-format marker file (:data:`graph.core.formats.MARKER_FILE`)."""
    doc = {"datenformat": version, "programm": "Netzwerkpartner-Karte Trier-Saarburg",
           "hinweis": "Vom Programm geschrieben; Umstellung mit „python -m graph migrate“."}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def decode_marker(data: bytes | None) -> int:
    """The data format a marker records (0 = no marker: a folder older than the marker)."""
    if data is None:
        return 0
    try:
        version = json.loads(data.decode("utf-8"))["datenformat"]
        if isinstance(version, int) and not isinstance(version, bool) and version >= 0:
            return version
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        pass
    raise NetzwerkError(f"{MARKER_FILE} ist beschädigt: erwartet wird {{\"datenformat\": Zahl}}. "
                        "Datei löschen und „python -m graph migrate“ ausführen.")


def _decode_json(spec: TableSpec, data: bytes) -> pd.DataFrame:
    name = spec.file.rsplit("/", 1)[-1]
    try:
        doc = json.loads(data.decode("utf-8"))
        if spec.fmt == "users":
            fill = defaults(spec.name)
            rows = [{c: str(u.get(c, fill.get(c, ""))) for c in spec.columns} for u in doc["users"]]
        else:
            rows = [{"schluessel": k, "lat": str(v["hit"][0]) if v.get("hit") else "",
                     "lon": str(v["hit"][1]) if v.get("hit") else "", "zeit": str(v.get("t", ""))}
                    for k, v in doc.items()]
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise ValidationError([Issue(0, "", f"{name} ist beschädigt ({type(exc).__name__}: {exc}).")]) from None
    return pd.DataFrame(rows, columns=list(spec.columns), dtype=str)
