"""Certificates numbered by the fee system: the same records again are a reprint (补打) with the print count."""

from __future__ import annotations

import datetime as dt

from cert_fixtures import pdf_text
from kiosk.certificates import CertificateContext, CertificateService
from kiosk.domain.items import InsuredItem
from kiosk.domain.periods import Period
from kiosk.feesystem.api import CertificateKind

pytest_plugins = ["feehttp_fixtures"]

HISTORY = "370102199002140625"  # 赵敏
SPECIAL = "370104197809091530"  # 王建国, a pending special-payment bill


def service(fee_system) -> CertificateService:
    context = CertificateContext("https://fee.example", "国家税务总局济南市历下区税务局", "T-01", dt.date(2026, 11, 27))
    return CertificateService(fee_system, lambda: context)


def test_first_print_then_reprint(fee_system, tmp_path):
    certificates = service(fee_system)
    records = fee_system.payment_records(HISTORY, Period.year(2025))
    first = certificates.prepare(CertificateKind.TAX, "赵敏", HISTORY, records)
    assert not first.reprint and first.document.number == "(2026)鲁税证 00000001"
    path = tmp_path / "first.pdf"
    path.write_bytes(certificates.render(first))
    assert "补打" not in pdf_text(path) and "(2026)鲁税证00000001" in pdf_text(path)
    certificates.printed(first)

    again = certificates.prepare(CertificateKind.TAX, "赵敏", HISTORY, records)
    assert again.reprint and again.document.number == first.document.number and again.document.print_count == 2
    path = tmp_path / "again.pdf"
    path.write_bytes(certificates.render(again))
    assert "补打" in pdf_text(path)


def test_payment_certificate_forms_have_their_own_numbers(fee_system, tmp_path):
    certificates = service(fee_system)
    records = fee_system.payment_records(HISTORY, Period.year(2024))
    summary = certificates.prepare(CertificateKind.PAYMENT_SUMMARY, "赵敏", HISTORY, records, category="灵活就业人员")
    detail = certificates.prepare(CertificateKind.PAYMENT_DETAIL, "赵敏", HISTORY, records, category="灵活就业人员")
    assert summary.document.number != detail.document.number
    path = tmp_path / "detail.pdf"
    path.write_bytes(certificates.render(detail))
    assert "赵敏" in pdf_text(path)


def test_the_fee_system_lists_issued_certificates_newest_first(fee_system, clock):
    certificates = service(fee_system)
    assert certificates.issued(HISTORY) == []
    records = fee_system.payment_records(HISTORY, Period.year(2025))
    tax = certificates.prepare(CertificateKind.TAX, "赵敏", HISTORY, records)
    certificates.printed(tax)
    summary = certificates.prepare(CertificateKind.PAYMENT_SUMMARY, "赵敏", HISTORY, records[:2])
    listed = certificates.issued(HISTORY)
    assert [issue.number for issue in listed] == [summary.issue.number, tax.issue.number]  # same second: by issue
    assert listed[1].printed == 1 and listed[0].printed == 0
    assert fee_system.issued_certificates("37010219850715231X") == []  # another person's list is empty


def test_a_reprint_from_the_issued_list_has_the_same_number_and_says_so(fee_system, tmp_path):
    certificates = service(fee_system)
    records = fee_system.payment_records(HISTORY, Period.year(2024))[:5]
    first = certificates.prepare(CertificateKind.PAYMENT_DETAIL, "赵敏", HISTORY, records, category="灵活就业人员")
    certificates.printed(first)
    [issue] = certificates.issued(HISTORY)
    again = certificates.prepare_reprint(issue, "赵敏", category="灵活就业人员")
    assert again.reprint and again.issue.number == first.issue.number and again.document.print_count == 2
    assert again.document.rows == first.document.rows
    path = tmp_path / "again.pdf"
    path.write_bytes(certificates.render(again))
    assert "补打（第2次打印）" in pdf_text(path).replace(" ", "")


