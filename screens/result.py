"""The end of a payment: paid (and the receipt), or plainly that no money was taken."""

from __future__ import annotations

from kiosk.checkout import PaymentOutcome
from kiosk.checkout_gate import pay_event
from kiosk.domain.items import PayMethod
from kiosk.domain.money import format_fen
from kiosk.feesystem.api import QrOrderState
from kiosk.flow import FlowEvent, Step
from screens.base import Screen, period_text, translate
from screens.widgets import button, label

MIN_RESULT_SECONDS = 30  # time to take the receipt (and the card), whatever the configuration says


class ResultScreen(Screen):
    step = Step.RESULT

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.heading = label("", "Title")
        self.layout_.addWidget(self.heading)
        self.amount = label("", "Amount")
        self.layout_.addWidget(self.amount)
        self.detail = label("", "Message")
        self.layout_.addWidget(self.detail)
        self.receipt = label("", "Subtitle")
        self.layout_.addWidget(self.receipt)
        # The card left in the slot is the one thing a citizen must not walk away from: large, framed, apart.
        self.take_card = label(self.tr("Please take your bank card."), "TakeCard")
        self.take_card.setVisible(False)
        self.layout_.addWidget(self.take_card)
        self.layout_.addSpacing(30)
        # A card payment that ended without money (a chip that cannot complete, a refusal): the same item by QR,
        # as the pay-method screen offers it, without choosing the item again (issue 19: no magnetic fallback).
        self.qr_offer = label(self.tr("You can pay the same item by QR code instead:"), "Subtitle")
        self.qr_offer.setVisible(False)
        self.layout_.addWidget(self.qr_offer)
        self.qr_buttons = {
            method: button(translate("Domain", method.label), "secondary", f"instead_{method.value}")
            for method in (PayMethod.ALIPAY, PayMethod.WECHAT)
        }
        for method, qr_button in self.qr_buttons.items():
            qr_button.clicked.connect(lambda _=False, m=method: self.pay_by_qr_instead(m))
            qr_button.setVisible(False)
        self.finish_button = button(self.tr("Finish"), "primary", "finish")
        self.finish_button.clicked.connect(lambda: self.fire(FlowEvent.FINISH))
        self.row(*self.qr_buttons.values(), self.finish_button)
        self.layout_.addStretch(2)
        self._prompt = ""

    def countdown_seconds(self) -> float | None:
        return max(MIN_RESULT_SECONDS, self.ctx.config["timeouts.result_seconds"])

    def on_countdown_expired(self) -> bool:
        """Home without asking (nothing left to decide), unless the bank card is still in the slot: then stay
        and say it again, until the card is taken."""
        if self.ctx.session.pay_method is PayMethod.BANK_CARD and self.ctx.card_checkout.card_in_slot:
            self.ctx.tasks.run(
                self.ctx.card_checkout.card_present,
                on_done=self.card_looked_at,
                on_failed=lambda _error: self.fire(FlowEvent.FINISH),
            )
        else:
            self.fire(FlowEvent.FINISH)
        return True

    def card_looked_at(self, present: bool) -> None:
        if self.ctx.flow.step is not self.step:
            return
        if not present:
            self.ctx.card_checkout.card_in_slot = False
            self.fire(FlowEvent.FINISH)
            return
        self.ctx.speak(self.tr(" Please take your bank card."))
        self.ctx.countdown.start(self.countdown_seconds())

    def voice_prompt(self) -> str:
        return self._prompt

    def on_enter(self) -> None:
        outcome: PaymentOutcome | None = self.ctx.session.payment
        self.show_outcome(outcome)
        card_left = self.ctx.session.pay_method is PayMethod.BANK_CARD and self.ctx.card_checkout.card_in_slot
        self.take_card.setVisible(card_left)
        if card_left:
            self._prompt += self.tr(" Please take your bank card.")
        self.offer_qr(self.qr_instead_possible(outcome))

    def qr_instead_possible(self, outcome: PaymentOutcome | None) -> bool:
        """A single item's card payment that ended with nothing paid and nothing for a technician to settle."""
        session = self.ctx.session
        if session.pay_method is not PayMethod.BANK_CARD or session.quote is None or session.basket_quote is not None:
            return False
        return outcome is None or (outcome.state is not QrOrderState.PAID and not outcome.needs_technician)

    def offer_qr(self, offered: bool) -> None:
        self.qr_offer.setVisible(offered)
        for qr_button in self.qr_buttons.values():
            qr_button.setVisible(offered)
            qr_button.setEnabled(True)
        if offered:
            self._prompt += self.tr(" You can pay by Alipay or WeChat Pay instead.")

    def pay_by_qr_instead(self, method: PayMethod) -> None:
        """The same quote by QR: the receipt printer is asked first, as on the pay-method screens."""
        session = self.ctx.session
        session.pay_method, session.payment, session.record, session.receipt_error = method, None, None, None
        for qr_button in self.qr_buttons.values():
            qr_button.setEnabled(False)
        self.ctx.tasks.run(self.ctx.receipts.readiness, on_done=self.printer_checked, on_failed=self.printer_checked)

    def printer_checked(self, readiness) -> None:
        if self.ctx.flow.step is self.step:
            self.fire(pay_event(self.ctx.session, readiness))

    def show_outcome(self, outcome: PaymentOutcome | None) -> None:
        if outcome is not None and outcome.needs_technician:
            self.show_for_technician(outcome)
            return
        if outcome is not None and outcome.state is QrOrderState.PAID and outcome.record is None:
            # Card approved, the fee system did not answer: posted later by recovery.
            self.heading.setText(self.tr("Payment successful"))
            self.amount.setText("")
            message = translate("DeviceMessage", outcome.message or "")
            self.detail.setText(message)
            self.receipt.setText("")
            paid = self.tr("Payment successful.")
            self._prompt = f"{paid} {message}"  # the message is a prompt of the pack too
            return
        if outcome is not None and outcome.state is QrOrderState.PAID and outcome.record is not None:
            self.heading.setText(self.tr("Payment successful"))
            self.amount.setText(format_fen(outcome.record.amount_fen))
            item_text = translate("Domain", outcome.record.item.label)
            bill = self.ctx.session.bill  # a bill says what it was (补缴…), not only 特殊缴费
            if bill is not None and self.ctx.session.quote and self.ctx.session.quote.bill_no == bill.bill_no:
                item_text = bill.description
            self.detail.setText(
                self.tr("{item}, {period}\nTax voucher number: {number}").format(
                    item=item_text, period=period_text(outcome.record.period), number=outcome.record.payment_no
                )
            )
            if outcome.receipt_error is None:
                self.receipt.setText(self.tr("Please take your receipt."))
                self._prompt = self.tr("Payment successful. Please take your receipt.")
            else:
                self.receipt.setText(
                    self.tr(
                        "The receipt could not be printed. Your payment is recorded; you can reprint the "
                        "receipt later under Payment records."
                    )
                )
                self._prompt = self.tr("Payment successful. The receipt could not be printed.")
        else:
            reason = self.ctx.session.receipt_error
            timed_out = reason == "timeout"
            # Paid, but refused by the fee system (already paid) and given back: say so, whatever ended the screen.
            given_back = outcome is not None and outcome.state is QrOrderState.REFUNDED and bool(outcome.message)
            if given_back:
                self.heading.setText(self.tr("Payment returned"))
            elif timed_out:
                self.heading.setText(self.tr("Payment timed out"))
            elif reason == "cancelled":
                self.heading.setText(self.tr("Payment cancelled"))
            else:
                self.heading.setText(self.tr("Payment not made"))
            self.amount.setText("")
            if outcome is not None and outcome.message:
                text = translate("DeviceMessage", outcome.message)
            elif reason and reason not in ("timeout", "cancelled"):
                text = reason  # already in words (the card screen's own ending)
            else:
                text = ""
            self.detail.setText(text or self.tr("No money was taken."))
            self.receipt.setText("")
            # The device's or the fee system's own words are said too (each is a prompt of the pack).
            if given_back:
                self._prompt = text
            elif text:
                not_made = self.tr("The payment was not made.")
                self._prompt = f"{not_made} {text}"
            else:
                self._prompt = self.tr("The payment was not made. No money was taken.")

    def show_for_technician(self, outcome: PaymentOutcome) -> None:
        """The journal could not record what became of the money: say so, and the number staff will ask for."""
        self.heading.setText(self.tr("A technician will settle this payment"))
        self.amount.setText("")
        message = translate("DeviceMessage", outcome.message or "")
        number = outcome.entry.journal_no if outcome.entry else ""
        self.detail.setText(message)
        self.receipt.setText(self.tr("Please keep this number and show it to staff: {number}").format(number=number))
        self._prompt = message
