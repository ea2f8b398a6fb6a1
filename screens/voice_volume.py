"""Maintenance mode's voice section: the audio output in words (or that there is none: the kiosk is silent), the
hall's volume, and a test sound at that volume. Self-contained: a maintenance page adds it with the kiosk's Voice
and a setter that audits the change; a change that fails (disk full, audit log not writable) is emitted in
``failed`` for the page to say, and the volume shown stays the one in force."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.voice import AudioOutput, Voice, audio_output
from screens.widgets import button, label

VOLUME_STEP = 0.1
# What the test sound says: prompt test_sound of the pack (kiosk/voice_pack/prompts.toml), marked for translation.
TEST_SOUND_TEXT = QT_TRANSLATE_NOOP("VoiceVolumeSection", "This is the kiosk's test sound.")


class VoiceVolumeSection(QWidget):
    failed = Signal(object)  # the OSError a change raised (the volume stayed as it was)

    def __init__(
        self,
        voice: Voice,
        output: Callable[[], AudioOutput] = audio_output,
        set_volume: Callable[[float], object] | None = None,
    ) -> None:
        super().__init__()
        self.voice = voice
        self.set_volume = set_volume or voice.set_hall_volume
        self.setObjectName("VoiceVolumeSection")
        layout = QVBoxLayout(self)
        layout.addWidget(label(self.tr("Voice prompts"), "Subtitle"))
        found = output()
        self.output = label(
            self.tr("Audio output: {name}").format(name=found.name)
            if found.present
            else self.tr("No audio output: the kiosk is silent (subtitles only)."),
            "Message",
        )
        layout.addWidget(self.output)
        row = QHBoxLayout()
        self.quieter = button(self.tr("Quieter"), "nav", "hall_volume_down")
        self.quieter.clicked.connect(lambda: self.change(-VOLUME_STEP))
        self.level = label("", "Message", wrap=False)
        self.louder = button(self.tr("Louder"), "nav", "hall_volume_up")
        self.louder.clicked.connect(lambda: self.change(VOLUME_STEP))
        self.test = button(self.tr("Play test sound"), "nav", "voice_test_sound")
        self.test.clicked.connect(voice.play_test_sound)
        self.test.setEnabled(found.present)
        for widget in (self.quieter, self.level, self.louder, self.test):
            row.addWidget(widget)
        layout.addLayout(row)
        self.show_level()

    def change(self, delta: float) -> None:
        try:
            self.set_volume(self.voice.hall_volume + delta)
        except OSError as error:
            self.show_level()
            self.failed.emit(error)
            return
        self.show_level()
        self.voice.play_test_sound()

    def show_level(self) -> None:
        self.level.setText(self.tr("Volume {percent} %").format(percent=round(self.voice.hall_volume * 100)))
