"""Payment records (flows 12 and 15): by year or months, 险种 and status, six rows a page, with a receipt reprint
marked 补打 and the list printed on A4."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from cert_fixtures import pdf_text
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.domain.periods import Period, YearMonth
from kiosk.flow import Step
from kiosk_driving import Driver

HISTORY = "370102199002140625"  # 赵敏
SPECIAL = "370104197809091530"  # 王建国, a pending special-payment bill


def test_query_pages_and_reprint(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("history", category="flexible", module="query")
    driver.wait_for(Step.QUERY)
    driver.tap("query_year_2025")
    driver.wait_for_text("2025年：共 24 笔缴费")
    assert "第 1 页，共 4 页" in driver.screen_text()
    driver.tap("next_page")
    driver.wait_for_text("第 2 页")
    records = driver.ctx.fee_system.payment_records("370102199002140625")
    newest = sorted(records, key=lambda r: (r.period.start, r.item.value), reverse=True)
    target = newest[6]  # first row of page 2
    driver.tap(f"reprint_{target.payment_no}")
    driver.wait_for_text("请取走您补打的缴费小票")
    [receipt] = driver.printer.wait_for_receipts(1)
    text = "\n".join(receipt.lines)
    assert "补打" in text and target.payment_no in text and "赵*" in text
    assert "370102199002140625" not in text


def test_query_year_without_payments(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("resident", category="resident", module="query")
    driver.wait_for(Step.QUERY)
    driver.tap("query_year_2024")
    driver.wait_for_text("2024年没有查询到缴费记录")


def test_reprint_when_the_printer_cannot_print(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.printer.set_state(paper="out")
    driver.login("history", category="flexible", module="query")
    driver.tap("query_year_2024")
    driver.wait_for_text("2024年：共 24 笔缴费")
    first = sorted(
        driver.ctx.fee_system.payment_records("370102199002140625"),
        key=lambda r: (r.period.start, r.item.value),
        reverse=True,
    )
    record = next(r for r in first if r.period.start.year == 2024)
    driver.tap(f"reprint_{record.payment_no}")
    driver.wait_for_text("小票打印机暂不可用")
    assert driver.printer.data_bytes == 0


def test_a_page_of_records_fits_the_screen_even_in_large_text(make_kiosk, qtbot):
    driver = Driver(make_kiosk(**{"display.width": 1920, "display.height": 1080}), qtbot)
    driver.tap("toggle_large_text")
    driver.login("history", category="flexible", module="query")
    driver.tap("query_year_2025")
    driver.wait_for_text("共 24 笔缴费")
    hint = driver.kiosk.window.minimumSizeHint()
    assert hint.width() <= 1920 and hint.height() <= 1080


def test_the_records_are_gone_when_the_session_ends(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("history", category="flexible", module="query")
    driver.tap("query_year_2025")
    driver.wait_for_text("共 24 笔缴费")
    screen = driver.kiosk.window.screens[Step.QUERY]
    driver.tap("home")
    driver.wait_for(Step.HOME)
    assert screen.rows == [] and not screen.findChildren(type(screen.list_layout.parent()), "RecordRow")
    assert driver.ctx.session.person is None


def row_texts(driver: Driver) -> list[str]:
    QCoreApplication.sendPostedEvents()  # rows a layout was just given are shown by a posted call (as in visible_texts)
    screen = driver.kiosk.window.screens[Step.QUERY]
    return [label.text() for label in screen.findChildren(QLabel, "RecordText") if label.isVisible()]


def test_query_by_months_insurance_and_status(make_kiosk, qtbot):
    """Guide 三(六)–(七): 缴费所属期 (months by tap), 险种 and 缴费状态; each row says base, pay method and payer."""
    driver = Driver(make_kiosk(), qtbot)
    driver.login("history", category="flexible", module="query")
    driver.wait_for(Step.QUERY)
    driver.tap("period_from")
    driver.tap("picker_year_previous")  # 2024
    driver.tap("month_7")
    driver.tap("period_to")
    driver.tap("picker_year_previous")  # 2025
    driver.tap("month_3")
    driver.tap("filter_item_flexible_pension")
    driver.tap("filter_status_paid")
    assert "☑ 已选   养老保险" in driver.screen_text()
    assert "☐ 未选   全部险种" in driver.screen_text()
    driver.tap("search")
    driver.wait_for_text("2024年7月至2025年3月（灵活就业人员基本养老保险，已缴费）：共 9 笔缴费")
    rows = row_texts(driver)
    assert len(rows) == 6  # six a page
    assert all("灵活就业人员基本养老保险" in row and "已缴费" in row for row in rows)
    assert rows[0].startswith("2025年3月") and "缴费基数 ¥4,413.00" in rows[0] and "刷卡支付" in rows[0]
    assert "本人缴纳" in rows[0] and "缴费日期 2025年3月15日" in rows[0] and "2025-03" not in rows[0]
    driver.tap("change_conditions")
    driver.tap("filter_status_unpaid")
    driver.tap("search")
    driver.wait_for_text("2024年7月至2025年3月（灵活就业人员基本养老保险，未缴费）没有查询到缴费记录")
    assert not driver.named_button("print_query")


def test_a_proxy_payment_shows_who_paid(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    system = driver.ctx.fee_system
    quote = system.quote_flexible(
        HISTORY, InsuredItem.FLEXIBLE_PENSION, Period(YearMonth(2026, 9), YearMonth(2026, 9)), 500000
    )
    order = system.open_qr_order("proxy-key", quote.quote_id, PayMethod.ALIPAY)
    paid = system.simulate_qr_payment(order.order_no)
    system.post_payment("proxy-key", quote.quote_id, PayMethod.ALIPAY, paid.channel_txn, "37010219850715231X")
    driver.login("history", category="flexible", module="query")
    driver.tap("query_year_2026")
    driver.wait_for_text("2026年：共 1 笔缴费")
    [row] = row_texts(driver)
    assert "他人代缴（张*丰）" in row and "支付宝" in row and "2026年9月" in row
    assert "张三丰" not in driver.screen_text()


def test_unpaid_bills_show_as_not_paid(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    bills = driver.ctx.fee_system.pending_bills(SPECIAL)
    driver.login("special", category="flexible", module="query")
    driver.tap("filter_status_unpaid")
    driver.tap("period_from")
    first_year = min(bill.period.start.year for bill in bills)
    while f"{first_year}年" not in driver.screen_text():
        driver.tap("picker_year_previous")
    driver.tap("month_1")
    driver.tap("search")
    driver.wait_for_text(f"（未缴费）：{len(bills)} 笔未缴费")
    rows = row_texts(driver)
    assert len(rows) == len(bills) and all("未缴费" in row and "单据号" in row for row in rows)
    assert not any(driver.named_button(f"reprint_{bill.bill_no}") for bill in bills)  # nothing to reprint


def test_the_printed_list_on_a4(make_kiosk, qtbot):
    """查询导出: the list as found, on A4, numbered by the fee system, with the name and ID masked."""
    driver = Driver(make_kiosk(), qtbot)
    a4 = driver.ctx.devices.simulators["a4_printer"]
    driver.login("history", category="flexible", module="query")
    driver.tap("filter_item_flexible_medical")
    driver.tap("query_year_2024")
    driver.wait_for_text("2024年（灵活就业人员基本医疗保险）：共 12 笔缴费")
    driver.tap("print_query")
    driver.wait_for_text("请从屏幕下方的出纸口取走查询结果", timeout=30000)
    [page] = a4.wait_for_pages(1)
    text = pdf_text(page).replace(" ", "")
    for expected in ("社会保险费缴费记录查询结果", "(2026)鲁社查00000001", "赵*", "3701**********0625", "已缴费"):
        assert expected in text, expected
    assert "职工基本医疗保险费（灵活就业）" in text and "企业职工基本养老保险费" not in text
    assert HISTORY not in text and "赵敏" not in text
    assert driver.ctx.fee_system.check_document("(2026)鲁社查 00000001").printed == 1
