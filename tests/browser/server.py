"""A real Streamlit server for browser tests and screenshots, and the Chromium launch settings."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from graph.settings import ENV_DATA

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("NETZWERK_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT_S = 90


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """One ``python3 serve.py`` process (``streamlit run app.py`` with its server fixes) on loopback, serving ``data_dir``."""

    def __init__(self, data_dir: Path, log_dir: Path, app: Path | None = None, plain: bool = False) -> None:
        """``plain``: start with ``python3 -m streamlit run`` instead (Streamlit without serve.py's fixes)."""
        app = app or REPO / "app.py"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"streamlit-{self.port}.log"
        self.log = self.log_path.open("w", encoding="utf-8")
        env = {**os.environ, ENV_DATA: str(data_dir), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        env.pop("NETZWERK_STORE", None)
        launcher = ["-m", "streamlit", "run"] if plain else [str(REPO / "serve.py")]
        cmd = [sys.executable, *launcher, str(app), "--server.port", str(self.port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false"]
        self.proc = subprocess.Popen(cmd, cwd=app.parent, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Streamlit ist beendet (Code {self.proc.returncode}):\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"Streamlit antwortet nicht nach {START_TIMEOUT_S} s:\n{self.output()}")

    def output(self) -> str:
        """What the server printed so far."""
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """Stop the server process (terminate, then kill)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.log.close()
