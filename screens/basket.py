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
from kiosk.basket_qr_machine import BasketEnding, BasketQrFinish, BasketQrMachine
from kiosk.domain.items import PayMethod
from kiosk.domain.money import format_fen
from kiosk.flow import FlowEvent, Step
from kiosk.payments.basket_payments import BasketOutcome, BasketPayments
from kiosk.qr_checkout_machine import QrDelays, QrPhase, QrView
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
    """The one code for the basket's total, waiting for the phone; cancel or the code's expiry closes the order.

    It draws the basket's QR state machine (kiosk/basket_qr_machine.py) and forwards a tap on cancel, the
    countdown, its timer's tick and its leaving; the machine opens, polls, closes and settles the order."""

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
        delays = QrDelays(
            poll_seconds=ctx.config["timeouts.qr_poll_seconds"],
            deadline_seconds=ctx.config["timeouts.qr_payment_seconds"],
        )
        self.timer = QTimer(self)
        self.timer.setInterval(round(min(delays.tick_seconds, delays.poll_seconds) * 1000))
        self.timer.timeout.connect(lambda: self.machine.tick())
        self.machine = BasketQrMachine(
            lambda: BasketPayments(ctx.journal, ctx.fee_system, reserve=ctx.card_checkout.reserve),
            ctx.receipts,
            ctx.health,
            lambda work, done, failed: ctx.tasks.run(work, on_done=done, on_failed=failed),
            on_view=self.draw,
            on_finished=self.finished,
            wall_clock=ctx.clock,
            delays=delays,
        )
        self._shown_payload: str | None = None
        self._entering = False

    def countdown_seconds(self) -> float | None:
        return self.machine.delays.deadline_seconds  # the code's time on screen, counted down as on QR pay

    def on_countdown_expired(self) -> bool:
        """The code's time is up: close the order (a payment that came meanwhile is settled) instead of asking
        "still there?"; before the code is shown, the usual question."""
        return self.machine.countdown_expired()

    def voice_prompt(self) -> str:
        return self.tr("Scan the code with Alipay, WeChat Pay or UnionPay QuickPass.")

    def on_enter(self) -> None:
        session = self.ctx.session
        method = session.pay_method or PayMethod.AGGREGATED
        self.heading.setText(
            self.tr("Scan with Alipay, WeChat Pay or UnionPay QuickPass")
            if method is PayMethod.AGGREGATED
            else self.tr("Scan with {app}").format(app=translate("Domain", method.label))
        )
        self.amount.setText(self.tr("Total: {amount}").format(amount=format_fen(session.basket_quote.total_fen)))
        self.timer.start()
        self._entering = True
        try:
            self.machine.start(session, method)
        finally:
            self._entering = False

    def cancel(self) -> None:
        self.machine.cancel()

    def on_leave(self) -> None:
        """Leaving before the end (the session ended): the machine closes the order; money that came meanwhile is
        settled."""
        self.timer.stop()
        self.machine.leave()

    def draw(self, view: QrView) -> None:
        if view.phase is QrPhase.OPENING:
            self._shown_payload = None
            self.qr.clear()
        elif view.qr_payload and view.qr_payload != self._shown_payload:
            self._shown_payload = view.qr_payload
            self.qr.setPixmap(qr_pixmap(view.qr_payload, px(440, self.ctx.scale)))
        statuses = {
            QrPhase.OPENING: self.tr("Preparing the payment code…"),
            QrPhase.WAITING: self.tr("Waiting for the payment…"),
            QrPhase.SETTLING: self.tr("Paid. Recording the payment…"),
        }
        if view.phase in statuses:
            self.status.setText(statuses[view.phase])
        self.busy.setVisible(view.busy)
        self.cancel_button.setEnabled(view.cancel_enabled)
        if view.phase is QrPhase.SETTLING:
            self.ctx.countdown.stop()  # the money is in: nothing interrupts posting it
        if view.phase in (QrPhase.DONE, QrPhase.ERROR, QrPhase.IDLE):
            self.timer.stop()

    def finished(self, finish: BasketQrFinish) -> None:
        """The machine's ending, in words for the result screen (a paid basket's outcome is there already)."""
        if finish.ending is not BasketEnding.PAID:
            self.ctx.session.basket_outcome = self.words_for(finish)
        if self._entering:  # a step fired inside on_enter would be covered by this screen: fire after it shows
            QTimer.singleShot(0, self.move_on)
        else:
            self.move_on()

    def move_on(self) -> None:
        if self.ctx.flow.step is Step.BASKET_QR:
            self.fire(FlowEvent.FINISHED)

    def words_for(self, finish: BasketQrFinish) -> str:
        error = finish.error
        if finish.ending is BasketEnding.NO_ROOM:
            return self.tr("The kiosk cannot take payments now. No money was taken.")
        if finish.ending is BasketEnding.NOT_OPENED and error is not None:
            return fee_error_text(error) + "\n" + self.tr("No money was taken.")
        if finish.ending is BasketEnding.CLOSE_FAILED and error is not None:
            return fee_error_text(error)
        if finish.ending is BasketEnding.GIVEN_BACK:
            return self.tr(
                "The payment arrived after the code was closed, so it was not recorded. It has been returned to you."
            )
        if finish.ending is BasketEnding.NOT_SETTLED:
            return self.tr("Your payment was received and will be recorded shortly. Please keep your phone's record.")
        return self.tr("The payment was cancelled. No money was taken.")


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
        outcome = self.ctx.session.basket_outcome
        if isinstance(outcome, str) and outcome:  # no payment: what became of the money, aloud as on screen
            return outcome
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