def test_a_query_list_is_numbered_and_its_code_checks(fee_system, tmp_path):
    from cert_fixtures import decode_qr
    from kiosk.query import PayStatus, QueryFilter, find
    from kiosk.verification import DEMO_PUBLIC_KEY, PublicKey, verify_signed_code

    certificates = service(fee_system)
    wanted = QueryFilter(Period.year(2025), InsuredItem.FLEXIBLE_PENSION, PayStatus.PAID)
    rows = find(fee_system, HISTORY, wanted)
    assert len(rows) == 12 and all(row.item is InsuredItem.FLEXIBLE_PENSION for row in rows)
    prepared = certificates.prepare_query_list("赵敏", HISTORY, wanted, rows)
    assert prepared.issue.kind is CertificateKind.QUERY_LIST and prepared.issue.number.startswith("(2026)鲁社查")
    assert certificates.issued(HISTORY) == []  # a query list is not a certificate to reprint
    path = tmp_path / "list.pdf"
    path.write_bytes(certificates.render(prepared))
    text = pdf_text(path)
    for expected in (
        "社会保险费缴费记录查询结果",
        "赵*",
        "3701**********0625",
        "2025年12月",
        "已缴费",
        "本人",
        "银行卡",
    ):
        assert expected in text.replace(" ", ""), expected
    assert HISTORY not in text and "赵敏" not in text
    [url] = decode_qr(path, 1)
    assert url.startswith("https://fee.example/verify/")  # the bureau's public page for the code
    claimed = verify_signed_code([PublicKey.parse(DEMO_PUBLIC_KEY)], url.rsplit("/", 1)[1])  # the simulator's key
    assert claimed is not None and claimed.number == prepared.issue.number
    assert claimed.total_fen == sum(row.amount_fen for row in rows) and claimed.masked_name == "赵*"
    check = fee_system.check_document(claimed.number)  # the number is one the fee system issued, for that total
    assert check is not None and check.kind == "query_list" and check.total_fen == claimed.total_fen


def test_the_query_filters_and_names_the_proxy_payer(fee_system):
    from kiosk.domain.items import PayMethod
    from kiosk.domain.periods import YearMonth
    from kiosk.query import PayStatus, QueryFilter, find

    payer = "37010219850715231X"  # 张三丰 pays 赵敏's pension of 2026-09
    quote = fee_system.quote_flexible(
        HISTORY, InsuredItem.FLEXIBLE_PENSION, Period(YearMonth(2026, 9), YearMonth(2026, 9)), 500000
    )
    order = fee_system.open_qr_order("proxy-key", quote.quote_id, PayMethod.WECHAT)
    paid = fee_system.simulate_qr_payment(order.order_no)
    fee_system.post_payment("proxy-key", quote.quote_id, PayMethod.WECHAT, paid.channel_txn, payer)
    [row] = find(fee_system, HISTORY, QueryFilter(Period.year(2026)))
    assert row.proxy and row.payer_masked == "张*丰" and row.status is PayStatus.PAID
    assert find(fee_system, HISTORY, QueryFilter(Period.year(2026), status=PayStatus.UNPAID)) == []
    assert find(fee_system, HISTORY, QueryFilter(Period.year(2026), InsuredItem.FLEXIBLE_MEDICAL)) == []


def test_unpaid_bills_are_rows_with_the_unpaid_status(fee_system):
    from kiosk.query import PayStatus, QueryFilter, find

    bills = fee_system.pending_bills(SPECIAL)
    assert bills
    period = Period(min(b.period.start for b in bills), max(b.period.end for b in bills))
    rows = find(fee_system, SPECIAL, QueryFilter(period, status=PayStatus.UNPAID))
    assert {row.bill.bill_no for row in rows} == {b.bill_no for b in bills}
    assert all(row.status is PayStatus.UNPAID and row.record is None for row in rows)
    assert find(fee_system, SPECIAL, QueryFilter(period, InsuredItem.FLEXIBLE_PENSION, PayStatus.UNPAID)) == []


def test_issued_certificates_over_http_equal_the_embedded_answer(client, fee_system):
    records = fee_system.payment_records(HISTORY, Period.year(2025))
    issue = client.issue_certificate(CertificateKind.TAX, HISTORY, tuple(r.payment_no for r in records))
    client.record_certificate_print(issue.number)
    assert client.issued_certificates(HISTORY) == fee_system.issued_certificates(HISTORY)
    assert [i.printed for i in client.issued_certificates(HISTORY)] == [1]
