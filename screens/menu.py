"""The module menu: pay, pay for someone else, certificates (one's own, or another person's), query.

It says which of 灵活就业 / 城乡居民 was chosen on Home, so a citizen who tapped the other one sees it here."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from kiosk.domain.items import Category
from kiosk.flow import Step
from screens.base import Screen
from screens.widgets import button, label


class MenuScreen(Screen):
    step = Step.MENU

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.category = label("", "Subtitle")
        self.layout_.addWidget(self.category)
        self.title(self.tr("Please choose a service"))
        self.layout_.addSpacing(30)
        tiles = [
            ("pay", self.tr("Pay social insurance")),
            ("proxy", self.tr("Pay for someone else")),
            ("certificates", self.tr("Print certificates")),
            ("proxy_certificates", self.tr("Print certificates\nfor someone else")),
            ("query", self.tr("Payment records")),
        ]
        buttons: list[QPushButton] = []
        for event, text in tiles:
            tile = button(text, "tile", event)
            tile.clicked.connect(lambda _=False, e=event: self.choose(e))
            buttons.append(tile)
        self.row(*buttons[:2], spacing=80)
        self.layout_.addSpacing(40)
        for tile in buttons[2:]:  # three in the second row: narrower tiles keep it within the screen's width
            tile.setProperty("compact", True)
        self.row(*buttons[2:], spacing=40)
        self.layout_.addStretch(2)

    def voice_prompt(self) -> str:
        return self.tr("Please choose a service.")

    def on_enter(self) -> None:
        category = self.ctx.session.category
        if category is Category.FLEXIBLE:
            self.category.setText(self.tr("You chose: flexible employment"))
        elif category is Category.RESIDENT:
            self.category.setText(self.tr("You chose: urban and rural resident"))
        else:
            self.category.setText("")

    def choose(self, event: str) -> None:
        self.ctx.session.module = event
        self.fire(event)
