"""Voice prompts: each screen says what to do next, from the prompt pack (kiosk/voice_pack, docs/voice.md).

A screen's prompt is text from the translation system (the subtitle and the log); the voice finds which pack
prompts that text is made of and plays their files in the kiosk's language, amounts joined from number clips.
Playback is QtMultimedia's QSoundEffect: the pack is short 16-bit PCM WAV, which QSoundEffect plays with low latency
and no decoder (QMediaPlayer would start an FFmpeg demuxer per clip). No audio output: silent, logged, never a crash.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal

from kiosk.spoken_amounts import AMOUNT_PATTERN, amount_clips, count_clips, parse_amount
from kiosk.voice_pack import (
    AMOUNT_PLACEHOLDER,
    SECONDS_PLACEHOLDER,
    SECONDS_UNIT,
    Catalogue,
    Prompt,
    clip_file,
    load_catalogue,
)

log = logging.getLogger(__name__)

DEFAULT_VOLUME = 0.7  # leaves room for a citizen's "louder"
CITIZEN_STEP = 0.15  # one press of louder/quieter
CITIZEN_STEPS = 2  # at most two presses either way
MIN_VOLUME = 0.1  # quieter never means silent


def _normal(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Resolution:
    clips: list[str] = field(default_factory=list)
    unmatched: str = ""  # the part of the text no prompt of the pack says


_VALUE_PATTERNS = {
    AMOUNT_PLACEHOLDER: f"(?P<amount>{AMOUNT_PATTERN.pattern})",
    SECONDS_PLACEHOLDER: r"\s*(?P<seconds>\d{1,4})\s*",
}


class PromptResolver:
    """Which pack prompts a spoken text is made of, in the language the translators give now."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._patterns: list[tuple[re.Pattern[str], Prompt]] | None = None

    def forget_language(self) -> None:
        self._patterns = None

    def _compiled(self) -> list[tuple[re.Pattern[str], Prompt]]:
        if self._patterns is None:
            patterns = []
            for prompt in self.catalogue.prompts.values():
                # The translation and the English source: a screen whose tr() missed its context still gets its id.
                for text in {QCoreApplication.translate(prompt.context, prompt.text), prompt.text}:
                    before, _, after = _normal(text).partition(prompt.placeholder or "\0")
                    value = _VALUE_PATTERNS.get(prompt.placeholder, "")
                    patterns.append((re.compile(re.escape(before) + value + re.escape(after)), prompt))
            # Longest first: "Payment successful. Please take your receipt." before "Payment successful."
            self._patterns = sorted(patterns, key=lambda entry: -len(entry[0].pattern))
        return self._patterns

    def resolve(self, text: str, language: str) -> Resolution:
        text = _normal(text)
        found = Resolution()
        position = 0
        while position < len(text):
            if text[position] == " ":
                position += 1
                continue
            match = next(
                ((m, prompt) for pattern, prompt in self._compiled() if (m := pattern.match(text, position))), None
            )
            if match is None:
                found.unmatched = text[position:]
                break
            m, prompt = match
            found.clips.append(prompt.id)
            if prompt.placeholder == AMOUNT_PLACEHOLDER:
                found.clips += amount_clips(parse_amount(m["amount"]), language)
            elif prompt.placeholder == SECONDS_PLACEHOLDER:  # the words after the number are the unit's clip
                found.clips += [*count_clips(int(m["seconds"]), language), SECONDS_UNIT]
            position = m.end()
        return found


class ClipPlayer(QObject):
    """Plays files one after another through QSoundEffect; play() interrupts whatever was playing."""

    clip_started = Signal(str)  # the file now playing
    finished = Signal()  # the last clip of a sequence ended (not sent for an interrupted one)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects: dict[Path, Any] = {}
        self._queue: list[Path] = []
        self._current: Any = None
        self.volume = DEFAULT_VOLUME

    def play(self, files: list[Path]) -> None:
        self.stop()
        self._queue = list(files)
        self._next()

    def set_volume(self, volume: float) -> None:
        self.volume = volume
        if self._current is not None:
            self._current.setVolume(volume)

    def stop(self) -> None:
        self._queue = []
        current, self._current = self._current, None
        if current is not None:
            current.stop()

    def _next(self) -> None:
        if not self._queue:
            if self._current is not None:
                self._current = None
                self.finished.emit()
            return
        path = self._queue.pop(0)
        effect = self._effect(path)
        effect.setVolume(self.volume)
        self._current = effect
        effect.play()
        self.clip_started.emit(str(path))

    def _effect(self, path: Path) -> Any:
        from PySide6.QtMultimedia import QSoundEffect

        if path not in self._effects:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.playingChanged.connect(lambda effect=effect: self._playing_changed(effect))
            effect.statusChanged.connect(lambda effect=effect: self._status_changed(effect))
            self._effects[path] = effect
        return self._effects[path]

    def _playing_changed(self, effect: Any) -> None:
        if effect is self._current and not effect.isPlaying():
            self._next()

    def _status_changed(self, effect: Any) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        if effect.status() is QSoundEffect.Status.Error:
            log.warning("voice: cannot play %s", effect.source().toLocalFile())
            if effect is self._current:
                self._next()


@dataclass(frozen=True)
class AudioOutput:
    present: bool
    name: str


def audio_output() -> AudioOutput:
    """The default audio output QtMultimedia would play to (none: the kiosk is silent)."""
    try:
        from PySide6.QtMultimedia import QMediaDevices

        device = QMediaDevices.defaultAudioOutput()
        if QMediaDevices.audioOutputs() and not device.isNull():
            return AudioOutput(True, device.description())
    except Exception:  # no QtMultimedia libraries on this machine: silence, said by doctor and maintenance
        log.exception("voice: QtMultimedia is not usable")
    return AudioOutput(False, "")


