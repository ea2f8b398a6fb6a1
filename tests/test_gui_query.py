"""Payment records (flow 12): by year, paged, with a receipt reprint marked 补打."""

from __future__ import annotations

from kiosk.flow import Step
from kiosk_driving import Driver


def test_query_pages_and_reprint(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("history", category="flexible", module="query")
    driver.wait_for(Step.QUERY)
    driver.tap("query_year_2025")
    driver.wait_for_text("2025：共 24 笔缴费")
    assert "第 1 页，共 8 页" in driver.screen_text()
    driver.tap("next_page")
    driver.wait_for_text("第 2 页")
    records = driver.ctx.fee_system.payment_records("370102199002140625")
    newest = sorted(records, key=lambda r: (r.period.start, r.item.value), reverse=True)
    target = newest[3]  # first row of page 2
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
    driver.wait_for_text("2024：共 24 笔缴费")
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
    assert screen.records == [] and not screen.findChildren(type(screen.list_layout.parent()), "RecordRow")
    assert driver.ctx.session.person is None
