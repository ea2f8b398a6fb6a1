"""Certificates (flows 10 and 11) through the real CUPS tools to the simulated A4 printer; a second print is 补打."""

from __future__ import annotations

from cert_fixtures import pdf_text
from kiosk.flow import Step
from kiosk_driving import Driver


def print_tax_certificate(driver: Driver) -> None:
    driver.tap("tax_certificate")
    driver.wait_for(Step.TAX_CERT)
    driver.tap("cert_year_2025")
    driver.wait_for_text("请勾选完税证明要包含的缴费记录")
    driver.tap("issue_certificate")
    driver.wait_for(Step.CERT_PREVIEW)
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


def test_tax_certificate_of_one_insurance_only(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login("history", category="flexible", module="certificates")
    driver.tap("tax_certificate")
    driver.tap("cert_year_2024")
    driver.wait_for_text("请勾选完税证明要包含的缴费记录")
    driver.tap("group_flexible_medical")  # untick medical: pension only
    driver.tap("issue_certificate")
    driver.wait_for(Step.CERT_PREVIEW)
    prepared = driver.ctx.session.certificate
    assert len(prepared.issue.payment_nos) == 12


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
