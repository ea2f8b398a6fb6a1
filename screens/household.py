"""Family members from the fee system's household register (家庭成员, issue 22): each member, masked, with what
each can pay now, priced by the fee system; a tap adds it to the basket. A big household is shown a page at a time
(上一页 / 第 n 页，共 m 页 / 下一页, the query and certificate lists' pager)."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from drivers.base import QT_TRANSLATE_NOOP
from kiosk.basket import AlreadyInBasket, BasketFull
from kiosk.domain.money import format_fen
from kiosk.domain.names import mask_name
from kiosk.feesystem.api import HouseholdDue
from kiosk.flow import FlowEvent, Step
from screens.base import CHOSEN_WORD, Screen, fee_error_text, period_text, translate
from screens.cert_period import Pager
from screens.style import px
from screens.widgets import busy_bar, button, label

RELATIONS = {
    "spouse": QT_TRANSLATE_NOOP("Household", "spouse"),
    "parent": QT_TRANSLATE_NOOP("Household", "parent"),
    "child": QT_TRANSLATE_NOOP("Household", "child"),
    "self": QT_TRANSLATE_NOOP("Household", "self"),
}
# Rows of 70 px (the record role) a page: with the title, the pager, the message and the back button they fit
# 1080 lines, in large text too.
ROWS_PER_PAGE = 6


def ticked(text: str, chosen: bool) -> str:
    """A tick box and, when chosen, the word 已选: never a border or colour alone (DESIGN.md §7)."""
    return f"☑ {text}   ✓ {translate('Choice', CHOSEN_WORD)}" if chosen else f"☐ {text}"


class HouseholdScreen(Screen):
    step = Step.HOUSEHOLD

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addWidget(label(self.tr("Your household: tap an item to add it"), "Title"))
        self.table_widget = QWidget()
        self.table = QGridLayout(self.table_widget)
        self.table.setHorizontalSpacing(px(40, ctx.scale))
        self.layout_.addWidget(self.table_widget, 1)
        self.message = label("", "Error")
        self.message.setVisible(False)
        self.layout_.addWidget(self.message)
        self.busy = busy_bar()
        self.layout_.addWidget(self.busy)
        self.pager = Pager(self.show_page)
        self.row(*self.pager.widgets())
        self.back_button = button(self.tr("Back to the basket"), "primary", "household_done")
        self.back_button.clicked.connect(lambda: self.fire(FlowEvent.BASKET_BACK))
        self.row(self.back_button)
        self.dues: list[HouseholdDue] = []
        self.page = 0
        self.pager.show(0, 1)

    def voice_prompt(self) -> str:
        return self.tr("Tap the items you want to pay for your family.")

    def on_enter(self) -> None:
        self.message.setVisible(False)
        self.busy.setVisible(True)
        self.clear()
        self.pager.show(0, 1)  # no pager of the last visit while the fee system is asked
        payer = self.ctx.session.person
        if payer is None:
            return
        today = self.ctx.today()
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.household_dues(payer.id_number, today),
            on_done=self.listed,
            on_failed=self.failed,
        )

    def forget(self) -> None:
        self.dues = []
        self.clear()
        self.pager.show(0, 1)

    def clear(self) -> None:
        while self.table.count():
            widget = self.table.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def listed(self, dues: list[HouseholdDue]) -> None:
        self.busy.setVisible(False)
        self.dues = dues
        if not dues:
            self.clear()
            self.pager.show(0, 1)
            self.say(self.tr("The fee system lists no family member with anything to pay now."))
            return
        self.show_page(0)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.dues) // ROWS_PER_PAGE))

    def show_page(self, page: int) -> None:
        """One page of the members' dues; each button keeps its row's number in the whole list (household_add_<n>)."""
        self.page = max(0, min(page, self.pages - 1))
        self.clear()
        basket = self.ctx.session.basket
        first = self.page * ROWS_PER_PAGE
        for row, due in enumerate(self.dues[first : first + ROWS_PER_PAGE]):
            who = QLabel(
                self.tr("{name} ({relation})").format(
                    name=mask_name(due.name), relation=translate("Household", RELATIONS.get(due.relation, due.relation))
                )
            )
            who.setObjectName("Message")
            what = self.tr("{item}, {period}: {amount}").format(
                item=translate("Domain", due.quote.item.label),
                period=period_text(due.quote.period),
                amount=format_fen(due.quote.amount_fen),
            )
            add = button(ticked(what, basket.holds(due.quote)), "record", f"household_add_{first + row}")
            add.clicked.connect(lambda _=False, d=due, b=add, w=what: self.add(d, b, w))
            self.table.addWidget(who, row, 0)
            self.table.addWidget(add, row, 1)
        self.pager.show(self.page, self.pages)

    def add(self, due: HouseholdDue, widget, text: str) -> None:
        try:
            self.ctx.session.basket.add(due.quote, due.name)
        except AlreadyInBasket:
            return
        except BasketFull:
            self.say(self.tr("The basket is full: at most 10 items can be paid at once."))
            return
        widget.setText(ticked(text, True))

    def failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.say(fee_error_text(error))

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
