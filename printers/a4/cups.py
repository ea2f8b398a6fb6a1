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

from drivers.base import (
    QT_TRANSLATE_NOOP,
    Completion,
    DeviceError,
    DeviceKind,
    DeviceState,
    ErrorRow,
    error_from,
    state_of_error,
)
from printers.a4.status import A4Status, parse_lpstat

MSG_A4_UNAVAILABLE = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The certificate printer is not available. Please ask staff for help."
)
MSG_A4_PAPER_OUT = QT_TRANSLATE_NOOP(
    "DeviceMessage", "The certificate printer is out of paper. Please ask staff for help."
)
REQUEST_ID = re.compile(r"request id is (\S+)")
POLL_SECONDS = 0.1
STATUS_EVERY_SECONDS = 0.5  # while a job waits: how often to ask CUPS why (two lpstat runs each time)
# A job held for a reason that may pass by itself (a network printer being connected to) fails after this long;
# paper out, a jam, an open cover or a stopped queue need a person, and fail at once.
STALL_SECONDS = 3.0
PASSING_REASONS = {"connecting-to-device", "timed-out"}


@dataclass
class A4PrinterError(DeviceError):
    """An A4 printer command that did not succeed; ``code`` is one of A4_ERRORS."""

    citizen_message: str = MSG_A4_UNAVAILABLE


_UNAVAILABLE = Completion.DEVICE_NOT_READY
A4_ERRORS: dict[str, ErrorRow[A4PrinterError]] = {
    # why a job would not print now (A4Status.blocking_reason)
    "paper_out": ErrorRow(A4PrinterError, Completion.NO_MEDIA, MSG_A4_PAPER_OUT),
    "jammed": ErrorRow(A4PrinterError, Completion.HARDWARE_ERROR, MSG_A4_UNAVAILABLE),
    "cover_open": ErrorRow(A4PrinterError, Completion.USER_ERROR, MSG_A4_UNAVAILABLE),
    "offline": ErrorRow(A4PrinterError, _UNAVAILABLE, MSG_A4_UNAVAILABLE),
    "not_accepting": ErrorRow(A4PrinterError, _UNAVAILABLE, MSG_A4_UNAVAILABLE),
    # CUPS and the job
    "no_device": ErrorRow(A4PrinterError, Completion.NO_DEVICE, MSG_A4_UNAVAILABLE),  # no CUPS, or no such queue
    "no_answer": ErrorRow(A4PrinterError, Completion.TIMEOUT, MSG_A4_UNAVAILABLE),  # a CUPS tool did not finish
    "cups_error": ErrorRow(A4PrinterError, Completion.HARDWARE_ERROR, MSG_A4_UNAVAILABLE),
    "invalid_data": ErrorRow(A4PrinterError, Completion.INVALID_DATA, MSG_A4_UNAVAILABLE),
    "job_timeout": ErrorRow(A4PrinterError, Completion.TIMEOUT, MSG_A4_UNAVAILABLE),
}


def a4_error(code: str, detail: str, completion: Completion | None = None) -> A4PrinterError:
    """The A4 printer's error of ``code`` (one of A4_ERRORS)."""
    return error_from(A4_ERRORS, code, detail, completion)


def not_ready_error(status: A4Status) -> A4PrinterError:
    return a4_error(status.blocking_reason or "offline", f"A4 printer cannot print: {status.as_json()}")


