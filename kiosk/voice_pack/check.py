"""`kiosk doctor`'s audio row: is the pack complete, is there an audio output, and does a test sound play on it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.voice_pack import LANGUAGES, clip_file, load_catalogue

PLAY_TIMEOUT_S = 8.0  # the test sound is about 2 s; a sound server may take a moment to open the stream


@dataclass(frozen=True)
class TestSound:
    played: bool
    detail: str


def missing_files(override_dir: Path | None = None) -> list[str]:
    return [
        f"{language}/{clip}.wav"
        for language in LANGUAGES
        for clip in load_catalogue().ids()
        if not clip_file(clip, language, override_dir).is_file()
    ]


def play_test_sound(file: Path, volume: float) -> TestSound:
    """Plays ``file`` on the default output and waits until it has finished (or could not start)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer, QUrl
    from PySide6.QtMultimedia import QSoundEffect

    _app = QCoreApplication.instance() or QCoreApplication([])
    effect = QSoundEffect()
    effect.setVolume(volume)
    loop = QEventLoop()
    seen = {"started": False, "ended": False}

    def playing_changed() -> None:
        if effect.isPlaying():
            seen["started"] = True
        elif seen["started"]:
            seen["ended"] = True
            loop.quit()

    def status_changed() -> None:
        if effect.status() is QSoundEffect.Status.Error:
            loop.quit()

    effect.playingChanged.connect(playing_changed)
    effect.statusChanged.connect(status_changed)
    QTimer.singleShot(round(PLAY_TIMEOUT_S * 1000), loop.quit)
    started = time.monotonic()
    effect.setSource(QUrl.fromLocalFile(str(file)))
    effect.play()
    loop.exec()
    seconds = time.monotonic() - started
    effect.stop()
    if seen["ended"]:
        return TestSound(True, f"test sound played ({seconds:.1f} s)")
    if effect.status() is QSoundEffect.Status.Error:
        return TestSound(False, f"test sound could not be played ({file.name}: not playable)")
    return TestSound(False, f"test sound did not finish within {PLAY_TIMEOUT_S:.0f} s")
