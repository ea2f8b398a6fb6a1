"""Child processes that must not outlive us: private daemons the simulators start (cupsd, pcscd)."""

from __future__ import annotations

import ctypes
import signal

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent() -> None:
    """A ``preexec_fn``: the child gets SIGTERM when the thread that started it ends, so a SIGKILLed kiosk leaves
    no private daemon behind (Linux prctl PR_SET_PDEATHSIG; kept across exec of a binary that is not set-uid)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: the owner's stop() still ends it on a clean exit
