"""Atomic file replacement (temp file + fsync + rename) and CSV tables guarded by a file lock."""

from __future__ import annotations

import io
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd
from filelock import FileLock, Timeout

from graph.errors import NetzwerkError

LOCK_TIMEOUT_S = 30.0


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see either the old or the new file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def remove_stale_temps(path: Path) -> int:
    """Delete temp files a killed writer left beside ``path``; returns how many.

    Only call this while holding the table's lock: writers create temp files only under the
    lock, so any temp file seen then belongs to a writer that died.
    """
    removed = 0
    for tmp in Path(path).parent.glob(f".{Path(path).name}.*.tmp"):
        tmp.unlink(missing_ok=True)
        removed += 1
    return removed


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class CsvTable:
    """One CSV file of the data folder (UTF-8, comma, header), all cells as strings."""

    def __init__(self, path: Path, columns: list[str]) -> None:
        self.path = Path(path)
        self.columns = columns
        self._lock = FileLock(str(self.path.parent / f".{self.path.stem}.lock"), timeout=LOCK_TIMEOUT_S)

    def read(self) -> pd.DataFrame:
        """The table; an empty frame with the contract columns if the file does not exist."""
        if not self.path.exists():
            return pd.DataFrame({c: pd.Series(dtype=str) for c in self.columns})
        frame = pd.read_csv(self.path, dtype=str, keep_default_na=False, encoding="utf-8")
        return frame.reindex(columns=list(dict.fromkeys(self.columns + list(frame.columns))), fill_value="")

    def token(self) -> str:
        """Changes whenever the file is replaced (for cache keys)."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return "0"
        return f"{st.st_mtime_ns}-{st.st_size}-{st.st_ino}"

    def write(self, frame: pd.DataFrame) -> None:
        """Atomically replace the file with ``frame`` (call inside :meth:`locked`)."""
        buf = io.StringIO()
        frame.to_csv(buf, index=False, lineterminator="\n")
        atomic_write_bytes(self.path, buf.getvalue().encode("utf-8"))

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Serialise writers across processes; cleans up temp files of killed writers."""
        try:
            with self._lock:
                remove_stale_temps(self.path)
                yield
        except Timeout:
            raise NetzwerkError(
                f"{self.path.name} ist seit {LOCK_TIMEOUT_S:.0f} s von einem anderen Vorgang gesperrt. Bitte erneut versuchen."
            ) from None
