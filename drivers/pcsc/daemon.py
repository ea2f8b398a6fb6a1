"""Make sure pcscd runs with the vpcd virtual reader driver (Debian packages pcscd, vsmartcard-vpcd)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from drivers.pcsc.connection import readers_now
from drivers.pcsc.errors import PCSC_UNAVAILABLE, PcscError, pcsc_error
from drivers.pcsc.vpcd import VPCD_READER_PREFIX

VPCD_CONF = Path("/etc/reader.conf.d/vpcd")  # installed by vsmartcard-vpcd: FRIENDLYNAME "Virtual PCD"
PCSCD = "pcscd"
HOW_TO_START = (
    "start it as root: `systemctl start pcscd.socket` (systemd) or `pcscd` (it daemonises); "
    "the virtual reader needs the Debian package vsmartcard-vpcd (/etc/reader.conf.d/vpcd)"
)


def vpcd_readers() -> list[str]:
    """The vpcd readers pcscd offers now; raises PcscError(pcsc_unavailable) when pcscd does not answer."""
    return [name for name in readers_now() if name.startswith(VPCD_READER_PREFIX)]


def ensure_pcscd(timeout: float = 10.0) -> str:
    """Return a one-line description once pcscd answers with a vpcd reader; start pcscd when we may.

    A pcscd that runs without the vpcd reader is restarted when we are root. Raises PcscError(pcsc_unavailable)
    with the reason and how to fix it when pcscd is not running (or lacks the reader) and we are not root, when the
    vpcd driver is not configured, or when pcscd does not come up with the reader within ``timeout`` seconds.
    """
    try:
        readers: list[str] | None = vpcd_readers()
    except PcscError:
        readers = None  # pcscd not running (or not answering): start it below
    if readers:
        return f"pcscd running with {', '.join(readers)}"
    if readers == []:
        # A pcscd started while vpcd's ports were still held (a pcscd just stopped) runs without the reader for
        # good. Only the simulator needs vpcd, and only root may restart pcscd.
        if os.geteuid() != 0 or not VPCD_CONF.exists():
            raise pcsc_error(PCSC_UNAVAILABLE, f"pcscd runs but offers no vpcd reader; restart it. {HOW_TO_START}")
        _stop_pcscd()
    if not VPCD_CONF.exists():
        raise pcsc_error(PCSC_UNAVAILABLE, f"{VPCD_CONF} missing: install vsmartcard-vpcd; then {HOW_TO_START}")
    if os.geteuid() != 0:
        raise pcsc_error(PCSC_UNAVAILABLE, f"pcscd is not running and we are not root; {HOW_TO_START}")
    how = _start_pcscd()
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            readers = vpcd_readers()
            if readers:
                return f"pcscd started ({how}) with {', '.join(readers)}"
        except PcscError as exc:
            last = exc.detail
        time.sleep(0.1)
    raise pcsc_error(PCSC_UNAVAILABLE, f"pcscd started ({how}) but gave no vpcd reader within {timeout:.0f} s: {last}")


def _stop_pcscd(timeout: float = 10.0) -> None:
    subprocess.run(["pkill", "-x", PCSCD], capture_output=True, timeout=15, check=False)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _pcscd_running():
        time.sleep(0.05)


def _pcscd_running() -> bool:
    return subprocess.run(["pgrep", "-x", PCSCD], capture_output=True, timeout=15, check=False).returncode == 0


def _start_pcscd() -> str:
    if Path("/run/systemd/system").is_dir() and shutil.which("systemctl"):
        done = subprocess.run(
            ["systemctl", "start", "pcscd.socket", "pcscd.service"],
            capture_output=True,
            text=True,
            timeout=15,
            check=False,
        )
        if done.returncode == 0:
            return "systemctl start pcscd"
    binary = shutil.which(PCSCD) or "/usr/sbin/pcscd"
    if not Path(binary).exists():
        raise pcsc_error(
            PCSC_UNAVAILABLE, f"pcscd is not installed; apt-get install pcscd vsmartcard-vpcd. {HOW_TO_START}"
        )
    # Without --foreground pcscd forks into the background and the parent exits at once.
    done = subprocess.run([binary], capture_output=True, text=True, timeout=15, check=False)
    if done.returncode != 0:
        output = done.stderr.strip() or done.stdout.strip()
        raise pcsc_error(PCSC_UNAVAILABLE, f"{binary} exited {done.returncode}: {output}")
    return binary
