#!/usr/bin/env bash
# Builds the Debian package dist/sifee-kiosk_VERSION_amd64.deb with dpkg-deb (`make deb`).
#
# The package carries the application and every dependency as wheels (/opt/sifee-kiosk/wheels); its postinst
# builds the virtual environment /opt/sifee-kiosk/venv from them with the target's own python3, offline.
# The wheels come from a local cache, build/wheel-cache: filled from PyPI once (the set-up, the only step that
# needs the network; `scripts/build_deb.sh --fetch` forces it), then every build is offline.
#
# Environment: DIST_DIR (default dist), BUILD_DIR (default build/deb), WHEEL_CACHE (default build/wheel-cache),
# PYTHON (default .venv/bin/python), DEB_COMPRESSION (default gzip -1: the wheels are zip files already).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

PYTHON=${PYTHON:-$REPO/.venv/bin/python}
DIST_DIR=$(realpath -m "${DIST_DIR:-dist}")
BUILD_DIR=$(realpath -m "${BUILD_DIR:-build/deb}")
WHEEL_CACHE=$(realpath -m "${WHEEL_CACHE:-build/wheel-cache}")
COMPRESSION=${DEB_COMPRESSION:-gzip}
LEVEL=${DEB_COMPRESSION_LEVEL:-1}
PACKAGE=sifee-kiosk
APP=/opt/sifee-kiosk
started=$(date +%s.%N)

VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
PIP=("$PYTHON" -m pip --disable-pip-version-check)

fetch_wheels() {
  echo "build_deb: filling $WHEEL_CACHE from the package index (once; later builds are offline)"
  mkdir -p "$WHEEL_CACHE"
  # setuptools and wheel too: the offline build of our own wheel needs them in its isolated build environment.
  "${PIP[@]}" wheel -q --wheel-dir "$WHEEL_CACHE" . "setuptools>=68" wheel
}

if [ "${1:-}" = "--fetch" ] || [ ! -d "$WHEEL_CACHE" ]; then
  fetch_wheels
fi

# Translations compiled (.qm) so that they go into the wheel (package-data).
for ts in kiosk/i18n/*.ts; do
  [ -e "$ts" ] || continue
  qm="${ts%.ts}.qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    "$(dirname "$PYTHON")/pyside6-lrelease" -silent "$ts" -qm "$qm"
  fi
done

# The voice prompt pack rendered (espeak-ng, sox) so that it goes into the wheel too (docs/voice.md).
"$PYTHON" scripts/render_prompts.py --if-stale

ROOT=$BUILD_DIR/root
rm -rf "$BUILD_DIR"
mkdir -p "$ROOT/DEBIAN" "$ROOT$APP/wheels" "$ROOT$APP/bin" "$DIST_DIR"

# Our wheel plus exactly the runtime dependencies, from the cache and offline; the cache is topped up when
# pyproject.toml asks for something it lacks.
wheel_into_package() {
  # Offline: the cache only (no index, no find-links or extra indexes from a pip.conf).
  env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL PIP_CONFIG_FILE=/dev/null "${PIP[@]}" wheel -q --no-index --find-links "$WHEEL_CACHE" --wheel-dir "$ROOT$APP/wheels" .
}
if ! wheel_into_package 2>"$BUILD_DIR/pip.log"; then
  cat "$BUILD_DIR/pip.log" >&2
  fetch_wheels
  wheel_into_package
fi
rm -rf build/lib build/bdist.* ./*.egg-info/SOURCES.txt.bak 2>/dev/null || true

install -m 0755 packaging/kiosk-session "$ROOT$APP/bin/kiosk-session"
install -D -m 0644 packaging/sifee-kiosk.service "$ROOT/lib/systemd/system/sifee-kiosk.service"
install -D -m 0644 packaging/70-sifee-kiosk.rules "$ROOT/lib/udev/rules.d/70-sifee-kiosk.rules"
install -D -m 0644 packaging/sifee-kiosk.tmpfiles "$ROOT/usr/lib/tmpfiles.d/sifee-kiosk.conf"
install -d -m 0700 "$ROOT/etc/sifee-kiosk"
install -m 0600 config/kiosk.toml "$ROOT/etc/sifee-kiosk/kiosk.toml"
# Log shipping to the bureau's systemd-journal-remote, off until enabled; the hall's own settings go in a file of
# the same name under /etc/systemd/journal-upload.conf.d/ (docs/packaging.md).
install -D -m 0644 packaging/journal-upload.conf "$ROOT/usr/lib/systemd/journal-upload.conf.d/sifee-kiosk.conf"
install -d -m 0755 "$ROOT/usr/share/doc/$PACKAGE/examples"
install -m 0644 docs/packaging.md "$ROOT/usr/share/doc/$PACKAGE/packaging.md"
install -m 0644 config/policy.toml config/demo_people.toml "$ROOT/usr/share/doc/$PACKAGE/examples/"
# For the bureau's Prometheus and Grafana servers (docs/operations.md): the alert rules and the fleet dashboard.
install -m 0644 docs/operations.md "$ROOT/usr/share/doc/$PACKAGE/operations.md"
install -D -m 0644 packaging/prometheus/sifee-kiosk.rules.yml packaging/grafana/sifee-fleet.json \
  -t "$ROOT/usr/share/doc/$PACKAGE/examples/monitoring/"
install -d -m 0755 "$ROOT/usr/bin"
ln -s "$APP/venv/bin/kiosk" "$ROOT/usr/bin/kiosk"

install -m 0644 packaging/debian/conffiles "$ROOT/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  sed "s/@VERSION@/$VERSION/g" "packaging/debian/$script" >"$ROOT/DEBIAN/$script"
  chmod 0755 "$ROOT/DEBIAN/$script"
done
# Installed-Size counts what the venv will take as well (about three times the wheels), in KiB.
wheels_kib=$(du -sk "$ROOT$APP/wheels" | cut -f1)
installed_kib=$(($(du -sk "$ROOT" | cut -f1) + 3 * wheels_kib))
sed -e "s/@VERSION@/$VERSION/" -e "s/@INSTALLED_SIZE@/$installed_kib/" packaging/debian/control.in \
  >"$ROOT/DEBIAN/control"

OUTPUT="$DIST_DIR/${PACKAGE}_${VERSION}_amd64.deb"
dpkg-deb --root-owner-group -Z"$COMPRESSION" -z"$LEVEL" --build "$ROOT" "$OUTPUT" >/dev/null
seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "build_deb: $OUTPUT ($(du -h "$OUTPUT" | cut -f1), $(find "$ROOT$APP/wheels" -name '*.whl' | wc -l) wheels) in ${seconds} s"
