"""Home: who is paying — a flexible-employment worker or an urban/rural resident.

Large text and high contrast are switched on Home (the footer's buttons); a line here says what is on and that
the next citizen gets the normal screen back, so a citizen who pressed one by chance knows what happened."""

from __future__ import annotations

from kiosk.domain.items import Category
from kiosk.flow import FlowEvent, Step
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
        self.layout_.addSpacing(30)
        self.appearance_note = label("", "AppearanceNote")
        self.appearance_note.setVisible(False)
        self.layout_.addWidget(self.appearance_note)
        self.layout_.addStretch(2)
        self._appearance = None

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
