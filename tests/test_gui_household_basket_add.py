"""Add to the basket from the flexible worker's medical items (issue 22): the priced months go into the basket
like every other payable choice, twice is refused in words, and the basket pays and posts them."""

from __future__ import annotations

from kiosk.domain.items import InsuredItem
from kiosk.flow import Step
from kiosk_driving import Driver

WORKER = "37010219850715231X"  # 张三丰: flexible medical, paid through 2026-08


def to_medical_items(driver: Driver) -> None:
    """Flexible medical for 2026-10..11 on a base of ¥5,000, without the serious-illness supplement: ¥900.00."""
    driver.tap("flexible_medical")
    driver.tap("confirm_binding")
    driver.wait_for(Step.MED_PERIOD)
    driver.tap("start_2026-10")
    driver.tap("end_2026-11")
    driver.tap("confirm_period")
    driver.tap("alipay")
    driver.wait_for(Step.MED_BASE)
    for key in "5000":
        driver.tap(f"key_{key}")
    driver.tap("confirm_base")
    driver.wait_for(Step.MED_ITEMS)
    driver.wait_for_text("¥924.00")
    driver.tap("med_item_serious_illness")
    driver.wait_for_text("¥900.00")


def test_the_medical_items_go_into_the_basket_once_and_are_paid_from_it(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("flexible", category="flexible", module="pay")
    to_medical_items(driver)
    driver.tap("add_to_basket")
    driver.wait_for(Step.BASKET)
    [line] = driver.ctx.session.basket.items
    assert (line.quote.item, line.quote.amount_fen, line.quote.months) == (InsuredItem.FLEXIBLE_MEDICAL, 90000, 2)

    driver.tap("basket_add_mine")  # the same months again: the basket says so, and keeps one line
    driver.wait_for(Step.ITEMS)
    to_medical_items(driver)
    driver.tap("add_to_basket")
    driver.wait_for_text("该项目已在待缴清单中。")
    assert driver.step is Step.MED_ITEMS and len(driver.ctx.session.basket) == 1

    for _ in range(6):  # back through the medical steps to the basket
        driver.tap("back")
    driver.wait_for(Step.BASKET)
    driver.tap("basket_pay_aggregated")
    driver.wait_for(Step.BASKET_QR)
    driver.pay_open_order()
    driver.wait_for(Step.BASKET_DONE)
    driver.wait_for_text("¥900.00")
    [record] = driver.ctx.fee_system.payment_records(WORKER)
    assert (record.item, record.amount_fen, record.months) == (InsuredItem.FLEXIBLE_MEDICAL, 90000, 2)
