"""A private CUPS scheduler in a folder of its own, reached through its socket (CUPS_SERVER).

The A4 printer's simulator and the CUPS tests each run one, so nothing touches the machine's own CUPS. Not
under a 0700 folder: CUPS filters run as user lp and must reach the spool.

Its queues print through the simulator's own backend (sim_backend.py), never CUPS's built-in ``file:`` device:
cups 2.4.2-3+deb12u10 (Debian, late 2026) stops every file: job with "the scheduler could not open the output
file", whatever the folder's mode, while older builds printed it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from drivers.process import die_with_parent
from printers.a4.sim_backend import SCHEME, install_server_bin


class CupsUnavailable(RuntimeError):
    """cupsd is not installed or would not start here (the message says why)."""


class PrivateCupsd:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root or Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
        self.socket = str(self.root / "cups.sock")
        self.process: subprocess.Popen | None = None

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": self.socket, "LANG": "C", "LC_ALL": "C"}

    def launch(self) -> PrivateCupsd:
        """Start cupsd and return at once, with the simulator's backend in its ServerBin.
        Call it on a thread that outlives cupsd: cupsd dies with the thread that started it."""
        cupsd = shutil.which("cupsd") or ("/usr/sbin/cupsd" if os.path.exists("/usr/sbin/cupsd") else None)
        if not cupsd or not shutil.which("lpadmin"):
            raise CupsUnavailable("cupsd/lpadmin are not installed (Debian package cups)")
        root = self.root
        root.chmod(0o755)
        for sub in ("state", "cache", "spool", "tmp", "log", "out"):
            (root / sub).mkdir(exist_ok=True)
        (root / "out").chmod(0o777)
        server_bin = install_server_bin(root)
        (root / "cupsd.conf").write_text(
            f"Listen {self.socket}\nLogLevel warn\nWebInterface No\nBrowsing No\nDefaultAuthType None\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
        )
        (root / "cups-files.conf").write_text(
            f"ServerBin {server_bin}\nServerRoot {root}\nStateDir {root}/state\nCacheDir {root}/cache\n"
            f"RequestRoot {root}/spool\nTempDir {root}/tmp\nErrorLog {root}/log/error_log\n"
            f"AccessLog {root}/log/access_log\nPageLog {root}/log/page_log\nSystemGroup root\n"
        )
        self.process = subprocess.Popen(
            [cupsd, "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        return self

    def wait_ready(self, timeout: float = 10.0) -> PrivateCupsd:
        """Until the scheduler answers; CupsUnavailable (and stopped) when it died or stayed silent."""
        assert self.process is not None, "launch() first"
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
                raise CupsUnavailable(f"cupsd would not start: {error.strip()[:300]}")
            probe = subprocess.run(["lpstat", "-r"], env=self.env, capture_output=True, text=True, check=False)
            if "scheduler is running" in probe.stdout:
                return self
            if time.monotonic() > deadline:
                self.stop()
                raise CupsUnavailable(f"cupsd did not answer within {timeout:.0f} s")
            time.sleep(0.05)

    def device_uri(self, name: str) -> tuple[str, Path]:
        """The URI of a queue that prints into out/NAME.pdf through the simulator's backend, and that file."""
        out = self.root / "out" / f"{name}.pdf"
        return f"{SCHEME}:{out}", out

    def errors(self) -> str:
        """The scheduler's own error lines (``E [...] ...``), CUPS's reason when a job cannot print."""
        try:
            lines = (self.root / "log" / "error_log").read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return ""
        return "\n".join(line for line in lines if line.startswith("E "))

    def run(self, *command: str, check: bool = True) -> str:
        """A CUPS tool (lpadmin, lpstat, cupsdisable, ...) against this scheduler."""
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=20, check=False)
        if check and done.returncode != 0:
            raise subprocess.CalledProcessError(done.returncode, command, done.stdout, done.stderr)
        return done.stdout

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)
