"""The insurances of the chosen category (the guide's module screens after login)."""

from __future__ import annotations

from kiosk.domain.items import Category, InsuredItem
from kiosk.flow import ITEM_CHOSEN, Step
from screens.base import ButtonRow, Screen, translate
from screens.widgets import button, label

ITEMS_BY_CATEGORY = {
    Category.FLEXIBLE: (InsuredItem.FLEXIBLE_PENSION, InsuredItem.FLEXIBLE_MEDICAL, InsuredItem.SPECIAL),
    Category.RESIDENT: (InsuredItem.RESIDENT_PENSION, InsuredItem.RESIDENT_MEDICAL),
}


class ItemsScreen(Screen):
    step = Step.ITEMS

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.greeting = label("", "Subtitle")
        self.layout_.addWidget(self.greeting)
        self.title(self.tr("Which insurance do you want to pay?"))
        self.tiles = ButtonRow(self)
        self.layout_.addStretch(2)

    def voice_prompt(self) -> str:
        return self.tr("Please choose the insurance you want to pay.")

    def on_enter(self) -> None:
        session = self.ctx.session
        person = session.person
        greeting = self.tr("Hello, {name} ({id_number})")
        self.greeting.setText(greeting.format(name=person.masked_name, id_number=person.masked_id) if person else "")
        self.tiles.clear()
        for item in ITEMS_BY_CATEGORY.get(session.category or Category.RESIDENT, ()):
            tile = button(translate("Domain", item.label), "tile", item.value)
            tile.clicked.connect(lambda _=False, chosen=item: self.choose(chosen))
            self.tiles.add(tile)

    def forget(self) -> None:
        self.greeting.setText("")

    def choose(self, item: InsuredItem) -> None:
        self.ctx.session.item = item
        self.fire(ITEM_CHOSEN[item])
