"""A household basket paid by one aggregated QR code (issue 22): the fee system's quote, the journal's basket and
lines, per-line postings and a line-only refund, the abandoned code, the payee's own records, and recovery after a
stop at every journal commit (0 lost, 0 double)."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3

import pytest

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import BasketQuote, InvalidRequest, QrOrderState, Quote
from kiosk.payments import crashpoint
from kiosk.payments.basket_journal import BasketJournal
from kiosk.payments.basket_payments import BasketPayments
from kiosk.payments.journal import Journal, PaymentState
from kiosk.payments.recovery import Recovery
from tests.conftest import TERMINAL

PAYER = "370102197503083519"  # 王志刚 (config/demo_people.toml, household HH370102000001)
SPOUSE = "370102197706114629"
PARENT = "370102194702021827"


def own_quotes(fee_system, today: dt.date) -> list[Quote]:
    quotes = []
    for item in (InsuredItem.RESIDENT_PENSION, InsuredItem.RESIDENT_MEDICAL):
        offer = next(o for o in fee_system.resident_offers(PAYER, item, today) if o.open_now)
        quotes.append(fee_system.quote_resident(PAYER, item, offer.year, offer.grades[0].code))
    return quotes


def household_quotes(fee_system, clock) -> list[Quote]:
    """The payer's pension and medical, then the household's (spouse: both; mother: medical): five lines."""
    today = clock().date()
    return own_quotes(fee_system, today) + [due.quote for due in fee_system.household_dues(PAYER, today)]


def basket_of(fee_system, quotes: list[Quote]) -> BasketQuote:
    quote = fee_system.quote_basket(PAYER, tuple(q.quote_id for q in quotes))
    assert not quote.refused
    return quote


def test_the_household_register_lists_each_member_with_what_each_can_pay(fee_system, clock):
    dues = fee_system.household_dues(PAYER, clock().date())
    assert [(d.quote.id_number, d.quote.item, d.relation) for d in dues] == [
        (SPOUSE, InsuredItem.RESIDENT_PENSION, "spouse"),
        (SPOUSE, InsuredItem.RESIDENT_MEDICAL, "spouse"),
        (PARENT, InsuredItem.RESIDENT_MEDICAL, "parent"),
    ]
    assert all(d.quote.amount_fen > 0 for d in dues)
    assert fee_system.household_dues("370103197003224422", clock().date()) == []  # no register: nobody listed


def test_the_basket_is_one_order_whose_total_is_the_sum_of_its_lines(fee_system, clock):
    quotes = household_quotes(fee_system, clock)
    basket = basket_of(fee_system, quotes)
    assert [line.line_no for line in basket.lines] == [1, 2, 3, 4, 5]
    assert basket.total_fen == sum(q.amount_fen for q in quotes)
    assert all(isinstance(line.quote.amount_fen, int) for line in basket.lines)


def test_the_limit_is_ten_lines(fee_system, clock):
    quotes = household_quotes(fee_system, clock)
    with pytest.raises(InvalidRequest):
        fee_system.quote_basket(PAYER, tuple(q.quote_id for q in (quotes * 3)[:11]))


def test_a_line_already_paid_is_refused_before_any_money_moves_and_named(fee_system, journal, clock):
    quotes = household_quotes(fee_system, clock)
    pay_all(fee_system, journal, quotes[2:3])  # the spouse's pension, paid at another kiosk
    answer = fee_system.quote_basket(PAYER, tuple(q.quote_id for q in quotes))
    assert answer.basket_id == ""
    assert [(r.line_no, r.code) for r in answer.refused] == [(3, "already_paid")]
    duplicate = fee_system.quote_basket(PAYER, (quotes[0].quote_id, quotes[0].quote_id))
    assert [(r.line_no, r.code) for r in duplicate.refused] == [(2, "duplicate")]


def pay_all(fee_system, journal, quotes, app: str = "unionpay"):
    payments = BasketPayments(journal, fee_system)
    opened = payments.open_qr(basket_of(fee_system, quotes), PayMethod.AGGREGATED)
    fee_system.simulate_qr_payment(opened.order.order_no, app)
    outcome = payments.settle_paid(opened.basket)
    payments.receipt_result(outcome.basket, None)
    return opened, outcome


def test_a_household_of_three_pays_pension_and_medical_with_one_code_paid_by_yunshanfu(fee_system, journal, clock):
    quotes = household_quotes(fee_system, clock)
    opened, outcome = pay_all(fee_system, journal, quotes, app="unionpay")
    status = fee_system.qr_order_status(opened.order.order_no)
    assert (status.state, status.paid_with, status.amount_fen) == (
        QrOrderState.PAID,
        "unionpay",
        sum(q.amount_fen for q in quotes),
    )
    assert outcome.paid_fen == status.amount_fen and not outcome.refunded
    baskets = BasketJournal(journal)
    assert baskets.get(opened.basket.basket_no).state is PaymentState.DONE
    lines = baskets.lines(opened.basket.basket_no)
    assert [line.state for line in lines] == [PaymentState.DONE] * 5
    assert len({line.entry.idempotency_key for line in lines}) == 5  # each line its own key
    # Each payee sees the payment in their own records, made for them by the payer.
    for person in (SPOUSE, PARENT):
        records = fee_system.payment_records(person)
        assert records and all(r.payer_id_number == PAYER and r.pay_method is PayMethod.AGGREGATED for r in records)
    # The basket's states were journaled in order, each before the call it led to.
    states = [state for _at, state, _note in baskets.events(opened.basket.basket_no)]
    assert states == [
        PaymentState.CREATED,
        PaymentState.ORDER_OPENED,
        PaymentState.PAID,
        PaymentState.POSTED,
        PaymentState.RECEIPT_PRINTED,
        PaymentState.DONE,
    ]


@pytest.mark.parametrize("app", ["alipay", "wechat", "unionpay"])
def test_any_of_the_three_apps_pays_the_aggregated_code(fee_system, journal, clock, app):
    opened, outcome = pay_all(fee_system, journal, own_quotes(fee_system, clock().date()), app=app)
    assert fee_system.qr_order_status(opened.order.order_no).paid_with == app
    assert len(outcome.records) == 2


def test_a_line_paid_elsewhere_meanwhile_is_refunded_alone(fee_system, journal, clock):
    quotes = household_quotes(fee_system, clock)
    payments = BasketPayments(journal, fee_system)
    opened = payments.open_qr(basket_of(fee_system, quotes), PayMethod.AGGREGATED)
    # Meanwhile the mother's medical is paid at another kiosk (a basket of one, on its own code).
    other = Journal(":memory:", "T-OTHER", clock=clock)
    pay_all(fee_system, other, [_fresh_quote(fee_system, quotes[4])])
    fee_system.simulate_qr_payment(opened.order.order_no, "wechat")
    outcome = payments.settle_paid(opened.basket)
    assert [(r.line_no, r.amount_fen, r.reason) for r in outcome.refunded] == [
        (5, quotes[4].amount_fen, "already_paid")
    ]
    assert [line for line, _record in outcome.records] == [1, 2, 3, 4]
    status = fee_system.qr_order_status(opened.order.order_no)
    assert status.refunded_fen == quotes[4].amount_fen and status.state is QrOrderState.PAID
    lines = BasketJournal(journal).lines(opened.basket.basket_no)
    assert lines[4].state is PaymentState.REFUNDED
    assert len(fee_system.payment_records(PARENT)) == 1  # posted once, at the other kiosk


def _fresh_quote(fee_system, quote: Quote) -> Quote:
    assert quote.grade is not None
    return fee_system.quote_resident(quote.id_number, quote.item, quote.period.start.year, quote.grade.code)


def test_a_basket_abandoned_at_the_code_closes_its_order_and_takes_nothing(fee_system, journal, clock):
    payments = BasketPayments(journal, fee_system)
    opened = payments.open_qr(basket_of(fee_system, own_quotes(fee_system, clock().date())), PayMethod.AGGREGATED)
    assert payments.cancel(opened.basket) is QrOrderState.CLOSED
    baskets = BasketJournal(journal)
    assert baskets.get(opened.basket.basket_no).state is PaymentState.ORDER_CLOSED
    assert {line.state for line in baskets.lines(opened.basket.basket_no)} == {PaymentState.ORDER_CLOSED}
    assert fee_system.payment_records(PAYER) == []
    # Paid on the phone after the kiosk gave up: the channel gives it back, nothing is posted.
    late = fee_system.simulate_qr_payment(opened.order.order_no, "alipay")
    assert late.state is QrOrderState.REFUNDED and fee_system.payment_records(PAYER) == []


class Killed(BaseException):
    """The process stops at a journal commit (in-process stand-in for SIGKILL at crashpoint)."""


class KillAt:
    """Stop just before, or just after, the nth journal commit."""

    def __init__(self, when: str, n: int) -> None:
        self.when, self.n, self.seen = when, n, 0

    def before(self) -> None:
        if self.when == "before" and self.seen + 1 == self.n:
            raise Killed

    def after(self) -> None:
        self.seen += 1
        if self.when == "after" and self.seen == self.n:
            raise Killed


def count_commits(fee_system, journal, quotes) -> int:
    counted = 0

    def count() -> None:
        nonlocal counted
        counted += 1

    original = crashpoint.after_commit
    crashpoint.after_commit = count
    try:
        pay_all(fee_system, journal, quotes)
    finally:
        crashpoint.after_commit = original
    return counted


@pytest.mark.parametrize("size", [1, 2, 5])
def test_recovery_finishes_a_basket_stopped_at_any_commit_with_nothing_lost_or_doubled(
    tmp_path, clock, size, monkeypatch
):
    from parties.feesystem.embedded import EmbeddedFeeSystem
    from tests.conftest import CONFIG_DIR

    def world(name: str):
        fee = EmbeddedFeeSystem(
            tmp_path / f"{name}.fee", CONFIG_DIR / "policy.toml", CONFIG_DIR / "demo_people.toml", clock=clock
        )
        return fee, Journal(tmp_path / f"{name}.journal", TERMINAL, clock=clock)

    fee, journal = world("count")
    commits = count_commits(fee, journal, household_quotes(fee, clock)[:size])
    assert commits == 6 + size  # created, order opened, paid, each line posted, posted, printed, done
    for when in ("before", "after"):
        for n in range(1, commits + 1):
            fee, journal = world(f"{when}{n}")
            quotes = household_quotes(fee, clock)[:size]
            kill = KillAt(when, n)
            monkeypatch.setattr(crashpoint, "before_commit", kill.before)
            monkeypatch.setattr(crashpoint, "after_commit", kill.after)
            with contextlib.suppress(Killed):
                pay_all(fee, journal, quotes)
            monkeypatch.setattr(crashpoint, "before_commit", lambda: None)
            monkeypatch.setattr(crashpoint, "after_commit", lambda: None)
            journal.close()
            restarted = Journal(tmp_path / f"{when}{n}.journal", TERMINAL, clock=clock)
            report = Recovery(restarted, fee, clock=clock).run()
            assert report.ok, (when, n, [r.as_json() for r in report.records])
            check_money(fee, restarted, quotes, (when, n))


def check_money(fee, journal, quotes, case) -> None:
    baskets = BasketJournal(journal)
    assert baskets.unfinished() == [], case
    rows = journal.execute_read("SELECT basket_no, order_no FROM baskets")
    assert len(rows) <= 1, case
    posted = [r for q in quotes for r in fee.payment_records(q.id_number) if (r.item, r.period) == (q.item, q.period)]
    assert len(posted) <= len(quotes), case  # never twice
    if not rows or rows[0]["order_no"] is None:
        assert posted == [], case
        return
    status = fee.qr_order_status(rows[0]["order_no"])
    if status.state is QrOrderState.PAID:
        taken = status.amount_fen - status.refunded_fen
        assert sum(r.amount_fen for r in posted) == taken, case  # every fen taken is posted
        assert {line.state for line in baskets.lines(rows[0]["basket_no"])} == {PaymentState.DONE}, case
    else:
        assert posted == [], case


def test_reconciliation_matches_each_basket_to_its_lines_in_the_three_ledgers(tmp_path, clock):
    from kiosk.payments.reconcile import reconcile_embedded
    from parties.feesystem.embedded import EmbeddedFeeSystem
    from tests.conftest import CONFIG_DIR

    fee = EmbeddedFeeSystem(
        tmp_path / "fee.db", CONFIG_DIR / "policy.toml", CONFIG_DIR / "demo_people.toml", clock=clock
    )
    journal = Journal(tmp_path / "journal.db", TERMINAL, clock=clock)
    quotes = household_quotes(fee, clock)
    pay_all(fee, journal, quotes[:2])  # the payer's own two lines
    payments = BasketPayments(journal, fee)
    opened = payments.open_qr(basket_of(fee, quotes[2:]), PayMethod.AGGREGATED)
    pay_all(fee, Journal(":memory:", "T-OTHER", clock=clock), [_fresh_quote(fee, quotes[4])])  # paid elsewhere
    fee.simulate_qr_payment(opened.order.order_no, "wechat")
    payments.receipt_result(payments.settle_paid(opened.basket).basket, None)
    report = reconcile_embedded(journal, TERMINAL, tmp_path / "fee.db", clock().date())
    assert report.ok, [d.as_json() for d in report.differences]
    assert report.totals["aggregated"].fee_system_fen == sum(q.amount_fen for q in quotes[:4])
    # A line the journal holds as posted that the fee system lacks is found, named by its basket.
    with sqlite3.connect(tmp_path / "fee.db") as db:
        db.execute("DELETE FROM payments WHERE id_number = ?", (SPOUSE,))
    broken = reconcile_embedded(journal, TERMINAL, tmp_path / "fee.db", clock().date())
    assert [(d.journal_no, d.kind) for d in broken.differences if not d.explained] == [
        (opened.basket.basket_no, "not_posted")
    ]


def test_retention_masks_the_basket_payer_and_every_line_once_past_the_period(fee_system, journal, clock):
    from kiosk.payments.retention import mask_expired_ids

    opened, _outcome = pay_all(fee_system, journal, household_quotes(fee_system, clock)[:3])
    later = clock() + dt.timedelta(days=400)
    result = mask_expired_ids(journal, dt.timedelta(days=365), later)
    assert result.masked == 4  # three lines and the basket
    basket = BasketJournal(journal).get(opened.basket.basket_no)
    assert basket.payer_id_number == "3701**********3519"
    assert all("*" in line.entry.id_number for line in BasketJournal(journal).lines(basket.basket_no))


def test_a_kiosk_on_the_gateway_reconciles_a_basket_order_by_order(fee_system, journal, clock):
    """reconcile_stores' HTTP side: the channel asked order by order, a basket's order under the basket's key."""
    from kiosk.payments.reconcile import FeeSystemPayments, FeeSystemQrLedger, Reconciliation

    quotes = household_quotes(fee_system, clock)
    opened, _outcome = pay_all(fee_system, journal, quotes)
    day = clock().date()
    ledgers = [FeeSystemQrLedger(fee_system, journal, day)]
    report = Reconciliation(journal, TERMINAL, FeeSystemPayments(fee_system, TERMINAL, day, journal), ledgers).run(day)
    assert report.ok, [d.as_json() for d in report.differences]
    totals = report.totals["aggregated"]
    assert totals.channel_paid_fen == totals.fee_system_fen == opened.order.amount_fen


