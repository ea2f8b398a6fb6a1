"""A household basket paid by bank card (issue 22): the card screen as it is (card, PIN, chip), one purchase for
the basket's total (kiosk/basket_checkout.py); the basket's result screen follows."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.basket_checkout import BasketCardCheckout
from kiosk.card_checkout_machine import CardFinish, Ending
from kiosk.domain.money import format_fen
from kiosk.flow import FlowEvent, Step
from screens.card_pay import CardPayScreen


class BasketCardScreen(CardPayScreen):
    step = Step.BASKET_CARD

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.machine.checkout = BasketCardCheckout(  # type: ignore[assignment]
            ctx.card_checkout, ctx.journal, ctx.fee_system, ctx.receipts, ctx.session, ctx.clock
        )

    def on_enter(self) -> None:
        session = self.ctx.session
        basket = session.basket_quote
        # The card machine pays "the quote"; for a basket it is the first line's, standing for the order, whose
        # total the screen shows (BasketCardCheckout pays the basket, never this quote alone).
        session.quote = basket.lines[0].quote
        session.basket_outcome = None
        super().on_enter()
        self.paying_for.setText(
            QCoreApplication.translate("BasketCardScreen", "{count} item(s) in one payment").format(
                count=len(basket.lines)
            )
        )
        self.amount.setText(format_fen(basket.total_fen))

    def finished(self, finish: CardFinish) -> None:
        self.tick_timer.stop()
        if self.ctx.session.basket_outcome is None and finish.ending is not Ending.PAYMENT:
            self.ctx.session.basket_outcome = self.words_for(finish)
        elif self.ctx.session.basket_outcome is None:
            self.ctx.session.basket_outcome = QCoreApplication.translate(
                "BasketCardScreen", "Your payment was received and will be recorded shortly."
            )
        self.fire(FlowEvent.FINISHED)
