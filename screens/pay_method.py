"""How to pay: Alipay, bank card, WeChat Pay (the guide's three buttons, in its order).

Bank card needs the PIN pad: it is asked when the citizen chooses the card, so that a dead pad is said in words
here, with Alipay and WeChat Pay still on the screen, and not later with the card in the slot."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton

from drivers.base import QT_TRANSLATE_NOOP
from kiosk.checkout_gate import pay_event
from kiosk.domain.items import PayMethod
from kiosk.domain.money import format_fen
from kiosk.flow import FlowEvent, Step
from screens.base import Screen, translate, what_is_paid
from screens.basket_add import add_to_basket_button, basket_refusal, basket_row
from screens.widgets import busy_bar, button, label

ALIPAY_TILE = QT_TRANSLATE_NOOP("PayMethodScreen", "Third-party payment\n(Alipay)")
TOTAL = QT_TRANSLATE_NOOP("CheckoutMethodScreen", "Total: {amount}")
CHECK_THEN_CHOOSE = QT_TRANSLATE_NOOP("CheckoutMethodScreen", "Please check the payment, then choose how to pay")
REVIEW_PROMPT = QT_TRANSLATE_NOOP(
    "CheckoutMethodScreen", "Please check what you pay and the total, then choose Alipay, bank card or WeChat Pay."
)


class PayMethodScreen(Screen):
    step = Step.PAY_METHOD

    def tr(self, text: str) -> str:  # subclassed (medical, checkout): keep this class's translation context
        return translate("PayMethodScreen", text)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.title(self.tr("Please choose how to pay"))
        self.layout_.addSpacing(30)
        self.tiles: dict[PayMethod, QPushButton] = {}
        for method in (PayMethod.ALIPAY, PayMethod.BANK_CARD, PayMethod.WECHAT):
            tile = button(self.method_text(method), "tile", method.value)
            tile.clicked.connect(lambda _=False, m=method: self.choose(m))
            self.tiles[method] = tile
        self.row(*self.tiles.values(), spacing=50)
        self.notice = label("", "Error")
        self.notice.setVisible(False)
        self.layout_.addWidget(self.notice)
        self.busy = busy_bar()
        self.busy.setVisible(False)
        self.layout_.addWidget(self.busy)
        self.layout_.addStretch(2)

    def method_text(self, method: PayMethod) -> str:
        """The guide's words on its buttons: Alipay is 第三方支付（支付宝）."""
        if method is PayMethod.ALIPAY:
            return translate("PayMethodScreen", ALIPAY_TILE)
        return translate("Domain", method.label)

    def voice_prompt(self) -> str:
        return self.tr("Please choose Alipay, bank card or WeChat Pay.")

    def on_enter(self) -> None:
        self.busy.setVisible(False)
        self.notice.setVisible(False)
        self.setEnabled(True)
        self.tiles[PayMethod.BANK_CARD].setEnabled(True)

    def choose(self, method: PayMethod) -> None:
        self.ctx.session.pay_method = method
        if method.is_qr:
            self.chosen()
            return
        self.notice.setVisible(False)
        self.busy.setVisible(True)
        self.setEnabled(False)  # one choice at a time while the devices are asked
        self.ctx.tasks.run(
            self.ctx.card_checkout.device_problem, on_done=self.devices_checked, on_failed=self.check_failed
        )

    def check_failed(self, error: Exception) -> None:
        self.devices_checked(("pad", "unexpected"))  # the check itself broke: the devices cannot be trusted

    def devices_checked(self, problem: tuple[str, str] | None) -> None:
        if self.ctx.flow.step is not self.step:
            return  # the session ended while the pad was asked
        self.busy.setVisible(False)
        self.setEnabled(True)
        if problem is None:
            self.chosen()
            return
        self.ctx.session.pay_method = None
        self.tiles[PayMethod.BANK_CARD].setEnabled(False)
        if problem[0] == "reader":
            text = self.tr(
                "Bank card payment cannot be used now: the bank card reader is not working. No money was taken.\n"
                "Please choose Alipay or WeChat Pay."
            )
        else:
            text = self.tr(
                "Bank card payment cannot be used now: the PIN pad is not working. No money was taken.\n"
                "Please choose Alipay or WeChat Pay."
            )
        self.notice.setText(text)
        self.notice.setVisible(True)
        self.ctx.speak(text)

    def chosen(self) -> None:
        """The method is settled (for a card, the reader and the PIN pad answered): on to the next step."""
        self.fire(FlowEvent.QR_CHOSEN if self.ctx.session.pay_method.is_qr else FlowEvent.BANK_CARD_CHOSEN)


class CheckoutMethodScreen(PayMethodScreen):
    """The pay method chosen after the amount is known (flexible pension, special payment, arrears), under a review
    of what is paid and its total: the receipt printer is asked before any money is taken, as on the grade screen."""

    step = Step.CHECKOUT_METHOD

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # The review above the pay methods (after the stretch and the title): what is paid, then the total.
        self.review = label("", "Subtitle")
        self.total = label("", "Amount")
        self.layout_.insertWidget(2, self.review)
        self.layout_.insertWidget(3, self.total)
        self.findChild(QLabel, "Title").setText(translate("CheckoutMethodScreen", CHECK_THEN_CHOOSE))
        # Or into the household basket, to pay later with other items (issue 22): months, a bill, an arrear.
        self.add_to_basket = add_to_basket_button(self)
        self.add_to_basket.clicked.connect(self.into_basket)
        self.layout_.insertLayout(self.layout_.indexOf(self.busy) + 1, basket_row(self.add_to_basket))

    def into_basket(self) -> None:
        session = self.ctx.session
        subject = session.subject
        if session.quote is None or subject is None:
            return
        problem = basket_refusal(session, session.quote, subject.name)
        if problem:
            self.notice.setText(problem)
            self.notice.setVisible(True)
            return
        self.fire(FlowEvent.ADD_TO_BASKET)

    def on_enter(self) -> None:
        super().on_enter()
        session = self.ctx.session
        self.review.setText(what_is_paid(session))
        amount = format_fen(session.quote.amount_fen) if session.quote else ""
        self.total.setText(translate("CheckoutMethodScreen", TOTAL).format(amount=amount))

    def voice_prompt(self) -> str:
        return translate("CheckoutMethodScreen", REVIEW_PROMPT)

    def chosen(self) -> None:
        self.busy.setVisible(True)
        self.setEnabled(False)
        self.ctx.tasks.run(self.ctx.receipts.readiness, on_done=self.printer_checked, on_failed=self.printer_checked)

    def printer_checked(self, readiness) -> None:
        self.busy.setVisible(False)
        self.setEnabled(True)
        self.fire(pay_event(self.ctx.session, readiness))
