#!/usr/bin/env bash
# Refresh kiosk/i18n/kiosk_zh_CN.ts from the application's sources (app/, screens/, kiosk/ without the device
# commands, the shared device model, and the fee system's simulator in parties/feesystem, whose refusals the kiosk
# shows) and maintenance_zh_CN.ts from maintenance mode's. Device areas and the
# simulator panel (app/harness/sim_*.py: harness_zh_CN.ts) keep their own <area>_zh_CN.ts. New strings arrive marked "unfinished": translate them in the .ts file; tests/test_i18n.py fails until none is left.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t sources < <(ls app/*.py app/cli/*.py screens/*.py; ls kiosk/*.py kiosk/domain/*.py kiosk/feesystem/*.py kiosk/payments/*.py parties/feesystem/*.py drivers/base.py)
.venv/bin/pyside6-lupdate -no-obsolete "${sources[@]}" -ts kiosk/i18n/kiosk_zh_CN.ts
.venv/bin/pyside6-lupdate -no-obsolete screens/maintenance/*.py kiosk/maintenance/*.py -ts kiosk/i18n/maintenance_zh_CN.ts
for ts in kiosk/i18n/kiosk_zh_CN.ts kiosk/i18n/maintenance_zh_CN.ts; do
    echo "$ts unfinished: $(grep -c 'type="unfinished"' "$ts" || true)"
done
