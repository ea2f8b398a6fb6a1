"""Render the voice prompt pack (kiosk/voice_pack/<language>/<id>.wav) with espeak-ng and sox (docs/voice.md).

    python scripts/render_prompts.py            # render every prompt and number clip in zh_CN and en
    python scripts/render_prompts.py --list     # id, language, text of each file: what a bureau records
    python scripts/render_prompts.py --if-stale # only when the catalogue, a translation or this script changed

The Chinese text is what the kiosk's translation system gives (the compiled kiosk/i18n/*.qm), so the voice says the
subtitle. Mandarin uses espeak-ng's cmn-latn-pinyin voice: Debian 12's cmn/zh voice reads the tone digits of its
pinyin as English numbers (docs/voice.md shows both voices' phonemes).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.i18n import install_translators  # noqa: E402
from kiosk.voice_pack import (  # noqa: E402
    CATALOGUE,
    CHANNELS,
    LANGUAGES,
    PACK_DIR,
    SAMPLE_RATE,
    load_catalogue,
    words_before_placeholder,
)
from kiosk.voice_pack.measure import measure_wav, normalising_gain  # noqa: E402

# espeak-ng voice and words per minute: a little slower than espeak's 175 for older listeners.
VOICES = {"zh_CN": ("cmn-latn-pinyin", 150), "en": ("en-us", 145)}
PAD_SECONDS = 0.04  # after trimming espeak's silences: joined clips keep a short breath between them
STAMP = PACK_DIR / ".rendered"


def texts(language: str) -> dict[str, str]:
    """id → the words its file says in ``language`` (the translation system for prompts)."""
    catalogue = load_catalogue()
    spoken: dict[str, str] = {}
    for prompt in catalogue.prompts.values():
        text = QCoreApplication.translate(prompt.context, prompt.text) if language != "en" else prompt.text
        if language != "en" and text == prompt.text:
            print(f"render_prompts: {prompt.id}: no {language} translation yet, not rendered", file=sys.stderr)
            continue
        spoken[prompt.id] = words_before_placeholder(text)
    for number_id, words in catalogue.numbers.items():
        spoken[number_id] = words[language]
    return spoken


def render(text: str, language: str, target: Path) -> None:
    voice, speed = VOICES[language]
    with tempfile.TemporaryDirectory() as work:
        raw, trimmed = Path(work) / "raw.wav", Path(work) / "trimmed.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True)
        # To the pack's format; espeak's leading and trailing silence trimmed, a short pad put back.
        trim = ["silence", "1", "0.02", "0.5%"]
        subprocess.run(
            [
                "sox",
                "-V1",
                str(raw),
                "-c",
                str(CHANNELS),
                "-b",
                "16",
                str(trimmed),
                "gain",
                "-3",
                "rate",
                str(SAMPLE_RATE),
                *trim,
                "reverse",
                *trim,
                "reverse",
                "pad",
                str(PAD_SECONDS),
                str(PAD_SECONDS),
            ],
            check=True,
        )
        gain = normalising_gain(measure_wav(trimmed))
        subprocess.run(["sox", "-V1", str(trimmed), str(target), "gain", f"{gain:.2f}"], check=True)


def stale() -> bool:
    if not STAMP.exists():
        return True
    sources = [CATALOGUE, Path(__file__), *(REPO / "kiosk" / "i18n").glob("*.qm")]
    return any(source.stat().st_mtime > STAMP.stat().st_mtime for source in sources)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print id, language, text (tab-separated) and stop")
    parser.add_argument("--if-stale", action="store_true", help="do nothing when the pack is up to date")
    args = parser.parse_args()
    if args.if_stale and not args.list and not stale():
        return 0
    app = QCoreApplication([])
    rendered = 0
    for language in LANGUAGES:
        translators = install_translators(app, language)
        for clip_id, text in texts(language).items():
            if args.list:
                print(f"{clip_id}\t{language}\t{text}")
                continue
            folder = PACK_DIR / language
            folder.mkdir(exist_ok=True)
            render(text, language, folder / f"{clip_id}.wav")
            rendered += 1
        for translator in translators:
            app.removeTranslator(translator)
    if not args.list:
        STAMP.touch()
        print(f"render_prompts: {rendered} files in {PACK_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
