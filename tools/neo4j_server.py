"""A throw-away Neo4j 5 Community server speaking Bolt on loopback (tests, CI, trying the Neo4j store).

``python tools/neo4j_server.py`` starts one and prints the NEO4J_* settings to use; Ctrl+C stops it.
``python tools/neo4j_server.py --build`` only builds (for CI, before the tests).
From Python: ``with neo4j5_server(tmp_dir) as uri: ...`` with :func:`auth` as the driver's auth.

The server is the embedded Neo4j DBMS of ``tools/neo4j5`` (a small Maven project, artifacts
from Maven Central, Java 17). :func:`build` runs Maven only when ``pom.xml`` or the Java source
changed since the last build (or the outputs are gone); otherwise it calls no Maven at all. The
first server after a build records a class-data-sharing archive that makes later starts faster.
Authentication is on: user ``neo4j``, password :data:`PASSWORD`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parent / "neo4j5"
TARGET = PROJECT / "target"
JAR = TARGET / "neo4j5-testserver-1.jar"
LIB = TARGET / "lib"
CDS_ARCHIVE = TARGET / "neo4j5.jsa"
STAMP = TARGET / "build-stamp.json"
MAIN_CLASS = "netzwerk.neo4j5.TestServer"
READY = "NEO4J5_BEREIT"

USER = "neo4j"
PASSWORD = "netzwerk-test"  # at least 8 characters (Neo4j's minimum)
START_TIMEOUT_S = 120.0
BUILD_TIMEOUT_S = 900.0

#: Small heap, C1 only (starts faster; the tests' queries are small), the opens Neo4j's own launcher sets.
JVM_OPTIONS = (
    "-Xms128m", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dfile.encoding=UTF-8",
)


def auth() -> tuple[str, str]:
    """The (user, password) the test server accepts."""
    return USER, PASSWORD


def env_vars(uri: str) -> dict[str, str]:
    """Environment that points the app's Neo4j store at the server at ``uri``."""
    return {"NETZWERK_STORE": "neo4j", "NEO4J_URI": uri, "NEO4J_USER": USER, "NEO4J_PASSWORD": PASSWORD}


def free_port() -> int:
    """A loopback TCP port that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------------------- build
def _java() -> str:
    """The java executable: $JAVA_HOME/bin/java, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        raise RuntimeError("Java nicht gefunden: Java 17 installieren (apt-get install openjdk-17-jdk-headless) "
                           "oder JAVA_HOME setzen.")
    return java


def _inputs_key() -> str:
    """Hash of everything the build depends on: pom.xml, the Java sources and the Java runtime."""
    digest = hashlib.sha256()
    files = [PROJECT / "pom.xml", *sorted((PROJECT / "src").rglob("*.java"))]
    for path in files:
        digest.update(path.relative_to(PROJECT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    java = Path(_java()).resolve()
    digest.update(f"{java}:{java.stat().st_mtime_ns}".encode())
    return digest.hexdigest()


def _classpath() -> list[str]:
    """The server's class path in a fixed order (the CDS archive needs the same one each time)."""
    return [str(JAR), *sorted(str(p) for p in LIB.glob("*.jar"))]


def _read_stamp() -> dict:
    try:
        return json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _is_built(key: str) -> bool:
    stamp = _read_stamp()
    return (stamp.get("key") == key and JAR.is_file()
            and sorted(Path(p).name for p in _classpath()[1:]) == stamp.get("lib", []))


def build(force: bool = False) -> Path:
    """Build ``tools/neo4j5`` unless the outputs match its current sources; returns the jar.

    Maven downloads into its usual ``~/.m2`` cache. A rebuild drops the class-data-sharing archive.
    """
    from filelock import FileLock

    TARGET.mkdir(parents=True, exist_ok=True)
    key = _inputs_key()
    if not force and _is_built(key):
        return JAR
    with FileLock(str(TARGET / ".build.lock")):
        if not force and _is_built(key):  # built by another process meanwhile
            return JAR
        mvn = shutil.which("mvn")
        if not mvn:
            raise RuntimeError("Maven (mvn) nicht gefunden: apt-get install maven")
        STAMP.unlink(missing_ok=True)
        shutil.rmtree(LIB, ignore_errors=True)  # no stale jars of an older Neo4j version
        CDS_ARCHIVE.unlink(missing_ok=True)
        cmd = [mvn, "-q", "-B", "-Dstyle.color=never", "-f", str(PROJECT / "pom.xml"),
               "compile", "jar:jar", "dependency:copy-dependencies"]
        started = time.monotonic()
        try:
            java_home = str(Path(_java()).resolve().parent.parent)
            done = subprocess.run(cmd, check=False, cwd=PROJECT, capture_output=True, text=True,
                                  timeout=BUILD_TIMEOUT_S, env={**os.environ, "JAVA_HOME": java_home})
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"Maven-Build von {PROJECT} dauerte länger als {BUILD_TIMEOUT_S:.0f} s") from exc
        if done.returncode != 0 or not JAR.is_file():
            out = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join((done.stdout + done.stderr).splitlines()[-25:]))
            raise RuntimeError(f"Maven-Build von {PROJECT} fehlgeschlagen (Code {done.returncode}):\n{out}")
        STAMP.write_text(json.dumps({"key": key, "lib": sorted(Path(p).name for p in _classpath()[1:]),
                                     "maven_s": round(time.monotonic() - started, 1)}, indent=1), encoding="utf-8")
    return JAR


