"""The countdown on every screen; at zero "still there?", then the session ends and its data is wiped."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from kiosk.domain.items import Category, PayMethod
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


def test_the_footer_counts_the_same_seconds_as_the_still_there_dialog(make_kiosk, qtbot):
    driver = Driver(make_kiosk(**{"timeouts.screen_seconds": 1, "timeouts.still_there_seconds": 20}), qtbot)
    driver.tap("resident")
    overlay = driver.kiosk.window.overlay
    qtbot.waitUntil(overlay.isVisible, timeout=4000)
    footer = driver.kiosk.window.findChild(QLabel, "Countdown")
    dialog = "\n".join(label.text() for label in overlay.findChildren(QLabel))
    assert "20 秒" in dialog and footer.text() == "剩余 20 秒"
    overlay.timer.timeout.emit()  # one second of the dialog's own timer
    assert overlay.remaining == 19 and footer.text() == "剩余 19 秒"
    # Nobody has logged in on the menu: the dialog does not speak of logging out.
    assert "退出登录" not in "\n".join(label.text() for label in overlay.findChildren(QLabel))
    assert "回到首页" in "\n".join(label.text() for label in overlay.findChildren(QLabel))


def test_the_result_screen_waits_for_the_bank_card_and_gives_time_for_the_receipt(make_kiosk, qtbot, monkeypatch):
    driver = Driver(make_kiosk(**{"timeouts.result_seconds": 5}), qtbot)
    window = driver.kiosk.window
    result = window.screens[Step.RESULT]
    assert result.countdown_seconds() >= 30  # a configured 5 s is too short to take a receipt
    session, checkout = driver.ctx.session, driver.ctx.card_checkout
    session.category, session.pay_method = Category.RESIDENT, PayMethod.BANK_CARD
    checkout.card_in_slot = True
    present = [True]
    monkeypatch.setattr(checkout, "card_present", lambda: present[0])
    driver.ctx.flow.step = Step.RESULT
    window.show_step(Step.RESULT.value, Step.CARD_PAY.value)
    assert result.take_card.isVisible() and "请取回您的银行卡" in result.take_card.text()
    spoken_before = len(driver.spoken)
    driver.ctx.countdown.expired.emit()  # time is up, the card still in the slot: stay, say it again
    driver.wait(lambda: len(driver.spoken) > spoken_before, "the card reminder said again")
    assert driver.step is Step.RESULT and "请取回您的银行卡" in driver.spoken[-1]
    assert driver.ctx.countdown.active
    present[0] = False  # the card taken: the next time up goes home
    driver.ctx.countdown.expired.emit()
    driver.wait_for(Step.HOME)
    assert not checkout.card_in_slot


def test_a_touch_anywhere_or_a_key_gives_the_whole_time_again(make_kiosk, qtbot):
    """Not only a button: a press on the screen's background, or a key, restarts the count (TouchActivity)."""
    driver = Driver(make_kiosk(**{"timeouts.screen_seconds": 60}), qtbot)
    driver.tap("resident")
    driver.wait_for(Step.MENU)
    countdown = driver.ctx.countdown
    for press in (
        lambda: QTest.mouseClick(driver.kiosk.window, Qt.MouseButton.LeftButton, pos=QPoint(5, 5)),
        lambda: QTest.keyClick(driver.kiosk.window, Qt.Key.Key_Shift),
    ):
        countdown.remaining = 7  # as if 53 seconds had passed
        press()
        assert countdown.remaining == 60
    countdown.remaining = 7
    QTest.mouseMove(driver.kiosk.window, QPoint(50, 50))  # a move is no sign of a person (nor a repaint)
    driver.kiosk.window.update()
    assert countdown.remaining == 7
