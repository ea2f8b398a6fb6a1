"""Paying by bank card (刷卡支付) through the whole kiosk: the PBOC card through pcscd + vpcd, the PIN on the pad
simulator (pty), ISO 8583 to the bank host simulator.

Only what no scenario shows is here. The card paths a scenario walks through the same window are
tests/scenarios/card_*.toml and fault_bank_drop.toml (run by tests/test_harness_scenarios.py): approved, wrong PIN,
insufficient funds, the card pulled during PIN entry, the host dropping or not answering the purchase, the PIN pad
going dead during PIN entry; the card payment's state machine has its own tests (tests/test_card_checkout_machine.py).
"""

from __future__ import annotations

import pytest

from drivers.pcsc.daemon import ensure_pcscd
from kiosk.flow import Step
from kiosk.payments.journal import PaymentState
from kiosk_driving import Driver
from parties.bankhost.accounts import demo_accounts

pytest_plugins = ["bank_fixtures"]  # vpcd_slot1: the bank card slot is shared with other test runs

RESIDENT = "370103197003224422"
ACCOUNTS = {account.name: account for account in demo_accounts()}


def to_card_screen(driver: Driver, grade: str = "G03") -> None:
    driver.login_resident("resident")
    driver.to_resident_pension_grades("bank_card")
    driver.tap(f"grade_{grade}")
    driver.tap("confirm_grade")
    driver.wait_for(Step.CARD_PAY)
    driver.wait_for_text("请将银行卡插入插卡口")


def insert_card_and_wait_for_pin(driver: Driver, holder: str) -> None:
    driver.ctx.devices.simulators["bankcard"].insert(ACCOUNTS[holder])
    driver.wait_for_text("请在密码键盘上输入密码", timeout=15000)
    assert driver.ctx.devices.simulators["pinpad"].wait_for_pin_entry(5.0)


# --- the PIN pad unplugged (XFS "offline"): said in words, no money moves, a safe way on ---------------------

PAD_OFFLINE = "密码键盘暂时无法使用"
FAST_DEVICES = {"timeouts.device_seconds": 1}  # a silent pad is called offline after this


def bank_untouched(driver: Driver) -> None:
    assert driver.ctx.journal.entries() == []
    assert driver.ctx.fee_system.payment_records(RESIDENT) == []
    bank = driver.ctx.devices.simulators["bank"]
    assert bank.ledger() == []
    for account in ACCOUNTS.values():
        assert bank.balance(account.pan) == account.balance_fen


@pytest.fixture
def fast_driver(vpcd_slot1, make_kiosk, qtbot):
    ensure_pcscd()
    driver = Driver(make_kiosk(**FAST_DEVICES), qtbot)
    yield driver
    driver.ctx.devices.simulators["pinpad"].set_offline(False)
    driver.ctx.devices.simulators["bankcard"].remove()


def test_pinpad_unplugged_when_choosing_bank_card_offers_qr(fast_driver):
    """card_pinpad_offline.toml walks this path too; what a scenario step cannot check is here: the kiosk says it
    aloud and the bank card button stays greyed out."""
    driver = fast_driver
    driver.ctx.devices.simulators["pinpad"].set_offline(True)
    driver.login_resident("resident")
    driver.tap("resident_pension")
    driver.tap("year_2026")
    driver.tap("bank_card")  # refused on the pay method screen: no grade screen
    driver.wait_for_text(PAD_OFFLINE, timeout=5000)
    text = driver.screen_text()
    assert "请选择支付宝或微信支付" in text and "未扣取任何费用" in text
    assert driver.step is Step.PAY_METHOD  # the citizen never gave up the card
    assert any(PAD_OFFLINE in line for line in driver.spoken)
    assert driver.named_button("bank_card") is None  # not offered again in this session
    driver.tap("wechat")  # the safe way on: the same payment by QR
    driver.wait_for(Step.GRADE)
    bank_untouched(driver)


def test_pinpad_unplugged_before_the_card_screen_asks_for_no_card(fast_driver):
    """The pad answered when the pay method was chosen and is gone by the grade's confirm (no scenario does this)."""
    driver = fast_driver
    driver.login_resident("resident")
    driver.to_resident_pension_grades("bank_card")
    driver.tap("grade_G03")
    driver.ctx.devices.simulators["pinpad"].set_offline(True)  # after the pay method screen asked it
    driver.tap("confirm_grade")
    driver.wait_for(Step.RESULT, timeout=8000)
    text = driver.screen_text()
    assert PAD_OFFLINE in text and "未扣取任何费用" in text and "缴费成功" not in text
    assert "请取回您的银行卡" not in text  # no card was ever asked for
    bank_untouched(driver)


def test_an_sm4_kiosk_pays_on_its_simulated_pad_and_host(vpcd_slot1, make_kiosk, qtbot):
    """devices.pinpad.algorithm = "sm4": the simulated pad gets the SM4 test master key and the simulated host
    works in SM4 too (both were TDES whatever the configuration said)."""
    ensure_pcscd()
    driver = Driver(make_kiosk(**{"devices.pinpad.algorithm": "sm4"}), qtbot)
    try:
        to_card_screen(driver)
        insert_card_and_wait_for_pin(driver, "ZHANG SAN")
        driver.ctx.devices.simulators["pinpad"].type_pin("123654")
        driver.wait_for(Step.RESULT, timeout=15000)
        driver.wait_for_text("缴费成功")
        [entry] = driver.ctx.journal.entries()
        assert entry.state is PaymentState.DONE and entry.amount_fen == 80000
    finally:
        driver.ctx.devices.simulators["bankcard"].remove()
