"""The fault matrix, one test per cell: a payment process SIGKILLed at every step boundary of DESIGN.md §5, and the
fee system failing at every call (unavailable, timeout, answer lost). After restart and recovery every debit is
posted once or refunded, and reconciliation finds no unexplained difference.

The cells are declared here (KILL_POINTS, FEE_CALLS_MADE); two tests check the declaration against a healthy run,
so a boundary or fee-system call the payment gains or loses shows up as a failing test, not as a silently smaller
matrix. A cell's id is ``scenario-fault-variant``, e.g. ``pay-after_paid-phone_pays_in_downtime``; a failing cell
names what it found in the matrix's columns (at crash, after recovery, money).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import recovery_fixtures as rf
from conftest import NOW
from kiosk.payments.journal import Journal

SCRIPT = Path(rf.__file__).resolve()
EXPECTED_WITHOUT_FAULT = {"pay": "posted", "abandon": "closed", "abandon_paid": "posted", "late": "refunded"}
NO_KILL = "none"
# The boundaries a healthy run of each scenario passes, in order (test_kill_points_are_the_boundaries_passed).
KILL_POINTS = {
    "pay": (
        "after_created", "after_open_qr_order", "after_order_opened", "after_phone_pays", "after_qr_order_status",
        "after_qr_order_status#2", "after_paid", "after_post_payment", "after_posted", "after_print",
        "after_receipt_printed", "after_done",
    ),
    "abandon": (
        "after_created", "after_open_qr_order", "after_order_opened", "after_close_qr_order", "after_order_closed",
    ),
    "abandon_paid": (
        "after_created", "after_open_qr_order", "after_order_opened", "after_phone_pays", "after_close_qr_order",
        "after_qr_order_status", "after_paid", "after_post_payment", "after_posted", "after_print",
        "after_receipt_printed", "after_done",
    ),
    "late": (
        "after_created", "after_open_qr_order", "after_order_opened", "after_close_qr_order", "after_order_closed",
        "after_late_payment",
    ),
}
# The fee-system calls a healthy run of each scenario makes, in order (test_fee_faults_are_the_calls_made).
FEE_CALLS_MADE = {
    "pay": ("open_qr_order", "qr_order_status", "qr_order_status", "post_payment"),
    "abandon": ("open_qr_order", "close_qr_order"),
    "abandon_paid": ("open_qr_order", "close_qr_order", "qr_order_status", "post_payment"),
    "late": ("open_qr_order", "close_qr_order"),
}
FEE_MODES = rf.FAULT_MODES
PLAIN, PHONE_PAYS, RECOVERY_FAILS = "plain", "phone pays in downtime", "recovery's 1st call fails"
VARIANTS = {PLAIN: "plain", PHONE_PAYS: "phone_pays_in_downtime", RECOVERY_FAILS: "recovery_call_1_fails"}

KILL_CELLS = [
    pytest.param(scenario, point, variant, id=f"{scenario}-{point.replace('#', '_')}-{variant_id}")
    for scenario, points in KILL_POINTS.items()
    for point in (*points, NO_KILL)
    for variant, variant_id in VARIANTS.items()
]
FEE_CELLS = [
    pytest.param(scenario, index, call, mode, id=f"{scenario}-call{index}_{call}-{mode}")
    for scenario, calls in FEE_CALLS_MADE.items()
    for index, call in enumerate(calls, start=1)
    for mode in FEE_MODES
]


@dataclass
class Cell:
    scenario: str
    fault: str
    variant: str
    at_crash: str
    after: str
    outcome: str
    problems: list[str]

    def line(self) -> str:
        return (
            f"{self.scenario} | {self.fault} | {self.variant} | at crash {self.at_crash} | after recovery "
            f"{self.after} | money {self.outcome}: " + "; ".join(self.problems)
        )


def _journal_state(state_dir: Path) -> str:
    if not (state_dir / rf.JOURNAL_FILE).exists():
        return "-"
    journal = Journal(state_dir / rf.JOURNAL_FILE, rf.TERMINAL, clock=rf.clock)
    try:
        return ",".join(entry.state.value for entry in journal.entries()) or "-"
    finally:
        journal.close()


def _pay_open_orders(state_dir: Path) -> None:
    """The citizen pays while the kiosk is down (any order still open)."""
    fee = rf.open_fee_system(state_dir)
    try:
        for order in fee.open_qr_orders():
            fee.simulate_qr_payment(order.order_no)
    finally:
        fee.close()


def _recover_variant(case_dir: Path, scenario: str, fault: str, variant: str) -> Cell:
    at_crash = _journal_state(case_dir)
    problems: list[str] = []
    if variant == PHONE_PAYS:
        _pay_open_orders(case_dir)
    if variant == RECOVERY_FAILS:
        report, _ = rf.recover_dir(case_dir, lambda fee: rf.FaultyFeeSystem(fee, fail_on=1, mode="unavailable"))
        made_calls = any(step.endswith("Unavailable") for record in report.records for step in record.steps)
        if made_calls and report.ok:
            problems.append("a failed recovery claimed success")
    report, check = rf.recover_dir(case_dir)
    problems += check.problems
    if not report.ok:
        problems.append("recovery left records pending")
    # A second pass finds nothing to do: recovery is idempotent.
    again, _ = rf.recover_dir(case_dir)
    if any(record.outcome != "unchanged" for record in again.records if record.from_state != "order_closed"):
        problems.append("second recovery pass changed something")
    if fault == NO_KILL and variant == PLAIN and check.outcome != EXPECTED_WITHOUT_FAULT[scenario]:
        problems.append(f"expected {EXPECTED_WITHOUT_FAULT[scenario]}, got {check.outcome}")
    return Cell(scenario, fault, variant, at_crash, check.journal_state, check.outcome, problems)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return rf.make_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="module")
def boundaries(template, tmp_path_factory):
    root = tmp_path_factory.mktemp("trace")
    return {
        scenario: rf.trace_boundaries(rf.new_case_dir(template, root / scenario), scenario) for scenario in rf.SCENARIOS
    }


@pytest.fixture(scope="module")
def killed(template, tmp_path_factory):
    """killed(scenario, point) -> (state dir, exit code) of a payment process SIGKILLed at ``point`` (or run to the end
    for NO_KILL). One process per point in this test process, shared by the point's variants: each recovers a copy."""
    root = tmp_path_factory.mktemp("kill")
    runs: dict[tuple[str, str], tuple[Path, int]] = {}

    def run(scenario: str, point: str) -> tuple[Path, int]:
        if (scenario, point) not in runs:
            case_dir = rf.new_case_dir(template, root / f"{scenario}-{point.replace('#', '_')}")
            env = {**os.environ, rf.KILL_ENV: point}
            completed = subprocess.run([sys.executable, str(SCRIPT), str(case_dir), scenario], env=env, timeout=60)
            runs[scenario, point] = case_dir, completed.returncode
        return runs[scenario, point]

    return run


