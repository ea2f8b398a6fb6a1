"""Paying by bank card (刷卡支付): insert the card, enter the PIN on the PIN pad, wait for the bank, take the card.

One screen that draws the card payment's state machine (kiosk/card_checkout_machine.py), each wait shown: the PIN
pad asked whether it can take a PIN → waiting for the card → reading it and signing on → the PIN (an asterisk per
key the pad reports, never a digit) → processing → the result screen ("请取回银行卡" when a card was read). A wrong
PIN asks again (the bank counts the tries); a card pulled out, a PIN pad that does not answer (before the card or
during the PIN), a bank that does not answer (reversed: no money taken) each end in words, with no money taken.
The screen only draws and forwards: taps, pad keys, its timer's ticks and the countdown go to the machine.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.card_checkout_machine import CardCheckoutMachine, CardDelays, CardFinish, CardPhase, CardView, Ending, Prompt
from kiosk.checkout_gate import disk_gate
from kiosk.domain.money import format_fen
from kiosk.flow import FlowEvent, Step
from screens.base import Screen, translate, what_is_paid
from screens.widgets import busy_bar, button, label

DELAYS = CardDelays()


class _PadKeys(QObject):
    """The pad's key events arrive on the worker thread; this hands them to the screen queued."""

    key = Signal(str)


class CardPayScreen(Screen):
    step = Step.CARD_PAY

    def tr(self, text: str) -> str:  # the basket's card screen subclasses this one: keep its translation context
        return translate("CardPayScreen", text)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.heading = label("", "Title")
        self.layout_.addWidget(self.heading)
        # What is being paid (item, period; a bill's agency), above the amount: the guide's 查询缴费信息.
        self.paying_for = label("", "Message")
        self.layout_.addWidget(self.paying_for)
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
        self._drawn_phase = CardPhase.IDLE
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(round(DELAYS.tick_seconds * 1000))
        self.tick_timer.timeout.connect(lambda: self.machine.tick())
        self.pad_keys = _PadKeys(self)
        self.pad_keys.key.connect(lambda key: self.machine.pad_key(key))
        self.machine = CardCheckoutMachine(
            ctx.card_checkout,
            lambda work, done, failed: ctx.tasks.run(work, on_done=done, on_failed=failed),
            on_view=self.draw,
            on_finished=self.finished,
            pad_key_sink=self.pad_keys.key.emit,
            delays=DELAYS,
            on_problem=ctx.health.report,
        )

    @property
    def phase(self) -> str:
        return self.machine.phase.value

    def countdown_seconds(self) -> float | None:
        return DELAYS.deadline_seconds

    def on_countdown_expired(self) -> bool:
        return self.machine.countdown_expired()

    def voice_prompt(self) -> str:
        return self.tr("Please insert your bank card, chip first, then enter your PIN on the PIN pad.")

    def on_enter(self) -> None:
        if not disk_gate(self.ctx.session, self.ctx.health, self.ctx.card_checkout.reserve):
            self.ctx.session.receipt_error = None  # the outcome's own words
            # after this screen is shown: a step fired inside on_enter would be covered by it
            QTimer.singleShot(0, lambda: self.fire(FlowEvent.FINISHED))
            return
        self.heading.setText(self.tr("Pay by bank card"))
        self.paying_for.setText(what_is_paid(self.ctx.session))
        self.amount.setText(format_fen(self.ctx.session.quote.amount_fen))
        self.tick_timer.start()
        self.machine.start(self.ctx.session)

    def cancel(self) -> None:
        self.machine.cancel()

    def forget(self) -> None:
        self.machine.forget()

    def on_leave(self) -> None:
        self.tick_timer.stop()
        self.machine.leave()

    # --- drawing ------------------------------------------------------------------------------------------

    def draw(self, view: CardView) -> None:
        previous, self._drawn_phase = self._drawn_phase, view.phase
        prompts = {
            Prompt.NONE: "",
            Prompt.GETTING_READY: self.tr("Getting ready, please wait..."),
            Prompt.INSERT_CARD: self.tr("Please insert your bank card into the card slot, chip first."),
            Prompt.READING: self.tr("Reading your card..."),
            Prompt.ENTER_PIN: self.tr("Please enter your PIN on the PIN pad and press Enter."),
            Prompt.PROCESSING: self.tr("Processing with your bank, please wait..."),
        }
        self.instruction.setText(prompts[view.prompt])
        self.busy.setVisible(view.busy)
        self.cancel_button.setEnabled(view.cancel_enabled)
        if view.pin_digits is None:
            self.stars.setText("")
        else:
            stars = "* " * view.pin_digits + "_ " * (6 - view.pin_digits)
            self.stars.setText(self.tr("PIN: {stars}").format(stars=stars))
        if view.wrong_pin:
            self.error.setText(self.tr("Wrong PIN. Please enter it again."))
        self.error.setVisible(view.wrong_pin)
        if view.phase is CardPhase.PROCESSING:
            self.ctx.countdown.stop()  # the bank is asked: nothing interrupts it
        elif view.phase is CardPhase.PIN and previous is CardPhase.PROCESSING:
            self.ctx.countdown.restart()  # a wrong PIN: the citizen has the whole time again

    def finished(self, finish: CardFinish) -> None:
        self.tick_timer.stop()
        self.ctx.session.receipt_error = self.words_for(finish)
        self.fire(FlowEvent.FINISHED)

    def words_for(self, finish: CardFinish) -> str | None:
        """What the result screen says besides the outcome's own message ("cancelled" / "timeout" get the
        result screen's own wording)."""
        match finish.ending:
            case Ending.PAYMENT | Ending.NOT_RECORDED:
                return None
            case Ending.CANCELLED | Ending.TIMEOUT:
                return finish.ending.value
            case Ending.UNAVAILABLE:
                return self.tr("Card payment is not available on this kiosk now. No money was taken.")
            case Ending.CARD_REMOVED:
                return self.tr("The bank card was taken out. No money was taken.")
            case Ending.DEVICE:
                return self.with_no_money(translate("DeviceMessage", finish.device_message or ""))
            case Ending.UNCERTAIN:
                return self.tr(
                    "The payment could not be completed. Please ask staff for help: they can see whether money "
                    "was taken from your card."
                )
        return self.tr("The card payment could not be made. No money was taken.")

    def with_no_money(self, text: str) -> str:
        """A device's own words, then the sentence every card ending without money carries."""
        no_money = self.tr("No money was taken.")
        return text if no_money in text else f"{text}\n{no_money}"
