"""Translations: every string the sources mark is in a zh_CN .ts file, and none is left unfinished."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
I18N = REPO / "kiosk" / "i18n"
LUPDATE = Path(sys.executable).parent / "pyside6-lupdate"


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.get("type") in ("vanished", "obsolete"):
                continue
            found[(name, message.findtext("source"))] = translation
    return found


def committed() -> dict[tuple[str, str], ET.Element]:
    found: dict[tuple[str, str], ET.Element] = {}
    for ts in sorted(I18N.glob("*_zh_CN.ts")):
        found.update(messages(ts))
    return found


def test_no_unfinished_translations():
    unfinished = [key for key, translation in committed().items() if translation.get("type") == "unfinished"]
    empty = [key for key, translation in committed().items() if not (translation.text or "").strip()]
    assert unfinished == [] and empty == []


def test_every_marked_string_is_translated(tmp_path):
    sources = sorted(
        str(path)
        for folder in ("app", "kiosk", "screens", "drivers", "printers", "parties")
        for path in (REPO / folder).rglob("*.py")
    )
    extracted = tmp_path / "all_zh_CN.ts"
    subprocess.run([str(LUPDATE), *sources, "-ts", str(extracted)], check=True, capture_output=True, timeout=120)
    missing = sorted(set(messages(extracted)) - set(committed()))
    assert missing == [], f"strings without a zh_CN translation: {missing[:10]}"


def test_compiled_translations_exist():
    for ts in I18N.glob("*_zh_CN.ts"):
        assert ts.with_suffix(".qm").exists(), f"{ts.name} is not compiled: run make setup"
