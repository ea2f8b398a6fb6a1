"""Large text, high contrast and English from Home; the next citizen gets the hall's defaults back."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from kiosk.flow import Step
from kiosk_driving import Driver


def title_pixel_size(driver: Driver) -> int:
    title = driver.kiosk.window.current.findChild(QLabel, "Title")
    return title.fontInfo().pixelSize()


def test_large_text_and_high_contrast_then_reset(make_kiosk, qtbot):
    driver = Driver(make_kiosk(**{"display.width": 1920, "display.height": 1080}), qtbot)
    normal = title_pixel_size(driver)
    driver.tap("toggle_large_text")
    assert title_pixel_size(driver) >= normal * 1.2
    driver.tap("toggle_contrast")
    assert "#ffff00" in driver.kiosk.app.styleSheet()
    assert "已开启大字模式和高对比度，办理结束后自动恢复。" in driver.screen_text()  # said in words on Home
    driver.tap("resident")
    driver.wait_for(Step.MENU)
    assert driver.kiosk.appearance.large_text and driver.kiosk.appearance.high_contrast
    driver.tap("home")
    driver.wait_for(Step.HOME)
    qtbot.waitUntil(lambda: not driver.kiosk.appearance.large_text, timeout=3000)
    assert not driver.kiosk.appearance.high_contrast
    assert "#ffff00" not in driver.kiosk.app.styleSheet()
    assert title_pixel_size(driver) == normal
    assert "已开启" not in driver.screen_text()


def test_english_for_one_session(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    assert "社保费自助缴费" in driver.screen_text()
    driver.tap("toggle_language")
    qtbot.waitUntil(lambda: "Social insurance fee self-service" in driver.screen_text(), timeout=3000)
    driver.tap("resident")
    driver.wait_for(Step.MENU)
    assert "Pay social insurance" in driver.screen_text()
    driver.tap("home")
    driver.wait_for(Step.HOME)
    qtbot.waitUntil(lambda: "社保费自助缴费" in driver.screen_text(), timeout=3000)


def test_large_text_screens_still_fit(make_kiosk, qtbot):
    driver = Driver(make_kiosk(**{"display.width": 1920, "display.height": 1080}), qtbot)
    driver.tap("toggle_large_text")
    window = driver.kiosk.window
    for screen in window.screens.values():
        hint = screen.minimumSizeHint()
        assert hint.width() <= 1920 and hint.height() <= 1080 - 100 - 124, screen.step
