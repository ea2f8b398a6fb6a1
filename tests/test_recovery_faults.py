"""The fault matrix: a payment process SIGKILLed at every step boundary of DESIGN.md §5, and the fee system failing
at every call (unavailable, timeout, answer lost). After restart and recovery every debit is posted once or
refunded, and reconciliation finds no unexplained difference. The matrix is printed (pytest -s) and written to
``fault_matrix.txt`` in the test's temporary directory; every cell must pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

import recovery_fixtures as rf
from kiosk.payments.journal import Journal

SCRIPT = Path(rf.__file__).resolve()
EXPECTED_WITHOUT_FAULT = {"pay": "posted", "abandon": "closed", "abandon_paid": "posted", "late": "refunded"}
VARIANTS = ("plain", "phone pays in downtime", "recovery's 1st call fails")


@dataclass
class Cell:
    scenario: str
    fault: str
    variant: str
    at_crash: str
    after: str
    outcome: str
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL " + "; ".join(self.problems)
        return (
            f"{self.scenario:13} {self.fault:44} {self.variant:26} {self.at_crash:16} {self.after:16} "
            f"{self.outcome:9} {verdict}"
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
    if variant == "phone pays in downtime":
        _pay_open_orders(case_dir)
    if variant == "recovery's 1st call fails":
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
    if fault == "none" and variant == "plain" and check.outcome != EXPECTED_WITHOUT_FAULT[scenario]:
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


def _kill_cases(template: Path, root: Path, boundaries: dict[str, list[str]]) -> list[Cell]:
    cases = [(scenario, point) for scenario, points in boundaries.items() for point in [*points, "none"]]

    def run_child(case: tuple[str, str]) -> tuple[str, str, Path, int]:
        scenario, point = case
        case_dir = rf.new_case_dir(template, root / f"{scenario}-{point.replace('#', '_')}")
        env = {**os.environ, rf.KILL_ENV: point}
        completed = subprocess.run([sys.executable, str(SCRIPT), str(case_dir), scenario], env=env, timeout=60)
        return scenario, point, case_dir, completed.returncode

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run_child, cases))
    cells = []
    for scenario, point, case_dir, returncode in results:
        expected_rc = 0 if point == "none" else -9
        for variant in VARIANTS:
            variant_dir = rf.copy_state(case_dir, case_dir.with_name(f"{case_dir.name}-{VARIANTS.index(variant)}"))
            cell = _recover_variant(variant_dir, scenario, "none" if point == "none" else f"SIGKILL {point}", variant)
            if returncode != expected_rc:
                cell.problems.insert(0, f"child exited {returncode}, expected {expected_rc}")
            cells.append(cell)
    return cells


def _fee_fault_cases(template: Path, root: Path) -> list[Cell]:
    cells = []
    for scenario in rf.SCENARIOS:
        probe_dir = rf.new_case_dir(template, root / f"probe-{scenario}")
        probe_fee = rf.open_fee_system(probe_dir)
        probe = rf.FaultyFeeSystem(probe_fee)
        journal = Journal(probe_dir / rf.JOURNAL_FILE, rf.TERMINAL, clock=rf.clock)
        rf.drive_payment(probe_dir, scenario, probe, journal, probe_fee)
        journal.close()
        probe_fee.close()
        for index, call in enumerate(probe.calls, start=1):
            for mode in ("unavailable", "timeout", "lost_answer"):
                case_dir = rf.new_case_dir(template, root / f"{scenario}-{index}-{mode}")
                fee = rf.open_fee_system(case_dir)
                journal = Journal(case_dir / rf.JOURNAL_FILE, rf.TERMINAL, clock=rf.clock)
                raised = False
                try:
                    rf.drive_payment(
                        case_dir, scenario, rf.FaultyFeeSystem(fee, fail_on=index, mode=mode), journal, fee
                    )
                except (rf.Unavailable, TimeoutError, ConnectionError):
                    raised = True  # the session sees the error; the record stays where it was
                finally:
                    journal.close()
                    fee.close()
                cell = _recover_variant(case_dir, scenario, f"fee {mode} at call {index} ({call})", "plain")
                if not raised:
                    cell.problems.insert(0, "the injected fault did not reach the caller")
                cells.append(cell)
    return cells


def test_fault_matrix(template, boundaries, tmp_path):
    cells = _kill_cases(template, tmp_path / "kill", boundaries) + _fee_fault_cases(template, tmp_path / "fee")
    header = f"{'SCENARIO':13} {'FAULT':44} {'VARIANT':26} {'AT CRASH':16} {'AFTER RECOVERY':16} {'MONEY':9} RESULT"
    lines = [header, *(cell.line() for cell in cells)]
    passed = sum(cell.passed for cell in cells)
    lines.append(f"{passed}/{len(cells)} cells pass")
    text = "\n".join(lines)
    (tmp_path / "fault_matrix.txt").write_text(text + "\n", encoding="utf-8")
    print("\n" + text)
    failed = [cell.line() for cell in cells if not cell.passed]
    assert not failed, "\n".join(failed)


def test_every_step_boundary_is_reached(boundaries):
    """The kill points cover DESIGN.md §5's QR path: each state committed, each outside call returned."""
    passed = {point for points in boundaries.values() for point in points}
    for state in ("created", "order_opened", "paid", "posted", "receipt_printed", "done", "order_closed"):
        assert f"after_{state}" in passed
    for call in ("open_qr_order", "qr_order_status", "close_qr_order", "post_payment"):
        assert f"after_{call}" in passed
    assert {"after_phone_pays", "after_print", "after_late_payment"} <= passed
