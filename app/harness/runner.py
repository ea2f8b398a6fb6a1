"""Runs a scenario against the whole kiosk: its real drivers on the simulators, its window (offscreen or shown).

Each step is one action; the first that fails stops the run, and the report says which step, what was expected
and what the screen showed. The kiosk is app.kiosk_app.KioskApp, on the simulators of app.harness.supervisor.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6 import QtWidgets

from app.harness.bench import Bench, BenchError
from app.harness.browser import BrowserUnavailable, PhoneBrowser
from app.harness.failure import StepFailed
from app.harness.gui_driver import POLL_MS, KioskGuiDriver, plain
from app.harness.maintenance_steps import MaintenanceSteps
from app.harness.other_channel import ElsewhereRequest, OtherChannelError, pay_elsewhere
from app.harness.scenario import Scenario, ScenarioError, ScenarioStep, load_scenario
from app.harness.sim_panel import show_simulator_panel
from app.harness.supervisor import SimulatorSupervisor, SupervisorOptions, own_pcscd_unavailable
from app.kiosk_app import KioskApp
from drivers.base import DeviceKind
from kiosk.config import DEFAULT_CONFIG, ConfigError, KioskConfig, load_config
from kiosk.devices import BANK_HOST
from kiosk.domain.idnumber import mask_id_number
from kiosk.feesystem.api import FeeSystemError

__all__ = ["ScenarioReport", "ScenarioRunner", "StepFailed", "run_scenario_file"]


@dataclass
class ScenarioReport:
    scenario: Scenario
    steps_passed: int = 0
    failed: ScenarioStep | None = None
    expected: str = ""
    actual: str = ""
    screen: str = ""
    screen_text: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.failed is None

    def text(self) -> str:
        total = len(self.scenario.steps)
        if self.passed:
            return f"PASSED {self.scenario.name} ({self.scenario.source}): {total} steps in {self.seconds:.1f} s"
        step = self.failed
        file = step.source or self.scenario.source
        where = f"{file}:{step.line}" if step.line else str(file)
        lines = [
            f"FAILED {self.scenario.name}",
            f"  step {step.number} of {total} ({where}): {step.describe()}",
        ]
        if step.options.get("note"):
            lines.append(f"  note:     {step.options['note']}")
        lines.append(f"  expected: {self.expected}")
        if self.actual:
            lines.append(f"  found:    {self.actual}")
        lines.append(f"  screen:   {self.screen}")
        shown = " | ".join(text.replace("\n", " ") for text in self.screen_text if text.strip())
        lines.append(f"  showing:  {shown or '(nothing)'}")
        lines.append(f"  {self.steps_passed} step(s) passed before it, {self.seconds:.1f} s")
        return "\n".join(lines)


class ScenarioRunner(KioskGuiDriver, MaintenanceSteps):
    """Drives a started kiosk (app.kiosk_app.KioskApp) and its bench through a scenario's steps."""

    def __init__(self, scenario: Scenario, kiosk: Any, bench: Bench) -> None:
        super().__init__(kiosk)
        self.scenario = scenario
        self.bench = bench
        self.receipts_before = len(bench.receipts)  # a resumed state dir may hold earlier receipts on disk only
        self.ctx.devices.a4_printer  # noqa: B018 -- waits for the A4 printer simulator's cupsd, which may start late
        self.a4 = self.ctx.devices.simulators.get(DeviceKind.A4_PRINTER)  # the kiosk's own simulated A4 printer (CUPS)
        self.certificates_before = len(self.a4.printed) if self.a4 is not None else 0
        self.certificates_checked = 0  # of this run's certificates, how many expect_certificate has read
        if bench.a4_printer is None:
            bench.a4_printer = self.a4
        bank = bench.simulators.get(BANK_HOST)
        self.bank_ledger_before = len(bank.ledger()) if bank is not None else 0
        self.bank_balances_before = {a.pan: a.balance_fen for a in bank.accounts()} if bank is not None else {}
        self.phone = PhoneBrowser()  # Chromium, started by the first verify_receipt step
        self.paid_order: str | None = None  # the QR order the last pay_qr step paid (expect_qr_order)

    # --- running -------------------------------------------------------------------------------------------

    def run(self) -> ScenarioReport:
        report = ScenarioReport(self.scenario)
        started = time.monotonic()
        self.pump(100)  # let the first screen settle and the identity watcher open its readers
        try:
            for step in self.scenario.steps:
                try:
                    getattr(self, f"do_{step.action}")(step.value, step)
                except (StepFailed, BenchError) as failure:
                    report.failed = step
                    report.expected = failure.expected if isinstance(failure, StepFailed) else str(failure)
                    report.actual = failure.actual if isinstance(failure, StepFailed) else ""
                    report.screen = self.step_name()
                    report.screen_text = self.visible_texts()
                    break
                report.steps_passed += 1
        finally:
            self.phone.close()
        report.seconds = time.monotonic() - started
        return report

    def within(self, step: ScenarioStep) -> float:
        return float(step.options.get("within", self.scenario.within))

    # --- the screen ----------------------------------------------------------------------------------------

    def do_tap(self, name: str, step: ScenarioStep) -> None:
        seconds = self.within(step)
        if not self.tap_named(name, seconds):
            raise StepFailed(f"an enabled button named {name!r} within {seconds:g} s", self.buttons_shown())

    def do_tap_text(self, text: str, step: ScenarioStep) -> None:
        def find() -> Any:
            return self.button(lambda b: plain(b.text()) == plain(text)) or self.button(
                lambda b: plain(text) in plain(b.text())
            )

        seconds = self.within(step)
        if not self.wait_until(lambda: find() is not None, seconds):
            raise StepFailed(f"an enabled button showing {text!r} within {seconds:g} s", self.buttons_shown())
        self.click(find())

    def do_type_keypad(self, keys: str, step: ScenarioStep) -> None:
        """Tap an on-screen keypad's keys: a button named key_<k>, else one whose text is the key."""
        for key in keys:

            def find(key: str = key) -> Any:
                return self.button(lambda b: b.objectName() == f"key_{key}") or self.button(
                    lambda b: plain(b.text()) == key
                )

            if not self.wait_until(lambda: find() is not None, self.within(step)):
                raise StepFailed(f"an on-screen key {key!r}", self.buttons_shown())
            self.click(find())

    # --- waits ---------------------------------------------------------------------------------------------

    def do_wait_screen(self, name: str, step: ScenarioStep) -> None:
        seconds = self.within(step)
        if not self.wait_until(lambda: self.step_name() == name, seconds):
            raise StepFailed(f"the screen {name!r} within {seconds:g} s", f"still on {self.step_name()!r}")

    def do_wait_text(self, text: str, step: ScenarioStep) -> None:
        seconds = self.within(step)
        if not self.wait_until(lambda: self.screen_shows(text), seconds):
            raise StepFailed(f"the text {text!r} on screen within {seconds:g} s")

    def do_wait_no_text(self, text: str, step: ScenarioStep) -> None:
        seconds = self.within(step)
        if not self.wait_until(lambda: not self.screen_shows(text), seconds):
            raise StepFailed(f"the text {text!r} gone from the screen within {seconds:g} s", "it is still shown")

    def do_sleep(self, seconds: float, step: ScenarioStep) -> None:
        self.pump(int(seconds * 1000))

    # --- devices -------------------------------------------------------------------------------------------

    def do_place_id_card(self, who: Any, step: ScenarioStep) -> None:
        self.bench.place_id_card(who)

    def do_remove_id_card(self, flag: bool, step: ScenarioStep) -> None:
        self.bench.remove_id_card()

    def do_insert_sscard(self, who: Any, step: ScenarioStep) -> None:
        self.bench.insert_sscard(who)

    def do_remove_sscard(self, flag: bool, step: ScenarioStep) -> None:
        self.bench.remove_sscard()

    def do_idcard_fault(self, fault: str, step: ScenarioStep) -> None:
        self.bench.idcard_fault(fault)

    def do_printer(self, state: str, step: ScenarioStep) -> None:
        self.bench.set_printer(state)

    def do_a4_printer(self, state: str, step: ScenarioStep) -> None:
        self.bench.set_a4_printer(state)

    def do_unplug(self, device: str, step: ScenarioStep) -> None:
        self.bench.unplug(device)

    def do_replug(self, device: str, step: ScenarioStep) -> None:
        self.bench.replug(device)

    def do_fee_system(self, mode: str, step: ScenarioStep) -> None:
        self.bench.fee_system(mode, float(step.options.get("seconds", 3.0)))

    def do_pinpad_keys(self, keys: str | list[str], step: ScenarioStep) -> None:
        pad = self.bench.simulators.get(DeviceKind.PINPAD)
        if pad is not None and self.step_name() == "card_pay" and DeviceKind.PINPAD not in self.bench.unplugged:
            # The screen may ask before the pad is in PIN entry; a person's keys land once it is.
            self.wait_until(lambda: pad.pin_entry_active, self.within(step))
        try:
            self.bench.press_pinpad(keys)
        except ValueError as error:
            raise StepFailed(f"PIN pad keys 0-9, enter, cancel, clear: {error}") from None

    def do_type_pin(self, pin: str, step: ScenarioStep) -> None:
        """Once the PIN pad asks for a PIN (within the step's time): its digits, then enter."""
        pad = self.bench.simulator(DeviceKind.PINPAD)
        seconds = self.within(step)
        if not self.wait_until(lambda: pad.pin_entry_active, seconds):
            raise StepFailed(f"the PIN pad asking for a PIN within {seconds:g} s", "the pad is not in PIN entry")
        pad.type_pin(pin)
        self.pump(POLL_MS)

    def do_insert_bankcard(self, who: str, step: ScenarioStep) -> None:
        self.bench.insert_bankcard(who)

    def do_remove_bankcard(self, flag: bool, step: ScenarioStep) -> None:
        self.bench.remove_bankcard()

    def do_bankcard_fault(self, fault: str, step: ScenarioStep) -> None:
        self.bench.bankcard_fault(fault)

    def do_bank_host(self, mode: str, step: ScenarioStep) -> None:
        self.bench.bank_host(mode, float(step.options.get("seconds", 3.0)), str(step.options.get("code", "96")))

    def _wait_open_order(self, step: ScenarioStep) -> Any:
        seconds = self.within(step)
        if not self.wait_until(lambda: bool(self.bench.open_orders()), seconds):
            raise StepFailed(f"an open QR order within {seconds:g} s", "no open order")
        return self.bench.open_orders()[-1]

    def do_pay_qr(self, method: str, step: ScenarioStep) -> None:
        """The citizen's phone (Alipay or WeChat) pays the open order; a phone of the other channel cannot."""
        self._wait_open_order(step)
        try:
            self.paid_order = self.bench.pay_open_order(method)
        except BenchError as error:
            raise StepFailed(f"an open order payable with {method}", str(error)) from None
        self.pump(POLL_MS)

    def do_paid_elsewhere(self, table: dict[str, Any], step: ScenarioStep) -> None:
        """The fee system books ``person``'s (or ``id_number``'s) ``item`` of ``year``, or ``bill``, as paid at a
        bank counter meanwhile (app/harness/other_channel.py): a kiosk line of that period is then refused."""
        who = table.get("person") or table.get("id_number")
        if not who:
            raise StepFailed("paid_elsewhere names a person (demo key) or an id_number")
        try:
            request = ElsewhereRequest.parse(self._id_number(str(who)), table)
            pay_elsewhere(self.bench.fee_backend, request)
        except (OtherChannelError, FeeSystemError) as error:
            raise StepFailed("the fee system books the period as paid elsewhere", str(error)) from None

    def do_abandon_qr(self, flag: bool, step: ScenarioStep) -> None:
        """The citizen looks at the code and walks away: the order stays open and unpaid."""
        self._wait_open_order(step)

    # --- assertions ----------------------------------------------------------------------------------------

    def do_expect_screen(self, name: str, step: ScenarioStep) -> None:
        if self.step_name() != name:
            raise StepFailed(f"the screen {name!r}", f"the screen {self.step_name()!r}")

    def do_expect_text(self, texts: str | list[str], step: ScenarioStep) -> None:
        missing = [text for text in _texts(texts) if not self.screen_shows(text)]
        if missing:
            raise StepFailed(f"on screen: {missing}")

    def do_expect_no_text(self, texts: str | list[str], step: ScenarioStep) -> None:
        present = [text for text in _texts(texts) if self.screen_shows(text)]
        if present:
            raise StepFailed(f"not on screen: {present}", "they are shown")

    def _receipts(self) -> list[Any]:
        return self.bench.receipts[self.receipts_before :]

    def do_expect_receipt(self, texts: str | list[str], step: ScenarioStep) -> None:
        seconds = self.within(step)
        self.wait_until(lambda: bool(self._receipts()), seconds)
        receipts = self._receipts()
        if not receipts:
            raise StepFailed(f"a printed receipt within {seconds:g} s", "nothing was cut on the printer")
        printed = "\n".join(receipts[-1].lines)
        missing = [text for text in _texts(texts) if text not in printed]
        if missing:
            raise StepFailed(f"the last receipt contains {missing}", f"it reads: {_one_line(printed)}")

    def do_verify_receipt(self, expected: str, step: ScenarioStep) -> None:
        """Open the last receipt's QR code (the bureau's verification page) in Chromium, as a phone would:
        ``genuine`` expects the page to say 核验通过; ``tampered`` changes one character of the code first and
        expects 核验未通过."""
        if expected not in ("genuine", "tampered"):
            raise StepFailed("verify_receipt = 'genuine' or 'tampered'", repr(expected))
        seconds = self.within(step)
        self.wait_until(lambda: bool(self._receipts()), seconds)
        receipts = self._receipts()
        if not receipts or not receipts[-1].qr_payloads:
            raise StepFailed(f"a printed receipt with a QR code within {seconds:g} s", "none was cut")
        url = receipts[-1].qr_payloads[-1]
        if "/verify/" not in url:
            raise StepFailed("the receipt's QR code is a verification page's URL", url)
        if expected == "tampered":
            base, code = url.rsplit("/", 1)
            middle = len(code) // 2
            url = f"{base}/{code[:middle]}{'B' if code[middle] == 'A' else 'A'}{code[middle + 1 :]}"
        try:
            text = self.phone.open(url)
        except BrowserUnavailable as error:
            raise StepFailed("the phone's browser (Chromium) opens the page", str(error)) from None
        wanted, unwanted = ("核验通过", "核验未通过") if expected == "genuine" else ("核验未通过", "核验通过：")
        if wanted not in text or unwanted in text:
            raise StepFailed(f"the verification page says {wanted}", f"it reads: {_one_line(text)}")

    def do_expect_no_receipt_text(self, texts: str | list[str], step: ScenarioStep) -> None:
        printed = "\n".join("\n".join(receipt.lines) for receipt in self._receipts())
        present = [text for text in _texts(texts) if text in printed]
        if present:
            raise StepFailed(f"no receipt contains {present}", "a receipt does")

    def do_expect_receipt_count(self, count: int, step: ScenarioStep) -> None:
        if count:
            self.wait_until(lambda: len(self._receipts()) >= count, self.within(step))
        else:
            self.pump(300)  # a receipt printing now would show up within this
        if len(self._receipts()) != count:
            raise StepFailed(f"{count} receipt(s) printed in this run", f"{len(self._receipts())}")

    def do_expect_journal(self, expected: dict[str, Any], step: ScenarioStep) -> None:
        """The last journal entry: state, amount_fen, pay_method, item, receipt_error (false = none); count."""
        unknown = set(expected) - {"state", "amount_fen", "pay_method", "item", "receipt_error", "count"}
        if unknown:
            raise StepFailed(
                f"expect_journal keys state, amount_fen, pay_method, item, receipt_error, count; not {sorted(unknown)}"
            )
        entries = self.ctx.journal.entries()
        if "count" in expected and len(entries) != expected["count"]:
            raise StepFailed(f"{expected['count']} journal entries", f"{len(entries)}")
        checks = {key: value for key, value in expected.items() if key != "count"}
        if not checks:
            return
        if not entries:
            raise StepFailed(f"a journal entry with {checks}", "the journal is empty")

        def actual() -> dict[str, Any]:
            entry = self.ctx.journal.entries()[-1]
            values = {
                "state": entry.state.value,
                "amount_fen": entry.amount_fen,
                "pay_method": entry.pay_method.value,
                "item": entry.item.value,
                "receipt_error": entry.receipt_error or False,
            }
            return {key: values[key] for key in checks}

        # The kiosk advances the journal from its worker thread: give it the step's time to get there.
        if not self.wait_until(lambda: actual() == checks, self.within(step)):
            entry = self.ctx.journal.entries()[-1]
            raise StepFailed(f"the last journal entry has {checks}", f"{entry.journal_no}: {actual()}")

    def _id_number(self, who: str) -> str:
        return self.bench.person(who).fields["id_number"] if who in self.bench.people else who

    def do_expect_fee_record(self, expected: dict[str, Any], step: ScenarioStep) -> None:
        """The fee system holds a payment for ``person`` (demo key) or ``id_number``: amount_fen, item, count."""
        who = expected.get("person") or expected.get("id_number")
        if not who:
            raise StepFailed("expect_fee_record names a person (demo key) or an id_number")
        id_number = self._id_number(str(who))
        records = self.bench.fee_backend.payment_records(id_number)
        masked = mask_id_number(id_number)
        if "count" in expected and len(records) != expected["count"]:
            raise StepFailed(f"{expected['count']} fee-system record(s) for {masked}", f"{len(records)}")
        wanted = {key: expected[key] for key in ("amount_fen", "item", "pay_method") if key in expected}
        if not wanted:
            if not records:
                raise StepFailed(f"a fee-system record for {masked}", "none")
            return
        found = [{"amount_fen": r.amount_fen, "item": r.item.value, "pay_method": r.pay_method.value} for r in records]
        if not any(all(record[key] == value for key, value in wanted.items()) for record in found):
            raise StepFailed(f"a fee-system record for {masked} with {wanted}", f"records: {found or 'none'}")

    def do_expect_no_fee_record(self, who: str, step: ScenarioStep) -> None:
        records = self.bench.fee_backend.payment_records(self._id_number(who))
        if records:
            raise StepFailed(
                f"no fee-system record for {mask_id_number(self._id_number(who))}",
                f"{len(records)} record(s), amounts {[r.amount_fen for r in records]} fen",
            )

    def do_expect_amount(self, fen: int, step: ScenarioStep) -> None:
        """To the fen: the last journal entry, the fee system's record of it, and the receipt (if one printed)."""
        entries = self.ctx.journal.entries()
        if not entries:
            raise StepFailed(f"a payment of {fen} fen", "the journal is empty")
        entry = entries[-1]
        if entry.amount_fen != fen:
            raise StepFailed(f"the journal's amount {fen} fen", f"{entry.amount_fen} fen")
        if entry.payment_no:
            records = self.bench.fee_backend.payment_records(entry.id_number)
            record = next((r for r in records if r.payment_no == entry.payment_no), None)
            if record is None or record.amount_fen != fen:
                raise StepFailed(
                    f"the fee system's record {entry.payment_no} of {fen} fen",
                    f"{record.amount_fen if record else 'no record'}",
                )
        receipts = self._receipts()
        yuan = f"{fen // 100:,}.{fen % 100:02d}"  # receipts group thousands (3,000.00); accept it either way
        if receipts and not any(form in line for line in receipts[-1].lines for form in (yuan, yuan.replace(",", ""))):
            raise StepFailed(f"the receipt shows {yuan}", _one_line("\n".join(receipts[-1].lines)))

    def do_expect_open_orders(self, count: int, step: ScenarioStep) -> None:
        orders = self.bench.open_orders()
        if len(orders) != count:
            raise StepFailed(f"{count} open QR order(s)", f"{len(orders)}")

    def do_expect_qr_order(self, expected: dict[str, Any], step: ScenarioStep) -> None:
        """The order the last ``pay_qr`` paid, as the channel keeps it: ``state`` (paid, refunded, ...),
        ``amount_fen``, ``refunded_fen`` (given back in part, a basket's refused line), ``paid_with`` (the app)."""
        unknown = set(expected) - {"state", "amount_fen", "refunded_fen", "paid_with"}
        if unknown:
            raise StepFailed(f"expect_qr_order keys state, amount_fen, refunded_fen, paid_with; not {sorted(unknown)}")
        order_no = self.paid_order
        if order_no is None:
            raise StepFailed("a QR order paid by an earlier pay_qr step", "none was paid in this run")

        def actual() -> dict[str, Any]:
            status = self.bench.fee_backend.qr_order_status(order_no)
            values = {
                "state": status.state.value,
                "amount_fen": status.amount_fen,
                "refunded_fen": status.refunded_fen,
                "paid_with": status.paid_with,
            }
            return {key: values[key] for key in expected}

        # The kiosk posts the lines (and the channel refunds a refused one) from its worker: give it the step's time.
        if not self.wait_until(lambda: actual() == expected, self.within(step)):
            raise StepFailed(f"the QR order {order_no} shows {expected}", f"{actual()}")

    def do_expect_bank(self, expected: dict[str, Any], step: ScenarioStep) -> None:
        """The bank host's books: ``account`` (name or PAN) with ``balance_fen`` or ``debited_fen`` (taken from
        it since this run started, net of reversals); ``last`` = status of the host's newest ledger entry
        (approved, declined, reversed); ``entries`` = ledger entries of this run; ``net_debits_fen`` of all."""
        unknown = set(expected) - {"account", "balance_fen", "debited_fen", "last", "entries", "net_debits_fen"}
        if unknown:
            raise StepFailed(
                f"expect_bank keys account, balance_fen, debited_fen, last, entries, net_debits_fen; "
                f"not {sorted(unknown)}"
            )
        bank = self.bench.simulator(BANK_HOST)

        def actual() -> dict[str, Any]:
            ledger = bank.ledger()[self.bank_ledger_before :]
            values: dict[str, Any] = {
                "last": ledger[-1].status if ledger else None,
                "entries": len(ledger),
                "net_debits_fen": sum(e.amount_fen for e in ledger if e.status == "approved"),
            }
            if "account" in expected:
                account = self.bench.bank_account(str(expected["account"]))
                values["balance_fen"] = account.balance_fen
                values["debited_fen"] = self.bank_balances_before.get(account.pan, account.balance_fen) - (
                    account.balance_fen
                )
            return {key: values.get(key) for key in expected if key != "account"}

        wanted = {key: value for key, value in expected.items() if key != "account"}
        # A reversal goes out from the kiosk's worker: give it the step's time.
        if not self.wait_until(lambda: actual() == wanted, self.within(step)):
            raise StepFailed(f"the bank host's books show {wanted}", f"{actual()}")

    def do_settle(self, flag: bool, step: ScenarioStep) -> None:
        """The kiosk's day-end settlement now, as its idle pass runs it at bank.settle_at (kiosk/background.py)."""
        scheduler = self.kiosk.recovery
        if scheduler.settlement is None:
            raise StepFailed("a kiosk with a bank connection to settle", "no bank connection")
        scheduler.last_settlement = None
        scheduler.settle()

    def do_expect_settlement(self, expected: dict[str, Any], step: ScenarioStep) -> None:
        """The last settlement's ``outcome`` (balanced, unbalanced, postponed, failed), ``batch``, ``count`` and
        ``amount_fen`` (the kiosk's totals), ``uploaded`` (purchases in its batch upload)."""
        unknown = set(expected) - {"outcome", "batch", "count", "amount_fen", "uploaded"}
        if unknown:
            keys = "outcome, batch, count, amount_fen, uploaded"
            raise StepFailed(f"expect_settlement keys {keys}; not {sorted(unknown)}")

        def actual() -> dict[str, Any]:
            result = self.kiosk.recovery.last_settlement
            if result is None:
                return {}
            values = {"outcome": result.outcome, "batch": result.batch, "uploaded": len(result.uploaded)}
            if result.kiosk is not None:
                values |= {"count": result.kiosk.count, "amount_fen": result.kiosk.amount_fen}
            return {key: values.get(key) for key in expected}

        if not self.wait_until(lambda: actual() == expected, self.within(step)):
            raise StepFailed(f"the settlement {expected}", f"{actual() or 'not finished'}")

    def _certificates(self) -> list[Path]:
        return list(self.a4.printed)[self.certificates_before :] if self.a4 is not None else []

    def do_expect_certificate(self, texts: str | list[str], step: ScenarioStep) -> None:
        """The last certificate the A4 printer printed in this run contains every text (whitespace ignored)."""
        if self.a4 is None:
            raise StepFailed("a simulated A4 printer", "the kiosk has none (devices.a4_printer.mode)")
        seconds = self.within(step)
        # A certificate not yet looked at: the newest one printed since the last expect_certificate.
        self.wait_until(lambda: len(self._certificates()) > self.certificates_checked, seconds)
        printed = self._certificates()
        if len(printed) <= self.certificates_checked:
            raise StepFailed(f"a newly printed certificate within {seconds:g} s", "nothing new reached the A4 printer")
        self.certificates_checked = len(printed)
        text = _pdf_text(printed[-1])
        missing = [each for each in _texts(texts) if re.sub(r"\s+", "", each) not in text]
        if missing:
            raise StepFailed(f"the last certificate contains {missing}", f"it reads: {text[:300]}")

    def do_expect_no_certificate_text(self, texts: str | list[str], step: ScenarioStep) -> None:
        """The newest certificate of this run (there must be one) contains none of the texts."""
        printed = self._certificates()
        if not printed:
            raise StepFailed("a certificate printed in this run to read", "none was printed")
        text = _pdf_text(printed[-1])
        present = [each for each in _texts(texts) if re.sub(r"\s+", "", each) in text]
        if present:
            raise StepFailed(f"the last certificate without {present}", f"it reads: {text[:300]}")

    def do_expect_certificate_count(self, count: int, step: ScenarioStep) -> None:
        if count:
            self.wait_until(lambda: len(self._certificates()) >= count, self.within(step))
        if len(self._certificates()) != count:
            raise StepFailed(f"{count} certificate(s) printed in this run", f"{len(self._certificates())}")

    def do_expect_session_wiped(self, flag: bool, step: ScenarioStep) -> None:
        session = self.ctx.session
        left = {
            name: getattr(session, name)
            for name in ("person", "payee", "quote", "payment", "record", "login_method", "category")
            if getattr(session, name) is not None
        }
        if flag and left:
            raise StepFailed("a wiped session (no person, quote, payment)", f"still holds {sorted(left)}")
        if not flag and not left:
            raise StepFailed("a session in progress", "the session is empty")


