"""Paying for someone else (flow 7): keypad with check-character validation, masked confirmation, both named."""

from __future__ import annotations

from kiosk.flow import Step
from kiosk.payments.journal import PaymentState
from kiosk_driving import Driver

PAYER = "37010219850715231X"  # 张三丰 logs in
PAYEE = "370102200103010040"  # 欧阳小雪 is paid for


def type_id(driver: Driver, number: str) -> None:
    for char in number:
        driver.tap(f"key_{char}")


def test_proxy_payment_names_both_on_the_receipt(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("flexible", category="resident", module="proxy")
    driver.wait_for(Step.PROXY_ID)
    type_id(driver, PAYEE[:-1] + "1")  # wrong check character
    driver.wait_for_text("校验位")
    assert not driver.kiosk.window.current.confirm.isEnabled()
    driver.tap("key_backspace")
    type_id(driver, PAYEE[-1])
    driver.wait_for_text("号码已输入完整")
    driver.tap("confirm_payee")
    driver.wait_for(Step.PROXY_CONFIRM)
    assert "欧**雪" in driver.screen_text() and "3701**********0040" in driver.screen_text()
    assert "欧阳小雪" not in driver.screen_text()
    driver.tap("payee_confirmed")
    driver.wait_for(Step.ITEMS)
    driver.tap("resident_medical")
    driver.tap("year_2027")
    driver.tap("alipay")
    driver.tap("grade_G01")
    driver.tap("confirm_grade")
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    driver.wait_for_text("缴费成功")
    text = "\n".join(driver.printer.wait_for_receipts(1)[0].lines)
    assert "张*丰" in text and "欧**雪" in text and "被代缴人" in text
    [record] = driver.ctx.fee_system.payment_records(PAYEE)
    assert record.payer_id_number == PAYER and record.id_number == PAYEE
    [entry] = driver.ctx.journal.entries()
    assert entry.state is PaymentState.DONE and entry.payer_id_number == PAYER


def test_proxy_for_an_unregistered_person_is_refused_in_words(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("flexible", category="resident", module="proxy")
    driver.wait_for(Step.PROXY_ID)
    type_id(driver, "37010519951111351X")
    driver.tap("confirm_payee")
    driver.wait_for_text("未查询到此证件号码的社保参保登记信息")
    assert driver.step is Step.PROXY_ID


def test_x_only_in_the_last_place(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("flexible", category="resident", module="proxy")
    driver.wait_for(Step.PROXY_ID)
    keypad = driver.kiosk.window.current.keypad
    assert not keypad.keys["X"].isEnabled()
    type_id(driver, "11010519491231002")
    assert keypad.keys["X"].isEnabled()
    driver.tap("key_X")
    driver.wait_for_text("号码已输入完整")
