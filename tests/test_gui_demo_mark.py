"""The screens that confused (issue 21, DESIGN.md §7): 演示 on a demo kiosk and 样张 on its documents, the category on
the menu, the login's wording, dates as citizens read them, the guide's Alipay wording, the card screen's item."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from drivers.pcsc.daemon import ensure_pcscd
from kiosk.certificates import CertificateService
from kiosk.feesystem.api import CertificateKind
from kiosk.flow import Step
from kiosk_driving import Driver

pytest_plugins = ["bank_fixtures"]  # vpcd_slot1: the bank card slot is shared with other test runs

HISTORY = "370102199002140625"  # 赵敏, two years of payments


def demo_mark(driver: Driver) -> QLabel:
    return driver.kiosk.window.findChild(QLabel, "DemoMark")


def test_a_demo_kiosk_says_demo_on_every_screen_and_its_receipt_says_specimen(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    seen: list[Step] = []
    driver.ctx.flow.changed.connect(
        lambda step, _previous: seen.append(Step(step)) if demo_mark(driver).isVisible() else None
    )
    assert demo_mark(driver).isVisible() and demo_mark(driver).text() == "演示"
    driver.login("resident", category="resident", module="pay")
    driver.tap("resident_medical")
    driver.tap("year_2027")
    driver.tap("alipay")
    driver.tap("grade_G01")
    driver.tap("confirm_grade")
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    assert {Step.MENU, Step.LOGIN, Step.ITEMS, Step.RESIDENT_YEAR, Step.GRADE, Step.QR_PAY, Step.RESULT} <= set(seen)
    receipt = "\n".join(driver.printer.wait_for_receipts(1)[0].lines)
    assert "样张 · 演示终端 · 不作为缴费凭证" in receipt


def test_a_real_kiosk_shows_no_demo_mark(make_kiosk, qtbot, monkeypatch):
    import screens.main_window

    monkeypatch.setattr(screens.main_window, "serves_for_real", lambda config: True)
    driver = Driver(make_kiosk(), qtbot)
    assert not demo_mark(driver).isVisible()


def test_a_demo_kiosks_certificate_says_specimen_on_every_page(make_kiosk, qtbot, tmp_path):
    driver = Driver(make_kiosk(), qtbot)
    service: CertificateService = driver.ctx.certificates
    assert service.specimen
    records = driver.ctx.fee_system.payment_records(HISTORY)[:3]
    prepared = service.prepare(CertificateKind.TAX, "赵敏", HISTORY, records)
    assert b"/Type /Page" in service.render(prepared) and not prepared.document.specimen  # marked when rendered
    service.specimen = False
    plain = service.render(prepared)
    service.specimen = True
    marked = service.render(prepared)
    assert len(marked) > len(plain)  # the watermark and the note are drawn on each page


def test_the_menu_names_the_category_and_the_login_asks_to_place_or_insert(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.tap("flexible")
    driver.wait_for(Step.MENU)
    assert "您选择了：灵活就业" in driver.screen_text()
    driver.tap("pay")
    driver.wait_for(Step.LOGIN)
    assert "请放置身份证或插入社保卡" in driver.screen_text() and "请刷卡登录" not in driver.screen_text()


def test_dates_are_written_as_citizens_read_them(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    assert "11月27日 10:00" in driver.visible_texts()
    driver.login("flexible", category="flexible", module="pay")
    driver.tap("flexible_pension")
    driver.wait_for_text("可缴费月份：2026年9月 至 2026年12月")
    assert "2026-09" not in driver.screen_text()


def test_chosen_months_and_grades_show_a_tick_and_the_word(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("flexible", category="flexible", module="pay")
    driver.tap("flexible_pension")
    driver.tap("start_2026-10")
    assert driver.named_button("start_2026-10").text() == "2026年10月\n✓ 已选"
    assert "已选" not in driver.named_button("start_2026-09").text()
    driver.ctx.flow.end_session("home")
    driver.login("young", category="resident", module="pay")
    driver.to_resident_pension_grades("wechat")
    driver.tap("grade_G02")
    assert driver.named_button("grade_G02").text().endswith("✓ 已选")
    driver.tap("grade_G03")
    assert "已选" not in driver.named_button("grade_G02").text()
    driver.ctx.flow.back()  # back to the pay method, then to the years: the year chosen shows its tick
    driver.ctx.flow.back()
    driver.wait_for(Step.RESIDENT_YEAR)
    driver.wait(lambda: driver.named_button("year_2026") is not None, "the years")
    assert driver.named_button("year_2026").text().endswith("✓ 已选")


def test_the_pay_method_has_the_guides_alipay_wording_and_the_card_screen_says_what_is_paid(
    vpcd_slot1, make_kiosk, qtbot
):
    ensure_pcscd()
    driver = Driver(make_kiosk(), qtbot)
    driver.login("special", category="flexible", module="pay")
    driver.tap("special")
    driver.tap("bill_TS3701042026000137")
    driver.wait_for(Step.CHECKOUT_METHOD)
    assert driver.named_button("alipay").text() == "第三方支付（支付宝）"
    driver.tap("bank_card")
    driver.wait_for(Step.CARD_PAY)
    driver.wait_for_text("请将银行卡插入插卡口")
    text = driver.screen_text()
    assert "补缴2019年1月至2019年6月企业职工基本养老保险费，2019年1月至2019年6月" in text
    assert "社保经办机构：济南市槐荫区社会保险事业中心" in text and "¥4,368.00" in text
    driver.tap("cancel_card_payment")
    driver.wait_for(Step.RESULT)
