"""The prompt pack: every text a screen says is a prompt of the catalogue, every prompt and number clip has a file in
both languages, and every file is audible and about as long as its words (docs/voice.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from kiosk.i18n import install_translators
from kiosk.voice_pack import (
    LANGUAGES,
    PACK_DIR,
    SECONDS_PLACEHOLDER,
    SECONDS_UNIT,
    clip_file,
    load_catalogue,
    words_before_placeholder,
)
from kiosk.voice_pack.measure import MAX_PEAK_DBFS, MIN_RMS_DBFS, measure_wav

REPO = Path(__file__).resolve().parent.parent
SCREENS = REPO / "screens"
# Where the devices' and the fee system's own words are marked (QT_TRANSLATE_NOOP): the result screens say them.
MESSAGE_PACKAGES = ("kiosk", "drivers", "printers")
MESSAGE_CONTEXTS = ("DeviceMessage", "FeeSystem")
# Functions whose translated words a screen hands to the result screen to show and say (the card's endings).
SPOKEN_ELSEWHERE = {"voice_prompt", "words_for"}
CATALOGUE = load_catalogue()
# Seconds per character of the words a file says: espeak-ng at the renderer's speeds says a Chinese syllable in
# about 0.3 s and an English letter in about 0.065 s; recordings may be up to twice as slow or fast.
SECONDS_PER_CHAR = {"zh_CN": (0.12, 0.75), "en": (0.025, 0.16)}


def _tr_strings(node: ast.AST) -> list[str]:
    return [
        call.args[0].value
        for call in ast.walk(node)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "tr"
        and call.args
        and isinstance(call.args[0], ast.Constant)
    ]


def spoken_by_screens() -> set[tuple[str, str]]:
    """(file, English source) of every text a screen gives the voice: its voice_prompt(), what it assigns to its
    prompt (self._prompt), and what it passes to ctx.speak()."""
    spoken: set[tuple[str, str]] = set()
    for path in sorted(SCREENS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in (node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)):
            if function.name in SPOKEN_ELSEWHERE:
                spoken |= {(path.name, text) for text in _tr_strings(function)}
                continue
            speak_calls = [
                call
                for call in ast.walk(function)
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "speak"
            ]
            for call in speak_calls:  # ctx.speak(self.tr("...").format(...))
                spoken |= {(path.name, text) for arg in call.args for text in _tr_strings(arg)}
            # Names whose value is spoken: ctx.speak(text), ctx.speak(text.format(...)).
            speak_args = {name.id for call in speak_calls for name in ast.walk(call) if isinstance(name, ast.Name)}
            for node in ast.walk(function):
                if isinstance(node, ast.Assign | ast.AugAssign):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    names = {t.attr if isinstance(t, ast.Attribute) else getattr(t, "id", "") for t in targets}
                    if "_prompt" in names or names & speak_args:
                        spoken |= {(path.name, text) for text in _tr_strings(node.value)}
    return spoken


def device_messages() -> set[tuple[str, str, str]]:
    """(file, context, English source) of every QT_TRANSLATE_NOOP of a device or the fee system."""
    found: set[tuple[str, str, str]] = set()
    for package in MESSAGE_PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(call, ast.Call)
                    and getattr(call.func, "id", None) == "QT_TRANSLATE_NOOP"
                    and len(call.args) == 2
                    and all(isinstance(arg, ast.Constant) for arg in call.args)
                    and call.args[0].value in MESSAGE_CONTEXTS
                ):
                    found.add((str(path.relative_to(REPO)), call.args[0].value, call.args[1].value))
    return found


def test_the_scan_finds_the_screens_prompts():
    found = {text for _file, text in spoken_by_screens()}
    assert "Please choose a service." in found  # a voice_prompt()
    assert " Please take your bank card." in found  # the result screen's self._prompt +=
    assert any(text.startswith("Bank card payment cannot be used now") for text in found)  # ctx.speak(text)
    assert any(text.startswith("Are you still there?") for text in found)  # ctx.speak(self.tr(...).format())
    assert "The bank card was taken out. No money was taken." in found  # the card screen's words_for()


def test_the_scan_finds_the_device_messages():
    found = {(file, text) for file, _context, text in device_messages()}
    assert (
        "printers/escpos/errors.py",
        "The receipt printer is out of paper, so no receipt can be printed now.",
    ) in found
    assert any(file == "kiosk/feesystem/api.py" for file, _text in found)  # a fee-system refusal
    assert any(file.startswith("drivers/bankhost/") for file, _text in found)  # a bank's decline
    assert len(found) >= 60


def test_every_device_message_is_a_prompt_of_the_pack():
    """A message the result screen shows is said too: a new one without a prompt fails here."""
    prompts = {(prompt.context, prompt.text) for prompt in CATALOGUE.prompts.values()}
    missing = sorted(
        f"{file}: {context} {text!r}" for file, context, text in device_messages() if (context, text) not in prompts
    )
    assert missing == [], "add these to kiosk/voice_pack/prompts.toml (an id each) and run scripts/render_prompts.py"


def test_every_text_a_screen_says_is_a_prompt_of_the_pack():
    sources = {prompt.text for prompt in CATALOGUE.prompts.values()}
    missing = sorted(f"{file}: {text!r}" for file, text in spoken_by_screens() if text not in sources)
    assert missing == [], "add these to kiosk/voice_pack/prompts.toml and run scripts/render_prompts.py"


def test_a_placeholder_is_followed_only_by_what_a_clip_says(qapp):
    """After {amount} nothing but a full stop; after {seconds} the unit's word, said by its own clip."""
    translators = install_translators(qapp, "zh_CN")
    try:
        for prompt in CATALOGUE.prompts.values():
            if not prompt.placeholder:
                continue
            for language, text in (
                ("en", prompt.text),
                ("zh_CN", QCoreApplication.translate(prompt.context, prompt.text)),
            ):
                assert text.count(prompt.placeholder) == 1, (prompt.id, language)
                after = "".join(ch for ch in text.split(prompt.placeholder)[1] if ch.isalnum())
                expected = (
                    CATALOGUE.numbers[SECONDS_UNIT][language] if prompt.placeholder == SECONDS_PLACEHOLDER else ""
                )
                assert after == expected, (prompt.id, language, text)
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_prompt_and_number_has_a_file(language):
    missing = [clip for clip in CATALOGUE.ids() if not clip_file(clip, language).is_file()]
    assert missing == [], f"run scripts/render_prompts.py: {language} lacks {missing}"


