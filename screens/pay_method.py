"""How to pay: Alipay, bank card, WeChat Pay (the guide's three buttons, in its order)."""

from __future__ import annotations

from kiosk.domain.items import PayMethod
from kiosk.flow import Step
from screens.base import Screen, translate
from screens.widgets import busy_bar, button


class PayMethodScreen(Screen):
    step = Step.PAY_METHOD

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.title(self.tr("Please choose how to pay"))
        self.layout_.addSpacing(30)
        tiles = []
        for method in (PayMethod.ALIPAY, PayMethod.BANK_CARD, PayMethod.WECHAT):
            tile = button(translate("Domain", method.label), "tile", method.value)
            tile.clicked.connect(lambda _=False, m=method: self.choose(m))
            tiles.append(tile)
        self.row(*tiles, spacing=50)
        self.layout_.addStretch(2)

    def voice_prompt(self) -> str:
        return self.tr("Please choose Alipay, bank card or WeChat Pay.")

    def choose(self, method: PayMethod) -> None:
        self.ctx.session.pay_method = method
        self.fire("qr_chosen" if method.is_qr else "bank_card_chosen")


class CheckoutMethodScreen(PayMethodScreen):
    """The pay method chosen after the amount is known (flexible pension, special payment): the receipt printer
    is asked before any money is taken, as on the grade screen."""

    step = Step.CHECKOUT_METHOD

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.busy = busy_bar()
        self.busy.setVisible(False)
        self.layout_.insertWidget(self.layout_.count() - 1, self.busy)

    def on_enter(self) -> None:
        self.busy.setVisible(False)
        self.setEnabled(True)

    def choose(self, method: PayMethod) -> None:
        self.ctx.session.pay_method = method
        self.busy.setVisible(True)
        self.ctx.tasks.run(self.ctx.receipts.readiness, on_done=self.printer_checked, on_failed=self.printer_checked)

    def printer_checked(self, readiness) -> None:
        self.busy.setVisible(False)
        self.ctx.session.printer = readiness
        if not getattr(readiness, "can_print", False):
            self.fire("printer_unavailable")
        else:
            self.fire("qr_chosen" if self.ctx.session.pay_method.is_qr else "card_chosen")
