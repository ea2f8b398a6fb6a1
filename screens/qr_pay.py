"""Paying by Alipay or WeChat Pay: the order's QR code, the amount, and a wait the citizen can see.

The order is opened, polled and closed off the GUI thread. Leaving this screen in any way (cancel, the
countdown, a session end) closes the order; money that arrived meanwhile is still posted and receipted.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.checkout import PaymentOutcome
from kiosk.domain.items import PayMethod
from kiosk.domain.money import format_fen
from kiosk.feesystem.api import QrOrderState
from kiosk.flow import Step
from kiosk.payments.qr import OpenedQrPayment
from kiosk.receipts import session_parties
from screens.base import Screen, fee_error_text, translate
from screens.qr import qr_pixmap
from screens.style import px
from screens.widgets import busy_bar, button, label


class QrPayScreen(Screen):
    step = Step.QR_PAY

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.heading = label("", "Title")
        self.layout_.addWidget(self.heading)
        body = QHBoxLayout()
        body.addStretch(1)
        self.qr = QLabel()
        self.qr.setObjectName("QrCode")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setFixedSize(px(440, ctx.scale), px(440, ctx.scale))
        body.addWidget(self.qr)
        body.addSpacing(px(80, ctx.scale))
        side_panel = QWidget()
        side_panel.setFixedWidth(px(760, ctx.scale))  # wrapped labels need a width, or they ask for huge heights
        side = QVBoxLayout(side_panel)
        side.setContentsMargins(0, 0, 0, 0)
        side.addStretch(1)
        self.amount = label("", "Amount", center=False)
        self.what = label("", "Message", center=False)
        self.instruction = label("", "Subtitle", center=False)
        self.status = label("", "Message", center=False)
        self.busy = busy_bar()
        for widget in (self.amount, self.what, self.instruction, self.status, self.busy):
            side.addWidget(widget)
        side.addStretch(1)
        body.addWidget(side_panel)
        body.addStretch(1)
        self.layout_.addLayout(body)
        self.cancel_button = button(self.tr("Cancel payment"), "nav", "cancel_payment")
        self.cancel_button.clicked.connect(self.cancel)
        self.row(self.cancel_button)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(round(ctx.config["timeouts.qr_poll_seconds"] * 1000))
        self.poll_timer.timeout.connect(self.poll)
        self.payment: OpenedQrPayment | None = None
        self._busy_polling = False
        self._closing = False

    def countdown_seconds(self) -> float | None:
        return self.ctx.config["timeouts.qr_payment_seconds"]

    def on_countdown_expired(self) -> bool:
        """The order timed out: close it instead of asking "still there?"."""
        self.finish_by_closing(timeout=True)
        return True

    def voice_prompt(self) -> str:
        if self.ctx.session.pay_method is PayMethod.WECHAT:
            return self.tr("Please scan the code with WeChat to pay.")
        return self.tr("Please scan the code with Alipay to pay.")

    def on_enter(self) -> None:
        session = self.ctx.session
        method = session.pay_method or PayMethod.ALIPAY
        quote = session.quote
        self.payment = None
        self._closing = False
        self.qr.clear()
        self.qr.setText(self.tr("Preparing the payment code..."))
        self.heading.setText(
            self.tr("Scan with Alipay to pay") if method is PayMethod.ALIPAY else self.tr("Scan with WeChat to pay")
        )
        self.amount.setText(format_fen(quote.amount_fen))
        item_text = translate("Domain", quote.item.label)
        self.what.setText(self.tr("{item}, {period}").format(item=item_text, period=str(quote.period)))
        self.instruction.setText(
            self.tr("Open Alipay on your phone and scan the code on the left.")
            if method is PayMethod.ALIPAY
            else self.tr("Open WeChat on your phone and scan the code on the left.")
        )
        self.status.setText(self.tr("Preparing the payment code..."))
        self.busy.setVisible(True)
        self.cancel_button.setEnabled(True)
        payer_id = session.person.id_number if session.person else quote.id_number
        self.ctx.tasks.run(
            lambda: self.ctx.checkout.open_qr(quote, method, payer_id),
            on_done=self.order_opened,
            on_failed=self.failed,
        )

    def order_opened(self, payment: OpenedQrPayment) -> None:
        self.payment = payment
        self.ctx.session.payment = payment
        self.qr.setPixmap(qr_pixmap(payment.order.qr_payload, self.qr.width()))
        self.status.setText(self.tr("Waiting for your payment..."))
        self.poll_timer.start()

    def poll(self) -> None:
        if self._busy_polling or not self.payment or self._closing:
            return
        self._busy_polling = True
        entry = self.payment.entry
        self.ctx.tasks.run(lambda: self.ctx.checkout.poll(entry), on_done=self.polled, on_failed=self.poll_failed)

    def poll_failed(self, error: Exception) -> None:
        self._busy_polling = False  # a missed poll is retried on the next tick

    def polled(self, state: QrOrderState) -> None:
        self._busy_polling = False
        if state is QrOrderState.PAID and not self._closing:
            self._closing = True
            self.poll_timer.stop()
            self.ctx.countdown.stop()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Payment received. Recording it and printing your receipt..."))
            entry, parties = self.payment.entry, session_parties(self.ctx.session)
            self.ctx.tasks.run(
                lambda: self.ctx.checkout.finish_paid(entry, parties), on_done=self.done, on_failed=self.failed
            )

    def cancel(self) -> None:
        self.finish_by_closing(timeout=False)

    def finish_by_closing(self, timeout: bool) -> None:
        if self._closing:
            return
        self._closing = True
        self.poll_timer.stop()
        self.cancel_button.setEnabled(False)
        self.status.setText(self.tr("Closing the payment..."))
        if self.payment is None:
            self.ctx.session.record = None
            self.fire("finished")
            return
        entry, parties = self.payment.entry, session_parties(self.ctx.session)
        self.ctx.session.receipt_error = "timeout" if timeout else "cancelled"
        self.ctx.tasks.run(lambda: self.ctx.checkout.abandon(entry, parties), on_done=self.done, on_failed=self.failed)

    def done(self, outcome: PaymentOutcome) -> None:
        self.payment = None
        session = self.ctx.session
        session.payment = outcome
        session.record = outcome.record
        self.fire("finished")

    def failed(self, error: Exception) -> None:
        self.poll_timer.stop()
        self.status.setText(fee_error_text(error))
        self.busy.setVisible(False)
        self.cancel_button.setEnabled(True)
        self._closing = False

    def on_leave(self) -> None:
        """Leaving without an outcome (session end): close the order in the background, post if it was paid."""
        self.poll_timer.stop()
        if self.payment is not None and not self._closing:
            entry, parties = self.payment.entry, session_parties(self.ctx.session)
            self.ctx.tasks.run(lambda: self.ctx.checkout.abandon(entry, parties))
        self.payment = None
