"""A chip card payment that cannot complete offers QR on the result screen (issue 19: no magnetic fallback): the
same item, paid by Alipay without choosing it again, through the whole kiosk (pcscd + vpcd, pad and host
simulators)."""

from __future__ import annotations

import pytest

from drivers.pcsc.daemon import ensure_pcscd
from kiosk.domain.items import PayMethod
from kiosk.flow import Step
from kiosk.payments.journal import PaymentState
from kiosk_driving import Driver
from parties.bankhost.accounts import demo_accounts

pytest_plugins = ["bank_fixtures"]  # vpcd_slot1: the bank card slot is shared with other test runs
pytestmark = pytest.mark.filterwarnings("ignore:.*TripleDES")

RESIDENT = "370103197003224422"
ZHANG_SAN = next(account for account in demo_accounts() if account.name == "ZHANG SAN")


def test_a_card_declined_offline_offers_qr_and_pays_the_same_item_by_alipay(vpcd_slot1, make_kiosk, qtbot):
    ensure_pcscd()
    driver = Driver(make_kiosk(), qtbot)
    slot = driver.ctx.devices.simulators["bankcard"]
    try:
        driver.login_resident("resident")
        driver.to_resident_pension_grades("bank_card")
        driver.tap("grade_G03")
        driver.tap("confirm_grade")
        driver.wait_for(Step.CARD_PAY)
        slot.insert(ZHANG_SAN)
        driver.wait_for_text("请在密码键盘上输入密码", timeout=15000)
        assert driver.ctx.devices.simulators["pinpad"].wait_for_pin_entry(5.0)
        slot.client.card.faults.first_ac = "AAC"  # the chip declines offline: nothing goes to the bank
        driver.ctx.devices.simulators["pinpad"].type_pin("123654")
        driver.wait_for(Step.RESULT, timeout=15000)
        screen = driver.kiosk.window.current
        assert screen.qr_offer.isVisible() and screen.qr_buttons[PayMethod.ALIPAY].isVisible()
        [declined] = driver.ctx.journal.entries()
        assert declined.state is not PaymentState.DONE
        driver.tap("instead_alipay")
        driver.wait_for(Step.QR_PAY, timeout=15000)
        driver.pay_open_order()
        driver.wait_for(Step.RESULT, timeout=15000)
        driver.wait_for_text("缴费成功")
        assert not driver.kiosk.window.current.qr_offer.isVisible()
        paid = [e for e in driver.ctx.journal.entries() if e.state is PaymentState.DONE]
        assert [(e.pay_method, e.amount_fen, e.item) for e in paid] == [(PayMethod.ALIPAY, 80000, declined.item)]
        assert driver.ctx.devices.simulators["bank"].ledger() == []  # the card's bank never saw a purchase
    finally:
        slot.remove()
