"""The embedded fee-system simulator: registrations, windows, quotes, the QR channel, idempotent posting."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.domain.items import Category, InsuredItem, PayMethod
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import AlreadyPaid, InvalidRequest, NotAllowed, NotRegistered, QrOrderState

RESIDENT = "370103197003224422"  # 李秀英
ELDERLY = "370102194805060028"  # 孙桂兰, 78
UNREGISTERED = "37010519951111351X"
FLEXIBLE = "37010219850715231X"  # 张三丰, paid through 2026-08
HISTORY = "370102199002140625"  # 赵敏
TODAY = dt.date(2026, 11, 27)


def test_registration_and_the_unregistered(fee_system):
    registration = fee_system.registration(RESIDENT)
    assert registration.name == "李秀英"
    assert registration.category is Category.RESIDENT
    assert registration.items == {InsuredItem.RESIDENT_PENSION, InsuredItem.RESIDENT_MEDICAL}
    with pytest.raises(NotRegistered):
        fee_system.registration(UNREGISTERED)
    with pytest.raises(NotRegistered):
        fee_system.registration("110105194912310029")


def test_resident_windows(fee_system):
    pension = fee_system.resident_offers(RESIDENT, InsuredItem.RESIDENT_PENSION, TODAY)
    assert [(o.year, o.open_now) for o in pension] == [(2026, True)]
    assert [g.amount_fen for g in pension[0].grades][:3] == [30000, 50000, 80000]
    medical = fee_system.resident_offers(RESIDENT, InsuredItem.RESIDENT_MEDICAL, TODAY)
    assert [(o.year, o.open_now) for o in medical] == [(2027, True)]  # autumn: next year's medical
    assert medical[0].grades[0].amount_fen == 42000


def test_outside_the_window_the_next_opening_is_given(fee_system):
    offers = fee_system.resident_offers(RESIDENT, InsuredItem.RESIDENT_MEDICAL, dt.date(2026, 5, 10))
    assert len(offers) == 1 and not offers[0].open_now
    assert offers[0].year == 2027 and offers[0].window_opens == dt.date(2026, 9, 1)


def test_elderly_residents_do_not_contribute_to_the_pension(fee_system):
    with pytest.raises(NotAllowed):
        fee_system.resident_offers(ELDERLY, InsuredItem.RESIDENT_PENSION, TODAY)
    assert fee_system.resident_offers(ELDERLY, InsuredItem.RESIDENT_MEDICAL, TODAY)[0].open_now


def test_quote_pay_post_once(fee_system):
    quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    assert quote.amount_fen == 80000 and quote.months == 12 and quote.period == Period.year(2026)
    order = fee_system.open_qr_order("key-1", quote.quote_id, PayMethod.WECHAT)
    assert order.amount_fen == 80000 and order.order_no.startswith("WX")
    assert order.qr_payload.startswith("sifee-sim://pay/wechat/")
    again = fee_system.open_qr_order("key-1", quote.quote_id, PayMethod.WECHAT)
    assert again.order_no == order.order_no  # the same key never opens a second order
    assert fee_system.qr_order_status(order.order_no).state is QrOrderState.OPEN
    paid = fee_system.simulate_qr_payment(order.order_no)
    assert paid.state is QrOrderState.PAID and paid.channel_txn
    first = fee_system.post_payment("key-1", quote.quote_id, PayMethod.WECHAT, paid.channel_txn, RESIDENT)
    second = fee_system.post_payment("key-1", quote.quote_id, PayMethod.WECHAT, paid.channel_txn, RESIDENT)
    assert first == second  # posted once
    records = fee_system.payment_records(RESIDENT)
    assert [r.payment_no for r in records] == [first.payment_no]
    assert fee_system.find_payment("key-1") == first
    offers = fee_system.resident_offers(RESIDENT, InsuredItem.RESIDENT_PENSION, TODAY)
    assert offers[0].already_paid
    with pytest.raises(NotAllowed):
        fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G01")


def test_closing_and_a_late_payment_is_refunded(fee_system):
    quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    order = fee_system.open_qr_order("key-2", quote.quote_id, PayMethod.ALIPAY)
    assert fee_system.close_qr_order(order.order_no).state is QrOrderState.CLOSED
    assert fee_system.simulate_qr_payment(order.order_no).state is QrOrderState.REFUNDED
    assert fee_system.open_qr_orders() == []


def test_closing_a_paid_order_keeps_it_paid(fee_system):
    quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    order = fee_system.open_qr_order("key-3", quote.quote_id, PayMethod.ALIPAY)
    fee_system.simulate_qr_payment(order.order_no)
    assert fee_system.close_qr_order(order.order_no).state is QrOrderState.PAID


def test_unknown_grade_and_bank_card_on_the_qr_channel(fee_system):
    with pytest.raises(InvalidRequest):
        fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G99")
    quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G01")
    with pytest.raises(InvalidRequest):
        fee_system.open_qr_order("key-4", quote.quote_id, PayMethod.BANK_CARD)


def test_flexible_offer_and_quote(fee_system):
    offer = fee_system.flexible_offer(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, TODAY)
    assert (offer.first_month, offer.last_month) == ("2026-09", "2026-12")
    assert (offer.base_min_fen, offer.base_max_fen, offer.rate_percent) == (455200, 2275800, 20)
    period = Period(YearMonth(2026, 9), YearMonth(2026, 11))
    quote = fee_system.quote_flexible(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, period, 500000)
    assert quote.amount_fen == 3 * 100000  # 3 months × ¥5,000 × 20%
    with pytest.raises(InvalidRequest):
        fee_system.quote_flexible(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, period, 100000)  # below 60%
    with pytest.raises(InvalidRequest):
        fee_system.quote_flexible(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, Period.year(2026), 500000)


def test_seeded_history(fee_system):
    records = fee_system.payment_records(HISTORY)
    assert len(records) == 48  # 2 years × 12 months × pension and medical
    assert all(isinstance(r.amount_fen, int) and r.amount_fen > 0 for r in records)
    only_2025 = fee_system.payment_records(HISTORY, Period.year(2025))
    assert len(only_2025) == 24 and {r.period.start.year for r in only_2025} == {2025}
    assert len({r.payment_no for r in records}) == 48


def test_certificate_numbers_are_unique_and_a_second_print_is_a_reprint(fee_system):
    from kiosk.feesystem.api import CertificateKind, UnknownRecord

    records = fee_system.payment_records(HISTORY, Period.year(2024))
    numbers = tuple(r.payment_no for r in records)
    first = fee_system.issue_certificate(CertificateKind.TAX, HISTORY, numbers)
    assert first.number == "(2026)鲁税证 00000001" and first.printed == 0
    assert first.total_fen == sum(r.amount_fen for r in records)
    # A crash between numbering and printing: asking again gives the same number, still not printed.
    assert fee_system.issue_certificate(CertificateKind.TAX, HISTORY, tuple(reversed(numbers))) == first
    assert fee_system.record_certificate_print(first.number).printed == 1
    reprint = fee_system.issue_certificate(CertificateKind.TAX, HISTORY, numbers)
    assert reprint.number == first.number and reprint.printed == 1  # the next print is 补打
    other = fee_system.issue_certificate(CertificateKind.TAX, HISTORY, numbers[:2])
    summary = fee_system.issue_certificate(CertificateKind.PAYMENT_SUMMARY, HISTORY, numbers)
    assert other.number == "(2026)鲁税证 00000002" and summary.number == "(2026)鲁社证 00000001"
    with pytest.raises(UnknownRecord):
        fee_system.issue_certificate(CertificateKind.TAX, RESIDENT, numbers)  # not her records
    with pytest.raises(InvalidRequest):
        fee_system.issue_certificate(CertificateKind.TAX, HISTORY, ())


def test_the_fee_system_answers_the_verification_question(clock):
    from conftest import CONFIG_DIR
    from kiosk.feesystem.api import CertificateKind
    from kiosk.verification import make_code
    from parties.feesystem.embedded import EmbeddedFeeSystem

    key = "test-key"
    system = EmbeddedFeeSystem(
        ":memory:", CONFIG_DIR / "policy.toml", CONFIG_DIR / "demo_people.toml", clock=clock, old_hmac_key=key
    )
    records = system.payment_records(HISTORY, Period.year(2025))
    issue = system.issue_certificate(CertificateKind.PAYMENT_DETAIL, HISTORY, tuple(r.payment_no for r in records))
    assert system.verify_document_code(issue.verification_code) is not None  # signed by the fee system itself
    code = make_code(key, issue.number, HISTORY, "赵敏", issue.total_fen)  # a version-1 code printed before
    check = system.verify_document_code(code)
    assert check is not None and check.masked_name == "赵*" and check.total_fen == issue.total_fen
    assert system.verify_document_code(make_code(key, issue.number, HISTORY, "赵敏", issue.total_fen + 1)) is None
    assert system.verify_document_code(make_code("other-key", issue.number, HISTORY, "赵敏", issue.total_fen)) is None
    assert system.verify_document_code("NOT-A-CODE") is None
    receipt = system.verify_document_code(make_code(key, records[0].payment_no, HISTORY, "赵敏", records[0].amount_fen))
    assert receipt is not None and receipt.kind == "receipt"
    system.close()


def test_special_payment_bill_is_paid_once(fee_system):
    debtor = "370104197809091530"  # 王建国
    [bill] = fee_system.pending_bills(debtor)
    assert bill.amount_fen == 436800 and bill.period.months == 6 and "槐荫" in bill.agency
    quote = fee_system.quote_bill(debtor, bill.bill_no)
    assert quote.item is InsuredItem.SPECIAL and quote.amount_fen == 436800 and quote.bill_no == bill.bill_no
    order = fee_system.open_qr_order("bill-key", quote.quote_id, PayMethod.ALIPAY)
    paid = fee_system.simulate_qr_payment(order.order_no)
    fee_system.post_payment("bill-key", quote.quote_id, PayMethod.ALIPAY, paid.channel_txn, debtor)
    assert fee_system.pending_bills(debtor) == []
    with pytest.raises(NotAllowed):
        fee_system.quote_bill(debtor, bill.bill_no)
    assert fee_system.pending_bills(RESIDENT) == []


def test_terminal_payments_of_a_day(fee_system):
    """Reconciliation's listing: the payments whose keys a terminal made (kiosk-<terminal>-...), posted that day."""
    quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    key = "kiosk-SD370102-ZZ01-20261127100000-AAAAAA"
    fee_system.post_payment(key, quote.quote_id, PayMethod.BANK_CARD, "R1", RESIDENT)
    other = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    fee_system.post_payment("kiosk-SD370102-ZZ0%-X", other.quote_id, PayMethod.BANK_CARD, "R2", RESIDENT)
    [mine] = fee_system.terminal_payments("SD370102-ZZ01", TODAY)
    assert mine.amount_fen == quote.amount_fen and mine.channel_ref == "R1"
    assert fee_system.terminal_payments("SD370102-ZZ01", TODAY - dt.timedelta(days=1)) == []
    assert [p.channel_ref for p in fee_system.terminal_payments("SD370102-ZZ0%", TODAY)] == ["R2"]  # LIKE escaped
    assert fee_system.terminal_payments("SD370102-ZZ02", TODAY) == []


