"""The insurances to pay (the guide's module screens after login): the category chosen on Home, or for a proxy
payment the payee's own registration (a resident may pay for a flexible worker and the other way round).

Residents also have their arrears here (社保费补缴): looked up on the tap, then the agency (if more than one) and
the bills (screens/arrears.py)."""

from __future__ import annotations

from kiosk.domain.items import Category, InsuredItem
from kiosk.feesystem.api import Bill
from kiosk.flow import ITEM_CHOSEN, FlowEvent, Step
from kiosk.session import Person
from screens.arrears import agencies_of
from screens.base import ButtonRow, Screen, fee_error_text, translate
from screens.widgets import busy_bar, button, label

ITEMS_BY_CATEGORY = {
    Category.FLEXIBLE: (InsuredItem.FLEXIBLE_PENSION, InsuredItem.FLEXIBLE_MEDICAL, InsuredItem.SPECIAL),
    Category.RESIDENT: (InsuredItem.RESIDENT_PENSION, InsuredItem.RESIDENT_MEDICAL),
}
ARREARS = "arrears"  # the residents' arrears tile: a module of bills, not an insured item


def offered_items(category: Category, payee: Person | None) -> tuple[InsuredItem, ...]:
    """The tiles of the category; for a payee, only what the fee system registers them for (the special payment
    with any flexible insurance)."""
    items = ITEMS_BY_CATEGORY[category]
    if payee is None or not payee.items:
        return items
    return tuple(
        item
        for item in items
        if item in payee.items or (item is InsuredItem.SPECIAL and any(i.category is category for i in payee.items))
    )


class ItemsScreen(Screen):
    step = Step.ITEMS

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.greeting = label("", "Subtitle")
        self.layout_.addWidget(self.greeting)
        self.title(self.tr("Which insurance do you want to pay?"))
        self.tiles = ButtonRow(self)
        self.busy = busy_bar()
        self.busy.setVisible(False)
        self.layout_.addWidget(self.busy)
        self.message = label("", "Error")
        self.message.setVisible(False)
        self.layout_.addWidget(self.message)
        self.layout_.addStretch(2)

    def voice_prompt(self) -> str:
        return self.tr("Please choose the insurance you want to pay.")

    def on_enter(self) -> None:
        session = self.ctx.session
        person, payee = session.person, session.payee
        if payee is not None:
            greeting = self.tr("Paying for {name} ({id_number})").format(
                name=payee.masked_name, id_number=payee.masked_id
            )
        elif person is not None:
            greeting = self.tr("Hello, {name} ({id_number})").format(
                name=person.masked_name, id_number=person.masked_id
            )
        else:
            greeting = ""
        self.greeting.setText(greeting)
        self.busy.setVisible(False)
        self.message.setVisible(False)
        self.setEnabled(True)
        self.tiles.clear()
        category = session.subject_category or Category.RESIDENT
        for item in offered_items(category, payee):
            tile = button(translate("Domain", item.label), "tile", item.value)
            tile.clicked.connect(lambda _=False, chosen=item: self.choose(chosen))
            self.tiles.add(tile)
        if category is Category.RESIDENT:
            arrears = button(self.tr("Arrears\n(back payments)"), "tile", ARREARS)
            arrears.clicked.connect(self.look_up_arrears)
            self.tiles.add(arrears)

    def forget(self) -> None:
        self.greeting.setText("")

    def choose(self, item: InsuredItem) -> None:
        self.ctx.session.item = item
        self.fire(ITEM_CHOSEN[item])

    def look_up_arrears(self) -> None:
        self.message.setVisible(False)
        self.busy.setVisible(True)
        self.setEnabled(False)  # one lookup at a time
        subject = self.ctx.session.subject
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.arrears_bills(subject.id_number),
            on_done=self.arrears_found,
            on_failed=self.arrears_failed,
        )

    def arrears_found(self, bills: list[Bill]) -> None:
        if self.ctx.flow.step is not self.step:
            return  # the session ended meanwhile
        self.busy.setVisible(False)
        self.setEnabled(True)
        if not bills:
            self.show_problem(self.tr("You have no arrears to pay."))
            return
        session = self.ctx.session
        session.item, session.bills, session.bill = InsuredItem.SPECIAL, bills, None
        agencies = agencies_of(bills)
        session.agency = agencies[0] if len(agencies) == 1 else None
        self.fire(FlowEvent.ARREARS_ONE_AGENCY if len(agencies) == 1 else FlowEvent.ARREARS_AGENCIES)

    def arrears_failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.setEnabled(True)
        self.show_problem(fee_error_text(error))

    def show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
        self.ctx.speak(text)
