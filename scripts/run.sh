#!/usr/bin/env bash
# Start the kiosk windowed on simulated hardware (config/simulated.toml) with the simulator's control window.
# `make run` is `kiosk sim --state var`: every simulator on its real transport and the fee system behind its gateway
# with mutual TLS (the terminal's certificate from a test CA in var/pki), the receipts' QR codes leading to the
# gateway's public verification page; the state stays in var/ between runs (docs/harness.md).
# Without a display (a server, a container) it runs on a virtual X screen (Xvfb) and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(sim --config config/simulated.toml --state var)
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != "offscreen" ]; then
  echo "run: no display here; starting the kiosk on a virtual screen (xvfb-run). Screenshots: make screens" >&2
  exec xvfb-run -a -s "-screen 0 1920x1200x24" .venv/bin/kiosk "${args[@]}"
fi
exec .venv/bin/kiosk "${args[@]}"
