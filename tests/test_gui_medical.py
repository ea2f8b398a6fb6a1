"""Flexible-employment medical insurance (flow 5): binding, months, pay method, base, items, pay."""

from __future__ import annotations

from kiosk.flow import Step
from kiosk_driving import Driver

WORKER = "37010219850715231X"  # 张三丰: registered for flexible medical, paid through 2026-08


def test_flexible_medical_with_and_without_the_supplement(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("flexible", category="flexible", module="pay")
    driver.tap("flexible_medical")
    driver.wait_for(Step.MED_BINDING)
    driver.wait_for_text("大额医疗费用补助")
    assert "职工基本医疗保险（灵活就业）" in driver.screen_text()
    driver.tap("confirm_binding")
    driver.wait_for(Step.MED_PERIOD)
    driver.wait_for_text("基本医疗保险缴费")
    driver.tap("start_2026-10")
    driver.tap("end_2026-11")
    driver.tap("confirm_period")
    driver.wait_for(Step.MED_METHOD)
    driver.tap("alipay")
    driver.wait_for(Step.MED_BASE)
    for key in "5000":
        driver.tap(f"key_{key}")
    driver.tap("confirm_base")
    driver.wait_for(Step.MED_ITEMS)
    # 2 months × (¥5,000 × 9% + ¥12) = ¥924.00
    driver.wait_for_text("¥924.00")
    assert not driver.named_button("med_item_basic")  # the basic insurance cannot be left out
    driver.tap("med_item_serious_illness")  # without the supplement: 2 × ¥450 = ¥900.00
    driver.wait_for_text("¥900.00")
    driver.tap("confirm_items")
    driver.wait_for(Step.QR_PAY)
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    driver.wait_for_text("缴费成功")
    [record] = driver.ctx.fee_system.payment_records(WORKER)
    assert record.amount_fen == 90000 and record.months == 2 and record.base_fen == 500000


def test_medical_screens_speak_chinese_offer_the_listed_bases_and_mark_what_is_chosen(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("flexible", category="flexible", module="pay")
    driver.tap("flexible_medical")
    driver.tap("confirm_binding")
    driver.wait_for(Step.MED_PERIOD)
    driver.wait_for_text("起始月份")  # the pension screens' words, in the medical screens too
    driver.tap("start_2026-12")
    assert driver.named_button("start_2026-12").text() == "2026年12月\n✓ 已选"
    driver.tap("confirm_period")
    driver.wait_for(Step.MED_METHOD)
    assert "请选择缴费方式" in driver.screen_text()
    assert driver.named_button("alipay").text() == "第三方支付（支付宝）"
    driver.tap("wechat")
    driver.wait_for(Step.MED_BASE)
    driver.wait_for_text("请选择或输入缴费基数")
    driver.tap("base_4552")
    assert driver.named_button("base_4552").text() == "✓ ¥4,552.00 已选"
    driver.tap("confirm_base")
    driver.wait_for(Step.MED_ITEMS)
    driver.wait_for_text("☑ 已选 大额医疗费用补助")
    driver.tap("med_item_serious_illness")
    driver.wait_for_text("☐ 大额医疗费用补助")