def test_two_arrears_bills_of_the_same_year_in_one_basket_are_not_a_duplicate(tmp_path, clock):
    """A pension and a medical arrear of one year are both "special" over the same months: told apart by number."""
    from kiosk.payments.reconcile import reconcile_embedded
    from parties.feesystem.embedded import EmbeddedFeeSystem
    from tests.conftest import CONFIG_DIR

    fee = EmbeddedFeeSystem(
        tmp_path / "fee.db", CONFIG_DIR / "policy.toml", CONFIG_DIR / "demo_people.toml", clock=clock
    )
    journal = Journal(tmp_path / "journal.db", TERMINAL, clock=clock)
    arrears = "370103197203150026"
    bills = [fee.quote_bill(arrears, number) for number in ("BJ370103000102", "BJ370103000103")]
    assert bills[0].period == bills[1].period
    payments = BasketPayments(journal, fee)
    opened = payments.open_qr(fee.quote_basket(arrears, tuple(q.quote_id for q in bills)), PayMethod.AGGREGATED)
    fee.simulate_qr_payment(opened.order.order_no, "alipay")
    payments.receipt_result(payments.settle_paid(opened.basket).basket, None)
    assert {r.bill_no for r in fee.payment_records(arrears)} >= {"BJ370103000102", "BJ370103000103"}
    report = reconcile_embedded(journal, TERMINAL, tmp_path / "fee.db", clock().date())
    assert report.ok, [d.as_json() for d in report.differences]
