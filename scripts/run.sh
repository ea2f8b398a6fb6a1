#!/usr/bin/env bash
# Start the kiosk windowed on simulated hardware (config/simulated.toml) with the simulator's control window.
# Without a display (a server, a container) it runs on a virtual X screen (Xvfb) and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(run --config config/simulated.toml)
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != "offscreen" ]; then
  echo "run: no display here; starting the kiosk on a virtual screen (xvfb-run). Screenshots: make screens" >&2
  exec xvfb-run -a -s "-screen 0 1920x1200x24" .venv/bin/kiosk "${args[@]}"
fi
exec .venv/bin/kiosk "${args[@]}"
