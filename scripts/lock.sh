#!/usr/bin/env bash
# Refreshes requirements.lock: the newest versions pyproject.toml allows, each with its PyPI hashes, for the
# machines the kiosk runs on (CPython 3.11, x86_64, glibc 2.36 = Debian 12). `make lock`; setup installs from it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/uv ] || .venv/bin/python -m pip install -q --require-hashes -r requirements-setup.lock
.venv/bin/uv pip compile pyproject.toml requirements-build.in --extra dev --generate-hashes --upgrade \
  --python-version 3.11 --python-platform x86_64-manylinux_2_36 --custom-compile-command "make lock" \
  -o requirements.lock
