"""The fault matrix of bank card payments (issue 6 with issue 7): a card payment process SIGKILLed at every step
boundary (created, auth_sent, the host answered, approved, post_payment returned, posted, printed,
receipt_printed, done; reversal_pending and reversed on the unknown-outcome path; declined), and the bank host
failing the purchase (dropped connection, no answer, late answer, an error code; the reversal failing too) or
the fee system failing the posting. After restart and recovery (stored reversals sent to the bank host, approved
payments posted): the bank keeps the money exactly when it is posted once, otherwise it is reversed or was never
taken, and reconciliation (with the bank host's ledger) finds no unexplained difference.

One test per cell, its id ``scenario-fault-variant`` (e.g. ``card_unknown-after_reversal_pending-bank_down``). The
kill points are declared (KILL_POINTS) and checked against a healthy run of each scenario, so a boundary the payment
gains or loses shows up as a failing test, not as a silently smaller matrix.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import recovery_fixtures as rf
from kiosk.payments.journal import Journal

SCRIPT = Path(rf.__file__).resolve()
EXPECTED_WITHOUT_FAULT = {"card_pay": "kept", "card_declined": "none", "card_unknown": "returned"}
NO_KILL = "none"
# The boundaries a healthy run of each scenario passes, in order (test_kill_points_are_the_boundaries_passed).
KILL_POINTS = {
    "card_pay": (
        "after_created", "after_auth_sent", "after_host_answered", "after_approved", "after_post_payment",
        "after_posted", "after_print", "after_receipt_printed", "after_done",
    ),
    "card_declined": ("after_created", "after_auth_sent", "after_declined"),
    "card_unknown": ("after_created", "after_auth_sent", "after_reversal_pending", "after_reversed"),
}
PLAIN, BANK_DOWN = "plain", "bank down at 1st recovery"
VARIANTS = {PLAIN: "plain", BANK_DOWN: "bank_down"}


def _journal_state(state_dir: Path) -> str:
    if not (state_dir / rf.JOURNAL_FILE).exists():
        return "-"
    journal = Journal(state_dir / rf.JOURNAL_FILE, rf.TERMINAL, clock=rf.clock)
    try:
        return ",".join(entry.state.value for entry in journal.entries()) or "-"
    finally:
        journal.close()


def _plan(bank, scenario: str) -> None:
    if scenario == "card_unknown":
        bank.fault_next("drop")  # booked, then the connection closes: the outcome is unknown to the kiosk


def _recover(case_dir: Path, bank, scenario: str, fault: str, variant: str) -> tuple[str, list[str]]:
    """Recovery of a dead kiosk's stores, then the checks; returns (the cell's row, its problems)."""
    at_crash = _journal_state(case_dir)
    problems: list[str] = []
    bank.clear_faults()
    if variant == BANK_DOWN:
        bank.stop()
        report, _ = rf.recover_card_dir(case_dir, bank)
        bank.start()
        waiting = [r for r in report.records if r.from_state in ("auth_sent", "reversal_pending")]
        if waiting and report.ok:
            problems.append("a reversal the bank never got was reported settled")
    report, check = rf.recover_card_dir(case_dir, bank)
    problems += check.problems
    if not report.ok:
        problems.append("recovery left records pending: " + "; ".join(str(r.error) for r in report.records))
    again, _ = rf.recover_card_dir(case_dir, bank)
    if again.records:
        problems.append("second recovery pass changed something")
    if fault == NO_KILL and variant == PLAIN and check.outcome != EXPECTED_WITHOUT_FAULT[scenario]:
        problems.append(f"expected {EXPECTED_WITHOUT_FAULT[scenario]}, got {check.outcome}")
    row = (
        f"{scenario} | {fault} | {variant} | at crash {at_crash} | after recovery {check.journal_state} | "
        f"money {check.outcome}"
    )
    return row, problems


# id: (the fault as the matrix names it, the host's planned faults as (kind, MTI, booked))
BANK_FAULTS = {
    "0200_dropped_booked": ("host drops the 0200 after booking it", [("drop", "0200", True)]),
    "0200_dropped_unbooked": ("host drops the 0200 unbooked", [("drop", "0200", False)]),
    "0200_unanswered_booked": ("host never answers the 0200 (booked)", [("no_answer", "0200", True)]),
    "0200_answered_late": ("host answers the 0200 too late", [("late", "0200", True)]),
    "0200_code_96": ("host answers 96 (system fault)", [("code", "0200", False)]),
    "0200_and_0400_dropped": (
        "0200 dropped, the reversal dropped too", [("drop", "0200", True), ("drop", "0400", True)]
    ),
    "0200_and_0400_unanswered": (
        "0200 unanswered, reversal unanswered", [("no_answer", "0200", True), ("no_answer", "0400", True)]
    ),
}
FEE_FAULTS = rf.FAULT_MODES

KILL_CELLS = [
    pytest.param(scenario, point, variant, id=f"{scenario}-{point}-{variant_id}")
    for scenario, points in KILL_POINTS.items()
    for point in (*points, NO_KILL)
    for variant, variant_id in VARIANTS.items()
]
FAULT_CELLS = [
    *(pytest.param(name, faults, None, id=f"card_pay-{id_}-plain") for id_, (name, faults) in BANK_FAULTS.items()),
    *(pytest.param(f"fee {mode} at post_payment", [], mode, id=f"card_pay-fee_{mode}_at_post_payment-plain")
      for mode in FEE_FAULTS),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return rf.make_template(tmp_path_factory.mktemp("card-template"))


@pytest.fixture(scope="module")
def boundaries(template, tmp_path_factory):
    """The boundaries a healthy run of each card scenario passes (in this process, nothing killed)."""
    root = tmp_path_factory.mktemp("card-trace")
    return {scenario: _trace(template, root, scenario) for scenario in rf.CARD_SCENARIOS}


def _trace(template: Path, root: Path, scenario: str) -> list[str]:
    case_dir = rf.new_case_dir(template, root / f"trace-{scenario}")
    bank = rf.start_bank(case_dir)
    rf.TRACE = []
    rf._seen.clear()
    try:
        _plan(bank, scenario)
        fee = rf.open_fee_system(case_dir)
        journal = rf.KillingJournal(case_dir / rf.JOURNAL_FILE, rf.TERMINAL, clock=rf.clock)
        rf.drive_card_payment(case_dir, scenario, rf.FaultyFeeSystem(fee, kill_points=True), journal, fee, bank.port)
        journal.close()
        fee.close()
        return list(rf.TRACE)
    finally:
        rf.TRACE = None
        rf._seen.clear()
        bank.stop()


@pytest.mark.parametrize(("scenario", "point", "variant"), KILL_CELLS)
def test_card_kill_at_boundary_then_recovery_keeps_money_only_if_posted(template, tmp_path, scenario, point, variant):
    case_dir = rf.new_case_dir(template, tmp_path / "state")
    bank = rf.start_bank(case_dir)
    try:
        _plan(bank, scenario)
        env = {**os.environ, rf.KILL_ENV: point}
        child = subprocess.run(
            [sys.executable, str(SCRIPT), str(case_dir), scenario, str(bank.port)], env=env, timeout=60
        )
        fault = NO_KILL if point == NO_KILL else f"SIGKILL {point}"
        row, problems = _recover(case_dir, bank, scenario, fault, variant)
    finally:
        bank.stop()
    expected = 0 if point == NO_KILL else -9
    if child.returncode != expected:
        problems.insert(0, f"child exited {child.returncode}, expected {expected}")
    assert not problems, f"{row}: " + "; ".join(problems)


@pytest.mark.parametrize(("name", "faults", "fee_mode"), FAULT_CELLS)
def test_card_bank_or_fee_fault_then_recovery_keeps_money_only_if_posted(template, tmp_path, name, faults, fee_mode):
    case_dir = rf.new_case_dir(template, tmp_path / "state")
    bank = rf.start_bank(case_dir)
    try:
        for kind, mti, booked in faults:
            bank.fault_next(kind, mti, process=booked, delay=2.0)
        fee = rf.open_fee_system(case_dir)
        # post_payment is the only fee-system call of a card payment (the quote comes before it, from the phone)
        system = rf.FaultyFeeSystem(fee, fail_on=1 if fee_mode else 0, mode=fee_mode or "unavailable")
        journal = Journal(case_dir / rf.JOURNAL_FILE, rf.TERMINAL, clock=rf.clock)
        raised = False
        try:
            rf.drive_card_payment(case_dir, "card_pay", system, journal, fee, bank.port)
        except (rf.Unavailable, TimeoutError, ConnectionError):
            raised = True  # the screen says so; the record stays approved
        finally:
            journal.close()
            fee.close()
        row, problems = _recover(case_dir, bank, "card_pay", name, PLAIN)
    finally:
        bank.stop()
    if fee_mode and not raised:
        problems.insert(0, "the injected fault did not reach the caller")
    assert not problems, f"{row}: " + "; ".join(problems)


@pytest.mark.parametrize("scenario", rf.CARD_SCENARIOS)
def test_kill_points_are_the_boundaries_passed(boundaries, scenario):
    """The matrix kills at every boundary a healthy run passes, and at no boundary it does not pass."""
    assert boundaries[scenario] == list(KILL_POINTS[scenario])


def test_every_card_step_boundary_is_reached(boundaries):
    """The kill points cover the card path: each state committed, the host's answer, the posting, the print."""
    passed = {point for points in boundaries.values() for point in points}
    for boundary in ("after_created", "after_auth_sent", "after_host_answered", "after_approved", "after_post_payment",
                     "after_posted", "after_receipt_printed", "after_done", "after_reversal_pending",
                     "after_reversed", "after_declined"):
        assert boundary in passed, boundary
