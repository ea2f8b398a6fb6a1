"""A pcscd of the simulator's own, whose vpcd readers can be unplugged and plugged back one at a time.

pcscd reads reader.conf once, at start, and Debian's pcscd hot-plugs USB readers only (libudev; a SIGUSR1 rescan
does nothing there), so a vpcd reader cannot leave the machine's pcscd. This pcscd runs in a mount namespace of
its own (``unshare -m``) with a folder of ours bound over /run/pcscd, the socket path pcscd has compiled in, and
a reader.conf.d folder of ours: one vpcd entry per reader, on free loopback ports. Unplugging a reader restarts
it without that reader's entry (about 15 ms); clients see the service go and come back without the reader, as
after a USB unplug and the udev removal that follows. The other reader goes away for those milliseconds too.

Clients reach it through PCSCLITE_CSOCK_NAME, which libpcsclite reads once per process, at its first call: a
process that has spoken to another pcscd cannot switch (``claim_process`` refuses). Needs root for the mount.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from drivers.netports import free_port_run
from drivers.pcsc import connection
from drivers.pcsc.errors import PCSC_UNAVAILABLE, PcscError, pcsc_error
from drivers.process import die_with_parent

PCSCD_SOCKET_DIR = "/run/pcscd"  # compiled into pcscd (PCSCLITE_IPC_DIR); pcscd.comm is created there
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")  # Debian package vsmartcard-vpcd
SOCKET_ENV = "PCSCLITE_CSOCK_NAME"
SLOTS_PER_READER = 2  # vpcd offers two slots per reader.conf entry, on port and port + 1; we use slot 0


@dataclass(frozen=True)
class VirtualReader:
    """One vpcd reader.conf entry: pcscd names its first slot ``f"{friendly_name} 00 00"``."""

    friendly_name: str
    port: int

    @property
    def slot_name(self) -> str:
        return f"{self.friendly_name} 00 00"

    def conf(self, driver: Path) -> str:
        return (
            f'FRIENDLYNAME "{self.friendly_name}"\nDEVICENAME   /dev/null:{self.port}\n'
            f"LIBPATH      {driver}\nCHANNELID    {self.port}\n"
        )


def unavailable_reason() -> str | None:
    """Why a private pcscd cannot run here, or None when it can."""
    if os.geteuid() != 0:
        return "a pcscd of its own needs root (its own /run/pcscd is a mount)"
    for tool in ("unshare", "mount"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (util-linux)"
    if _pcscd_binary() is None:
        return "pcscd is not installed (Debian package pcscd)"
    if not VPCD_DRIVER.exists():
        return f"{VPCD_DRIVER} is missing (Debian package vsmartcard-vpcd)"
    return None


def free_port_pair() -> int:
    """A port P with P and P + 1 free on loopback (vpcd listens on one port per slot)."""
    port = free_port_run(SLOTS_PER_READER)
    if port is None:
        raise pcsc_error(PCSC_UNAVAILABLE, "no two adjacent free TCP ports for a vpcd reader")
    return port


def _short_temp_dir() -> str:
    """TMPDIR when the socket's path fits under it, else /tmp: a Unix socket's path has at most 107 bytes."""
    base = tempfile.gettempdir()
    return base if len(base) + len("/kiosk-pcscd-XXXXXXXX/run/pcscd.comm") < 100 else "/tmp"


def _pcscd_binary() -> str | None:
    found = shutil.which("pcscd") or "/usr/sbin/pcscd"
    return found if os.path.exists(found) else None


class PrivatePcscd:
    """``start()``, ``set_plugged(name, bool)``, ``stop()``. ``readers`` maps our names to their vpcd entries.

    Start it on a thread that outlives it (pcscd dies with the thread that started it, PR_SET_PDEATHSIG)."""

    def __init__(self, readers: dict[str, VirtualReader], log_file: Path | None = None) -> None:
        self.readers = dict(readers)
        self.plugged = set(readers)
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-pcscd-", dir=_short_temp_dir()))
        self.log_file = log_file or self.root / "pcscd.log"
        self.process: subprocess.Popen | None = None

    @property
    def socket_path(self) -> str:
        return str(self.root / "run" / "pcscd.comm")

    def claim_process(self) -> None:
        """Point this process's PC/SC clients at this pcscd (before their first call)."""
        used = connection.socket_in_use()
        if used is not None and used != self.socket_path:
            raise pcsc_error(PCSC_UNAVAILABLE, f"this process already uses the pcscd at {used}; it cannot switch")
        os.environ[SOCKET_ENV] = self.socket_path

    def release_process(self) -> None:
        """Undo claim_process when no PC/SC call was made yet (this pcscd did not start)."""
        if connection.socket_in_use() is None and os.environ.get(SOCKET_ENV) == self.socket_path:
            del os.environ[SOCKET_ENV]

    def start(self, timeout: float = 10.0) -> PrivatePcscd:
        reason = unavailable_reason()
        if reason:
            raise pcsc_error(PCSC_UNAVAILABLE, reason)
        self.claim_process()
        (self.root / "run").mkdir(parents=True, exist_ok=True)
        self._launch()
        self._wait_for(self.plugged, timeout)
        return self

    def set_plugged(self, name: str, plugged: bool, timeout: float = 10.0) -> None:
        """Plug a reader in or pull it out: pcscd restarts with the readers now plugged."""
        if name not in self.readers:
            raise KeyError(name)
        (self.plugged.add if plugged else self.plugged.discard)(name)
        self.stop_daemon()
        self.start_daemon(timeout)

    def stop_daemon(self) -> None:
        """pcscd goes away, as when its service stops; start_daemon() brings it back on the same socket."""
        self._terminate()

    def start_daemon(self, timeout: float = 10.0) -> None:
        self._launch()
        self._wait_for(self.plugged, timeout)

    def stop(self) -> None:
        self._terminate()
        shutil.rmtree(self.root, ignore_errors=True)

    # -- the daemon ------
    def _launch(self) -> None:
        conf = self.root / "reader.conf.d"
        shutil.rmtree(conf, ignore_errors=True)
        conf.mkdir(parents=True)
        for name in sorted(self.plugged):
            (conf / name).write_text(self.readers[name].conf(self._driver_copy(name)))
        run = self.root / "run"
        with contextlib.suppress(FileNotFoundError):
            (run / "pcscd.comm").unlink()
        # The bind mount stays in the namespace: the machine's pcscd keeps its own /run/pcscd.
        script = (
            f'mkdir -p {PCSCD_SOCKET_DIR} && mount --bind "$1" {PCSCD_SOCKET_DIR} && exec "$0" -f -c "$2" >>"$3" 2>&1'
        )
        pcscd = _pcscd_binary() or "pcscd"
        self.process = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, pcscd, str(run), str(conf),
             str(self.log_file)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )

    def _driver_copy(self, name: str) -> Path:
        """vpcd keeps one slot table per loaded library, indexed by slot number: two reader.conf entries on one
        library share slot 0 (the second's port wins). A copy of the file per reader is a library of its own."""
        copy = self.root / "drivers" / f"libifdvpcd-{name}.so"
        if not copy.exists():
            copy.parent.mkdir(exist_ok=True)
            shutil.copy2(VPCD_DRIVER, copy)
        return copy

    def _wait_for(self, names: set[str], timeout: float) -> None:
        """Until pcscd answers on our socket with exactly these readers' slots."""
        wanted = {self.readers[name].slot_name for name in names}
        deadline = time.monotonic() + timeout
        seen: set[str] | str = "no answer"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                problem = (self.process.stderr.read() if self.process.stderr else b"").decode(errors="replace")
                reason = problem.strip() or self.process.returncode
                raise pcsc_error(PCSC_UNAVAILABLE, f"the simulator's pcscd exited: {reason}")
            if os.path.exists(self.socket_path):
                try:
                    seen = {name for name in connection.readers_now() if name.endswith(" 00 00")}
                except PcscError as error:
                    seen = error.detail
                if seen == wanted:
                    return
            time.sleep(0.005)
        self._terminate()
        raise pcsc_error(
            PCSC_UNAVAILABLE, f"the simulator's pcscd did not offer {sorted(wanted)} within {timeout:g} s: {seen}"
        )

    def _terminate(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        if process.stderr:
            process.stderr.close()