class VolumeStore:
    """The hall's volume, set in maintenance mode, kept in the state directory across restarts."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def load(self) -> float:
        if self.path is None or not self.path.is_file():
            return DEFAULT_VOLUME
        try:
            return clamp_volume(float(json.loads(self.path.read_text())["volume"]))
        except (ValueError, KeyError, TypeError, OSError):
            log.warning("voice: unreadable %s, using the default volume", self.path)
            return DEFAULT_VOLUME

    def save(self, volume: float) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps({"volume": round(volume, 2)}))


def clamp_volume(volume: float) -> float:
    return min(1.0, max(MIN_VOLUME, volume))


class Voice(QObject):
    spoken = Signal(str)  # the text: subtitles, logs, tests
    played = Signal(list)  # the files started, in order (str paths): what a recording sink sees
    stopped = Signal()  # the prompt was cut short (a tap answered it)

    def __init__(
        self,
        enabled: bool = True,
        locale_name: str = "zh_CN",
        parent: QObject | None = None,
        *,
        override_dir: Path | None = None,
        volume_file: Path | None = None,
        catalogue: Catalogue | None = None,
    ) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self._locale_name = locale_name
        self.override_dir = override_dir
        self.resolver = PromptResolver(catalogue or load_catalogue())
        self.volumes = VolumeStore(volume_file)
        self.hall_volume = self.volumes.load()
        self.citizen_step = 0
        self.last_prompt = ""
        self.unmatched: list[str] = []  # texts (or their tails) the pack has no prompt for
        self._player: ClipPlayer | None = None
        self._output_checked = False
        self._check_deferred = False
        self._pending: list[Path] = []  # what was said before the output check: played once it is done

    @property
    def locale_name(self) -> str:
        return self._locale_name

    @locale_name.setter
    def locale_name(self, language: str) -> None:
        self._locale_name = language
        self.resolver.forget_language()

    # --- what is said ------------------------------------------------------------------------------------

    def say(self, text: str) -> None:
        if not text:
            return
        self.last_prompt = text
        self.spoken.emit(text)
        resolution = self.resolver.resolve(text, self._locale_name)
        if resolution.unmatched:
            self.unmatched.append(resolution.unmatched)
            log.warning("voice: no prompt in the pack says %r", resolution.unmatched)
        self.play_clips(resolution.clips)

    def replay(self) -> None:
        """再听一遍: the current prompt again, from its start."""
        if self.last_prompt:
            self.say(self.last_prompt)

    def play_test_sound(self) -> None:
        self.play_clips(["test_sound"])

    def play_clips(self, clip_ids: list[str]) -> None:
        files = [clip_file(clip, self._locale_name, self.override_dir) for clip in clip_ids]
        missing = [file for file in files if not file.is_file()]
        if missing:
            log.warning("voice: the pack lacks %s (run scripts/render_prompts.py)", ", ".join(map(str, missing)))
        files = [file for file in files if file not in missing]
        self.played.emit([str(file) for file in files])
        if self._check_deferred and not self._output_checked:
            self._pending = files
            return
        self._play(files)

    def _play(self, files: list[Path]) -> None:
        player = self._playback()
        if player is not None:
            player.volume = self.volume
            player.play(files)

    def stop(self) -> None:
        """Cut the prompt short: the citizen answered it (a tap on "still there?")."""
        self._pending = []
        if self._player is not None:
            self._player.stop()
        self.stopped.emit()

    def defer_output_check(self) -> None:
        """Looking for the audio output opens QtMultimedia and the sound server (about 80 ms): not before the
        first frame. Prompts said until check_output() are kept, and the last one is played then."""
        self._check_deferred = True

    def check_output(self) -> None:
        """After the first frame: find the output, then say what the first screen asked for meanwhile."""
        self._check_deferred = False
        pending, self._pending = self._pending, []
        if self._output_checked:
            return
        self._playback()
        if pending:
            self._play(pending)

    @property
    def player(self) -> ClipPlayer | None:
        """The player, once a prompt found an audio output (None: silent, or nothing said yet)."""
        return self._player

    def _playback(self) -> ClipPlayer | None:
        if not self.enabled:
            return None
        if not self._output_checked:
            self._output_checked = True
            output = audio_output()
            if output.present:
                self._player = ClipPlayer(self)
                log.info("voice: playing prompts on %s", output.name)
            else:
                log.warning("voice: no audio output: voice prompts are silent (subtitles only)")
        return self._player

    # --- how loud ----------------------------------------------------------------------------------------

    @property
    def volume(self) -> float:
        return clamp_volume(self.hall_volume + self.citizen_step * CITIZEN_STEP)

    def set_hall_volume(self, volume: float) -> None:
        """Maintenance mode's setting: kept for every citizen after this one."""
        self.hall_volume = round(clamp_volume(volume), 2)  # steps of 0.1 stay 0.8, not 0.7999999999999999
        self.volumes.save(self.hall_volume)
        self._apply_volume()

    def louder(self) -> None:
        self.set_citizen_step(self.citizen_step + 1)

    def quieter(self) -> None:
        self.set_citizen_step(self.citizen_step - 1)

    def set_citizen_step(self, step: int) -> None:
        """One citizen's louder/quieter (reset to 0 when the session ends)."""
        self.citizen_step = max(-CITIZEN_STEPS, min(CITIZEN_STEPS, step))
        self._apply_volume()

    def _apply_volume(self) -> None:
        if self._player is not None:
            self._player.set_volume(self.volume)
