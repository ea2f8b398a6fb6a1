"""A household basket over the fee system's HTTPS gateway (issue 22): the register, the basket's quote with a
refused line, one aggregated order paid with 云闪付, each line posted on its own key (a repeat returns the same
record), all through the loopback server with mutual TLS, as the embedded simulator answers them."""

from __future__ import annotations

import pytest

from conftest import NOW
from feehttp_fixtures import own_key
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import AlreadyPaid, QrOrderState

pytest_plugins = ["feehttp_fixtures"]
PAYER = "370102197503083519"
BASKET, SECOND = own_key("basket"), own_key("second basket")  # a line's key: the basket's with -L<n>


def test_a_basket_over_https(client, fee_system):
    dues = client.household_dues(PAYER, NOW.date())
    assert [(d.name, d.relation, d.quote.item) for d in dues] == [
        ("刘芳", "spouse", InsuredItem.RESIDENT_PENSION),
        ("刘芳", "spouse", InsuredItem.RESIDENT_MEDICAL),
        ("王秀兰", "parent", InsuredItem.RESIDENT_MEDICAL),
    ]
    quote = client.quote_basket(PAYER, tuple(due.quote.quote_id for due in dues))
    assert not quote.refused and quote.total_fen == sum(due.quote.amount_fen for due in dues)
    order = client.open_basket_qr_order(BASKET, quote.basket_id, PayMethod.AGGREGATED)
    assert client.open_basket_qr_order(BASKET, quote.basket_id, PayMethod.AGGREGATED) == order
    paid = client.simulate_qr_payment(order.order_no, "unionpay")
    assert (paid.state, paid.paid_with) == (QrOrderState.PAID, "unionpay")
    records = [
        client.post_basket_line(f"{BASKET}-L{line.line_no}", quote.basket_id, line.line_no,
                                PayMethod.AGGREGATED, paid.channel_txn)
        for line in quote.lines
    ]  # fmt: skip
    again = client.post_basket_line(f"{BASKET}-L1", quote.basket_id, 1, PayMethod.AGGREGATED, paid.channel_txn or "")
    assert again.payment_no == records[0].payment_no
    assert {r.item for r in records} == {InsuredItem.RESIDENT_PENSION, InsuredItem.RESIDENT_MEDICAL}
    # The same items again: every line refused before any money, each named.
    refused = client.quote_basket(PAYER, tuple(due.quote.quote_id for due in dues))
    assert refused.basket_id == "" and [(r.line_no, r.code) for r in refused.refused] == [
        (1, "already_paid"), (2, "already_paid"), (3, "already_paid")
    ]  # fmt: skip


def test_a_line_paid_meanwhile_is_refused_over_https_and_refunded_alone(client, fee_system):
    dues = client.household_dues(PAYER, NOW.date())
    quote = client.quote_basket(PAYER, tuple(due.quote.quote_id for due in dues[:2]))
    order = client.open_basket_qr_order(SECOND, quote.basket_id, PayMethod.AGGREGATED)
    paid = client.simulate_qr_payment(order.order_no, "wechat")
    other = fee_system.quote_basket(PAYER, (fee_system.household_dues(PAYER, NOW.date())[1].quote.quote_id,))
    other_order = fee_system.open_basket_qr_order("kiosk-T-OTHER-b", other.basket_id, PayMethod.ALIPAY)
    other_paid = fee_system.simulate_qr_payment(other_order.order_no, "alipay")
    fee_system.post_basket_line("kiosk-T-OTHER-b-L1", other.basket_id, 1, PayMethod.ALIPAY, other_paid.channel_txn)
    client.post_basket_line(f"{SECOND}-L1", quote.basket_id, 1, PayMethod.AGGREGATED, paid.channel_txn)
    with pytest.raises(AlreadyPaid):
        client.post_basket_line(f"{SECOND}-L2", quote.basket_id, 2, PayMethod.AGGREGATED, paid.channel_txn)
    status = client.qr_order_status(order.order_no)
    assert status.state is QrOrderState.PAID and status.refunded_fen == quote.lines[1].quote.amount_fen
