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
python3 -m ruff check --quiet . || { echo "Fehler: Stilprüfung (ruff check .) nicht bestanden." >&2; exit 1; }
set +e
python3 -m pytest "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "Fehler: pytest hat keine Tests gefunden (Exit-Code 5)." >&2
  exit 1
fi
exit "$rc"
