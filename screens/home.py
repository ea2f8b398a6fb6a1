"""Home: who is paying — a flexible-employment worker or an urban/rural resident."""

from __future__ import annotations

from kiosk.domain.items import Category
from kiosk.flow import Step
from screens.base import Screen
from screens.widgets import button, label


class HomeScreen(Screen):
    step = Step.HOME

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.title(self.tr("Social insurance fee self-service"))
        self.layout_.addWidget(label(self.tr("Please choose who you are"), "Subtitle"))
        self.layout_.addSpacing(30)
        flexible = button(self.tr("Flexible employment\n(flexible-employment social insurance)"), "tile", "flexible")
        resident = button(self.tr("Urban and rural resident\n(resident social insurance)"), "tile", "resident")
        flexible.clicked.connect(lambda: self.choose(Category.FLEXIBLE))
        resident.clicked.connect(lambda: self.choose(Category.RESIDENT))
        self.row(flexible, resident, spacing=80)
        self.layout_.addStretch(2)

    def countdown_seconds(self) -> float | None:
        return None  # Home is where the kiosk rests

    def voice_prompt(self) -> str:
        return self.tr("Welcome. Please choose flexible employment or urban and rural resident.")

    def choose(self, category: Category) -> None:
        self.ctx.session.category = category
        self.fire("category_chosen")