# --- a period paid twice (two quotes taken before either was paid) ---------------------------------------------


def test_a_second_posting_of_a_paid_year_is_refused_and_its_qr_money_refunded(fee_system):
    first = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    second = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G01")  # another kiosk
    order_1 = fee_system.open_qr_order("key-1", first.quote_id, PayMethod.ALIPAY)
    order_2 = fee_system.open_qr_order("key-2", second.quote_id, PayMethod.WECHAT)
    paid_1 = fee_system.simulate_qr_payment(order_1.order_no)
    paid_2 = fee_system.simulate_qr_payment(order_2.order_no)
    record = fee_system.post_payment("key-1", first.quote_id, PayMethod.ALIPAY, paid_1.channel_txn, RESIDENT)
    with pytest.raises(AlreadyPaid) as refused:
        fee_system.post_payment("key-2", second.quote_id, PayMethod.WECHAT, paid_2.channel_txn, RESIDENT)
    assert isinstance(refused.value, NotAllowed) and refused.value.code == "already_paid"
    assert "being returned" in refused.value.citizen_message and record.payment_no in refused.value.detail
    assert RESIDENT not in refused.value.detail  # the technician's detail holds no ID number
    status = fee_system.qr_order_status(order_2.order_no)
    assert status.state is QrOrderState.REFUNDED and status.channel_txn == paid_2.channel_txn
    # The refusal is as repeatable as a posting: the same key is refused again, the refund is not repeated.
    with pytest.raises(AlreadyPaid):
        fee_system.post_payment("key-2", second.quote_id, PayMethod.WECHAT, paid_2.channel_txn, RESIDENT)
    assert fee_system.find_payment("key-2") is None
    # The first payment's key still returns its own record (idempotency), and its order stays paid.
    assert fee_system.post_payment("key-1", first.quote_id, PayMethod.ALIPAY, paid_1.channel_txn, RESIDENT) == record
    assert fee_system.qr_order_status(order_1.order_no).state is QrOrderState.PAID
    assert [r.payment_no for r in fee_system.payment_records(RESIDENT)] == [record.payment_no]


