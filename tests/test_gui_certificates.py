"""Certificates (flows 10 and 11) through the real CUPS tools to the simulated A4 printer; a second print is 补打."""

from __future__ import annotations

from cert_fixtures import pdf_text
from kiosk.domain.money import format_fen
from kiosk.domain.periods import Period, YearMonth
from kiosk.flow import Step
from kiosk_driving import Driver

HISTORY = "370102199002140625"  # 赵敏


def enabled(driver: Driver, name: str) -> bool:
    return driver.named_button(name) is not None


def print_tax_certificate(driver: Driver) -> None:
    driver.tap("tax_certificate")
    driver.wait_for(Step.TAX_CERT)
    driver.tap("cert_year_2025")
    driver.wait_for_text("请勾选完税证明要包含的缴费记录")
    driver.tap("issue_certificate")
    driver.wait_for(Step.CERT_PREVIEW)
    driver.pump(50)
    # The preview fits the display: its pages, moves and download QR never widen the window.
    assert driver.kiosk.window.width() <= driver.kiosk.size[0], driver.kiosk.window.width()
    driver.tap("print_certificate")
    driver.wait_for(Step.CERT_DONE, timeout=30000)


def test_tax_certificate_printed_then_reprinted(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    a4 = driver.ctx.devices.simulators["a4_printer"]
    driver.login("history", category="flexible", module="certificates")
    driver.wait_for(Step.CERT_MENU)
    print_tax_certificate(driver)
    assert "请取走您的证明" in driver.screen_text()
    [first] = a4.wait_for_pages(1)
    text = pdf_text(first)
    assert "税收完税证明" in text and "(2026)鲁税证00000001" in text and "赵敏" in text and "补打" not in text

    driver.tap("cert_more")
    driver.wait_for(Step.CERT_MENU)
    driver.tap("tax_certificate")
    driver.tap("cert_year_2025")
    driver.wait_for_text("请勾选完税证明要包含的缴费记录")
    driver.tap("issue_certificate")
    driver.wait_for(Step.CERT_PREVIEW)
    assert "补打" in driver.screen_text()
    driver.tap("print_certificate")
    driver.wait_for(Step.CERT_DONE, timeout=30000)
    pages = a4.wait_for_pages(2)
    assert len(pages) == 2 and "补打" in pdf_text(pages[1]) and "(2026)鲁税证00000001" in pdf_text(pages[1])
    assert not list(driver.ctx.config.state_path("spool").glob("*.pdf"))  # the spooled copy is gone
    driver.tap("finish")
    driver.wait_for(Step.HOME)
    assert driver.ctx.session.certificate is None and driver.ctx.session.certificate_pdf == b""


def records_of(driver: Driver, first: str, last: str) -> list:
    """赵敏's records of the months first..last (YYYY-MM), as the tax screen lists them."""
    wanted = Period(YearMonth.parse(first), YearMonth.parse(last))
    records = driver.ctx.fee_system.payment_records(HISTORY, wanted)
    return sorted(records, key=lambda r: (r.period.start, r.item.value))


def test_tax_certificate_over_chosen_months_and_chosen_records(make_kiosk, qtbot):
    """Guide 五(三): 选择税款所属期 (months by tap) → 查询 → tick the records → the certificate has those only."""
    driver = Driver(make_kiosk(), qtbot)
    driver.login("history", category="flexible", module="certificates")
    driver.tap("tax_certificate")
    driver.wait_for(Step.TAX_CERT)
    driver.tap("period_from")  # 2025年1月 by default: back to 2024, November
    driver.wait_for_text("请选择起始月份")
    driver.tap("picker_year_previous")
    driver.wait_for_text("2024年")
    driver.tap("month_11")
    driver.tap("period_to")  # 2026年12月 by default: back to 2025, February
    driver.tap("picker_year_previous")
    driver.tap("month_2")
    assert "起 2024年11月" in driver.screen_text() and "止 2025年2月" in driver.screen_text()
    driver.tap("search")
    records = records_of(driver, "2024-11", "2025-02")
    assert len(records) == 8
    driver.wait_for_text("已选 8 笔（共 8 笔）")
    assert "税款所属期：2024年11月至2025年2月" in driver.screen_text()
    rows = [text for text in driver.visible_texts(current_screen_only=True) if text.startswith(("☑", "☐"))]
    assert len(rows) == 6 and all(row.startswith("☑ 已选") for row in rows)  # six a page, ticked in words
    assert "2024年11月" in rows[0] and "缴费日期 2024年11月15日" in rows[0] and "2024-11" not in rows[0]
    assert "第 1 页，共 2 页" in driver.screen_text()

    driver.tap("select_none")
    driver.wait_for_text("已选 0 笔（共 8 笔），合计 ¥0.00")
    assert not enabled(driver, "issue_certificate")
    chosen = [records[0], records[3], records[7]]
    driver.tap(f"record_{records[0].payment_no}")
    driver.tap(f"record_{records[3].payment_no}")
    driver.tap("next_page")
    driver.wait_for_text("第 2 页，共 2 页")
    driver.tap(f"record_{records[7].payment_no}")
    total = format_fen(sum(r.amount_fen for r in chosen))
    driver.wait_for_text(f"已选 3 笔（共 8 笔），合计 {total}")
    assert f"☑ 已选   {period_text(records[7])}" in driver.screen_text()
    driver.tap("issue_certificate")
    driver.wait_for(Step.CERT_PREVIEW)
    prepared = driver.ctx.session.certificate
    assert sorted(prepared.issue.payment_nos) == sorted(r.payment_no for r in chosen)
    assert prepared.document.total_figures == total

    driver.tap("back")
    driver.wait_for(Step.TAX_CERT)
    driver.tap("cert_year_2024")
    driver.wait_for_text("已选 24 笔（共 24 笔）")
    driver.tap("select_none")
    driver.tap("select_all")
    driver.wait_for_text("已选 24 笔（共 24 笔）")
    assert "第 1 页，共 4 页" in driver.screen_text()


def period_text(record) -> str:
    return f"{record.period.start.year}年{record.period.start.month}月"


def test_payment_certificate_covers_both_insurances(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("history", category="flexible", module="certificates")
    driver.tap("payment_certificate")
    driver.wait_for(Step.PAY_CERT)
    driver.tap("cert_year_2024")
    driver.wait_for_text("☐ 未选")
    assert not enabled(driver, "issue_summary")  # two insurances: the citizen ticks
    driver.tap("cert_item_flexible_pension")
    driver.tap("cert_item_flexible_medical")
    driver.wait_for_text("已选 2 个险种")
    assert driver.screen_text().count("☑ 已选") == 2
    driver.tap("issue_detail")
    driver.wait_for(Step.CERT_PREVIEW)
    document = driver.ctx.session.certificate.document
    assert {row.item for row in document.rows} == {
        "企业职工基本养老保险费（灵活就业）",
        "职工基本医疗保险费（灵活就业）",
    }
    assert len(document.rows) == 24 and document.period == "2024年01月至2024年12月"


def test_payment_certificate_summary_and_detail(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    a4 = driver.ctx.devices.simulators["a4_printer"]
    driver.login("history", category="flexible", module="certificates")
    driver.tap("payment_certificate")
    driver.wait_for(Step.PAY_CERT)
    driver.tap("cert_year_2024")
    driver.tap("cert_item_flexible_pension")
    driver.tap("issue_summary")
    driver.wait_for(Step.CERT_PREVIEW)
    driver.tap("print_certificate")
    driver.wait_for(Step.CERT_DONE, timeout=30000)
    text = pdf_text(a4.wait_for_pages(1)[0])
    assert "缴费证明" in text and "汇总" in text and "(2026)鲁社证00000001" in text


def test_certificate_printer_offline_is_said(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.ctx.devices.simulators["a4_printer"].set_online(False)
    driver.login("history", category="flexible", module="certificates")
    driver.tap("payment_certificate")
    driver.tap("cert_year_2025")
    driver.tap("cert_item_flexible_medical")
    driver.tap("issue_detail")
    driver.wait_for(Step.CERT_PREVIEW)
    driver.tap("print_certificate")
    driver.wait_for_text("凭证打印机暂不可用")
    assert "正在打印" not in driver.screen_text()
    assert driver.step is Step.CERT_PREVIEW
    issue = driver.ctx.session.certificate.issue
    assert driver.ctx.fee_system.issue_certificate(issue.kind, issue.id_number, issue.payment_nos).printed == 0


def test_issued_certificates_listed_and_reprinted(make_kiosk, qtbot):
    """Guide 一(五), 三(四)2: the certificates issued, by 开具日期; 补打 prints one again with the same number."""
    driver = Driver(make_kiosk(), qtbot)
    a4 = driver.ctx.devices.simulators["a4_printer"]
    driver.login("history", category="flexible", module="certificates")
    driver.tap("issued_certificates")
    driver.wait_for(Step.CERT_ISSUED)
    driver.wait_for_text("您还没有开具过证明")
    driver.tap("back")
    driver.wait_for(Step.CERT_MENU)
    print_tax_certificate(driver)
    a4.wait_for_pages(1)
    driver.tap("cert_more")
    driver.tap("payment_certificate")
    driver.tap("cert_year_2024")
    driver.tap("cert_item_flexible_pension")
    driver.tap("issue_summary")  # numbered, not printed
    driver.wait_for(Step.CERT_PREVIEW)
    driver.tap("back")
    driver.wait_for(Step.PAY_CERT)
    driver.tap("back")
    driver.wait_for(Step.CERT_MENU)

    driver.tap("issued_certificates")
    driver.wait_for_text("您已开具 2 份证明")
    text = driver.screen_text()
    assert "开具日期 2026年11月27日   税收完税证明   编号 (2026)鲁税证 00000001" in text
    assert "24 笔缴费，¥15,501.24   已打印 1 次" in text
    assert "缴费证明（汇总）" in text and "首次开具，尚未打印" in text
    assert text.index("鲁社证") < text.index("鲁税证")  # newest first
    driver.tap("reprint_tax_202600000001")
    driver.wait_for(Step.CERT_PREVIEW)
    assert "补打" in driver.screen_text()
    driver.tap("print_certificate")
    driver.wait_for(Step.CERT_DONE, timeout=30000)
    second = a4.wait_for_pages(2)[1]
    assert "补打（第2次打印）" in pdf_text(second).replace(" ", "") and "(2026)鲁税证00000001" in pdf_text(second)
    issue = driver.ctx.session.certificate.issue
    assert driver.ctx.fee_system.issue_certificate(issue.kind, HISTORY, issue.payment_nos).printed == 2


def test_preview_shows_every_page_readable_with_zoom(make_kiosk, qtbot):
    """The detail certificate of two years runs to several pages: each is shown with its smallest table text at
    24 px or more, page by page, larger on request."""
    driver = Driver(make_kiosk(), qtbot)
    driver.login("history", category="flexible", module="certificates")
    driver.tap("payment_certificate")
    driver.tap("period_from")
    driver.tap("picker_year_previous")
    driver.tap("month_1")  # 2024年1月 … 2026年12月
    driver.tap("search")
    driver.tap("cert_item_flexible_pension")
    driver.tap("cert_item_flexible_medical")
    driver.tap("issue_detail")
    driver.wait_for(Step.CERT_PREVIEW)
    screen = driver.kiosk.window.screens[Step.CERT_PREVIEW]
    pages = screen._document.pageCount()
    assert pages >= 2
    driver.wait_for_text(f"第 1 页，共 {pages} 页")
    scale = driver.ctx.scale
    assert screen.pixels_per_point * 8.5 >= 24 * scale - 0.01  # the voucher/number text, the smallest
    first = screen.page.pixmap().toImage()
    assert first.height() == round(841.89 * screen.pixels_per_point)
    assert not enabled(driver, "previous_page")
    bar = screen.scroll.verticalScrollBar()
    assert bar.value() == 0 and not enabled(driver, "scroll_up") and bar.maximum() > 0  # taller than the view
    driver.tap("scroll_down")
    assert bar.value() > 0 and enabled(driver, "scroll_up")
    driver.tap("next_page")
    driver.wait_for_text(f"第 2 页，共 {pages} 页")
    assert screen.page_index == 1 and screen.page.pixmap().toImage() != first
    width = screen.page.pixmap().width()
    driver.tap("zoom_in")
    driver.wait_for_text("大小 125%")
    assert screen.page.pixmap().width() > width * 1.2 and screen.page_index == 1
    driver.tap("zoom_in")
    assert not enabled(driver, "zoom_in")
    driver.tap("zoom_out")
    driver.tap("zoom_out")
    driver.wait_for_text("大小 100%")
    assert not enabled(driver, "zoom_out")


def test_tax_certificate_with_no_records_in_the_period(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("history", category="flexible", module="certificates")
    driver.tap("tax_certificate")
    driver.tap("cert_year_2027")
    driver.wait_for_text("2027年1月至2027年12月没有查询到缴费记录")
    assert not enabled(driver, "issue_certificate")
    driver.tap("change_conditions")
    driver.wait_for_text("请点选一个年份")
