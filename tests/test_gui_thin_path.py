"""The thin path by clicking, on the real drivers through the device simulators (pty, vpcd), and its edges."""

from __future__ import annotations

import pytest

from drivers.base import DeviceStatus
from drivers.pcsc.daemon import ensure_pcscd
from kiosk.flow import Step
from kiosk.payments.journal import PaymentState
from kiosk_driving import Driver

RESIDENT = "370103197003224422"


@pytest.fixture
def driver(make_kiosk, qtbot):
    return Driver(make_kiosk(), qtbot)


def test_resident_pension_by_alipay_with_receipt(driver):
    driver.login_resident("resident")
    assert "李*英" in driver.screen_text() and "3701**********4422" in driver.screen_text()
    assert "李秀英" not in driver.screen_text()  # the name is masked on screen
    driver.to_resident_pension_grades("alipay")
    driver.tap("grade_G03")
    driver.wait_for_text("应缴金额：¥800.00")
    driver.tap("confirm_grade")
    driver.wait_for(Step.QR_PAY)
    driver.wait_for_text("正在等待支付")
    assert "¥800.00" in driver.screen_text()
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    driver.wait_for_text("缴费成功")
    assert "请取走您的缴费小票" in driver.screen_text()

    receipts = driver.printer.wait_for_receipts(1)
    text = "\n".join(receipts[0].lines)
    for expected in ("社会保险费缴费小票", "李*英", "3701**********4422", "城乡居民基本养老保险费", "￥800.00",
                     "人民币捌佰元整", "支付宝", "2026-01 至 2026-12"):
        assert expected in text
    assert RESIDENT not in text and "李秀英" not in text
    assert receipts[0].qr_payloads  # the verification code

    [entry] = driver.ctx.journal.entries()
    assert entry.state is PaymentState.DONE and entry.amount_fen == 80000 and entry.receipt_error is None
    [record] = driver.ctx.fee_system.payment_records(RESIDENT)
    assert record.amount_fen == 80000 and record.payment_no == entry.payment_no

    driver.tap("finish")
    driver.wait_for(Step.HOME)
    assert driver.ctx.session.person is None and driver.ctx.session.quote is None
    assert len(driver.spoken) >= 8  # every screen asked for its voice prompt


def test_resident_medical_by_wechat_after_social_security_card_login(driver):
    ensure_pcscd()
    driver.login_resident("young", by="sscard")
    assert driver.ctx.session.login_method == "sscard"
    driver.tap("resident_medical")
    driver.tap("year_2027")
    driver.tap("wechat")
    driver.tap("grade_G01")
    driver.tap("confirm_grade")
    driver.wait_for(Step.QR_PAY)
    driver.wait_for_text("请使用微信扫码支付")
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    driver.wait_for_text("缴费成功")
    assert "微信支付" in "\n".join(driver.printer.wait_for_receipts(1)[0].lines)
    driver.pull_sscard()


def test_pulling_the_social_security_card_ends_the_session(driver):
    ensure_pcscd()
    driver.login_resident("young", by="sscard")
    driver.tap("resident_pension")
    driver.wait_for(Step.RESIDENT_YEAR)
    driver.pull_sscard()
    driver.wait_for(Step.HOME)
    assert driver.ctx.session.person is None


def choose_resident_pension_grade(driver, method: str = "wechat") -> None:
    driver.login_resident("resident")
    driver.tap("resident_pension")
    driver.tap("year_2026")
    driver.tap(method)
    driver.tap("grade_G01")
    driver.tap("confirm_grade")


@pytest.mark.parametrize(
    ("state", "words"),
    [
        ({"paper": "out"}, "小票打印机缺纸"),
        ({"cover_open": True}, "小票打印机上盖打开"),
        ({"online": False}, "小票打印机"),
    ],
)
def test_printer_that_cannot_print_is_announced_before_any_money_is_taken(driver, state, words):
    driver.printer.set_state(**state)
    choose_resident_pension_grade(driver)
    driver.wait_for(Step.RECEIPT_WARNING)
    assert words in driver.screen_text()
    assert driver.ctx.fee_system.open_qr_orders() == [] and driver.ctx.journal.entries() == []
    driver.tap("stop_payment")
    driver.wait_for(Step.HOME)
    assert driver.ctx.journal.entries() == []


