"""Paying by Alipay or WeChat Pay: the order's QR code, the amount, and a wait the citizen can see.

The screen draws the QR payment's state machine (kiosk/qr_checkout_machine.py) and forwards a tap on cancel, the
countdown and its timer's ticks. The order is opened, polled and closed off the GUI thread. Leaving this screen in
any way (cancel, the countdown, a session end) closes the order; money that arrived meanwhile is still posted and
receipted.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.checkout_gate import disk_gate
from kiosk.domain.items import PayMethod
from kiosk.domain.money import format_fen
from kiosk.flow import FlowEvent, Step
from kiosk.qr_checkout_machine import QrCheckoutMachine, QrDelays, QrPhase, QrView
from screens.base import Screen, fee_error_text, period_text, translate
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
        delays = QrDelays(
            poll_seconds=ctx.config["timeouts.qr_poll_seconds"],
            deadline_seconds=ctx.config["timeouts.qr_payment_seconds"],
        )
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(round(min(delays.tick_seconds, delays.poll_seconds) * 1000))
        self.tick_timer.timeout.connect(lambda: self.machine.tick())
        self.machine = QrCheckoutMachine(
            ctx.checkout,
            lambda work, done, failed: ctx.tasks.run(work, on_done=done, on_failed=failed),
            on_view=self.draw,
            on_finished=lambda: self.fire(FlowEvent.FINISHED),
            delays=delays,
            on_problem=ctx.health.report,
        )
        self._shown_payload: str | None = None

    def countdown_seconds(self) -> float | None:
        return self.machine.delays.deadline_seconds

    def on_countdown_expired(self) -> bool:
        return self.machine.countdown_expired()

    def voice_prompt(self) -> str:
        if self.ctx.session.pay_method is PayMethod.WECHAT:
            return self.tr("Please scan the code with WeChat to pay.")
        return self.tr("Please scan the code with Alipay to pay.")

    def on_enter(self) -> None:
        session = self.ctx.session
        if not disk_gate(session, self.ctx.health, self.ctx.qr_payments.reserve):
            # after this screen is shown: a step fired inside on_enter would be covered by it
            QTimer.singleShot(0, lambda: self.fire(FlowEvent.FINISHED))  # the result screen says no money was taken
            return
        method = session.pay_method or PayMethod.ALIPAY
        quote = session.quote
        self.heading.setText(
            self.tr("Scan with Alipay to pay") if method is PayMethod.ALIPAY else self.tr("Scan with WeChat to pay")
        )
        self.amount.setText(format_fen(quote.amount_fen))
        item_text = translate("Domain", quote.item.label)
        self.what.setText(self.tr("{item}, {period}").format(item=item_text, period=period_text(quote.period)))
        self.instruction.setText(
            self.tr("Open Alipay on your phone and scan the code on the left.")
            if method is PayMethod.ALIPAY
            else self.tr("Open WeChat on your phone and scan the code on the left.")
        )
        self.tick_timer.start()
        self.machine.start(session, method)

    def cancel(self) -> None:
        self.machine.cancel()

    def on_leave(self) -> None:
        self.tick_timer.stop()
        self.machine.leave()

    def draw(self, view: QrView) -> None:
        if view.qr_payload != self._shown_payload or view.phase is QrPhase.OPENING:
            self._shown_payload = view.qr_payload
            self.qr.clear()
            if view.qr_payload:
                self.qr.setPixmap(qr_pixmap(view.qr_payload, self.qr.width()))
            else:
                self.qr.setText(self.tr("Preparing the payment code..."))
        statuses = {
            QrPhase.OPENING: self.tr("Preparing the payment code..."),
            QrPhase.WAITING: self.tr("Waiting for your payment..."),
            QrPhase.SETTLING: self.tr("Payment received. Recording it and printing your receipt..."),
            QrPhase.CLOSING: self.tr("Closing the payment..."),
        }
        if view.phase is QrPhase.ERROR and view.error is not None:
            self.status.setText(fee_error_text(view.error))
        elif view.phase in statuses:
            self.status.setText(statuses[view.phase])
        self.busy.setVisible(view.busy)
        self.cancel_button.setEnabled(view.cancel_enabled)
        if view.phase is QrPhase.SETTLING:
            self.ctx.countdown.stop()  # the money is in: nothing interrupts posting it
        if view.phase in (QrPhase.DONE, QrPhase.IDLE):
            self.tick_timer.stop()
