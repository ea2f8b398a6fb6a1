#!/usr/bin/env bash
# The whole suite, headless: lint, then pytest. Called by `make test` (and so by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
# One line of what the suite relies on from the machine, so that a red run on a new machine shows what moved.
debian="$(. /etc/os-release && echo "$PRETTY_NAME") $(cat /etc/debian_version 2>/dev/null)"
packages="$(dpkg-query -W -f='${Package} ${Version}, ' cups pcscd vsmartcard-vpcd libpcsclite1 fonts-wqy-zenhei \
  2>/dev/null)"
echo "test: ${debian}; ${packages%, }; $(.venv/bin/python -c 'import sys, PySide6; print(f"Python {sys.version.split()[0]}, PySide6 {PySide6.__version__}")')"
# The project's bytecode, compiled once here (a fresh clone has none), before four test processes and their
# `kiosk sim` subprocesses would each compile the same modules at once; and pytest keeps its rewritten test modules
# (an environment with PYTHONDONTWRITEBYTECODE, as on the CI machine, would have every process rewrite them again).
unset PYTHONDONTWRITEBYTECODE
.venv/bin/python -m compileall -q -j 0 app drivers kiosk parties printers screens scripts tests
.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/mypy
# Test processes side by side (pytest-xdist), each on a pcscd of its own (tests/worker_pcscd.py), which needs root;
# without it they would share the machine's vpcd slots, so one process. Many tests wait on devices and subprocesses,
# so four processes keep two cores busy (docs/performance.md has the figures: 1843 tests in 4 min 45 s with four on
# this 2-core machine, the long tests first, tests/slow_first.py).
if [ "$(id -u)" -eq 0 ]; then workers="${PYTEST_WORKERS:-4}"; else workers=0; fi
.venv/bin/python -m pytest -n "$workers" --dist worksteal "$@"
