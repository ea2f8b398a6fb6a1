"""What a citizen may change on Home: large text, high contrast, English, the voice louder or quieter. Reset when
the session ends."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

VOLUME_STEPS = 2  # presses of louder (or quieter) that still change something (kiosk.voice.CITIZEN_STEPS)


class Appearance(QObject):
    changed = Signal()  # large text or contrast
    language_changed = Signal(str)
    volume_changed = Signal(int)  # the citizen's steps louder (+) or quieter (-) than the hall's volume

    def __init__(self, default_language: str) -> None:
        super().__init__()
        self.default_language = default_language
        self.language = default_language
        self.large_text = False
        self.high_contrast = False
        self.volume_step = 0

    def louder(self) -> None:
        self.set_volume_step(self.volume_step + 1)

    def quieter(self) -> None:
        self.set_volume_step(self.volume_step - 1)

    def set_volume_step(self, step: int) -> None:
        step = max(-VOLUME_STEPS, min(VOLUME_STEPS, step))
        if step != self.volume_step:
            self.volume_step = step
            self.volume_changed.emit(step)

    def set_large_text(self, on: bool) -> None:
        if on != self.large_text:
            self.large_text = on
            self.changed.emit()

    def set_high_contrast(self, on: bool) -> None:
        if on != self.high_contrast:
            self.high_contrast = on
            self.changed.emit()

    def toggle_language(self) -> None:
        self.set_language("en" if self.language != "en" else self.default_language)

    def set_language(self, language: str) -> None:
        if language != self.language:
            self.language = language
            self.language_changed.emit(language)

    def reset(self) -> None:
        """The next citizen starts from the hall's defaults."""
        self.set_large_text(False)
        self.set_high_contrast(False)
        self.set_volume_step(0)
        self.set_language(self.default_language)