def spoken_words(qapp: QCoreApplication, language: str) -> dict[str, str]:
    translators = install_translators(qapp, language) if language != "en" else []
    try:
        words = {
            prompt.id: words_before_placeholder(QCoreApplication.translate(prompt.context, prompt.text))
            for prompt in CATALOGUE.prompts.values()
        }
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    words |= {number: by_language[language] for number, by_language in CATALOGUE.numbers.items()}
    return words


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_file_is_audible_and_as_long_as_its_words(qapp, language):
    words = spoken_words(qapp, language)
    low, high = SECONDS_PER_CHAR[language]
    problems = []
    for clip, text in words.items():
        measure = measure_wav(PACK_DIR / language / f"{clip}.wav")
        chars = len("".join(ch for ch in text if ch.isalnum()))
        if not measure.in_pack_format:
            problems.append(f"{clip}: {measure.rate} Hz, {measure.channels} ch, {measure.width * 8} bit")
        if measure.rms_dbfs < MIN_RMS_DBFS:
            problems.append(f"{clip}: too quiet, RMS {measure.rms_dbfs:.1f} dBFS")
        if measure.peak_dbfs > MAX_PEAK_DBFS + 0.1:
            problems.append(f"{clip}: clips, peak {measure.peak_dbfs:.1f} dBFS")
        if not chars * low <= measure.seconds <= chars * high + 0.3:
            problems.append(f"{clip}: {measure.seconds:.2f} s for {chars} characters {text!r}")
    assert problems == []


def test_a_silent_file_is_caught(tmp_path):
    import wave

    silent = tmp_path / "silent.wav"
    with wave.open(str(silent), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(b"\0\0" * 16000)
    measure = measure_wav(silent)
    assert measure.seconds == 1.0 and measure.rms_dbfs < MIN_RMS_DBFS and measure.in_pack_format
