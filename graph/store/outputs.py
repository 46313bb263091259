"""Files the user names on the command line: read an input file, write an output file.

Outputs (exports, reports, rejected import rows, DSGVO Auskunft) are written atomically and never
into the data folder: a mistyped ``--out DATA/partners.csv`` must not replace a table behind the
store's back (tables change only in units of the store).
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import UsageError
from graph.store._atomic import atomic_write_bytes


def read_input(path: str | Path) -> bytes:
    """The bytes of a file to import; a German usage error if it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"Datei „{path}“ nicht gefunden.")
    return path.read_bytes()


def check_output(path: str | Path, data_dir: str | Path) -> Path:
    """``path`` resolved; a German usage error if it lies inside the data folder."""
    target = Path(path).expanduser().resolve()
    data = Path(data_dir).expanduser().resolve()
    if target == data or target.is_relative_to(data):
        raise UsageError(f"Ausgabe „{path}“ liegt im Datenordner {data}. Bitte einen Pfad außerhalb wählen – "
                         "die Daten ändern sich nur über die App, den Import oder die Befehle der Pflege.")
    return target


def write_output(path: str | Path, data: bytes, data_dir: str | Path) -> Path:
    """Write ``data`` atomically to ``path`` (outside the data folder); returns the resolved path."""
    target = check_output(path, data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, data)
    return target


def write_outputs(folder: str | Path, files: dict[str, bytes], data_dir: str | Path) -> Path:
    """Write several files into ``folder`` (outside the data folder), each atomically."""
    target = check_output(folder, data_dir)
    target.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        atomic_write_bytes(target / name, data)
    return target
