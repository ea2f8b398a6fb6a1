"""Home: who is paying — a flexible-employment worker or an urban/rural resident.

Large text and high contrast are switched on Home (the footer's buttons); a line here says what is on and that
the next citizen gets the normal screen back, so a citizen who pressed one by chance knows what happened."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from kiosk.domain.items import Category
from kiosk.flow import FlowEvent, Step
from kiosk.service_health import ProblemKind
from screens.base import Screen
from screens.widgets import button, label

# How often Home looks at the kiosk's health while it rests (the problems come from other threads too).
HEALTH_LOOK_MS = 1000


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
        self.tiles = (flexible, resident)
        self.row(*self.tiles, spacing=80)
        self.out_of_service = label("", "OutOfService")
        self.out_of_service.setVisible(False)
        self.layout_.addWidget(self.out_of_service)
        self.layout_.addSpacing(30)
        self.appearance_note = label("", "AppearanceNote")
        self.appearance_note.setVisible(False)
        self.layout_.addWidget(self.appearance_note)
        self.layout_.addStretch(2)
        self._appearance = None
        self.health_timer = QTimer(self)
        self.health_timer.setInterval(HEALTH_LOOK_MS)
        self.health_timer.timeout.connect(self.show_health)

    def countdown_seconds(self) -> float | None:
        return None  # Home is where the kiosk rests

    def voice_prompt(self) -> str:
        return self.tr("Welcome. Please choose flexible employment or urban and rural resident.")

    def on_enter(self) -> None:
        # The appearance belongs to the window (it outlives a language change); reached once we are in it.
        appearance = getattr(self.window(), "appearance", None)
        if appearance is not None and appearance is not self._appearance:
            self._appearance = appearance
            appearance.changed.connect(self.show_appearance)
        self.show_appearance()
        self.show_health()
        self.health_timer.start()

    def on_leave(self) -> None:
        self.health_timer.stop()

    def show_health(self) -> None:
        """Out of service: the tiles give way to a sentence in words (the technician reads the detail in
        maintenance mode and `kiosk doctor`)."""
        problems = self.ctx.health.problems()
        for tile in self.tiles:
            tile.setVisible(not problems)
        self.out_of_service.setVisible(bool(problems))
        if problems:
            self.out_of_service.setText(self.out_of_service_text(problems[0].kind))

    def out_of_service_text(self, kind: ProblemKind) -> str:
        if kind is ProblemKind.CLIENT_CERTIFICATE:
            reason = self.tr("This machine cannot reach the fee system safely at the moment.")
        else:
            reason = self.tr("This machine needs a technician's attention.")
        return (
            self.tr("Out of service")
            + "\n"
            + reason
            + "\n"
            + self.tr("Please use another self-service machine or the service window. Sorry for the trouble.")
        )

    def show_appearance(self) -> None:
        appearance = self._appearance
        large = bool(appearance and appearance.large_text)
        contrast = bool(appearance and appearance.high_contrast)
        if large and contrast:
            text = self.tr("Large text and high contrast are on. They go back to normal when you finish.")
        elif large:
            text = self.tr("Large text is on. It goes back to normal when you finish.")
        elif contrast:
            text = self.tr("High contrast is on. It goes back to normal when you finish.")
        else:
            text = ""
        self.appearance_note.setText(text)
        self.appearance_note.setVisible(bool(text))

    def choose(self, category: Category) -> None:
        self.ctx.session.category = category
        self.fire(FlowEvent.CATEGORY_CHOSEN)
