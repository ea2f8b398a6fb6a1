"""How to pay: Alipay, bank card, WeChat Pay (the guide's three buttons, in its order)."""

from __future__ import annotations

from kiosk.domain.items import PayMethod
from kiosk.flow import Step
from screens.base import Screen, translate
from screens.widgets import button


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
