"""The countdown on every screen; at zero "still there?", then the session ends and its data is wiped."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from kiosk.domain.items import Category
from kiosk.flow import Step
from kiosk_driving import Driver


def test_countdown_runs_out_and_the_session_is_wiped(make_kiosk, qtbot):
    driver = Driver(make_kiosk(**{"timeouts.screen_seconds": 1, "timeouts.still_there_seconds": 1}), qtbot)
    driver.tap("resident")
    driver.wait_for(Step.MENU)
    assert driver.ctx.session.category is Category.RESIDENT
    countdown = driver.kiosk.window.findChild(QLabel, "Countdown")
    assert "秒" in countdown.text()
    qtbot.waitUntil(driver.kiosk.window.overlay.isVisible, timeout=4000)
    assert "您还在吗" in "\n".join(label.text() for label in driver.kiosk.window.overlay.findChildren(QLabel))
    driver.wait_for(Step.HOME, timeout=4000)
    assert not driver.kiosk.window.overlay.isVisible()
    assert driver.ctx.session.category is None


def test_still_there_gives_more_time(make_kiosk, qtbot):
    driver = Driver(make_kiosk(**{"timeouts.screen_seconds": 1, "timeouts.still_there_seconds": 3}), qtbot)
    driver.tap("resident")
    qtbot.waitUntil(driver.kiosk.window.overlay.isVisible, timeout=4000)
    driver.tap("still_there_continue")
    assert driver.step is Step.MENU and driver.ctx.session.category is Category.RESIDENT
    assert driver.ctx.countdown.active


def test_home_has_no_countdown_and_every_other_screen_has_one(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    assert not driver.ctx.countdown.active
    driver.tap("resident")
    assert driver.ctx.countdown.active
    for step, screen in driver.kiosk.window.screens.items():
        assert (screen.countdown_seconds() is None) == (step is Step.HOME)
