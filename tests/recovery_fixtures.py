"""Fault injection for recovery: a payment driver, kill points at every step boundary, a failing fee system.

Run as a script it is the separate process of the fault suite: it drives one QR payment through Checkout
(or one bank card payment through CardPayments, against a bank host simulator the parent runs) against an on-disk
journal and fee-system database and kills itself with SIGKILL at the boundary named by ``KIOSK_KILL_AT``:

    python tests/recovery_fixtures.py STATE_DIR SCENARIO [BANK_PORT]

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
from kiosk.payments.journal import Journal, PaymentState  # noqa: E402
from kiosk.payments.qr import QrPayments  # noqa: E402
from kiosk.payments.reconcile import reconcile_embedded  # noqa: E402
from kiosk.receipts import ReceiptParties, ReceiptService  # noqa: E402
from parties.feesystem.embedded import EmbeddedFeeSystem  # noqa: E402
from printers.escpos.status import PrinterStatus  # noqa: E402

CONFIG_DIR = REPO / "config"
# conftest's NOW (test_the_killed_process_runs_on_the_suites_clock checks it). Copied, not imported: this file is
# also the killed child process, and importing conftest would import pytest, which costs more than the child's run.
NOW = dt.datetime(2026, 11, 27, 10, 0, 0)
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


# Bank card scenarios (tests/test_recovery_card_faults.py). The parent runs the bank host simulator; the child
# holds the terminal's keys in a software security module (the PIN pad's part: MACs and PIN blocks).
CARD_SCENARIOS = {
    "card_pay": "approved; posted; receipt printed",
    "card_declined": "insufficient funds (51): no money moves",
    "card_unknown": "the host books the 0200 and drops the connection: the kiosk reverses it",
}
BANK_TERMINAL = "37010299"
BANK_MERCHANT = "898370193990001"
BANK_DIR = "bank"


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


FAULT_MODES = ("unavailable", "timeout", "lost_answer")  # how FaultyFeeSystem fails a call


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


# --- bank card ----------------------------------------------------------------------------------------------


def start_bank(state_dir: Path) -> Any:
    """The bank host simulator of one case, its ledger in ``<case>/bank`` (it outlives the killed child)."""
    from parties.bankhost.accounts import demo_accounts
    from parties.bankhost.simulator import BankHostSimulator

    return BankHostSimulator(demo_accounts(), state_dir=state_dir / BANK_DIR, clock=clock).start()


def bank_client(state_dir: Path, port: int, timeout: float = 1.0) -> Any:
    from drivers.bankhost import BankHostClient, StanCounter
    from drivers.bankhost.softpad import SoftwareSecurityModule
    from parties.bankhost.testkeys import shared_master_key

    pad = SoftwareSecurityModule(shared_master_key())
    return BankHostClient(
        "127.0.0.1", port, BANK_TERMINAL, BANK_MERCHANT, timeout=timeout, pad=pad,
        stan=StanCounter(state_dir / "bank_stan"), connect_timeout=timeout, clock=clock,
    )


def card_of(account: Any) -> Any:
    """What the card reader returns for the virtual card of ``account``."""
    from drivers.bankcard import CardProfile
    from drivers.bankcard.reader import card_data_from_records
    from drivers.bankcard.virtual_card import build_records

    profile = CardProfile(account.pan, account.expiry, account.pan_sequence, account.aid)
    return card_data_from_records(list(build_records(profile).values()), account.aid)


def card_account(scenario: str) -> Any:
    from parties.bankhost.accounts import demo_accounts

    name = "WANG WU" if scenario == "card_declined" else "ZHANG SAN"  # ¥10 on WANG WU's card
    return next(account for account in demo_accounts() if account.name == name)


def drive_card_payment(state_dir: Path, scenario: str, fee_system: Any, journal: Journal, phone: Any, port: int) -> Any:
    """One card payment as the card screen does it: prepare (sign-on), authorize, post, receipt."""
    from kiosk.payments.card import CardOutcome, CardPayments

    client = bank_client(state_dir, port)
    original_purchase = client.purchase

    def purchase(*args: Any, **kwargs: Any) -> Any:
        approval = original_purchase(*args, **kwargs)
        boundary("after_host_answered")  # the host approved, the kiosk has not journaled it
        return approval

    client.purchase = purchase
    payments = CardPayments(journal, fee_system, client)
    payments.prepare()
    account = card_account(scenario)
    quote = phone.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")
    pin_block = client.pad.pin_block(account.pin, account.pan)
    authorization = payments.authorize(quote, RESIDENT, card_of(account), pin_block)
    if authorization.outcome is CardOutcome.APPROVED:
        entry, _record = payments.post(authorization.entry)
        boundary("after_print")
        payments.receipt_result(entry, None)
    return authorization


@dataclass
class CardCheck:
    outcome: str  # kept (the bank kept the money and it is posted) | returned (reversed) | none (never taken)
    problems: list[str]
    journal_state: str


def check_card_money(state_dir: Path, journal: Journal, bank: Any) -> CardCheck:
    """The bank kept the money exactly when it is posted once; otherwise reversed or never taken; books clean."""
    from drivers.bankhost import TransactionRef

    problems: list[str] = []
    with sqlite3.connect(state_dir / FEE_FILE) as db:
        rows = db.execute("SELECT idempotency_key FROM payments WHERE idempotency_key LIKE 'kiosk-%'").fetchall()
    posted = [key for (key,) in rows]
    entries = journal.entries()
    if len(entries) > 1:
        problems.append(f"{len(entries)} journal records")
    if journal.unfinished():
        problems.append("unfinished: " + ", ".join(e.state.value for e in journal.unfinished()))
    if len(posted) != len(set(posted)):
        problems.append("a payment posted twice")
    ledger = [entry for entry in bank.ledger() if entry.terminal_id == BANK_TERMINAL]
    kept = [entry for entry in ledger if entry.status == "approved"]
    if len(kept) > 1:
        problems.append("money taken twice")
    outcome = "kept" if kept else "returned" if any(e.status == "reversed" for e in ledger) else "none"
    accounts = {card_account(name).pan: card_account(name) for name in CARD_SCENARIOS}
    taken = sum(account.balance_fen - bank.balance(pan) for pan, account in accounts.items())
    if taken != sum(entry.amount_fen for entry in kept):
        problems.append(f"the account is {taken} fen down, the ledger keeps {sum(e.amount_fen for e in kept)}")
    for entry in entries:
        ref = TransactionRef.from_text(entry.order_no) if entry.order_no else None
        booked = [e for e in ledger if ref and (e.stan, e.local_date) == (ref.stan, f"{ref.local_time:%m%d}")]
        money_kept = any(e.status == "approved" for e in booked)
        if money_kept and (entry.idempotency_key not in posted or entry.state is not PaymentState.DONE):
            problems.append(f"the bank kept the money, journal {entry.state}, posted {entry.idempotency_key in posted}")
        if not money_kept and entry.idempotency_key in posted:
            problems.append("posted without the bank keeping the money")
        if not money_kept and entry.state not in (PaymentState.REVERSED, PaymentState.DECLINED):
            problems.append(f"no money kept, journal {entry.state}")
    if kept and not entries:
        problems.append("the bank kept money no journal record knows")
    from parties.bankhost.simulator import STATE_FILE

    report = reconcile_embedded(
        journal, TERMINAL, state_dir / FEE_FILE, NOW.date(), state_dir / BANK_DIR / STATE_FILE, BANK_TERMINAL
    )
    problems += [f"reconcile: {d.kind}" for d in report.differences if not d.explained]
    journal_state = ",".join(entry.state.value for entry in entries) or "-"
    return CardCheck(outcome, problems, journal_state)


def recover_card_dir(state_dir: Path, bank: Any, fee_wrapper: Callable[[EmbeddedFeeSystem], Any] | None = None):
    """Recovery of a (dead) card kiosk's stores, stored reversals sent to ``bank``; returns (report, check)."""
    from kiosk.payments.card import send_pending_reversals
    from kiosk.payments.recovery import Recovery

    fee = open_fee_system(state_dir)
    journal = Journal(state_dir / JOURNAL_FILE, TERMINAL, clock=clock)
    client = bank_client(state_dir, bank.port)
    try:
        system = fee_wrapper(fee) if fee_wrapper else fee
        hook = lambda journal: send_pending_reversals(journal, client)  # noqa: E731
        report = Recovery(journal, system, clock=clock, card_hook=hook).run()
        return report, check_card_money(state_dir, journal, bank)
    finally:
        journal.close()
        fee.close()


def main(argv: list[str]) -> int:
    state_dir, scenario = Path(argv[0]), argv[1]
    fee = open_fee_system(state_dir)
    journal = KillingJournal(state_dir / JOURNAL_FILE, TERMINAL, clock=clock)
    if scenario in CARD_SCENARIOS:
        drive_card_payment(state_dir, scenario, FaultyFeeSystem(fee, kill_points=True), journal, fee, int(argv[2]))
    else:
        drive_payment(state_dir, scenario, FaultyFeeSystem(fee, kill_points=True), journal, fee)
    journal.close()
    fee.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