def test_no_order_opens_for_a_period_already_paid_but_a_known_key_gets_its_order(fee_system):
    first = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    second = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    opened = fee_system.open_qr_order("key-2", second.quote_id, PayMethod.WECHAT)
    fee_system.post_payment("key-1", first.quote_id, PayMethod.BANK_CARD, "RRN1", RESIDENT)
    with pytest.raises(AlreadyPaid) as refused:
        fee_system.open_qr_order("key-3", second.quote_id, PayMethod.ALIPAY)
    assert refused.value.citizen_message == "This period has already been paid. No money was taken."
    assert fee_system.open_qr_order("key-2", second.quote_id, PayMethod.WECHAT) == opened  # idempotent by key
    with pytest.raises(AlreadyPaid):  # a card posting is refused too; the bank reversal is the kiosk's part
        fee_system.post_payment("key-4", second.quote_id, PayMethod.BANK_CARD, "RRN2", RESIDENT)
    assert fee_system.qr_order_status(opened.order_no).state is QrOrderState.OPEN  # unpaid: nothing to refund


def test_a_bill_paid_twice_is_refused(fee_system):
    debtor = "370104197809091530"  # 王建国
    [bill] = fee_system.pending_bills(debtor)
    first = fee_system.quote_bill(debtor, bill.bill_no)
    second = fee_system.quote_bill(debtor, bill.bill_no)
    order = fee_system.open_qr_order("bill-2", second.quote_id, PayMethod.ALIPAY)
    paid = fee_system.simulate_qr_payment(order.order_no)
    record = fee_system.post_payment("bill-1", first.quote_id, PayMethod.BANK_CARD, "RRN1", debtor)
    with pytest.raises(AlreadyPaid) as refused:
        fee_system.post_payment("bill-2", second.quote_id, PayMethod.ALIPAY, paid.channel_txn, debtor)
    assert record.payment_no in refused.value.detail
    assert fee_system.qr_order_status(order.order_no).state is QrOrderState.REFUNDED
    assert [r.payment_no for r in fee_system.payment_records(debtor) if r.item is InsuredItem.SPECIAL] == [
        record.payment_no
    ]


def test_overlapping_flexible_months_are_refused_and_paid_months_not_offered(fee_system):
    offer = fee_system.flexible_offer(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, TODAY)
    september_october = Period(YearMonth(2026, 9), YearMonth(2026, 10))
    october_november = Period(YearMonth(2026, 10), YearMonth(2026, 11))
    first = fee_system.quote_flexible(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, september_october, offer.base_min_fen)
    second = fee_system.quote_flexible(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, october_november, offer.base_min_fen)
    fee_system.post_payment("flex-1", first.quote_id, PayMethod.BANK_CARD, "RRN1", FLEXIBLE)
    with pytest.raises(AlreadyPaid):
        fee_system.post_payment("flex-2", second.quote_id, PayMethod.BANK_CARD, "RRN2", FLEXIBLE)
    assert fee_system.flexible_offer(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, TODAY).first_month == "2026-11"
    # Another item of the same months is not the same payment.
    medical = fee_system.quote_flexible(FLEXIBLE, InsuredItem.FLEXIBLE_MEDICAL, september_october, offer.base_min_fen)
    fee_system.post_payment("flex-3", medical.quote_id, PayMethod.BANK_CARD, "RRN3", FLEXIBLE)
