"""Bills a citizen pays one at a time (特殊缴费 and residents' 社保费补缴): every bill, a page at a time.

Each bill is a wide button with a tick box and a tap cue ("选择"); a tapped bill is priced by the fee system and
the pay-method screen shows it for review with its total before any money moves. One bill per payment: the
payment path carries one quote (the household-basket issue adds several items to one payment), and the list says so.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout

from drivers.base import QT_TRANSLATE_NOOP
from kiosk.domain.money import format_fen
from kiosk.feesystem.api import Bill, Quote
from kiosk.flow import FlowEvent
from screens.base import CHOSEN_WORD, Screen, clear_layout, fee_error_text, period_text, translate
from screens.style import px
from screens.widgets import busy_bar, button, label

PREVIOUS_PAGE = QT_TRANSLATE_NOOP("Bills", "Previous page")
NEXT_PAGE = QT_TRANSLATE_NOOP("Bills", "Next page")
PAGE_OF = QT_TRANSLATE_NOOP("Bills", "Page {page} of {pages}")
PERIOD_AGENCY = QT_TRANSLATE_NOOP("Bills", "Period: {period}    {agency}")
TAP_TO_CHOOSE = QT_TRANSLATE_NOOP("Bills", "{amount}        Tap to choose ›")
CHOOSE_PROMPT = QT_TRANSLATE_NOOP("Bills", "Please choose the bill you want to pay. Each bill is paid on its own.")
NO_BILLS = QT_TRANSLATE_NOOP("Bills", "You have no bills to pay.")
BILLS_SUMMARY = QT_TRANSLATE_NOOP("Bills", "{count} bills, {total} in all. Each bill is paid on its own: choose one.")
AGENCY_SUMMARY = QT_TRANSLATE_NOOP("Bills", "{agency}: {count} bills, {total} in all. Each bill is paid on its own.")


def _t(text: str) -> str:
    return translate("Bills", text)


BILLS_PER_PAGE = 2  # two wide three-line bills, the summary and the page buttons fit 1080 lines, large text too


class BillList:
    """Every bill of a list, BILLS_PER_PAGE at a time, with previous/next page buttons and "page 1 of 2"."""

    def __init__(self, screen: Screen, on_choose: Callable[[Bill], None]) -> None:
        self.screen = screen
        self.on_choose = on_choose
        self.area = QVBoxLayout()
        self.area.setSpacing(px(24, screen.ctx.scale))
        screen.layout_.addLayout(self.area)
        self.previous = button(_t(PREVIOUS_PAGE), "choice", "bills_previous_page")
        self.previous.clicked.connect(lambda: self.turn(-1))
        self.page_label = label("", "Message", wrap=False)
        self.next = button(_t(NEXT_PAGE), "choice", "bills_next_page")
        self.next.clicked.connect(lambda: self.turn(1))
        screen.row(self.previous, self.page_label, self.next)
        self.bills: list[Bill] = []
        self.chosen: str | None = None
        self.page = 0
        self.show([], None)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.bills) // BILLS_PER_PAGE))

    def show(self, bills: list[Bill], chosen: str | None) -> None:
        """The list from its first page (or the page of the chosen bill, coming back from the review)."""
        self.bills, self.chosen = list(bills), chosen
        index = next((i for i, bill in enumerate(self.bills) if bill.bill_no == chosen), 0)
        self.page = index // BILLS_PER_PAGE
        self.draw()

    def turn(self, pages: int) -> None:
        self.page = min(max(0, self.page + pages), self.pages - 1)
        self.draw()

    def draw(self) -> None:
        clear_layout(self.area)
        first = self.page * BILLS_PER_PAGE
        for bill in self.bills[first : first + BILLS_PER_PAGE]:
            self.area.addWidget(self.bill_button(bill), 0, Qt.AlignmentFlag.AlignHCenter)
        many = len(self.bills) > BILLS_PER_PAGE
        for widget in (self.previous, self.page_label, self.next):
            widget.setVisible(many)
        self.previous.setEnabled(self.page > 0)
        self.next.setEnabled(self.page < self.pages - 1)
        self.page_label.setText(_t(PAGE_OF).format(page=self.page + 1, pages=self.pages))

    def bill_button(self, bill: Bill) -> QPushButton:
        chosen = bill.bill_no == self.chosen
        first_line = (
            f"☑ {bill.description}   ✓ {translate('Choice', CHOSEN_WORD)}" if chosen else f"☐ {bill.description}"
        )
        text = "\n".join(
            [
                first_line,
                _t(PERIOD_AGENCY).format(period=period_text(bill.period), agency=bill.agency),
                _t(TAP_TO_CHOOSE).format(amount=format_fen(bill.amount_fen)),
            ]
        )
        bill_button = button(text, "bill", f"bill_{bill.bill_no}")
        bill_button.setProperty("wide", True)
        bill_button.setCheckable(True)
        bill_button.setChecked(chosen)
        bill_button.clicked.connect(lambda _=False, b=bill: self.on_choose(b))
        return bill_button


class BillsScreen(Screen):
    """Bills to choose from; the chosen one is quoted and reviewed on the pay-method screen."""

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # Tighter than other screens: two bills, the summary, the page buttons and a proxy payment's banner in 1080.
        self.layout_.setSpacing(px(14, ctx.scale))
        self.heading = label("", "Title")
        self.layout_.addWidget(self.heading)
        self.busy = busy_bar()
        self.layout_.addWidget(self.busy)
        self.message = label("", "Message")
        self.layout_.addWidget(self.message)
        self.bill_list = BillList(self, self.choose)
        self.layout_.addStretch(1)

    def voice_prompt(self) -> str:
        return _t(CHOOSE_PROMPT)

    def show_bills(self, bills: list[Bill], agency: str | None = None) -> None:
        """The bills, under one line that counts them (and names their agency when one was chosen)."""
        self.busy.setVisible(False)
        total = format_fen(sum(bill.amount_fen for bill in bills))
        if not bills:
            self.message.setText(_t(NO_BILLS))
        elif agency:
            self.message.setText(_t(AGENCY_SUMMARY).format(agency=agency, count=len(bills), total=total))
        else:
            self.message.setText(_t(BILLS_SUMMARY).format(count=len(bills), total=total))
        chosen = self.ctx.session.bill.bill_no if self.ctx.session.bill else None
        self.bill_list.show(bills, chosen)

    def failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.message.setText(fee_error_text(error))

    def choose(self, bill: Bill) -> None:
        self.busy.setVisible(True)
        self.setEnabled(False)  # one bill at a time while the fee system prices it
        subject = self.ctx.session.subject
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.quote_bill(subject.id_number, bill.bill_no),
            on_done=lambda quote: self.quoted(bill, quote),
            on_failed=self.quote_failed,
        )

    def quote_failed(self, error: Exception) -> None:
        self.setEnabled(True)
        self.failed(error)

    def quoted(self, bill: Bill, quote: Quote) -> None:
        self.busy.setVisible(False)
        self.setEnabled(True)
        self.ctx.session.bill = bill
        self.ctx.session.quote = quote
        self.fire(FlowEvent.BILL_CHOSEN)

    def forget(self) -> None:
        self.bill_list.show([], None)
