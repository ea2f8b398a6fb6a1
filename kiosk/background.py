"""Recovery in the background: once at start-up, then periodically while the kiosk is idle at Home.

Start-up recovery handles every unfinished record (nothing is in flight yet); the periodic pass leaves alone
records younger than the QR payment timeout, so it never races a session that is still moving a payment.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QObject, QTimer

from kiosk.context import KioskContext
from kiosk.flow import Step
from kiosk.payments.card import send_pending_reversals
from kiosk.payments.recovery import Recovery, RecoveryReport

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
        self.running = False
        self.last_report: RecoveryReport | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run_if_idle)

    def start(self) -> None:
        self.run(dt.timedelta(0))
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def run_if_idle(self) -> None:
        if self.ctx.flow.step is Step.HOME:
            self.run(dt.timedelta(seconds=self.ctx.config["timeouts.qr_payment_seconds"] + 60))

    def run(self, min_age: dt.timedelta) -> None:
        if self.running:
            return
        self.running = True
        # Not tied to a session: its result must not be dropped when a session ends meanwhile.
        self.ctx.tasks.run_detached(lambda: self.recovery.run(min_age), self.finished)

    def finished(self, result: object) -> None:
        self.running = False
        if isinstance(result, RecoveryReport):
            self.last_report = result
            counts = result.counts()
            if any(counts.get(key) for key in ("settled", "flagged", "pending")):
                log.warning("recovery: %s", counts)
        else:
            log.error("recovery failed: %s", type(result).__name__)
