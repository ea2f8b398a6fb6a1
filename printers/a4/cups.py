"""The A4 printer through CUPS: status from lpstat, printing with lp, waiting for the job (DESIGN.md §3.6).

The CUPS command-line tools are the interface (every CUPS install has them); ``server`` sets CUPS_SERVER
(a socket path or host:port) so that tests can talk to their own cupsd.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from drivers.base import QT_TRANSLATE_NOOP, Completion, DeviceError
from printers.a4.status import A4Status, parse_lpstat

MSG_A4_UNAVAILABLE = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The certificate printer is not available. Please ask staff for help."
)
MSG_A4_PAPER_OUT = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The certificate printer is out of paper. Please ask staff for help."
)
REQUEST_ID = re.compile(r"request id is (\S+)")
POLL_SECONDS = 0.1


@dataclass
class A4PrinterError(DeviceError):
    """Codes: no_device (no CUPS or no such queue), cups_error, paper_out, jammed, cover_open, offline,
    not_accepting, job_timeout."""

    citizen_message: str = MSG_A4_UNAVAILABLE


def not_ready_error(status: A4Status) -> A4PrinterError:
    reason = status.blocking_reason or "offline"
    completion = {
        "paper_out": Completion.NO_MEDIA,
        "jammed": Completion.HARDWARE_ERROR,
        "cover_open": Completion.USER_ERROR,
    }.get(reason, Completion.DEVICE_NOT_READY)
    message = MSG_A4_PAPER_OUT if reason == "paper_out" else MSG_A4_UNAVAILABLE
    return A4PrinterError(reason, completion, f"A4 printer cannot print: {status.as_json()}", message)


class CupsA4Printer:
    """One CUPS queue. Thread-safe: every call runs its own CUPS command and keeps no state."""

    def __init__(self, queue: str, *, server: str | None = None, timeout: float = 10.0) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_.@-]+", queue):
            raise ValueError(f"not a CUPS queue name: {queue!r}")
        self.queue = queue
        self.server = server
        self.timeout = timeout

    def status(self) -> A4Status:
        printer = self._run("lpstat", "-l", "-p", self.queue)
        accepting = self._run("lpstat", "-a", self.queue)
        try:
            return parse_lpstat(printer, accepting)
        except ValueError as exc:
            raise A4PrinterError("cups_error", Completion.INVALID_DATA, str(exc)) from exc

    def print_pdf(self, path: Path | str, *, title: str = "certificate", copies: int = 1) -> str:
        """Queue a PDF; returns the CUPS job id ("QUEUE-N"). Refuses (A4PrinterError) when the printer
        cannot print, so that the kiosk can tell the citizen before anything is queued."""
        pdf = Path(path)
        if not pdf.is_file():
            raise A4PrinterError("invalid_data", Completion.INVALID_DATA, f"no such PDF: {pdf}")
        status = self.status()
        if status.blocking_reason:
            raise not_ready_error(status)
        out = self._run("lp", "-d", self.queue, "-t", title, "-n", str(copies), "--", str(pdf))
        match = REQUEST_ID.search(out)
        if not match:
            raise A4PrinterError("cups_error", Completion.INVALID_DATA, f"lp gave no job id: {out!r}")
        return match.group(1)

    def job_done(self, job_id: str) -> bool:
        """True once CUPS lists the job among the completed ones (completed, canceled or aborted)."""
        completed = self._run("lpstat", "-W", "completed", "-o", self.queue)
        return any(line.split()[:1] == [job_id] for line in completed.splitlines())

    def wait_for_job(self, job_id: str, timeout: float) -> None:
        """Block until the job has left the queue; A4PrinterError job_timeout (or the printer's own
        blocking reason, when it stopped) if it has not within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            if self.job_done(job_id):
                return
            if time.monotonic() >= deadline:
                status = self.status()
                if status.blocking_reason:
                    raise not_ready_error(status)
                raise A4PrinterError(
                    "job_timeout", Completion.TIMEOUT, f"job {job_id} not printed within {timeout:.1f} s"
                )
            time.sleep(POLL_SECONDS)

    def cancel(self, job_id: str) -> None:
        self._run("cancel", job_id)

    def _run(self, *command: str) -> str:
        env = {**os.environ, "LANG": "C", "LC_ALL": "C"}  # lpstat's wording is what we parse
        if self.server:
            env["CUPS_SERVER"] = self.server
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=self.timeout, env=env, check=False)
        except FileNotFoundError as exc:
            raise A4PrinterError("no_device", Completion.NO_DEVICE, f"CUPS tools missing: {exc}") from exc
        except subprocess.TimeoutExpired as exc:
            raise A4PrinterError("no_answer", Completion.TIMEOUT, f"{command[0]} took over {self.timeout} s") from exc
        if result.returncode != 0:
            text = (result.stderr or result.stdout).strip()
            code = "no_device" if "does not exist" in text or "Invalid destination" in text else "cups_error"
            if "Unable to connect" in text or "scheduler is not running" in text:
                code = "no_device"
            completion = Completion.NO_DEVICE if code == "no_device" else Completion.HARDWARE_ERROR
            raise A4PrinterError(code, completion, f"{' '.join(command[:2])}: {text}")
        return result.stdout
