"""Fault injection for recovery: a payment driver, kill points at every step boundary, a failing fee system.

Run as a script it is the separate process of the fault suite: it drives one QR payment through Checkout
against an on-disk journal and fee-system database and kills itself with SIGKILL at the boundary named by
``KIOSK_KILL_AT``:

    python tests/recovery_fixtures.py STATE_DIR SCENARIO

A boundary is ``after_<journal state>`` (the state is committed, the next outside call not yet made),
``after_<fee-system call>`` (the call returned, its result not yet journaled), ``after_phone_pays``,
``after_print`` or ``after_late_payment``; its k-th passage (k > 1) is ``NAME#k``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from kiosk.checkout import Checkout  # noqa: E402
from kiosk.domain.items import InsuredItem, PayMethod  # noqa: E402
from kiosk.feesystem.api import Unavailable  # noqa: E402
from kiosk.feesystem.embedded import EmbeddedFeeSystem  # noqa: E402
from kiosk.payments.journal import Journal, PaymentState  # noqa: E402
from kiosk.payments.qr import QrPayments  # noqa: E402
from kiosk.payments.reconcile import reconcile_embedded  # noqa: E402
from kiosk.receipts import ReceiptParties, ReceiptService  # noqa: E402
from printers.escpos.status import PrinterStatus  # noqa: E402

CONFIG_DIR = REPO / "config"
NOW = dt.datetime(2026, 11, 27, 10, 0, 0)  # as tests/conftest.py: inside the example policy's windows
TERMINAL = "T-FAULT"
RESIDENT = "370103197003224422"
PARTIES = ReceiptParties(payer_name="王秀兰", payer_id=RESIDENT)
JOURNAL_FILE = "journal.sqlite3"
FEE_FILE = "feesystem.sqlite3"
KILL_ENV = "KIOSK_KILL_AT"
# The fee-system calls a payment makes (the phone's simulate_qr_payment is the citizen, not the fee system).
FEE_CALLS = ("open_qr_order", "qr_order_status", "close_qr_order", "post_payment", "find_payment")
SCENARIOS = {
    "pay": "the citizen pays; posted; receipt printed",
    "abandon": "the citizen walks away; the order is closed unpaid",
    "abandon_paid": "the citizen pays just as the kiosk gives up; closing finds it paid; posted",
    "late": "the order is closed; the citizen pays afterwards; the channel refunds",
}


def clock() -> dt.datetime:
    return NOW


_seen: dict[str, int] = {}
TRACE: list[str] | None = None  # set to a list to record the boundaries a run passes (in-process, no kill)


def boundary(name: str) -> None:
    """A step boundary; the second time a name is passed it is ``name#2``, and so on."""
    _seen[name] = _seen.get(name, 0) + 1
    label = name if _seen[name] == 1 else f"{name}#{_seen[name]}"
    if TRACE is not None:
        TRACE.append(label)
    if os.environ.get(KILL_ENV) == label:
        os.kill(os.getpid(), signal.SIGKILL)


def trace_boundaries(state_dir: Path, scenario: str) -> list[str]:
    """Every boundary a healthy run of the scenario passes, in order (run in this process, nothing killed)."""
    global TRACE
    TRACE, _seen_before = [], dict(_seen)
    _seen.clear()
    try:
        fee = open_fee_system(state_dir)
        journal = KillingJournal(state_dir / JOURNAL_FILE, TERMINAL, clock=clock)
        drive_payment(state_dir, scenario, FaultyFeeSystem(fee, kill_points=True), journal, fee)
        journal.close()
        fee.close()
        return list(TRACE)
    finally:
        TRACE = None
        _seen.clear()
        _seen.update(_seen_before)


class KillingJournal(Journal):
    """The real journal; the process dies right after the named state is committed."""

    def create(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        entry = super().create(*args, **kwargs)
        boundary("after_created")
        return entry

    def advance(self, journal_no: str, state: PaymentState, note: str | None = None, **fields: str | None):
        entry = super().advance(journal_no, state, note, **fields)
        boundary(f"after_{state.value}")
        return entry


@dataclass
class FaultyFeeSystem:
    """The real fee system behind a double that fails the Nth payment call (1-based) in one of three ways:

    ``unavailable`` (refused before it acts), ``timeout`` (no answer; it did not act), ``lost_answer`` (it acted,
    the answer never came back: a dropped connection). ``fail_on=0`` never fails; ``calls`` logs every call.
    """

    inner: EmbeddedFeeSystem
    fail_on: int = 0
    mode: str = "unavailable"
    calls: list[str] = field(default_factory=list)
    kill_points: bool = False

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.inner, name)
        if name not in FEE_CALLS:
            return target

        def call(*args: Any) -> Any:
            self.calls.append(name)
            failing = len(self.calls) == self.fail_on
            if failing and self.mode == "unavailable":
                raise Unavailable(f"injected: {name} unavailable")
            if failing and self.mode == "timeout":
                raise TimeoutError(f"injected: {name} timed out")
            result = target(*args)
            if failing and self.mode == "lost_answer":
                raise ConnectionResetError(f"injected: {name} answer lost")
            if self.kill_points:
                boundary(f"after_{name}")
            return result

        return call


class FakePrinter:
    def __init__(self) -> None:
        self.printed = 0

    def print_receipt(self, data: bytes) -> PrinterStatus:
        self.printed += 1
        boundary("after_print")
        return PrinterStatus(online=True, paper="full", cover_open=False)


def method_for(scenario: str) -> PayMethod:
    return PayMethod.WECHAT if scenario in ("abandon", "late") else PayMethod.ALIPAY


