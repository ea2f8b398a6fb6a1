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


def banner(driver: Driver) -> str:
    label = driver.kiosk.window.payee_banner
    return label.text() if label.isVisible() else ""


def test_the_payee_is_named_on_every_screen_after_the_confirmation_and_their_own_items_are_offered(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    named: dict[Step, str] = {}
    driver.ctx.flow.changed.connect(lambda step, _previous: named.setdefault(Step(step), banner(driver)))
    # The payer chose 灵活就业 on Home; the payee 欧阳小雪 is a resident: her own insurances are offered.
    driver.login("flexible", category="flexible", module="proxy")
    driver.wait_for(Step.PROXY_ID)
    assert banner(driver) == ""
    type_id(driver, PAYEE)
    driver.tap("confirm_payee")
    driver.wait_for(Step.PROXY_CONFIRM)
    assert banner(driver) == ""  # the confirmation itself shows the person large
    driver.tap("payee_confirmed")
    driver.wait_for(Step.ITEMS)
    assert "为 欧**雪（3701**********0040）缴费" in driver.screen_text()
    assert driver.named_button("resident_pension") and driver.named_button("arrears")
    assert driver.named_button("flexible_pension") is None and driver.named_button("special") is None
    driver.tap("resident_medical")
    driver.tap("year_2027")
    driver.tap("alipay")
    driver.tap("grade_G01")
    driver.tap("confirm_grade")
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    driver.wait_for_text("缴费成功")
    after = [Step.ITEMS, Step.RESIDENT_YEAR, Step.PAY_METHOD, Step.GRADE, Step.QR_PAY, Step.RESULT]
    assert all("欧**雪（3701**********0040）" in named[step] for step in after), named
    assert "欧阳小雪" not in "".join(named.values())
    driver.tap("finish")
    driver.wait_for(Step.HOME)
    assert banner(driver) == ""


def test_a_payer_prints_the_payees_certificates_when_the_fee_system_allows_it(make_kiosk, qtbot, monkeypatch):
    driver = Driver(make_kiosk(), qtbot)
    asked: list[tuple[str, str]] = []
    allows = driver.ctx.fee_system.may_print_certificates_for

    def recorded(payer: str, payee: str) -> bool:
        asked.append((payer, payee))
        return allows(payer, payee)

    monkeypatch.setattr(driver.ctx.fee_system, "may_print_certificates_for", recorded)
    driver.login("flexible", category="resident", module="proxy_certificates")
    driver.wait_for(Step.PROXY_ID)
    driver.wait_for_text("为他人打印凭证")
    type_id(driver, PAYEE)
    driver.tap("confirm_payee")
    driver.wait_for(Step.PROXY_CONFIRM)
    assert "将打印此人的缴费凭证" in driver.screen_text()
    driver.tap("payee_confirmed")
    driver.wait_for(Step.CERT_MENU)
    assert asked == [(PAYER, PAYEE)]
    assert driver.ctx.session.subject.id_number == PAYEE and driver.ctx.session.person.id_number == PAYER
    assert "欧**雪" in banner(driver)


def test_a_refusal_to_print_someone_elses_certificates_is_said_in_words(make_kiosk, qtbot, monkeypatch):
    driver = Driver(make_kiosk(), qtbot)
    monkeypatch.setattr(driver.ctx.fee_system, "may_print_certificates_for", lambda payer, payee: False)
    driver.login("flexible", category="resident", module="proxy_certificates")
    driver.wait_for(Step.PROXY_ID)
    type_id(driver, PAYEE)
    driver.tap("confirm_payee")
    driver.wait_for_text("社保费系统不允许您打印此人的凭证")
    assert driver.step is Step.PROXY_ID and driver.ctx.session.payee is None
