"""Atomic file replacement (temp file + fsync + rename) and CSV tables guarded by a file lock."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from filelock import FileLock, Timeout

from graph.errors import NetzwerkError
from graph.store._csvread import read_csv_bytes

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


def file_token(path: Path) -> str:
    """A string that changes whenever the file is written or replaced ("0" if it does not exist)."""
    try:
        st = Path(path).stat()
    except FileNotFoundError:
        return "0"
    return f"{st.st_mtime_ns}-{st.st_size}-{st.st_ino}"


def file_lock(lock_path: Path) -> FileLock:
    """The process-wide lock object for ``lock_path`` (re-entrant within a thread, exclusive across threads/processes)."""
    return FileLock(str(lock_path), timeout=LOCK_TIMEOUT_S, is_singleton=True)


@contextmanager
def exclusive(lock_path: Path, what: str) -> Iterator[None]:
    """Hold the lock at ``lock_path``; a German error names ``what`` if it stays busy."""
    try:
        with file_lock(lock_path):
            yield
    except Timeout:
        raise NetzwerkError(
            f"{what} ist seit {LOCK_TIMEOUT_S:.0f} s von einem anderen Vorgang gesperrt. Bitte erneut versuchen."
        ) from None


class CsvTable:
    """One CSV file of the data folder (UTF-8, comma, header), all cells as strings.

    ``required`` columns must be in the file's header; others of ``columns`` read as empty when missing.
    """

    def __init__(self, path: Path, columns: list[str], required: tuple[str, ...] = ()) -> None:
        self.path = Path(path)
        self.columns = columns
        self.required = tuple(required)
        self._lock_path = self.path.parent / f".{self.path.stem}.lock"

    def read(self) -> pd.DataFrame:
        """The table; an empty frame with the contract columns if the file does not exist.

        Raises ``ValidationError`` (German, with row and field) if the file is not a readable UTF-8 CSV.
        """
        if not self.path.exists():
            return pd.DataFrame({c: pd.Series(dtype=str) for c in self.columns})
        frame = read_csv_bytes(self.path.read_bytes(), self.path.name, self.required)
        return frame.reindex(columns=list(dict.fromkeys(self.columns + list(frame.columns))), fill_value="")

    def token(self) -> str:
        """Changes whenever the file is replaced (for cache keys)."""
        return file_token(self.path)

    def write(self, frame: pd.DataFrame) -> None:
        """Atomically replace the file with ``frame`` (call inside :meth:`locked`).

        Line breaks inside cells are stored as ``\\n``: the csv module leaves a lone ``\\r`` unquoted,
        and the file would then read back with the record split in two.
        """
        broken = [c for c in frame.columns if frame[c].map(lambda v: isinstance(v, str) and "\r" in v).any()]
        if broken:
            frame = frame.copy()
            for c in broken:
                frame[c] = frame[c].map(lambda v: v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v)
        buf = io.StringIO()
        frame.to_csv(buf, index=False, lineterminator="\n")
        atomic_write_bytes(self.path, buf.getvalue().encode("utf-8"))

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Serialise writers across processes; cleans up temp files of killed writers."""
        with exclusive(self._lock_path, self.path.name):
            remove_stale_temps(self.path)
            yield
