"""The voice prompt pack: its catalogue (prompts.toml: prompt ids with their translation-system source, and the
number words amounts are joined from) and where each id's WAV file lives, per language (docs/voice.md)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACK_DIR = Path(__file__).resolve().parent
CATALOGUE = PACK_DIR / "prompts.toml"
LANGUAGES = ("zh_CN", "en")
AMOUNT_PLACEHOLDER = "{amount}"  # said as number clips of an amount (kiosk/spoken_amounts.py)
SECONDS_PLACEHOLDER = "{seconds}"  # said as number clips, then the unit clip: the text after it is that unit
PLACEHOLDERS = (AMOUNT_PLACEHOLDER, SECONDS_PLACEHOLDER)
SECONDS_UNIT = "unit_second"
# The format every file of the pack has, recorded ones too: what QSoundEffect plays without a decoder.
SAMPLE_RATE = 16000
CHANNELS = 1
SAMPLE_WIDTH = 2  # bytes: 16-bit PCM


@dataclass(frozen=True)
class Prompt:
    id: str
    context: str  # the Qt translation context of the screen that says it
    text: str  # the English source string (the translation system gives the Chinese)

    @property
    def has_amount(self) -> bool:
        return AMOUNT_PLACEHOLDER in self.text

    @property
    def placeholder(self) -> str:
        """The one placeholder the text holds ("" for none): the prompt's file says the words before it."""
        return next((mark for mark in PLACEHOLDERS if mark in self.text), "")


def words_before_placeholder(text: str) -> str:
    """What a prompt's own file says: its text up to a placeholder, whose value follows as number clips."""
    for mark in PLACEHOLDERS:
        text = text.split(mark)[0]
    return " ".join(text.split())


@dataclass(frozen=True)
class Catalogue:
    prompts: dict[str, Prompt]
    numbers: dict[str, dict[str, str]]  # id -> language -> the word

    def ids(self) -> list[str]:
        return [*self.prompts, *self.numbers]


@cache
def load_catalogue(path: Path = CATALOGUE) -> Catalogue:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    prompts = {pid: Prompt(pid, entry["context"], entry["text"]) for pid, entry in data["prompts"].items()}
    numbers = {nid: dict(words) for nid, words in data["numbers"].items()}
    return Catalogue(prompts, numbers)


def language_dir(language: str) -> str:
    """The folder of a kiosk language (``zh_CN``, ``en``, ``en_US`` → ``en``)."""
    return "en" if language.startswith("en") else "zh_CN"


def clip_file(clip_id: str, language: str, override_dir: Path | None = None) -> Path:
    """A bureau's recording of the id when it installed one, else the rendered file of the pack."""
    relative = Path(language_dir(language)) / f"{clip_id}.wav"
    if override_dir is not None and (override_dir / relative).is_file():
        return override_dir / relative
    return PACK_DIR / relative
