#!/usr/bin/env bash
# Builds the Debian package dist/sifee-kiosk_VERSION_amd64.deb with debhelper (`make deb`; docs/packaging.md).
#
# The package carries the application and every dependency as wheels (/opt/sifee-kiosk/wheels); its postinst
# builds the virtual environment /opt/sifee-kiosk/venv from them with the target's own python3, offline.
# The wheels come from a local cache, build/wheel-cache: filled from PyPI once (the set-up, the only step that
# needs the network; `scripts/build_deb.sh --fetch` forces it), then every build is offline.
#
# The debhelper source tree is staged in $BUILD_DIR/src: debian/ from packaging/debian (the unit, udev rules and
# tmpfiles under the names dh_installsystemd, dh_installudev and dh_installtmpfiles look for), wheels/, and links
# to the repository's packaging/, config/ and docs/. `debian/rules binary` (dh's whole sequence) builds the .deb
# from it; dpkg-buildpackage would only add a .changes and .buildinfo, hashing the 260 MB twice more (5 s).
#
# Environment: DIST_DIR (default dist), BUILD_DIR (default build/deb), WHEEL_CACHE (default build/wheel-cache),
# PYTHON (default .venv/bin/python), DEB_COMPRESSION (default gzip -1: the wheels are zip files already; zstd
# would take 2 s instead of 6-10 s, but lintian calls anything but gzip or xz a malformed archive, an error).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

PYTHON=${PYTHON:-$REPO/.venv/bin/python}
DIST_DIR=$(realpath -m "${DIST_DIR:-dist}")
BUILD_DIR=$(realpath -m "${BUILD_DIR:-build/deb}")
WHEEL_CACHE=$(realpath -m "${WHEEL_CACHE:-build/wheel-cache}")
export DEB_COMPRESSION=${DEB_COMPRESSION:-gzip}
export DEB_COMPRESSION_LEVEL=${DEB_COMPRESSION_LEVEL:-1}
PACKAGE=sifee-kiosk
started=$(date +%s.%N)

for tool in dpkg-checkbuilddeps dh; do
  command -v "$tool" >/dev/null || { echo "build_deb: $tool is missing: run make setup (debhelper, dpkg-dev)" >&2; exit 2; }
done

VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
# The package's version is the changelog's: it must be the application's, or postinst would ask pip for a wheel
# that is not there.
CHANGELOG_VERSION=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
if [ "$CHANGELOG_VERSION" != "$VERSION" ]; then
  echo "build_deb: packaging/debian/changelog is at $CHANGELOG_VERSION but pyproject.toml at $VERSION;" \
    "add a changelog entry (dch -v $VERSION)" >&2
  exit 2
fi
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

SRC=$BUILD_DIR/src
rm -rf "$BUILD_DIR"
mkdir -p "$SRC/wheels" "$SRC/staged" "$DIST_DIR"

# Our wheel plus exactly the runtime dependencies, from the cache and offline; the cache is topped up when
# pyproject.toml asks for something it lacks.
wheel_into_package() {
  # Offline: the cache only (no index, no find-links or extra indexes from a pip.conf).
  env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL PIP_CONFIG_FILE=/dev/null "${PIP[@]}" wheel -q --no-index --find-links "$WHEEL_CACHE" --wheel-dir "$SRC/wheels" .
}
if ! wheel_into_package 2>"$BUILD_DIR/pip.log"; then
  cat "$BUILD_DIR/pip.log" >&2
  fetch_wheels
  wheel_into_package
fi
rm -rf build/lib build/bdist.* ./*.egg-info/SOURCES.txt.bak 2>/dev/null || true

# debian/ with the version in the maintainer scripts, and the files debhelper finds by their package-prefixed name.
cp -a packaging/debian "$SRC/debian"
for script in postinst prerm postrm; do
  sed -i "s/@VERSION@/$VERSION/g" "$SRC/debian/$script"
done
cp packaging/sifee-kiosk.service "$SRC/debian/$PACKAGE.service"
cp packaging/70-sifee-kiosk.rules "$SRC/debian/$PACKAGE.udev"
cp packaging/sifee-kiosk.tmpfiles "$SRC/debian/$PACKAGE.tmpfiles"
# Log shipping to the bureau's systemd-journal-remote, off until enabled; the hall's own settings go in a file of
# the same name under /etc/systemd/journal-upload.conf.d/ (docs/packaging.md).
cp packaging/journal-upload.conf "$SRC/staged/$PACKAGE.conf"
for dir in packaging config docs; do ln -s "$REPO/$dir" "$SRC/$dir"; done

# Installed-Size counts what the venv will take as well (about three times the wheels), in KiB.
EXTRA_SIZE_KIB=$((3 * $(du -sk "$SRC/wheels" | cut -f1)))
export EXTRA_SIZE_KIB
(cd "$SRC" && dpkg-checkbuilddeps && debian/rules binary) >"$BUILD_DIR/debhelper.log" 2>&1 || {
  cat "$BUILD_DIR/debhelper.log" >&2
  exit 1
}

OUTPUT="$DIST_DIR/${PACKAGE}_${VERSION}_amd64.deb"
mv -f "$BUILD_DIR/${PACKAGE}_${VERSION}_amd64.deb" "$OUTPUT"
seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "build_deb: $OUTPUT ($(du -h "$OUTPUT" | cut -f1), $(find "$SRC/wheels" -name '*.whl' | wc -l) wheels) in ${seconds} s"