# ------------------------------------------------------------------------------ server
def _wait_until_ready(uri: str, proc: subprocess.Popen, log: Path, login: tuple[str, str] | None) -> None:
    """Wait for the server's ready line, then until the driver can log in; German error with the log tail."""
    import neo4j

    deadline = time.monotonic() + START_TIMEOUT_S
    seen_ready = False
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"Neo4j ist beim Start beendet worden (Code {proc.returncode}):\n{_tail(log)}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Neo4j antwortet nach {START_TIMEOUT_S:.0f} s nicht auf {uri}.\n{_tail(log)}")
        seen_ready = seen_ready or READY in _tail(log, 200)
        if seen_ready:
            try:
                with neo4j.GraphDatabase.driver(uri, auth=login, connection_acquisition_timeout=5.0) as driver:
                    driver.verify_connectivity()
                return
            except (neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError, OSError) as exc:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Neo4j antwortet nach {START_TIMEOUT_S:.0f} s nicht auf {uri}: {exc}\n"
                                       f"{_tail(log)}") from exc
        time.sleep(0.1)


def _tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _cds_options() -> tuple[list[str], Path | None]:
    """JVM options for class data sharing, and the file a recording run writes (None: not recording).

    The first start after a build records which classes it loaded (written at its exit, a few
    seconds); later starts map them in and are ready in about half the time. Not under CI (a fresh
    clone each run would only pay for it) nor with NEO4J_TESTSERVER_CDS=0.
    """
    if os.environ.get("NEO4J_TESTSERVER_CDS", "1") == "0":
        return [], None
    quiet = ["-Xlog:cds=off", "-Xlog:cds+dynamic=off"]
    if CDS_ARCHIVE.is_file():
        return [f"-XX:SharedArchiveFile={CDS_ARCHIVE}", "-Xshare:auto", *quiet], None
    if os.environ.get("CI"):
        return [], None
    pending = TARGET / f"neo4j5.jsa.{os.getpid()}.tmp"
    return [f"-XX:ArchiveClassesAtExit={pending}", *quiet], pending


@contextmanager
def neo4j5_server(work_dir: str | Path, password: str | None = PASSWORD) -> Iterator[str]:
    """Run Neo4j 5 in ``work_dir`` (built first if needed) on a free loopback port; yields the Bolt URI.

    User ``neo4j`` logs in with ``password`` (None: authentication off). Waits until the driver
    can log in; stops the JVM afterwards (stdin closed, then SIGTERM/SIGKILL).
    """
    if password is not None and len(password) < 8:
        raise ValueError("Neo4j verlangt Passwörter mit mindestens 8 Zeichen")
    build()
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    cds, pending = _cds_options()
    port = free_port()
    log = work_dir / "neo4j.log"
    uri = f"bolt://127.0.0.1:{port}"
    extra = os.environ.get("NEO4J_TESTSERVER_JAVA_OPTS", "").split()  # e.g. -Xmx1g, appended (they win)
    cmd = [_java(), *JVM_OPTIONS, *cds, *extra, "-cp", os.pathsep.join(_classpath()), MAIN_CLASS,
           str(work_dir / "home"), str(port), "--watch-stdin"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.PIPE,
                                env={**os.environ, "NEO4J_TESTSERVER_PASSWORD": password or ""})
    try:
        _wait_until_ready(uri, proc, log, None if password is None else (USER, password))
        yield uri
    finally:
        clean = _stop(proc)
        if pending is not None:
            if clean and pending.is_file() and pending.stat().st_size > 0:
                os.replace(pending, CDS_ARCHIVE)
            else:
                pending.unlink(missing_ok=True)


def _stop(proc: subprocess.Popen) -> bool:
    """Close stdin (the server's watcher shuts Neo4j down), then SIGTERM, then SIGKILL; True unless killed."""
    try:
        proc.stdin.close()
    except OSError:
        pass
    for attempt, signal_next in enumerate((proc.terminate, proc.kill)):
        try:
            proc.wait(timeout=30)  # writing the CDS archive at exit takes a few seconds
            return attempt == 0 or proc.returncode in (0, 143)  # 143: ended by SIGTERM
        except subprocess.TimeoutExpired:
            signal_next()
    proc.wait()
    return False


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--build`` only builds; otherwise run a server until Ctrl+C."""
    parser = argparse.ArgumentParser(description="Neo4j-5-Testserver (Bolt auf 127.0.0.1)")
    parser.add_argument("--build", action="store_true", help="nur bauen (Maven, wenn nötig) und beenden")
    parser.add_argument("--force", action="store_true", help="neu bauen, auch wenn nichts geändert ist")
    args = parser.parse_args(argv)
    try:
        if args.build:
            if not args.force and _is_built(_inputs_key()):
                print(f"Neo4j-Testserver ist aktuell (kein Maven-Lauf): {JAR}")
                return 0
            started = time.monotonic()
            build(force=args.force)
            print(f"Neo4j-Testserver gebaut ({time.monotonic() - started:.1f} s): {JAR}")
            return 0
        if args.force:
            build(force=True)
        with tempfile.TemporaryDirectory(prefix="neo4j5-") as tmp, neo4j5_server(tmp) as uri:
            line = " ".join(f"{k}={v}" for k, v in env_vars(uri).items())
            print(f"Neo4j 5 läuft (Strg+C beendet):\n  export {line}", flush=True)
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return 0
    except RuntimeError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