class CupsA4Printer:
    """One CUPS queue. Thread-safe: every call runs its own CUPS command and keeps no state."""

    kind = DeviceKind.A4_PRINTER

    def __init__(self, queue: str, *, server: str | None = None, timeout: float = 10.0) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_.@-]+", queue):
            raise ValueError(f"not a CUPS queue name: {queue!r}")
        self.queue = queue
        self.server = server
        self.timeout = timeout

    def state(self) -> DeviceState:
        """The device contract's state (paper as media); never raises."""
        try:
            return self.a4_status().device_state()
        except A4PrinterError as error:
            return state_of_error(error)

    def a4_status(self) -> A4Status:
        """The queue's state as CUPS reports it. Raises A4PrinterError no_device / no_answer / cups_error."""
        printer = self._run("lpstat", "-l", "-p", self.queue)
        accepting = self._run("lpstat", "-a", self.queue)
        try:
            return parse_lpstat(printer, accepting)
        except ValueError as exc:
            raise a4_error("cups_error", str(exc), Completion.INVALID_DATA) from exc

    def print_pdf(self, path: Path | str, *, title: str = "certificate", copies: int = 1) -> str:
        """Queue a PDF; returns the CUPS job id ("QUEUE-N"). Refuses (A4PrinterError) when the printer
        cannot print, so that the kiosk can tell the citizen before anything is queued."""
        pdf = Path(path)
        if not pdf.is_file():
            raise a4_error("invalid_data", f"no such PDF: {pdf}")
        status = self.a4_status()
        if status.state == "stopped" or not status.accepting:
            raise not_ready_error(status)
        # Reasons on an idle queue are what the backend said during the last job (CUPS keeps "-error" reasons after
        # a canceled job): the paper may have been loaded since, so the job is sent and wait_for_job watches it.
        out = self._run("lp", "-d", self.queue, "-t", title, "-n", str(copies), "--", str(pdf))
        match = REQUEST_ID.search(out)
        if not match:
            raise a4_error("cups_error", f"lp gave no job id: {out!r}", Completion.INVALID_DATA)
        return match.group(1)

    def job_done(self, job_id: str) -> bool:
        """True once CUPS lists the job among the completed ones (completed, canceled or aborted)."""
        completed = self._run("lpstat", "-W", "completed", "-o", self.queue)
        return any(line.split()[:1] == [job_id] for line in completed.splitlines())

    def wait_for_job(self, job_id: str, timeout: float) -> None:
        """Block until the job has left the queue. A4PrinterError with the printer's reason as soon as the job is
        held by one that needs a person (paper out, jam, cover, stopped queue), or by another for STALL_SECONDS;
        job_timeout if it has not printed within ``timeout`` seconds. The job stays queued: cancel() it."""
        started = time.monotonic()
        deadline = started + timeout
        next_status = started + STATUS_EVERY_SECONDS
        blocked_since: float | None = None
        while True:
            if self.job_done(job_id):
                return
            now = time.monotonic()
            if now >= deadline:
                status = self.a4_status()
                if status.blocking_reason:
                    raise not_ready_error(status)
                raise a4_error(
                    "job_timeout",
                    f"job {job_id} not printed within {timeout:.1f} s; CUPS says: {self.job_state(job_id)}",
                )
            if now >= next_status:
                next_status = now + STATUS_EVERY_SECONDS
                status = self.a4_status()
                if status.state == "idle":
                    # The job has not reached the backend yet: reasons on an idle queue are left over from the last
                    # job (CUPS keeps "-error" reasons after a canceled one) and say nothing of this one. Seen on a
                    # loaded machine: paper loaded, the stale media-empty-error failed the new job before it started.
                    blocked_since = None
                elif not status.blocking_reason:
                    blocked_since = None
                else:
                    blocked_since = now if blocked_since is None else blocked_since
                    passing = status.state != "stopped" and status.keywords <= PASSING_REASONS
                    if not passing or now - blocked_since >= STALL_SECONDS:
                        raise not_ready_error(status)
            time.sleep(POLL_SECONDS)

    def job_state(self, job_id: str) -> str:
        """The job's Status and Alerts lines as lpstat shows them (its job-state-reasons, such as
        resources-are-not-ready when the backend failed), for error messages."""
        listing = self._run("lpstat", "-l", "-o", self.queue).splitlines()
        for index, line in enumerate(listing):
            if line.split()[:1] == [job_id]:
                details = []
                for detail in listing[index + 1 :]:
                    if not detail.startswith("\t"):
                        break
                    if detail.strip().startswith(("Status:", "Alerts:")):
                        details.append(detail.strip())
                return "; ".join(details) or "no reason given"
        return "the job is not queued"

    def cancel(self, job_id: str) -> None:
        self._run("cancel", job_id)

    def _run(self, *command: str) -> str:
        env = {**os.environ, "LANG": "C", "LC_ALL": "C"}  # lpstat's wording is what we parse
        if self.server:
            env["CUPS_SERVER"] = self.server
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=self.timeout, env=env, check=False)
        except FileNotFoundError as exc:
            raise a4_error("no_device", f"CUPS tools missing: {exc}") from exc
        except subprocess.TimeoutExpired as exc:
            raise a4_error("no_answer", f"{command[0]} took over {self.timeout} s") from exc
        if result.returncode != 0:
            text = (result.stderr or result.stdout).strip()
            code = "no_device" if "does not exist" in text or "Invalid destination" in text else "cups_error"
            if "Unable to connect" in text or "scheduler is not running" in text:
                code = "no_device"
            raise a4_error(code, f"{' '.join(command[:2])}: {text}")
        return result.stdout
