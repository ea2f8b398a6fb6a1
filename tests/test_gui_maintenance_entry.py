"""The hidden way into maintenance mode: a long press on the hall's name, on Home only."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk.flow import Step
from kiosk_driving import Driver


def hold_the_hall_name(driver: Driver) -> None:
    window = driver.kiosk.window
    QTest.mousePress(window.hall, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(5, 5))
    gesture = window._maintenance_gesture
    assert gesture.timer.isActive() and gesture.timer.interval() == 5000
    gesture.timer.timeout.emit()  # the five seconds, without waiting them


def test_long_press_on_home_opens_maintenance_and_leaving_returns(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    hold_the_hall_name(driver)
    qtbot.waitUntil(lambda: driver.kiosk.maintenance is not None, timeout=3000)
    maintenance = driver.kiosk.maintenance
    assert maintenance.isVisible()
    maintenance.ended.emit()
    assert driver.kiosk.maintenance is None
    maintenance.close()


def test_the_gesture_does_nothing_during_a_session(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.tap("resident")
    driver.wait_for(Step.MENU)
    hold_the_hall_name(driver)
    qtbot.wait(100)
    assert driver.kiosk.maintenance is None and driver.step is Step.MENU
