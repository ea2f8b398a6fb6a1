"""The module menu: pay, pay for someone else, certificates, query."""

from __future__ import annotations

from kiosk.flow import Step
from screens.base import Screen
from screens.widgets import button


class MenuScreen(Screen):
    step = Step.MENU

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.title(self.tr("Please choose a service"))
        self.layout_.addSpacing(30)
        tiles = [
            ("pay", self.tr("Pay social insurance")),
            ("proxy", self.tr("Pay for someone else")),
            ("certificates", self.tr("Print certificates")),
            ("query", self.tr("Payment records")),
        ]
        buttons = []
        for event, text in tiles:
            tile = button(text, "tile", event)
            tile.clicked.connect(lambda _=False, e=event: self.choose(e))
            buttons.append(tile)
        self.row(*buttons[:2], spacing=80)
        self.layout_.addSpacing(40)
        self.row(*buttons[2:], spacing=80)
        self.layout_.addStretch(2)

    def voice_prompt(self) -> str:
        return self.tr("Please choose a service.")

    def choose(self, event: str) -> None:
        self.ctx.session.module = event
        self.fire(event)