@pytest.mark.parametrize(("scenario", "point", "variant"), KILL_CELLS)
def test_kill_at_boundary_then_recovery_posts_once_or_refunds(killed, tmp_path, scenario, point, variant):
    case_dir, returncode = killed(scenario, point)
    state_dir = rf.copy_state(case_dir, tmp_path / "state")
    cell = _recover_variant(state_dir, scenario, NO_KILL if point == NO_KILL else f"SIGKILL {point}", variant)
    expected_rc = 0 if point == NO_KILL else -9
    if returncode != expected_rc:
        cell.problems.insert(0, f"child exited {returncode}, expected {expected_rc}")
    assert not cell.problems, cell.line()


@pytest.mark.parametrize(("scenario", "index", "call", "mode"), FEE_CELLS)
def test_fee_call_failing_then_recovery_posts_once_or_refunds(template, tmp_path, scenario, index, call, mode):
    case_dir = rf.new_case_dir(template, tmp_path / "state")
    fee = rf.open_fee_system(case_dir)
    journal = Journal(case_dir / rf.JOURNAL_FILE, rf.TERMINAL, clock=rf.clock)
    raised = False
    try:
        rf.drive_payment(case_dir, scenario, rf.FaultyFeeSystem(fee, fail_on=index, mode=mode), journal, fee)
    except (rf.Unavailable, TimeoutError, ConnectionError):
        raised = True  # the session sees the error; the record stays where it was
    finally:
        journal.close()
        fee.close()
    cell = _recover_variant(case_dir, scenario, f"fee {mode} at call {index} ({call})", PLAIN)
    if not raised:
        cell.problems.insert(0, "the injected fault did not reach the caller")
    assert not cell.problems, cell.line()


@pytest.mark.parametrize("scenario", rf.SCENARIOS)
def test_kill_points_are_the_boundaries_passed(boundaries, scenario):
    """The matrix kills at every boundary a healthy run passes, and at no boundary it does not pass."""
    assert boundaries[scenario] == list(KILL_POINTS[scenario])


@pytest.mark.parametrize("scenario", rf.SCENARIOS)
def test_fee_faults_are_the_calls_made(template, tmp_path, scenario):
    """The matrix fails every fee-system call a healthy run makes, in the order it makes them."""
    probe_dir = rf.new_case_dir(template, tmp_path / "probe")
    probe_fee = rf.open_fee_system(probe_dir)
    probe = rf.FaultyFeeSystem(probe_fee)
    journal = Journal(probe_dir / rf.JOURNAL_FILE, rf.TERMINAL, clock=rf.clock)
    rf.drive_payment(probe_dir, scenario, probe, journal, probe_fee)
    journal.close()
    probe_fee.close()
    assert probe.calls == list(FEE_CALLS_MADE[scenario])


def test_every_step_boundary_is_reached(boundaries):
    """The kill points cover DESIGN.md §5's QR path: each state committed, each outside call returned."""
    passed = {point for points in boundaries.values() for point in points}
    for state in ("created", "order_opened", "paid", "posted", "receipt_printed", "done", "order_closed"):
        assert f"after_{state}" in passed
    for call in ("open_qr_order", "qr_order_status", "close_qr_order", "post_payment"):
        assert f"after_{call}" in passed
    assert {"after_phone_pays", "after_print", "after_late_payment"} <= passed


def test_the_killed_process_runs_on_the_suites_clock():
    assert rf.NOW == NOW
