"""Processes: child daemons that must not outlive us (cupsd, pcscd), and a simulator run as its own process."""

from __future__ import annotations

import contextlib
import ctypes
import signal
import threading

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent() -> None:
    """A ``preexec_fn``: the child gets SIGTERM when the thread that started it ends, so a SIGKILLed kiosk leaves
    no private daemon behind (Linux prctl PR_SET_PDEATHSIG; kept across exec of a binary that is not set-uid)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: the owner's stop() still ends it on a clean exit


def serve_until_terminated(ready_line: str) -> None:
    """Block a simulator's ``python -m`` process until SIGTERM or Ctrl-C, while its server threads serve.
    ``ready_line`` (where it listens) is printed once SIGTERM is handled: a caller that stops the process as soon
    as it reads the line must not meet Python's default action (killed by the signal, not a clean exit)."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(ready_line, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
