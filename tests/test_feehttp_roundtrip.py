"""The HTTP client against the simulator served on loopback: every method gives what the embedded one gives."""

from __future__ import annotations

import datetime as dt
import inspect
import typing

import pytest

from conftest import NOW
from feehttp_fixtures import FLEXIBLE, RESIDENT, own_key, pay_resident_pension, tls_overrides
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import FeeSystem, QrOrderState
from kiosk.feesystem.http_client import HttpFeeSystem
from kiosk.feesystem.wire import protocol_methods

pytest_plugins = ["feehttp_fixtures"]

TODAY = NOW.date()


def test_the_client_implements_every_protocol_method_with_its_signature():
    for name in protocol_methods():
        ours, theirs = getattr(HttpFeeSystem, name), getattr(FeeSystem, name)
        assert inspect.signature(ours) == inspect.signature(theirs), name
        assert typing.get_type_hints(ours) == typing.get_type_hints(theirs), name


def test_the_server_serves_every_protocol_method_and_the_simulator_extras(served):
    assert set(protocol_methods()) | {"simulate_qr_payment", "open_qr_orders"} == set(served.methods)


def test_reads_equal_the_embedded_answers(client, fee_system):
    assert client.registration(RESIDENT) == fee_system.registration(RESIDENT)
    for item in (InsuredItem.RESIDENT_PENSION, InsuredItem.RESIDENT_MEDICAL):
        assert client.resident_offers(RESIDENT, item, TODAY) == fee_system.resident_offers(RESIDENT, item, TODAY)
    offer = client.flexible_offer(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, TODAY)
    assert offer == fee_system.flexible_offer(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, TODAY)
    assert offer.first_month == "2026-09"
    assert isinstance(offer.base_min_fen, int)


def test_resident_and_flexible_quotes_keep_amount_period_grade_and_base_over_http(client):
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    assert quote.amount_fen == 80000 and quote.period == Period.year(2026) and quote.grade.code == "G03"
    offer = client.flexible_offer(FLEXIBLE, InsuredItem.FLEXIBLE_MEDICAL, TODAY)
    period = Period(YearMonth(2026, 9), YearMonth(2026, 11))
    flexible = client.quote_flexible(FLEXIBLE, InsuredItem.FLEXIBLE_MEDICAL, period, offer.base_min_fen)
    assert flexible.months == 3 and flexible.period == period and flexible.base_fen == offer.base_min_fen
    assert isinstance(flexible.amount_fen, int) and flexible.amount_fen > 0


def test_the_qr_path_and_posting_once(client, fee_system):
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    order = client.open_qr_order(own_key("1"), quote.quote_id, PayMethod.ALIPAY)
    assert order.order_no.startswith("ALI") and order.amount_fen == 80000
    assert order.expires_at == NOW + dt.timedelta(minutes=5)
    assert client.open_qr_order(own_key("1"), quote.quote_id, PayMethod.ALIPAY) == order
    assert [o.order_no for o in client.open_qr_orders()] == [order.order_no]
    assert client.qr_order_status(order.order_no).state is QrOrderState.OPEN
    paid = client.simulate_qr_payment(order.order_no)
    assert paid.state is QrOrderState.PAID and paid.channel_txn
    assert client.close_qr_order(order.order_no).state is QrOrderState.PAID  # a paid order stays paid
    record = client.post_payment(own_key("1"), quote.quote_id, PayMethod.ALIPAY, paid.channel_txn, RESIDENT)
    assert client.post_payment(own_key("1"), quote.quote_id, PayMethod.ALIPAY, paid.channel_txn, RESIDENT) == record
    assert record == fee_system.find_payment(own_key("1"))
    assert client.find_payment(own_key("1")) == record
    assert client.find_payment(own_key("never-used")) is None
    assert client.payment_records(RESIDENT) == [record]
    assert client.payment_records(RESIDENT, Period.year(2026)) == [record]
    assert client.payment_records(RESIDENT, Period.year(2025)) == []


def test_closing_then_a_late_payment_is_refunded(client):
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    order = client.open_qr_order(own_key("2"), quote.quote_id, PayMethod.WECHAT)
    assert client.close_qr_order(order.order_no).state is QrOrderState.CLOSED
    assert client.simulate_qr_payment(order.order_no).state is QrOrderState.REFUNDED
    assert client.open_qr_orders() == []


def test_a_record_paid_through_the_client_reads_back_from_the_simulator(client, fee_system):
    record = pay_resident_pension(client, own_key("3"))
    assert fee_system.payment_records(RESIDENT) == [record]
    assert client.resident_offers(RESIDENT, InsuredItem.RESIDENT_PENSION, TODAY)[0].already_paid


def test_config_kind_http_builds_the_client(kiosk_config, clock):
    from kiosk.application import build_fee_system
    from kiosk.config import ConfigError

    config = kiosk_config.with_overrides(
        {"fee_system.kind": "http", "fee_system.url": "http://127.0.0.1:9/", "fee_system.timeout_seconds": 3}
    )
    system = build_fee_system(config, clock)
    assert isinstance(system, HttpFeeSystem)
    assert system.url == "http://127.0.0.1:9" and system.timeout_seconds == 3
    with pytest.raises(ConfigError):
        build_fee_system(config.with_overrides({"fee_system.url": "ftp://example"}), clock)


def test_the_kiosk_pays_through_the_http_fee_system(served, kiosk_config, clock, pki, terminal_files):
    """The kiosk's own QR payment service works the same over HTTP (journal, order, post), mutual TLS."""
    from kiosk.application import build_fee_system

    overrides = {"fee_system.kind": "http", "fee_system.url": served.url, **tls_overrides(pki, terminal_files)}
    system = build_fee_system(kiosk_config.with_overrides(overrides), clock)
    record = pay_resident_pension(system, own_key("kiosk"))
    assert served.backend.find_payment(own_key("kiosk")) == record


def test_certificates_are_numbered_counted_and_checked(client, fee_system):
    from kiosk.feesystem.api import CertificateKind, UnknownRecord

    record = pay_resident_pension(client, own_key("cert"))
    issue = client.issue_certificate(CertificateKind.PAYMENT_DETAIL, RESIDENT, (record.payment_no,))
    assert issue.payment_nos == (record.payment_no,) and issue.total_fen == record.amount_fen
    assert client.issue_certificate(CertificateKind.PAYMENT_DETAIL, RESIDENT, (record.payment_no,)) == issue
    assert client.record_certificate_print(issue.number).printed == issue.printed + 1
    assert fee_system.record_certificate_print(issue.number).printed == issue.printed + 2
    check = client.check_document(issue.number)
    assert check == fee_system.check_document(issue.number) and check.total_fen == record.amount_fen
    assert client.check_document(record.payment_no).kind == "receipt"
    assert client.check_document("no-such-number") is None
    with pytest.raises(UnknownRecord):
        client.record_certificate_print("no-such-number")
