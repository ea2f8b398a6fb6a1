"""A test hook that kills the process at an exact journal commit: the kill-from-outside sweep (scripts/kill_sweep.py,
tests/test_recovery_kill_sim.py) proves recovery for a power cut right before or right after every state change.

Inert unless the environment variable ``KIOSK_TEST_KILL_AT`` is set when the process starts, to ``before:N`` (SIGKILL
just before the Nth journal commit of this process begins: the outside action that led to it has happened, its
result is not written) or ``after:N`` (just after the Nth commit is durable). Only whoever starts the process sets
its environment (the systemd unit, a test): nothing on screen or on the network can reach it. An unparsable value
is ignored, never guessed at.
"""

from __future__ import annotations

import os
import signal
import threading

ENVIRONMENT = "KIOSK_TEST_KILL_AT"


def _parse(text: str | None) -> tuple[str, int] | None:
    if not text:
        return None
    when, _, number = text.strip().partition(":")
    if when not in ("before", "after") or not number.isdigit() or int(number) < 1:
        return None
    return when, int(number)


_TARGET = _parse(os.environ.get(ENVIRONMENT))
_lock = threading.Lock()
_commits = 0


def before_commit() -> None:
    """Called by the journal just before a commit starts (then, for ``before:N``, the Nth one never happens)."""
    if _TARGET is None:
        return
    with _lock:
        if _TARGET[0] == "before" and _TARGET[1] == _commits + 1:
            os.kill(os.getpid(), signal.SIGKILL)


def after_commit() -> None:
    """Called by the journal once a commit is durable."""
    global _commits
    if _TARGET is None:
        return
    with _lock:
        _commits += 1
        if _TARGET[0] == "after" and _TARGET[1] == _commits:
            os.kill(os.getpid(), signal.SIGKILL)
