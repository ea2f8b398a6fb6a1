"""Recovery in the background: once at start-up, then periodically while the kiosk is idle at Home.

Start-up recovery handles every unfinished record (nothing is in flight yet); the periodic pass leaves alone
records younger than the QR payment timeout, so it never races a session that is still moving a payment.

At start-up the journal is also compared with the fee system's record of this terminal's payments (the last two
days): a posted payment the journal has no record of means it lost records (ProblemKind.JOURNAL). A recovery
that fails, or finds rows it cannot read, puts the kiosk out of service (ProblemKind.RECOVERY) until a pass is
clean again. A journal that could not be opened for writing (damaged: read-only or a stand-in) is not recovered.
The same pass runs the journal's full check (integrity_check, hourly, interrupted when a citizen leaves Home).
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QObject, QTimer

from kiosk.context import KioskContext
from kiosk.feesystem.api import FeeSystemError
from kiosk.flow import Step
from kiosk.payments.card import send_pending_reversals
from kiosk.payments.journal_health import CheckOutcome, full_check_of, lost_to_fee_system
from kiosk.payments.journal_open import IN_MEMORY
from kiosk.payments.recovery import LATE_REFUND_LOOKBACK, Recovery, RecoveryReport
from kiosk.payments.retention import Retention
from kiosk.payments.settlement import DaySettlement, SettlementResult, SettlementStore, settlement_due
from kiosk.service_health import ProblemKind

log = logging.getLogger(__name__)

IDLE_RECOVERY_MS = 5 * 60 * 1000


class RecoveryScheduler(QObject):
    def __init__(self, ctx: KioskContext, interval_ms: int = IDLE_RECOVERY_MS) -> None:
        super().__init__()
        self.ctx = ctx
        bank = ctx.devices.bank
        # Stored card reversals go out through the kiosk's own bank connection (its PIN pad computes the MACs).
        card_hook = (lambda journal: send_pending_reversals(journal, bank)) if bank is not None else None
        self.recovery = Recovery(ctx.journal, ctx.fee_system, clock=ctx.clock, card_hook=card_hook)
        # Old finished records' ID numbers are masked in the same idle pass (daily; kiosk/payments/retention.py).
        self.retention = Retention(ctx.journal, ctx.config["privacy.id_retention_days"], ctx.clock)
        # The day-end settlement in the same idle pass, from bank.settle_at on (kiosk/payments/settlement.py).
        self.settlement = (
            DaySettlement(ctx.journal, bank, SettlementStore.of_state_dir(ctx.config.state_dir, ctx.clock),
                          send_pending_reversals)
            if bank is not None and not ctx.journal.read_only and str(ctx.journal.path) != IN_MEMORY
            else None
        )  # fmt: skip
        if self.settlement is not None:
            self.settlement.attach()  # purchases go into the open batch from the first one on
        self.last_settlement: SettlementResult | None = None
        self.settling = False
        # The journal's integrity_check, off the GUI thread; a citizen leaving Home interrupts it (journal_health).
        self.full_check = full_check_of(ctx.journal)
        self.checking = False
        ctx.flow.changed.connect(self._interrupt_check_away_from_home)
        self.running = False
        self.last_report: RecoveryReport | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run_if_idle)

    def start(self) -> None:
        self.check_disk_reserve()
        self.run(dt.timedelta(0))
        self.check_journal()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.full_check is not None:
            self.full_check.interrupt()  # shutting down need not wait for it

    def check_disk_reserve(self) -> None:
        """Out of service below the journal disk's reserve, back in service when room is back (issue 25 §1)."""
        if self.ctx.qr_payments.reserve is not None:
            self.ctx.qr_payments.reserve.recheck(self.ctx.health)

    def run_if_idle(self) -> None:
        if self.ctx.flow.step is Step.HOME:
            self.check_disk_reserve()
            self.run(dt.timedelta(seconds=self.ctx.config["timeouts.qr_payment_seconds"] + 60))
            self.check_journal()
            if self.settlement is not None and settlement_due(
                self.settlement.store, self.ctx.clock(), self.ctx.config["bank.settle_at"]
            ):
                self.settle()

    def check_journal(self) -> None:
        """The journal's full check when due (hourly), in the background; a failure: no more money (JOURNAL)."""
        check = self.full_check
        if check is None or self.checking or not check.due():
            return
        self.checking = True
        check.begin()
        self.ctx.tasks.run_detached(check.run, self.journal_checked)

    def journal_checked(self, outcome: object) -> None:
        self.checking = False
        if not isinstance(outcome, CheckOutcome):
            log.error("journal check failed: %s: %s", type(outcome).__name__, outcome)
        elif outcome.problem:
            problem = f"{outcome.problem}; the kiosk takes no money; a restart or `kiosk recover` restores the copy"
            self.ctx.journal.refusal = problem
            self.ctx.health.report(ProblemKind.JOURNAL, problem)
        else:
            log.info("journal check: %s in %.1f s", "interrupted" if outcome.interrupted else "ok", outcome.seconds)

    def _interrupt_check_away_from_home(self, step: str, _previous: str) -> None:
        if step != Step.HOME.value and self.full_check is not None:
            self.full_check.interrupt()

    def settle(self) -> None:
        """The day-end settlement now, off the GUI thread (the idle pass when due; the harness on request)."""
        if self.settlement is None or self.settling:
            return
        self.settling = True
        settlement = self.settlement
        self.ctx.tasks.run_detached(settlement.run, self.settled)

    def settled(self, result: object) -> None:
        self.settling = False
        if isinstance(result, SettlementResult):
            self.last_settlement = result
        else:
            log.error("settlement failed: %s: %s", type(result).__name__, result)

    def run(self, min_age: dt.timedelta) -> None:
        if self.running:
            return
        journal = self.ctx.journal
        if journal.read_only or str(journal.path) == IN_MEMORY:
            log.error("recovery not run: the journal is not open for writing (%s)", journal.refusal)
            return
        self.running = True
        at_start_up = min_age == dt.timedelta(0)
        # Not tied to a session: its result must not be dropped when a session ends meanwhile.
        self.ctx.tasks.run_detached(lambda: self._pass(min_age, at_start_up), self.finished)

    def check_fee_system_record(self) -> None:
        """Every payment the fee system posted for this terminal lately has its journal record (worker thread)."""
        today = self.ctx.clock().date()
        days = [today - dt.timedelta(days=n) for n in range(LATE_REFUND_LOOKBACK.days, -1, -1)]
        try:
            lost = lost_to_fee_system(self.ctx.journal, self.ctx.fee_system, self.ctx.config["terminal.id"], days)
        except (FeeSystemError, OSError) as error:  # not reachable now: the watermark still guards
            log.info("journal continuity not checked with the fee system: %s", error)
            return
        if lost:
            self.ctx.journal.refusal = lost
            self.ctx.health.report(ProblemKind.JOURNAL, lost)

    def _pass(self, min_age: dt.timedelta, at_start_up: bool = False) -> RecoveryReport:
        if at_start_up:
            self.check_fee_system_record()
        report = self.recovery.run(min_age)
        self.retention.run_if_due()
        return report

    def finished(self, result: object) -> None:
        self.running = False
        if isinstance(result, RecoveryReport):
            self.last_report = result
            counts = result.counts()
            if any(counts.get(key) for key in ("settled", "flagged", "pending")):
                log.warning("recovery: %s", counts)
            if result.skipped:
                numbers = ", ".join(sorted(result.skipped))
                self.ctx.health.report(
                    ProblemKind.RECOVERY,
                    f"{len(result.skipped)} journal record(s) cannot be read and were skipped ({numbers}): "
                    "a technician must settle them (`kiosk recover` lists why)",
                )
            else:
                self.ctx.health.clear(ProblemKind.RECOVERY)
        else:
            log.error("recovery failed: %s: %s", type(result).__name__, result)
            self.ctx.health.report(ProblemKind.RECOVERY, f"recovery failed: {type(result).__name__}: {result}")
