#!/usr/bin/env bash
# Installs everything the tests need, then runs them. Same command locally and in CI.
# pytest's exit code 5 ("no tests collected") counts as failure.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --disable-pip-version-check -q -r requirements-dev.txt
set +e
python3 -m pytest "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "Fehler: pytest hat keine Tests gefunden (Exit-Code 5)." >&2
  exit 1
fi
exit "$rc"
