"""Settings: where the data lives and which store backs it.

Data folder, in order of precedence: the ``--data`` option of the CLI, the environment
variable ``NETZWERK_DATA``, the ``data/`` folder of this repository.
Store backend: ``NETZWERK_STORE`` = ``files`` (default, the CSV files in the data folder)
or ``neo4j`` (see ``graph/store/neo4j.py``).
Reference files (``geo/``, ``taxonomie.csv``) missing from a custom data folder are taken
from the repository's own ``data/`` folder.
Users file: ``NETZWERK_USERS`` (default ``users.json`` in the data folder; never exported).
Geocoding: ``NETZWERK_GEOCODER`` = ``nominatim`` (default) or ``aus`` (offline: Gemeinde
reference points only); ``NETZWERK_NOMINATIM_URL`` points at an own Nominatim instance
(default ``https://nominatim.openstreetmap.org``); ``NETZWERK_GEOCODER_KONTAKT`` (e-mail)
is added to the user agent as the Nominatim usage policy asks.
Backups: ``NETZWERK_BACKUP_DIR`` (folder for the daily automatic backups; unset = none) and
``NETZWERK_BACKUP_KEEP`` (how many of them to keep, default 14).
"""

from __future__ import annotations

import os
from pathlib import Path

from graph.errors import UsageError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "data"
ENV_DATA = "NETZWERK_DATA"
ENV_STORE = "NETZWERK_STORE"
ENV_USERS = "NETZWERK_USERS"
ENV_GEOCODER = "NETZWERK_GEOCODER"
ENV_NOMINATIM_URL = "NETZWERK_NOMINATIM_URL"
ENV_GEOCODER_CONTACT = "NETZWERK_GEOCODER_KONTAKT"
DEFAULT_NOMINATIM_URL = "https://nominatim.openstreetmap.org"
ENV_BACKUP_DIR = "NETZWERK_BACKUP_DIR"
ENV_BACKUP_KEEP = "NETZWERK_BACKUP_KEEP"
DEFAULT_BACKUP_KEEP = 14

#: Attribution lines that must accompany maps and exports of the reference data.
ATTRIBUTION_BKG = "© GeoBasis-DE / BKG 2021 (Daten verändert)"
ATTRIBUTION_ZENSUS = "© Statistische Ämter des Bundes und der Länder, Zensus 2022, dl-de/by-2-0"
ATTRIBUTION_OSM_PLZ = "PLZ: © OpenStreetMap-Mitwirkende, ODbL 1.0"


def data_dir(cli_value: str | os.PathLike | None = None) -> Path:
    """Resolve the data folder: ``--data`` > ``NETZWERK_DATA`` > repository ``data/``."""
    raw = cli_value or os.environ.get(ENV_DATA) or DEFAULT_DATA_DIR
    return Path(raw).expanduser().resolve()


def reference_path(data: Path, name: str) -> Path:
    """Path of a reference file/folder in ``data``, falling back to the shipped copy."""
    candidate = data / name
    return candidate if candidate.exists() else DEFAULT_DATA_DIR / name


def store_backend() -> str:
    """Configured store backend name (``files`` or ``neo4j``)."""
    return (os.environ.get(ENV_STORE) or "files").strip().lower()


def users_path(data: Path) -> Path:
    """The users file: ``NETZWERK_USERS`` or ``users.json`` in the data folder."""
    raw = os.environ.get(ENV_USERS)
    return Path(raw).expanduser().resolve() if raw else Path(data) / "users.json"


def geocoder_settings() -> dict[str, str]:
    """``{"mode": "nominatim"|"aus", "url": ..., "contact": ...}`` from the environment."""
    mode = (os.environ.get(ENV_GEOCODER) or "nominatim").strip().lower()
    return {"mode": "aus" if mode in ("aus", "off", "0", "nein") else "nominatim",
            "url": (os.environ.get(ENV_NOMINATIM_URL) or DEFAULT_NOMINATIM_URL).strip().rstrip("/"),
            "contact": (os.environ.get(ENV_GEOCODER_CONTACT) or "").strip()}


def backup_dir() -> Path | None:
    """Folder of the daily automatic backups (``NETZWERK_BACKUP_DIR``), ``None`` if not configured."""
    raw = (os.environ.get(ENV_BACKUP_DIR) or "").strip()
    return Path(raw).expanduser().resolve() if raw else None


def backup_keep() -> int:
    """How many daily backups to keep (``NETZWERK_BACKUP_KEEP``, default 14); a German error if it is no number ≥ 1."""
    raw = (os.environ.get(ENV_BACKUP_KEEP) or "").strip() or str(DEFAULT_BACKUP_KEEP)
    if not raw.isdigit() or int(raw) < 1:
        raise UsageError(f"{ENV_BACKUP_KEEP} muss eine ganze Zahl ab 1 sein, nicht „{raw}“.")
    return int(raw)
