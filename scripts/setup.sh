#!/usr/bin/env bash
# Installs everything the kiosk and its tests need on a fresh Debian machine:
# Debian packages (apt-get), a virtual environment at .venv with the project in it,
# and the compiled translations. Idempotent: a second run only checks stamps.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  # pyscard builds from source against pcsc-lite; pcscd + vpcd carry the virtual cards
  pcscd libpcsclite-dev swig vsmartcard-vpcd
  # a TrueType CJK font for Qt and for reportlab (no tofu)
  fonts-wqy-zenhei fontconfig
  # the tick boxes (☑ ☐) and other symbols WenQuanYi lacks, found by fontconfig's fallback
  fonts-dejavu-core
  # Qt's runtime libraries for the offscreen and xcb platforms
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 libfontconfig1 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libxrender1 libxi6
  # A4 printing through CUPS, PDF inspection and QR decoding in tests, a virtual screen
  cups cups-client cups-bsd poppler-utils zbar-tools libzbar0 xvfb
  # the kiosk session of the Debian package (systemd-analyze verify checks that cage exists)
  cage seatd
  # USB receipt printers through pyusb (libusb), tested on umockdev's emulated USB devices (docs/printers.md)
  libusb-1.0-0 umockdev
  # the voice prompt pack is rendered by espeak-ng and measured with sox; QtMultimedia plays it through PulseAudio's
  # client library; the tests play it for real into a PulseAudio null sink (docs/voice.md)
  espeak-ng sox libpulse0 pulseaudio
  # the fleet: promtool and prometheus for the alert rules and their integration test, systemd-journal-remote for the
  # log upload test (docs/operations.md)
  prometheus systemd-journal-remote
  # the verification page in a real browser (selenium drives Debian's chromium through chromedriver)
  chromium chromium-driver
  # `make deb` builds with debhelper and checks with lintian; the signed apt repository test (reprepro, gpg)
  debhelper dpkg-dev lintian reprepro gnupg
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# The exact packages of requirements.lock, each checked against its hash, so that every machine runs the same ones;
# then the project itself, editable, with the locked setuptools (no download at build time).
stamp=.venv/.project-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements.lock -nt "$stamp" ] \
  || [ requirements-setup.lock -nt "$stamp" ]; then
  echo "setup: installing requirements.lock and the project into .venv"
  # uv (requirements-setup.lock, itself hash-checked) installs the lock with the same hash checks, in parallel;
  # pip does it when uv cannot be had (another architecture, no index). Compiled to bytecode at install, as pip
  # does: without it every test process and `kiosk sim` compiles PySide6's, cryptography's, ... modules again.
  if .venv/bin/python -m pip install -q --require-hashes -r requirements-setup.lock 2>/dev/null \
    && .venv/bin/uv pip install -q --require-hashes --compile-bytecode -r requirements.lock --python .venv/bin/python; then
    :
  else
    echo "setup: uv unavailable, installing with pip"
    .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
  fi
  .venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
  touch "$stamp"
fi

# Compile the translations (.ts -> .qm) when a source is newer than its output.
for ts in kiosk/i18n/*.ts; do
  [ -e "$ts" ] || continue
  qm="${ts%.ts}.qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    .venv/bin/pyside6-lrelease -silent "$ts" -qm "$qm"
  fi
done

# The voice prompt pack (kiosk/voice_pack/<language>/<id>.wav, docs/voice.md): rendered from the translations by
# espeak-ng and sox, again only when the catalogue, a translation or the renderer changed.
.venv/bin/python scripts/render_prompts.py --if-stale
