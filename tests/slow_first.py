"""The suite's order for pytest-xdist: its few long tests first, one at the head of each process's share.

xdist's worksteal scheduler hands each process a contiguous share of the collection and later steals from the
ends of the queues; a 30-second test that starts last makes the whole run 30 seconds longer. So the long ones
(measured: `pytest --durations`) are dealt round-robin to the heads of the shares. The order is a pure function of
the collection and the number of processes, so every process collects the same list, as xdist requires."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TypeVar

# Tests of 10 s and more on this 2-core machine, longest first.
LONG_TESTS = (
    "test_prometheus_fleet.py::",
    "test_apt_repo.py::",
    "test_packaging_deb.py::test_lintian",
    "test_file_modes.py::",
    "test_verification_in_sim.py::",
    "test_recovery_kill_sim.py::test_killed_at_sampled",
    "test_startup_out_of_service.py::",
    "test_voice_output.py::",
    "test_journald.py::",
)

T = TypeVar("T")


def long_rank(nodeid: str) -> int | None:
    for rank, marker in enumerate(LONG_TESTS):
        if marker in nodeid:
            return rank
    return None


def deal_long_first(items: Sequence[T], nodeids: Sequence[str], processes: int) -> list[T]:
    """``items`` reordered so that each of ``processes`` contiguous shares starts with its deal of long tests."""
    if processes < 2:
        long_ones = [item for item, nodeid in zip(items, nodeids, strict=True) if long_rank(nodeid) is not None]
        return long_ones + [item for item in items if item not in long_ones]
    ranked = sorted(
        ((rank, position) for position, nodeid in enumerate(nodeids) if (rank := long_rank(nodeid)) is not None)
    )
    long_positions = {position for _rank, position in ranked}
    rest = [item for position, item in enumerate(items) if position not in long_positions]
    hands: list[list[T]] = [[] for _ in range(processes)]
    for dealt, (_rank, position) in enumerate(ranked):
        hands[dealt % processes].append(items[position])
    # Shares as the scheduler cuts them: len // remaining, for each process in turn.
    ordered: list[T] = []
    remaining_total = len(items)
    for index, hand in enumerate(hands):
        share = remaining_total // (processes - index)
        remaining_total -= share
        take = max(0, share - len(hand))
        ordered.extend(hand)
        ordered.extend(rest[:take])
        rest = rest[take:]
    return ordered + rest


def xdist_processes() -> int:
    return int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