def open_fee_system(state_dir: Path) -> EmbeddedFeeSystem:
    return EmbeddedFeeSystem(
        state_dir / FEE_FILE, CONFIG_DIR / "policy.toml", CONFIG_DIR / "demo_people.toml", clock=clock
    )


def drive_payment(state_dir: Path, scenario: str, fee_system: Any, journal: Journal, phone: EmbeddedFeeSystem) -> None:
    """One payment through Checkout, as the kiosk's session does it. ``phone`` is the citizen paying."""
    receipts = ReceiptService(FakePrinter(), "测试办税服务厅", TERMINAL, "test-key", 80)  # type: ignore[arg-type]
    checkout = Checkout(QrPayments(journal, fee_system), receipts, clock)
    quote = phone.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")
    opened = checkout.open_qr(quote, method_for(scenario), RESIDENT)
    if scenario in ("pay", "abandon_paid"):
        phone.simulate_qr_payment(opened.order.order_no)
        boundary("after_phone_pays")
    if scenario == "pay":
        checkout.poll(opened.entry)
        checkout.finish_paid(opened.entry, PARTIES)
    else:
        checkout.abandon(opened.entry, PARTIES)
    if scenario == "late":
        phone.simulate_qr_payment(opened.order.order_no)
        boundary("after_late_payment")


def make_template(directory: Path) -> Path:
    """A seeded fee-system database, copied into every case (seeding once keeps the suite fast)."""
    directory.mkdir(parents=True, exist_ok=True)
    open_fee_system(directory).close()
    return directory


def new_case_dir(template: Path, directory: Path) -> Path:
    directory.mkdir(parents=True)
    shutil.copy(template / FEE_FILE, directory / FEE_FILE)
    return directory


def copy_state(source: Path, target: Path) -> Path:
    """A copy of a dead process's state (WAL files included: SQLite replays them on open)."""
    shutil.copytree(source, target)
    return target


# --- the promise, checked ------------------------------------------------------------------------------


@dataclass
class MoneyCheck:
    outcome: str  # posted | closed | refunded | none, from the channel's point of view
    problems: list[str]
    journal_state: str


def check_money(state_dir: Path, journal: Journal) -> MoneyCheck:
    """Every debit posted once or refunded; the journal finished and agreeing; reconciliation clean."""
    problems: list[str] = []
    with sqlite3.connect(state_dir / FEE_FILE) as db:
        orders = db.execute("SELECT idempotency_key, state FROM qr_orders").fetchall()
        posted = db.execute("SELECT idempotency_key FROM payments WHERE idempotency_key LIKE 'kiosk-%'").fetchall()
    posted_keys = [key for (key,) in posted]
    entries = journal.entries()
    if len(entries) != 1:
        problems.append(f"{len(entries)} journal records")
    if journal.unfinished():
        problems.append("unfinished: " + ", ".join(e.state.value for e in journal.unfinished()))
    if len(posted_keys) != len(set(posted_keys)):
        problems.append("a payment posted twice")
    if len([state for _, state in orders if state == "paid"]) > 1:
        problems.append("money taken twice")
    by_key = {entry.idempotency_key: entry for entry in entries}
    outcome = "none"
    for key, state in orders:
        entry = by_key.get(key)
        if entry is None:
            problems.append(f"order {state} without a journal record")
            continue
        if state == "paid":
            outcome = "posted"
            if key not in posted_keys:
                problems.append("debit not posted")
            if entry.state is not PaymentState.DONE:
                problems.append(f"paid order, journal {entry.state}")
        elif state == "refunded":
            outcome = "refunded"
            if key in posted_keys:
                problems.append("refunded yet posted")
            if entry.state is not PaymentState.REFUNDED:
                problems.append(f"refunded order, journal {entry.state}")
        elif state == "closed":
            outcome = "closed"
            if key in posted_keys:
                problems.append("closed unpaid yet posted")
            if entry.state is not PaymentState.ORDER_CLOSED:
                problems.append(f"closed order, journal {entry.state}")
        else:
            problems.append(f"order left {state}")
    for key in posted_keys:
        if key not in {k for k, state in orders if state == "paid"}:
            problems.append("posted without a paid order")
    report = reconcile_embedded(journal, TERMINAL, state_dir / FEE_FILE, NOW.date())
    problems += [f"reconcile: {d.kind}" for d in report.differences if not d.explained]
    journal_state = ",".join(entry.state.value for entry in entries) or "-"
    return MoneyCheck(outcome, problems, journal_state)


def recover_dir(state_dir: Path, fee_wrapper: Callable[[EmbeddedFeeSystem], Any] | None = None):
    """Open the stores of a (dead) kiosk and run one recovery pass; returns (report, check)."""
    from kiosk.payments.recovery import Recovery

    fee = open_fee_system(state_dir)
    journal = Journal(state_dir / JOURNAL_FILE, TERMINAL, clock=clock)
    try:
        system = fee_wrapper(fee) if fee_wrapper else fee
        report = Recovery(journal, system, clock=clock, card_hook=None).run()
        return report, check_money(state_dir, journal)
    finally:
        journal.close()
        fee.close()


def main(argv: list[str]) -> int:
    state_dir, scenario = Path(argv[0]), argv[1]
    fee = open_fee_system(state_dir)
    journal = KillingJournal(state_dir / JOURNAL_FILE, TERMINAL, clock=clock)
    drive_payment(state_dir, scenario, FaultyFeeSystem(fee, kill_points=True), journal, fee)
    journal.close()
    fee.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
