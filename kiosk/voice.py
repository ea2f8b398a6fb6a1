"""Voice prompts: each screen says what to do next. QtTextToSpeech where an engine is present, silence where
none is (never a crash). The last prompt is kept so tests can check that every screen asked for one."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class Voice(QObject):
    spoken = Signal(str)

    def __init__(self, enabled: bool = True, locale_name: str = "zh_CN", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.locale_name = locale_name
        self.last_prompt = ""
        self._engine = None
        self._engine_tried = False

    def _speech(self):
        """The engine, created on first use (importing QtTextToSpeech costs start-up time)."""
        if not self._engine_tried:
            self._engine_tried = True
            try:
                from PySide6.QtCore import QLocale
                from PySide6.QtTextToSpeech import QTextToSpeech

                if QTextToSpeech.availableEngines():
                    self._engine = QTextToSpeech(self)
                    self._engine.setLocale(QLocale(self.locale_name))
            except Exception:  # no module, no engine, no audio: the kiosk stays silent, never fails
                log.info("no text-to-speech engine: voice prompts are silent")
                self._engine = None
        return self._engine

    def say(self, text: str) -> None:
        if not text:
            return
        self.last_prompt = text
        self.spoken.emit(text)
        if not self.enabled:
            return
        engine = self._speech()
        if engine is not None:
            engine.stop()
            engine.say(text)
