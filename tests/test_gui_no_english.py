"""No English leaks into what a citizen reads in zh_CN (issue 21): every screen of SCREEN_CLASSES, and every string
a screen translates through ``self.tr``, looked up under the class that runs it.

PySide6's ``self.tr`` looks a string up under the *runtime* class name, so a subclassed screen (the medical period
screen, the basket's card screen, ...) showed its base class's strings in English until the base kept its context.
"""

from __future__ import annotations

import ast
import inspect
import re

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QLabel

from kiosk.flow import Step
from kiosk.i18n import install_translators
from kiosk_driving import Driver
from screens.base import Screen
from screens.main_window import SCREEN_CLASSES, screen_class

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
# Genuine Latin a Chinese screen uses: the PIN pad's PIN and the card scheme's own name (QR is two letters).
ALLOWED = {"PIN", "UnionPay"}
PLACEHOLDER = re.compile(r"\{[^}]*\}")


def english_words(text: str) -> list[str]:
    return [word for word in ENGLISH_WORD.findall(text) if word not in ALLOWED]


def translated_strings(cls: type) -> list[str]:
    """The literal strings ``cls``'s own source passes to ``self.tr``."""
    found = []
    for node in ast.walk(ast.parse(inspect.getsource(cls))):
        is_tr = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "tr"
        if is_tr and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            found.append(node.args[0].value)
    return found


def looked_up(cls: type[Screen], text: str) -> str:
    """What ``self.tr(text)`` gives on an instance of ``cls``: a screen's own ``tr`` (keeping its context), or Qt's,
    which looks up under the runtime class name."""
    if cls.tr is not Screen.tr:
        return cls.tr(None, text)  # type: ignore[arg-type]  # the overrides only name their context
    return QCoreApplication.translate(cls.__name__, text)


@pytest.fixture(scope="module")
def zh_translators(qapp):
    """The kiosk's zh_CN translators on the application, as the kiosk installs them (no kiosk needed to look up)."""
    translators = install_translators(qapp, "zh_CN")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


@pytest.mark.parametrize("step", list(SCREEN_CLASSES), ids=lambda step: step.value)
def test_every_string_a_screen_translates_comes_back_in_chinese(zh_translators, step):
    cls = screen_class(step)
    english = []
    for owner in cls.__mro__:
        if not (isinstance(owner, type) and issubclass(owner, Screen)) or owner is Screen:
            continue
        for text in translated_strings(owner):
            if english_words(PLACEHOLDER.sub("", text)) and looked_up(cls, text) == text:
                english.append(f"{owner.__name__}: {text!r}")
    assert english == [], f"{cls.__name__} shows these in English: {english}"


def test_every_screen_shows_no_english_word(make_kiosk):
    kiosk = make_kiosk()
    window = kiosk.window
    leaks = {}
    for step in SCREEN_CLASSES:
        screen = window.screens[step]
        window.stack.setCurrentWidget(screen)
        QCoreApplication.sendPostedEvents()
        widgets = screen.findChildren(QLabel) + screen.findChildren(QAbstractButton)
        texts = [widget.text() for widget in widgets if widget.isVisible()]
        words = sorted({word for text in texts for word in english_words(text)})
        if words:
            leaks[step.value] = words
        assert texts, f"{step.value} shows nothing to read"
    assert leaks == {}


ISO_DATE = re.compile(r"\d{4}-\d{2}")


def test_the_qr_and_result_screens_write_dates_as_citizens_read_them(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login_resident("resident")
    driver.to_resident_pension_grades("alipay")
    driver.tap("grade_G03")
    driver.tap("confirm_grade")
    driver.wait_for(Step.QR_PAY)
    driver.wait_for_text("2026年")
    assert ISO_DATE.findall(driver.screen_text()) == []
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    driver.wait_for_text("2026年")
    assert ISO_DATE.findall(driver.screen_text()) == []
