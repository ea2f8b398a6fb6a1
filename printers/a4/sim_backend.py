"""The A4 printer simulator's CUPS backend: the "printer" end of the private cupsd, with faults a technician meets.

CUPS learns a printer's trouble only from the backend that is sending it a job (``STATE:`` lines on stderr become
printer-state-reasons, CUPS Software Programming Manual, "Backends"). This backend behaves like CUPS's own:

- ``out`` / ``jammed``: like the ipp backend relaying a printer that waits for paper or a cleared jam, it reports
  ``media-empty-error`` / ``media-jam-error`` and holds the job until the fault is cleared, then prints it;
- ``unplugged``: like the usb backend with no printer on the cable, ``connecting-to-device`` and "Waiting for
  printer to become available." until it is plugged in again;
- otherwise it writes the job to the device file that the simulator collects.

The fault is a word in a file the simulator writes (the backend runs as CUPS's user lp, in its own process).
``offline`` needs no backend: the simulator stops the queue (cupsdisable), as a technician or CUPS's
stop-printer error policy does.
"""

from __future__ import annotations

import os
from pathlib import Path

SCHEME = "kioska4"
FAULTS = ("ok", "out", "jammed", "unplugged", "offline")

# argv: job-id user title copies options [file]; no arguments = device discovery (lpinfo -v).
BACKEND = r"""#!/bin/sh
# The kiosk's simulated A4 printer (printers/a4/sim_backend.py). DEVICE_URI is kioska4:<device file>.
if [ $# -eq 0 ]; then echo 'direct kioska4 "Kiosk" "Kiosk A4 printer simulator"'; exit 0; fi
out="${DEVICE_URI#kioska4:}"
faultfile="$(dirname "$out")/../fault"
fault() { cat "$faultfile" 2>/dev/null; }
hold() {  # report the reason, wait while the fault lasts, take it back
    echo "STATE: +$1" >&2
    [ -n "$2" ] && echo "INFO: $2" >&2
    while [ "$(fault)" = "$3" ]; do sleep 0.2; done
    echo "STATE: -$1" >&2
}
case "$(fault)" in
    out) hold media-empty-error "Out of paper." out ;;
    jammed) hold media-jam-error "Paper jam." jammed ;;
    unplugged) hold connecting-to-device "Waiting for printer to become available." unplugged ;;
esac
if [ $# -ge 6 ]; then cat "$6" > "$out"; else cat > "$out"; fi || exit 1
exit 0
"""


def install_server_bin(root: Path) -> Path:
    """A private ServerBin: the system's filters and helpers, and a backend directory holding only ours
    (the file: device is built into cupsd and cannot report a fault). Returns the ServerBin path."""
    system = Path("/usr/lib/cups")
    server_bin = root / "serverbin"
    server_bin.mkdir(exist_ok=True)
    for entry in system.iterdir() if system.is_dir() else ():
        link = server_bin / entry.name
        if entry.name != "backend" and not link.exists():
            link.symlink_to(entry)
    backends = server_bin / "backend"
    backends.mkdir(exist_ok=True)
    script = backends / SCHEME
    script.write_text(BACKEND)
    script.chmod(0o755)  # not 0700: CUPS runs a world-executable backend as lp, not as root
    return server_bin


def write_fault(root: Path, fault: str) -> None:
    """Set the fault the backend sees on its next job (and that a held job waits on)."""
    path = root / "fault"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(fault)
    temporary.chmod(0o644)  # the backend runs as lp
    os.replace(temporary, path)
