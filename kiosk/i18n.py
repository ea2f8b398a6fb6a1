"""Translations: English source strings, zh_CN by default (kiosk/i18n/*_zh_CN.qm, compiled by the set-up)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

log = logging.getLogger(__name__)
I18N_DIR = Path(__file__).with_name("i18n")


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load every kiosk translation for ``language`` (none for English, the source language)."""
    translators: list[QTranslator] = []
    if language == "en":
        return translators
    files = sorted(I18N_DIR.glob(f"*_{language}.qm"))
    if not files:
        log.warning("no compiled translations for %s in %s: run the set-up (make setup)", language, I18N_DIR)
    for qm in files:
        translator = QTranslator(app)
        if translator.load(str(qm)):
            app.installTranslator(translator)
            translators.append(translator)
        else:
            log.warning("cannot load %s", qm.name)
    qt_own = QTranslator(app)  # Qt's own strings (standard dialogs), when the wheel ships them
    if qt_own.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        translators.append(qt_own)
    return translators
