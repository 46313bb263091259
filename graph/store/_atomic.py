"""Atomic file replacement (temp file + fsync + rename, file mode kept) and the file locks."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from graph.errors import NetzwerkError

LOCK_TIMEOUT_S = 30.0


def atomic_write_bytes(path: Path, data: bytes, new_mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` so that readers see either the old or the new file.

    An existing file keeps its mode; a new one gets ``new_mode``.
    """
    path = Path(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)  # keep it: another account's CLI run must not lock the app out
    except FileNotFoundError:
        mode = new_mode
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
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