def test_paying_without_a_receipt_keeps_the_payment_for_a_reprint(driver):
    driver.printer.set_state(paper="out")
    choose_resident_pension_grade(driver)
    driver.wait_for(Step.RECEIPT_WARNING)
    driver.tap("continue_without_receipt")
    driver.wait_for(Step.QR_PAY)
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    driver.wait_for_text("缴费小票未能打印")
    [entry] = driver.ctx.journal.entries()
    assert entry.state is PaymentState.DONE and entry.receipt_error == "paper_out"
    assert len(driver.ctx.fee_system.payment_records(RESIDENT)) == 1
    assert driver.printer.data_bytes == 0  # nothing was sent to a printer that could not print


def test_paper_low_keeps_working_and_warns_the_technician(driver):
    driver.printer.set_state(paper="low")
    choose_resident_pension_grade(driver)
    driver.wait_for(Step.QR_PAY)
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    driver.wait_for_text("请取走您的缴费小票")
    assert len(driver.printer.wait_for_receipts(1)) == 1
    assert driver.ctx.receipts.technician_warnings == {"receipt_printer": "paper_low"}


def test_expired_card_is_refused(driver):
    driver.tap("resident")
    driver.tap("pay")
    driver.wait_for(Step.LOGIN)
    driver.place_id_card("expired")
    driver.wait_for_text("此证件已过有效期")
    assert driver.step is Step.LOGIN and driver.ctx.session.person is None


def test_back_never_returns_to_the_card_reader(driver):
    driver.login_resident("resident")
    driver.tap("back")  # items -> back skips login -> menu
    driver.wait_for(Step.MENU)


def test_every_screen_fits_the_design_size(make_kiosk, qtbot):
    """1920x1080 is the kiosk's screen: no screen may ask for more (it would be cut off in full screen)."""
    driver = Driver(make_kiosk(**{"display.width": 1920, "display.height": 1080}), qtbot)
    window = driver.kiosk.window

    def fits() -> bool:
        hint = window.minimumSizeHint()
        return hint.width() <= 1920 and hint.height() <= 1080

    driver.login_resident("resident")
    assert fits()
    driver.tap("resident_pension")
    driver.tap("year_2026")
    assert fits()
    driver.tap("alipay")
    driver.wait_for(Step.GRADE)
    assert fits()  # eleven grade buttons
    driver.tap("grade_G11")
    driver.tap("confirm_grade")
    driver.wait_for_text("正在等待支付")
    assert fits()
    for screen in window.screens.values():  # the tallest screens: keypads, previews, month pickers
        hint = screen.minimumSizeHint()
        assert hint.width() <= 1920 and hint.height() <= 1080 - 100 - 124, screen.step


def test_unreadable_card_is_said_in_words(driver):
    driver.ctx.devices.simulators["idcard"].faults.corrupt_checksum = "always"
    driver.tap("resident")
    driver.tap("pay")
    driver.wait_for(Step.LOGIN)
    driver.place_id_card("resident")
    driver.qtbot.waitUntil(lambda: driver.kiosk.window.current.error.isVisible(), timeout=8000)
    assert driver.kiosk.window.current.error.text().strip()
    assert driver.step is Step.LOGIN
    driver.ctx.devices.simulators["idcard"].faults.corrupt_checksum = None
    driver.wait_for(Step.ITEMS)  # the card still on the reader reads fine once the fault is gone


def test_a_silent_id_card_reader_does_not_hold_up_the_social_security_card(driver):
    """Each poll of a reader that stopped answering waits out the device timeout (5 s): the card slot is read on
    its own thread, so the citizen with a social security card is in before the ID reader is even given up."""
    driver.ctx.devices.simulators["idcard"].faults.silent = True
    driver.tap("resident")
    driver.tap("pay")
    driver.wait_for(Step.LOGIN)
    ensure_pcscd()
    driver.insert_sscard("resident")
    driver.wait_for(Step.ITEMS)
    assert driver.ctx.identity.statuses["idcard"] is not DeviceStatus.OFFLINE  # its first poll is still waiting
    driver.pull_sscard()


def test_offline_id_card_reader_points_to_the_other_method(driver):
    driver.ctx.devices.simulators["idcard"].faults.silent = True
    driver.tap("resident")
    driver.tap("pay")
    driver.wait_for(Step.LOGIN)
    driver.wait_for_text("身份证读卡器暂不可用，请插入社保卡登录", timeout=15000)
    ensure_pcscd()
    driver.insert_sscard("resident")
    driver.wait_for(Step.ITEMS)
    driver.pull_sscard()
