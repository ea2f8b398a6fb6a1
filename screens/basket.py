"""The household basket (issue 22): the lines gathered, remove one, the total, then one payment by one code.

BasketScreen lists one line per person and item (masked name, item, period, amount) with a remove button each,
the total, ways to add more (for oneself, for someone else by ID number, from the household register), and the
pay buttons: the aggregated code (Alipay, WeChat Pay, 云闪付) or one app's own code. Before any money moves the
fee system quotes the basket as one order; a line it refuses is named with the reason.
BasketQrScreen shows the one code and waits; BasketDoneScreen says what was paid and which line was refunded.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from drivers.base import QT_TRANSLATE_NOOP
from kiosk.basket import MAX_LINES
from kiosk.basket_receipt import basket_document
from kiosk.checkout_gate import disk_gate
from kiosk.domain.items import PayMethod
from kiosk.domain.money import format_fen
from kiosk.feesystem.api import FeeSystemError, QrOrderState
from kiosk.flow import FlowEvent, Step
from kiosk.payments.basket_payments import BasketOutcome, BasketPayments, OpenedBasket
from screens.base import Screen, fee_error_text, period_text, translate
from screens.qr import qr_pixmap
from screens.style import px
from screens.widgets import busy_bar, button, label

log = logging.getLogger(__name__)

# Why the fee system refused a line (LineRefusal.code), in the citizen's words.
REFUSALS = {
    "already_paid": QT_TRANSLATE_NOOP("Basket", "already paid"),
    "window_closed": QT_TRANSLATE_NOOP("Basket", "its payment period has closed"),
    "duplicate": QT_TRANSLATE_NOOP("Basket", "the same item is in the basket twice"),
    "unknown_quote": QT_TRANSLATE_NOOP("Basket", "the amount is no longer valid, please add it again"),
}
ROWS_PER_COLUMN = 5
BASKET_METHODS = (PayMethod.AGGREGATED, PayMethod.ALIPAY, PayMethod.WECHAT, PayMethod.BANK_CARD)


class BasketScreen(Screen):
    step = Step.BASKET

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.setSpacing(px(12, ctx.scale))  # ten lines, the total and two rows of buttons in 1080 px
        # No title: the header names the step, and ten lines need the height.
        self.table_widget = QWidget()
        self.table = QGridLayout(self.table_widget)
        self.table.setHorizontalSpacing(px(24, ctx.scale))
        self.table.setVerticalSpacing(px(6, ctx.scale))
        self.layout_.addWidget(self.table_widget, 1)
        self.total = label("", "Amount", wrap=False, center=False)
        self.message = label("", "Error")
        self.message.setVisible(False)
        self.layout_.addWidget(self.message)
        self.busy = busy_bar()
        self.busy.setVisible(False)
        self.layout_.addWidget(self.busy)
        self.add_mine = button(self.tr("Add more for me"), "nav", "basket_add_mine")
        self.add_mine.clicked.connect(self.add_for_me)
        self.add_other = button(self.tr("Add for someone else"), "nav", "basket_add_other")
        self.add_other.clicked.connect(lambda: self.fire(FlowEvent.ADD_FOR_OTHERS))
        self.family = button(self.tr("Family members"), "nav", "basket_household")
        self.family.clicked.connect(lambda: self.fire(FlowEvent.HOUSEHOLD))
        self.row(self.total, self.add_mine, self.add_other, self.family, spacing=16)
        self.pay_buttons: dict[PayMethod, QWidget] = {}
        for method in BASKET_METHODS:
            pay = button(translate("Domain", method.label), "primary", f"basket_pay_{method.value}")
            pay.clicked.connect(lambda _=False, m=method: self.pay(m))
            self.pay_buttons[method] = pay
        self.row(*self.pay_buttons.values())
        self.slots: list[tuple[QLabel, QWidget]] = []
        for index in range(MAX_LINES):
            text = QLabel()
            text.setObjectName("RecordText")
            remove = button(self.tr("Remove"), "rowbutton", f"basket_remove_{index}")
            remove.setStyleSheet("min-width: 120px;")  # two columns of five lines fit 1920 px
            remove.clicked.connect(lambda _=False, i=index: self.remove(i))
            # Up to five lines a column; the sixth to the tenth in a second column beside the first.
            row, column = index % ROWS_PER_COLUMN, 2 * (index // ROWS_PER_COLUMN)
            self.table.addWidget(text, row, column)
            self.table.addWidget(remove, row, column + 1)
            text.setVisible(False)
            remove.setVisible(False)
            self.slots.append((text, remove))

    def voice_prompt(self) -> str:
        return self.tr("Check the items to pay, then choose how to pay.")

    def on_enter(self) -> None:
        self.message.setVisible(False)
        self.busy.setVisible(False)
        self.rebuild()

    def rebuild(self) -> None:
        """Fill the ten row slots built once (a new widget per line costs a style pass each time the screen
        shows: the ten-line basket must paint within 50 ms)."""
        basket = self.ctx.session.basket
        for index, (text, remove) in enumerate(self.slots):
            shown = index < len(basket)
            if shown:
                text.setText(self.line_text(index, basket.items[index]))
            text.setVisible(shown)
            remove.setVisible(shown)
        self.total.setText(
            self.tr("{count} item(s), total {amount}").format(count=len(basket), amount=format_fen(basket.total_fen))
        )
        full = basket.full
        for widget in (self.add_mine, self.add_other, self.family):
            widget.setEnabled(not full)
        for method, pay in self.pay_buttons.items():
            pay.setEnabled(len(basket) > 0 and (method.is_qr or self.ctx.card_checkout.available))
        if full:
            self.say(self.tr("The basket is full: at most 10 items can be paid at once."))

    def line_text(self, index: int, item) -> str:
        """Masked name, item, period, amount."""
        return self.tr("{n}. {name}  {item}  {period}  {amount}").format(
            n=index + 1,
            name=item.masked_name,
            item=translate("Domain", item.quote.item.label),
            period=period_text(item.quote.period),
            amount=format_fen(item.quote.amount_fen),
        )

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.ctx.session.basket):
            self.ctx.session.basket.remove(index)
        self.message.setVisible(False)
        self.rebuild()

    def add_for_me(self) -> None:
        self.ctx.session.payee = None  # the items screen then offers the payer's own insurances
        self.fire(FlowEvent.ADD_MORE)

    def pay(self, method: PayMethod) -> None:
        session = self.ctx.session
        if not len(session.basket) or session.person is None:
            return
        session.pay_method = method
        payer, quote_ids = session.person.id_number, session.basket.quote_ids
        for pay in self.pay_buttons.values():
            pay.setEnabled(False)
        self.busy.setVisible(True)

        def quote_and_check_printer():
            return self.ctx.fee_system.quote_basket(payer, quote_ids), self.ctx.receipts.readiness()

        self.ctx.tasks.run(quote_and_check_printer, on_done=self.quoted, on_failed=self.failed)

    def quoted(self, result) -> None:
        quote, readiness = result
        self.busy.setVisible(False)
        self.rebuild()
        if quote.refused:
            reasons = [
                self.tr("Item {n} cannot be paid: {why}.").format(
                    n=refusal.line_no, why=translate("Basket", REFUSALS.get(refusal.code, REFUSALS["unknown_quote"]))
                )
                for refusal in quote.refused
            ]
            self.say("\n".join([*reasons, self.tr("Remove it to pay the others. No money was taken.")]))
            return
        self.ctx.session.basket_quote = quote
        self.ctx.session.printer = readiness
        method = self.ctx.session.pay_method
        self.fire(FlowEvent.PAY_BASKET if method is None or method.is_qr else FlowEvent.PAY_BASKET_BY_CARD)

    def failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.rebuild()
        self.say(fee_error_text(error))


class BasketQrScreen(Screen):
    """The one code for the basket's total, waiting for the phone; cancel or the code's expiry closes the order."""

    step = Step.BASKET_QR

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.heading = label("", "Title")
        self.layout_.addWidget(self.heading)
        body = QHBoxLayout()  # the code on the left, what to do on the right (as QrPayScreen)
        body.addStretch(1)
        self.qr = QLabel()
        self.qr.setObjectName("QrCode")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setFixedSize(px(440, ctx.scale), px(440, ctx.scale))
        body.addWidget(self.qr)
        body.addSpacing(px(80, ctx.scale))
        side_panel = QWidget()
        side_panel.setFixedWidth(px(760, ctx.scale))
        side = QVBoxLayout(side_panel)
        side.setContentsMargins(0, 0, 0, 0)
        side.addStretch(1)
        self.amount = label("", "Amount", center=False)
        self.status = label("", "Message", center=False)
        self.busy = busy_bar()
        for widget in (self.amount, self.status, self.busy):
            side.addWidget(widget)
        side.addStretch(1)
        body.addWidget(side_panel)
        body.addStretch(1)
        self.layout_.addLayout(body)
        self.cancel_button = button(self.tr("Cancel payment"), "nav", "basket_cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.row(self.cancel_button)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.poll)
        self.opened: OpenedBasket | None = None
        self.finishing = False

    def countdown_seconds(self) -> float | None:
        return self.ctx.config["timeouts.qr_payment_seconds"]  # the code's time on screen, counted down as on QR pay

    def on_countdown_expired(self) -> bool:
        """The code's time is up: close the order (a payment that came meanwhile is settled) instead of asking
        "still there?"; before the code is shown, the usual question."""
        if self.opened is None or self.finishing:
            return False
        self.cancel()
        return True

    def voice_prompt(self) -> str:
        return self.tr("Scan the code with Alipay, WeChat Pay or UnionPay QuickPass.")

    @property
    def payments(self) -> BasketPayments:
        return BasketPayments(self.ctx.journal, self.ctx.fee_system, reserve=self.ctx.card_checkout.reserve)

    def on_enter(self) -> None:
        session = self.ctx.session
        self.opened, self.finishing = None, False
        self.qr.clear()
        self.busy.setVisible(True)
        self.cancel_button.setEnabled(False)
        method = session.pay_method or PayMethod.AGGREGATED
        self.heading.setText(
            self.tr("Scan with Alipay, WeChat Pay or UnionPay QuickPass")
            if method is PayMethod.AGGREGATED
            else self.tr("Scan with {app}").format(app=translate("Domain", method.label))
        )
        self.amount.setText(self.tr("Total: {amount}").format(amount=format_fen(session.basket_quote.total_fen)))
        self.status.setText(self.tr("Preparing the payment code…"))
        if not disk_gate(session, self.ctx.health, self.ctx.card_checkout.reserve):
            self.finish(None, self.tr("The kiosk cannot take payments now. No money was taken."))
            return
        quote = session.basket_quote
        self.ctx.tasks.run(lambda: self.payments.open_qr(quote, method), on_done=self.shown, on_failed=self.open_failed)

    def shown(self, opened: OpenedBasket) -> None:
        self.opened = opened
        self.busy.setVisible(False)
        self.qr.setPixmap(qr_pixmap(opened.order.qr_payload, px(440, self.ctx.scale)))
        self.status.setText(self.tr("Waiting for the payment…"))
        self.cancel_button.setEnabled(True)
        self.timer.start(int(self.ctx.config["timeouts.qr_poll_seconds"] * 1000))

    def open_failed(self, error: Exception) -> None:
        log.warning("basket order not opened: %s", error)
        self.finish(None, fee_error_text(error) + "\n" + self.tr("No money was taken."))

    def poll(self) -> None:
        opened = self.opened
        if opened is None or self.finishing:
            return
        if self.ctx.clock() >= opened.order.expires_at:
            self.cancel()
            return
        self.ctx.tasks.run(lambda: self.payments.poll(opened.basket), on_done=self.polled, on_failed=lambda _e: None)

    def polled(self, state: QrOrderState) -> None:
        if state is QrOrderState.PAID and not self.finishing:
            self.settle()

    def settle(self) -> None:
        opened = self.opened
        assert opened is not None
        self.finishing = True
        self.timer.stop()
        self.cancel_button.setEnabled(False)
        self.busy.setVisible(True)
        self.status.setText(self.tr("Paid. Recording the payment…"))
        session = self.ctx.session
        payer_name = session.person.name if session.person else ""
        names = {item.quote.id_number: item.name for item in session.basket.items}
        can_print = bool(getattr(session.printer, "can_print", False))

        def settle_and_print() -> BasketOutcome:
            outcome = self.payments.settle_paid(opened.basket)
            error: str | None = "no receipt printer"
            if can_print:
                try:
                    document = basket_document(self.ctx.receipts, outcome, payer_name, names, self.ctx.clock())
                    self.ctx.receipts.print(document, kind="payment")
                    error = None
                except Exception as failure:  # the payment stands: the receipt is reprinted from Query
                    error = getattr(failure, "code", type(failure).__name__)
            outcome.basket = self.payments.receipt_result(outcome.basket, error)
            return outcome

        self.ctx.tasks.run(settle_and_print, on_done=lambda o: self.finish(o, ""), on_failed=self.settle_failed)

    def settle_failed(self, error: Exception) -> None:
        log.error("basket not settled now (recovery finishes it): %s", error)
        self.finish(
            None, self.tr("Your payment was received and will be recorded shortly. Please keep your phone's record.")
        )

    def cancel(self) -> None:
        opened = self.opened
        if opened is None or self.finishing:
            return
        self.timer.stop()
        self.cancel_button.setEnabled(False)

        def close() -> QrOrderState:
            return self.payments.cancel(opened.basket)

        def closed(state: QrOrderState) -> None:
            if state is QrOrderState.PAID:
                self.settle()
            else:
                self.finish(None, self.tr("The payment was cancelled. No money was taken."))

        self.ctx.tasks.run(close, on_done=closed, on_failed=lambda e: self.finish(None, fee_error_text(e)))

    def finish(self, outcome: BasketOutcome | None, message: str) -> None:
        self.finishing = True
        self.timer.stop()
        self.ctx.session.basket_outcome = outcome if outcome is not None else message
        if self.ctx.flow.step is Step.BASKET_QR:
            self.fire(FlowEvent.FINISHED)

    def on_leave(self) -> None:
        """Leaving before the end (the session ended): close the order; money that came meanwhile is recovered."""
        self.timer.stop()
        opened = self.opened
        if opened is not None and not self.finishing:
            self.finishing = True
            payments = self.payments

            def close_quietly() -> None:
                try:
                    if payments.cancel(opened.basket) is QrOrderState.PAID:
                        payments.settle_paid(opened.basket)
                except FeeSystemError as error:
                    log.warning("basket order left to recovery: %s", error)

            self.ctx.tasks.run_detached(close_quietly, lambda _r: None)


class BasketDoneScreen(Screen):
    """What was paid, for whom, and which line was refunded (and why)."""

    step = Step.BASKET_DONE

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.heading = label("", "Title")
        self.layout_.addWidget(self.heading)
        self.lines = label("", "Message")
        self.layout_.addWidget(self.lines)
        self.refunds = label("", "Error")
        self.layout_.addWidget(self.refunds)
        self.receipt = label("", "Message")
        self.layout_.addWidget(self.receipt)
        self.layout_.addStretch(1)
        self.done = button(self.tr("Finish"), "primary", "basket_finish")
        self.done.clicked.connect(lambda: self.fire(FlowEvent.FINISH))
        self.row(self.done)

    def voice_prompt(self) -> str:
        return self.tr("The payment has ended. Please check which items were paid.")

    def on_enter(self) -> None:
        session = self.ctx.session
        outcome = session.basket_outcome
        names = {item.quote.id_number: item.masked_name for item in session.basket.items}
        if not isinstance(outcome, BasketOutcome):
            # The message says what became of the money (nothing taken, given back, or recorded shortly).
            self.heading.setText(str(outcome or ""))
            self.lines.setText("")
            self.refunds.setVisible(False)
            self.receipt.setText("")
            return
        self.heading.setText(self.tr("Paid: {amount}").format(amount=format_fen(outcome.paid_fen)))
        self.lines.setText(
            "\n".join(
                self.tr("{name}  {item}  {period}  {amount}").format(
                    name=names.get(record.id_number, ""),
                    item=translate("Domain", record.item.label),
                    period=period_text(record.period),
                    amount=format_fen(record.amount_fen),
                )
                for _line, record in outcome.records
            )
        )
        refunded = "\n".join(
            self.tr("Item {n} had already been paid: its {amount} is being returned to you.").format(
                n=line.line_no, amount=format_fen(line.amount_fen)
            )
            for line in outcome.refunded
        )
        self.refunds.setText(refunded)
        self.refunds.setVisible(bool(refunded))
        printed = outcome.basket.receipt_error is None
        self.receipt.setText(
            self.tr("Please take your receipt.")
            if printed
            else self.tr("The receipt could not be printed. You can reprint it from Query.")
        )
