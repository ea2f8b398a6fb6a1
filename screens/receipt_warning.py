"""Before any money is taken: the receipt printer cannot print. Go on without a receipt, or stop."""

from __future__ import annotations

from kiosk.flow import FlowEvent, Step
from screens.base import Screen, translate
from screens.widgets import button, label


class ReceiptWarningScreen(Screen):
    step = Step.RECEIPT_WARNING

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.title(self.tr("No receipt can be printed"))
        self.reason = label("", "Error")
        self.layout_.addWidget(self.reason)
        self.layout_.addWidget(
            label(
                self.tr(
                    "You can still pay now. Your payment is recorded as usual, and you can print the receipt "
                    "later under Payment records on any kiosk."
                ),
                "Message",
            )
        )
        self.layout_.addSpacing(30)
        go_on = button(self.tr("Pay without a receipt"), "primary", "continue_without_receipt")
        go_on.clicked.connect(self.go_on)
        stop = button(self.tr("Do not pay now"), "choice", "stop_payment")
        stop.clicked.connect(lambda: self.ctx.flow.end_session("home"))
        self.row(go_on, stop)
        self.layout_.addStretch(2)

    def go_on(self) -> None:
        method = self.ctx.session.pay_method
        self.fire(
            FlowEvent.CONTINUE_WITHOUT_RECEIPT
            if method is None or method.is_qr
            else FlowEvent.CONTINUE_CARD_WITHOUT_RECEIPT
        )

    def voice_prompt(self) -> str:
        return self.tr("No receipt can be printed. You may pay without a receipt, or stop.")

    def on_enter(self) -> None:
        readiness = self.ctx.session.printer
        reason = getattr(readiness, "reason", None)
        if reason == "paper_out":
            text = self.tr("The receipt printer is out of paper.")
        elif reason == "cover_open":
            text = self.tr("The receipt printer's cover is open.")
        elif getattr(readiness, "citizen_message", None):
            text = translate("DeviceMessage", readiness.citizen_message)
        else:
            text = self.tr("The receipt printer is not working.")
        self.reason.setText(text)
