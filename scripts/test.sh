#!/usr/bin/env bash
# Installs everything the tests need, then runs them. Same command locally and in CI.
# pytest's exit code 5 ("no tests collected") counts as failure.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --disable-pip-version-check -q -r requirements-dev.txt
# Browser tests (tests/browser) drive Debian's Chromium through Playwright; Playwright cannot
# download browsers here. CI runs as root on a clean machine, so install the package if missing.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installiere chromium für die Browser-Tests …" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Hinweis: /usr/bin/chromium fehlt – Browser-Tests werden übersprungen (apt-get install chromium)." >&2
  fi
fi
# Neo4j-Tests (tests/test_neo4j.py, tests/test_store.py): ein echter Neo4j-5-Server aus Maven Central
# (tools/neo4j5), gebaut mit Java 17 und Maven; beides wird auf einer frischen Maschine nachinstalliert.
if ! command -v mvn >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installiere Java 17 und Maven für den Neo4j-Testserver …" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
  else
    echo "Hinweis: Java/Maven fehlen – die Neo4j-Tests schlagen fehl (apt-get install openjdk-17-jdk-headless maven)." >&2
  fi
fi
python3 tools/neo4j_server.py --build >&2 || { echo "Fehler: Neo4j-Testserver (tools/neo4j5) ließ sich nicht bauen." >&2; exit 1; }
python3 -m ruff check --quiet . || { echo "Fehler: Stilprüfung (ruff check .) nicht bestanden." >&2; exit 1; }
# pytest, with its exit code 5 ("no tests collected") counted as failure.
run_pytest() {
  local rc=0
  python3 -m pytest "$@" || rc=$?
  if [ "$rc" -eq 5 ]; then
    echo "Fehler: pytest hat keine Tests gefunden (Exit-Code 5)." >&2
    return 1
  fi
  return "$rc"
}
if [ "$#" -gt 0 ]; then  # e.g. the fast loop: bash scripts/test.sh -m "not slow and not browser" -n 2
  run_pytest "$@"
  exit $?
fi
# Everything: the tests without a browser on both cores, then the browser tests, also on both cores
# (each worker has its own Chromium and shared Streamlit server; a browser test mostly waits for both).
run_pytest -m "not browser" -n 2
run_pytest -m browser -n 2
