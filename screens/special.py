"""Special payment (特殊缴费, flow 6): the person's pending bills from the fee system; choose one; pay it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout

from kiosk.domain.money import format_fen
from kiosk.feesystem.api import Bill
from kiosk.flow import FlowEvent, Step
from screens.base import Screen, clear_layout, fee_error_text
from screens.style import px
from screens.widgets import busy_bar, button, label


class SpecialBillsScreen(Screen):
    step = Step.SPECIAL_BILLS

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title(self.tr("Special payment: choose the bill to pay"))
        self.busy = busy_bar()
        self.layout_.addWidget(self.busy)
        self.message = label("", "Message")
        self.layout_.addWidget(self.message)
        # One bill per line, the width of the screen: a bill's description is long and must not be cut off.
        self.bill_area = QVBoxLayout()
        self.bill_area.setSpacing(px(24, ctx.scale))
        self.layout_.addLayout(self.bill_area)
        self.layout_.addStretch(1)

    def voice_prompt(self) -> str:
        return self.tr("Please choose the bill you want to pay.")

    def on_enter(self) -> None:
        clear_layout(self.bill_area)
        self.busy.setVisible(True)
        self.message.setText(self.tr("Looking up your bills..."))
        subject = self.ctx.session.subject
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.pending_bills(subject.id_number), on_done=self.show_bills, on_failed=self.failed
        )

    def show_bills(self, bills: list[Bill]) -> None:
        self.busy.setVisible(False)
        clear_layout(self.bill_area)
        if not bills:
            self.message.setText(self.tr("You have no bills to pay."))
        else:
            self.message.setText(self.tr("Bills raised by the social insurance agency:"))
        for bill in bills[:3]:
            text = self.tr("{description}\n{agency}\n{amount}").format(
                description=bill.description, agency=bill.agency, amount=format_fen(bill.amount_fen)
            )
            bill_button = button(text, "bill", f"bill_{bill.bill_no}")
            bill_button.setProperty("wide", True)
            bill_button.clicked.connect(lambda _=False, b=bill: self.choose(b))
            self.bill_area.addWidget(bill_button, 0, Qt.AlignmentFlag.AlignHCenter)

    def failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.message.setText(fee_error_text(error))

    def choose(self, bill: Bill) -> None:
        self.busy.setVisible(True)
        subject = self.ctx.session.subject
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.quote_bill(subject.id_number, bill.bill_no),
            on_done=self.quoted,
            on_failed=self.failed,
        )

    def quoted(self, quote) -> None:
        self.busy.setVisible(False)
        self.ctx.session.quote = quote
        self.fire(FlowEvent.BILL_CHOSEN)