def _texts(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else [str(each) for each in value]


def _pdf_text(path: Path) -> str:
    """A PDF's text with whitespace removed (CJK spacing differs between tools), through poppler's pdftotext."""
    try:
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise StepFailed(f"the certificate {path.name} readable by pdftotext", str(error)) from None
    return re.sub(r"\s+", "", out)


def _one_line(text: str, limit: int = 300) -> str:
    flat = " | ".join(line.strip() for line in text.splitlines() if line.strip())
    return flat if len(flat) <= limit else flat[:limit] + " …"


# --- one scenario, start to end ------------------------------------------------------------------------------


def run_scenario_file(
    path: Path | str,
    state_dir: Path | str | None = None,
    base_config: KioskConfig | None = None,
    app: Any = None,
    show: bool = False,
    pcscd: str = "shared",
) -> ScenarioReport:
    """Start the simulators and the kiosk (in this process, on ``app`` or a new QApplication), run, stop.

    ``pcscd`` ("shared", "own", "auto": SupervisorOptions) applies unless the scenario names its own."""
    scenario = load_scenario(path)
    pcscd = scenario.pcscd or pcscd
    if pcscd == "own" and (reason := own_pcscd_unavailable()):
        raise ScenarioError(
            f"{scenario.source}: the scenario unplugs card readers, which needs the simulator's own pcscd: {reason}"
        )
    base = base_config or load_config(DEFAULT_CONFIG)
    # A scratch state directory only when none is given (a killed run leaves nothing behind in /tmp then).
    scratch_dir = contextlib.nullcontext(None) if state_dir else tempfile.TemporaryDirectory(prefix="kiosk-scenario-")
    with scratch_dir as scratch:
        state = Path(state_dir) if state_dir else Path(scratch) / "state"
        now = scenario.now
        clock: Callable[[], dt.datetime] = (lambda: now) if now else dt.datetime.now
        options = SupervisorOptions(
            printer_transport=scenario.printer_transport,
            tap_traffic=scenario.tap_traffic,
            config_overrides=scenario.config,
            pcscd=pcscd,
        )
        try:  # a bad key or a missing policy file in [scenario.config]: said as the scenario's, exit 2
            supervisor = SimulatorSupervisor(base, state, clock=clock, options=options).start()
        except ConfigError as error:
            raise ScenarioError(f"{scenario.source}: [scenario.config] {error.key}: {error.problem}") from None
        try:
            qapp = app or QtWidgets.QApplication.instance() or QtWidgets.QApplication(["kiosk-sim"])
            kiosk = KioskApp(supervisor.config, qapp, clock=clock)
            try:
                kiosk.show(with_panel=False)
                if show:
                    show_simulator_panel(kiosk, supervisor.bench, supervisor.traffic)
                return ScenarioRunner(scenario, kiosk, supervisor.bench).run()
            finally:
                kiosk.close()
        finally:
            supervisor.stop()
