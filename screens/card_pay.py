"""Paying by bank card (刷卡支付): insert the card, enter the PIN on the PIN pad, wait for the bank, take the card.

One screen with phases, each wait shown: the PIN pad asked whether it can take a PIN → waiting for the card →
reading it and signing on → the PIN (an asterisk per key the pad reports, never a digit) → processing → the result
screen ("请取回银行卡" when a card was read). A wrong PIN asks again (the bank counts the tries); a card pulled
out, a PIN pad that does not answer (before the card or during the PIN), a bank that does not answer (reversed: no
money taken) each end in words, with no money taken.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from drivers.base import DeviceError
from kiosk.card_checkout import CardAttempt, CardCheckout, PinEntryCanceled
from kiosk.checkout import PaymentOutcome
from kiosk.domain.money import format_fen
from kiosk.feesystem.api import QrOrderState
from kiosk.flow import Step
from kiosk.receipts import session_parties
from screens.base import Screen, translate
from screens.widgets import busy_bar, button, label

CARD_POLL_MS = 500
CARD_DEADLINE_SECONDS = 120


class _PadKeys(QObject):
    """The pad's key events arrive on the worker thread; this hands them to the screen queued."""

    key = Signal(str)


class CardPayScreen(Screen):
    step = Step.CARD_PAY

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.heading = label("", "Title")
        self.layout_.addWidget(self.heading)
        self.amount = label("", "Amount")
        self.layout_.addWidget(self.amount)
        self.instruction = label("", "Subtitle")
        self.layout_.addWidget(self.instruction)
        self.stars = label("", "Amount")
        self.stars.setObjectName("PinStars")
        self.layout_.addWidget(self.stars)
        self.busy = busy_bar()
        self.layout_.addWidget(self.busy)
        self.error = label("", "Error")
        self.layout_.addWidget(self.error)
        self.cancel_button = button(self.tr("Cancel payment"), "nav", "cancel_card_payment")
        self.cancel_button.clicked.connect(self.cancel)
        self.row(self.cancel_button)
        self.layout_.addStretch(2)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(CARD_POLL_MS)
        self.poll_timer.timeout.connect(self.poll_card)
        self.pad_keys = _PadKeys(self)
        self.pad_keys.key.connect(self.on_pad_key)
        self.phase = "idle"
        self.card = None  # the bank card's data (PAN for the PIN block), kept only for this payment
        self.digits = 0
        self._polling = False

    @property
    def checkout(self) -> CardCheckout:
        return self.ctx.card_checkout

    def countdown_seconds(self) -> float | None:
        return CARD_DEADLINE_SECONDS

    def on_countdown_expired(self) -> bool:
        if self.phase in ("card", "pin"):
            self.end_without_money("timeout")
        return True  # while the bank is asked, nothing is interrupted

    def voice_prompt(self) -> str:
        return self.tr("Please insert your bank card, chip first, then enter your PIN on the PIN pad.")

    # --- phases -------------------------------------------------------------------------------------------

    def on_enter(self) -> None:
        quote = self.ctx.session.quote
        self.card, self.digits = None, 0
        self.heading.setText(self.tr("Pay by bank card"))
        self.amount.setText(format_fen(quote.amount_fen))
        self.error.setVisible(False)
        self.stars.setText("")
        self.cancel_button.setEnabled(True)
        self.checkout.card_in_slot = False
        if not self.checkout.available:
            self.end_without_money(self.tr("Card payment is not available on this kiosk now. No money was taken."))
            return
        # A dead PIN pad or card reader is found before the citizen gives up the card, not with it in the slot.
        self.phase = "checking"
        self.instruction.setText(self.tr("Getting ready, please wait..."))
        self.busy.setVisible(True)
        self.ctx.tasks.run(self.checkout.device_problem, on_done=self.devices_checked, on_failed=self.fail)

    def devices_checked(self, problem: tuple[str, str] | None) -> None:
        if self.phase != "checking":
            return  # cancelled or left meanwhile
        if problem:
            self.end_without_money(self.with_no_money(translate("DeviceMessage", problem[1])))
            return
        self.phase = "card"
        self.instruction.setText(self.tr("Please insert your bank card into the card slot, chip first."))
        self.busy.setVisible(False)  # now the citizen acts: a progress bar would say "wait"
        self.poll_timer.start()

    def poll_card(self) -> None:
        if self._polling:
            return
        self._polling = True
        self.ctx.tasks.run(self.checkout.card_present, on_done=self.card_polled, on_failed=self.card_poll_failed)

    def card_poll_failed(self, error: Exception) -> None:
        self._polling = False
        if self.phase in ("card", "pin"):
            self.poll_timer.stop()
            self.fail(error)

    def card_polled(self, present: bool) -> None:
        self._polling = False
        if self.phase == "card" and present:
            self.phase = "reading"
            self.checkout.card_in_slot = True
            self.busy.setVisible(True)
            self.instruction.setText(self.tr("Reading your card..."))
            self.ctx.tasks.run(self.checkout.read_card_and_prepare, on_done=self.card_read, on_failed=self.fail)
        elif self.phase == "pin" and not present:
            self.checkout.card_in_slot = False
            self.end_without_money(self.tr("The bank card was taken out. No money was taken."))

    def card_read(self, card) -> None:
        self.card = card
        self.ask_pin()

    def ask_pin(self, retry_note: str = "") -> None:
        self.phase = "pin"
        self.busy.setVisible(False)
        self.digits = 0
        self.stars.setText(self.tr("PIN: {stars}").format(stars="_ " * 6))
        self.instruction.setText(self.tr("Please enter your PIN on the PIN pad and press Enter."))
        if retry_note:
            self.error.setText(retry_note)
            self.error.setVisible(True)
        card = self.card
        self.ctx.tasks.run(
            lambda: self.checkout.read_pin(card, self.pad_keys.key.emit), on_done=self.pin_entered, on_failed=self.fail
        )

    def on_pad_key(self, key: str) -> None:
        if key == "*":
            self.digits = min(self.digits + 1, 6)
        elif key == "clear":
            self.digits = 0
        self.stars.setText(self.tr("PIN: {stars}").format(stars="* " * self.digits + "_ " * (6 - self.digits)))

    def pin_entered(self, pin_block: bytes) -> None:
        self.phase = "processing"
        self.poll_timer.stop()
        self.ctx.countdown.stop()
        self.cancel_button.setEnabled(False)
        self.busy.setVisible(True)
        self.error.setVisible(False)
        self.instruction.setText(self.tr("Processing with your bank, please wait..."))
        self.stars.setText("")
        session = self.ctx.session
        quote, card = session.quote, self.card
        payer = session.person.id_number if session.person else quote.id_number
        parties = session_parties(self.ctx.session)
        self.ctx.tasks.run(
            lambda: self.checkout.pay(quote, payer, card, pin_block, parties), on_done=self.paid, on_failed=self.fail
        )

    def paid(self, attempt: CardAttempt) -> None:
        if attempt.pin_wrong:
            self.cancel_button.setEnabled(True)
            self.ctx.countdown.restart()
            self.poll_timer.start()
            self.ask_pin(self.tr("Wrong PIN. Please enter it again."))
            return
        self.finish(attempt.outcome)

    # --- endings ------------------------------------------------------------------------------------------

    def cancel(self) -> None:
        self.end_without_money("cancelled")

    def fail(self, error: Exception) -> None:
        if self.phase in ("done", "idle"):
            return
        if isinstance(error, PinEntryCanceled) and self.phase != "pin":
            return  # our own cancel: the ending is already on its way
        message = getattr(error, "citizen_message", None)
        if isinstance(error, DeviceError) and message:
            # A device failed before the bank was asked (reader, PIN pad): no money can have moved.
            self.end_without_money(self.with_no_money(translate("DeviceMessage", message)))
        elif self.phase == "processing":
            # pay() broke after the bank may have answered: promise nothing about the money; the journal knows.
            self.end_without_money(
                self.tr(
                    "The payment could not be completed. Please ask staff for help: they can see whether money "
                    "was taken from your card."
                )
            )
        else:
            self.end_without_money(self.tr("The card payment could not be made. No money was taken."))

    def with_no_money(self, text: str) -> str:
        """A device's own words, then the sentence every card ending without money carries."""
        no_money = self.tr("No money was taken.")
        return text if no_money in text else f"{text}\n{no_money}"

    def end_without_money(self, text: str) -> None:
        """``text``: what happened, in words ("cancelled" / "timeout" get the result screen's own wording)."""
        self.finish(PaymentOutcome(QrOrderState.CLOSED, None), text)

    def finish(self, outcome: PaymentOutcome, text: str | None = None) -> None:
        if self.phase == "done":
            return
        if self.phase == "pin":
            # Whatever ended it (the reader gone, a countdown, a cancel), the pad must leave PIN entry now: left in
            # it, the next citizen's card payment would find the pad busy until its own 60 s timeout.
            self.checkout.cancel_pin()
        self.phase = "done"
        self.poll_timer.stop()
        self.busy.setVisible(False)
        session = self.ctx.session
        session.payment = outcome
        session.record = outcome.record
        session.receipt_error = text
        self.fire("finished")

    def forget(self) -> None:
        self.card = None
        self.checkout.card_in_slot = False

    def on_leave(self) -> None:
        self.poll_timer.stop()
        if self.phase == "pin":
            self.checkout.cancel_pin()
        self.phase = "idle"

