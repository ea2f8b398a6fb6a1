#!/usr/bin/env bash
# The whole suite, headless: lint, then pytest. Called by `make test` (and so by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
