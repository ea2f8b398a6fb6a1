"""A household basket paid by bank card (issue 22): one PIN, one 0200 for the total with the chip's field 55, each
line posted on its own key; a decline takes nothing; recovery after a stop at any journal commit reverses or posts
the whole basket (1, 2 and 5 lines: 0 lost, 0 double), against the bank host simulator on loopback."""

# ruff: noqa: F811 (the chip rig's fixtures imported from emv_fixtures)
from __future__ import annotations

import contextlib

import pytest

from conftest import CONFIG_DIR, TERMINAL
from drivers.bankcard import VirtualPbocCard
from drivers.bankhost import TransactionRef
from emv_fixtures import chip_of, host, new_client, pad  # noqa: F401 (fixtures)
from kiosk.payments import crashpoint
from kiosk.payments.basket_card import BasketCardPayments
from kiosk.payments.basket_journal import BasketJournal
from kiosk.payments.card import send_pending_reversals
from kiosk.payments.journal import Journal, PaymentState
from kiosk.payments.recovery import Recovery
from parties.bankhost.accounts import demo_accounts
from parties.feesystem.embedded import EmbeddedFeeSystem
from test_basket_payments import PAYER, SPOUSE, KillAt, Killed, household_quotes

pytestmark = pytest.mark.filterwarnings("ignore:.*TripleDES")
RICH = demo_accounts()[0]


def pay(payments, fee, quotes, pad, pin: str = RICH.pin):
    basket = fee.quote_basket(PAYER, tuple(q.quote_id for q in quotes))
    chip = chip_of(VirtualPbocCard(RICH))
    result = payments.authorize(basket, chip.card, pad.pin_block(pin, chip.card.pan), chip)
    if result.approved:
        outcome = payments.post(result.basket)
        payments.receipt_result(outcome.basket, None)
    return result


def test_a_basket_of_two_by_card_is_one_pin_and_one_purchase_for_the_total(
    tmp_path, host, pad, fee_system, journal, clock
):
    quotes = household_quotes(fee_system, clock)[2:4]  # the spouse's pension and medical
    payments = BasketCardPayments(journal, fee_system, new_client(host, pad, tmp_path))
    result = pay(payments, fee_system, quotes, pad)
    total = sum(q.amount_fen for q in quotes)
    assert result.approved
    assert host.balance(RICH.pan) == RICH.balance_fen - total
    [purchase] = host.ledger()
    assert (
        purchase.amount_fen == total
        and purchase.status == "approved"
        and purchase.ic == {"arqc_ok": True, "final": "TC"}
    )
    baskets = BasketJournal(journal)
    assert baskets.get(result.basket.basket_no).state is PaymentState.DONE
    assert [line.state for line in baskets.lines(result.basket.basket_no)] == [PaymentState.DONE] * 2
    records = fee_system.payment_records(SPOUSE)
    assert len(records) == 2 and all(r.channel_ref == purchase.rrn and r.payer_id_number == PAYER for r in records)


def test_a_wrong_pin_takes_nothing_and_posts_nothing(tmp_path, host, pad, fee_system, journal, clock):
    quotes = household_quotes(fee_system, clock)[2:4]
    payments = BasketCardPayments(journal, fee_system, new_client(host, pad, tmp_path))
    result = pay(payments, fee_system, quotes, pad, pin="000000")
    assert not result.approved and result.pin_wrong
    assert host.balance(RICH.pan) == RICH.balance_fen
    assert BasketJournal(journal).get(result.basket.basket_no).state is PaymentState.DECLINED
    assert fee_system.payment_records(SPOUSE) == []


@pytest.mark.parametrize("size", [1, 2, 5])
def test_recovery_finishes_a_card_basket_stopped_at_any_commit(tmp_path, host, pad, clock, size, monkeypatch):
    client = new_client(host, pad, tmp_path)

    def world(name: str):
        fee = EmbeddedFeeSystem(
            tmp_path / f"{name}.fee", CONFIG_DIR / "policy.toml", CONFIG_DIR / "demo_people.toml", clock=clock
        )
        return fee, Journal(tmp_path / f"{name}.journal", TERMINAL, clock=clock)

    fee, journal = world("count")
    kill = KillAt("count", 0)
    monkeypatch.setattr(crashpoint, "after_commit", kill.after)
    pay(BasketCardPayments(journal, fee, client), fee, household_quotes(fee, clock)[:size], pad)
    commits = kill.seen
    assert commits == 6 + size  # created, auth_sent, approved, each line posted, posted, printed, done
    for when in ("before", "after"):
        for n in range(1, commits + 1):
            fee, journal = world(f"{when}{n}")
            quotes = household_quotes(fee, clock)[:size]
            balance = host.balance(RICH.pan)
            kill = KillAt(when, n)
            monkeypatch.setattr(crashpoint, "before_commit", kill.before)
            monkeypatch.setattr(crashpoint, "after_commit", kill.after)
            with contextlib.suppress(Killed):
                pay(BasketCardPayments(journal, fee, client), fee, quotes, pad)
            monkeypatch.setattr(crashpoint, "before_commit", lambda: None)
            monkeypatch.setattr(crashpoint, "after_commit", lambda: None)
            journal.close()
            restarted = Journal(tmp_path / f"{when}{n}.journal", TERMINAL, clock=clock)
            hook = lambda journal: send_pending_reversals(journal, client)  # noqa: E731
            report = Recovery(restarted, fee, clock=clock, card_hook=hook).run()
            case = (when, n, [r.as_json() for r in report.records])
            assert report.ok, case
            assert BasketJournal(restarted).unfinished() == [], case
            posted = sum(
                r.amount_fen
                for q in quotes
                for r in fee.payment_records(q.id_number)
                if r.period == q.period and r.item == q.item
            )
            taken = balance - host.balance(RICH.pan)
            assert taken == posted, case  # every fen taken is posted, none twice, nothing lost
            assert posted in (0, sum(q.amount_fen for q in quotes)), case
            restarted.close()
            fee.close()


def test_the_day_end_settlement_counts_a_card_basket_as_one_purchase(tmp_path, host, pad, fee_system, journal, clock):
    from kiosk.payments.settlement import batch_records, journal_totals

    client = new_client(host, pad, tmp_path)
    quotes = household_quotes(fee_system, clock)[:5]
    result = pay(BasketCardPayments(journal, fee_system, client), fee_system, quotes, pad)
    ref_batch = client.batch
    totals = journal_totals(batch_records(journal, ref_batch))
    assert (totals.count, totals.amount_fen) == (1, sum(q.amount_fen for q in quotes))
    [purchase] = host.ledger()
    assert purchase.amount_fen == totals.amount_fen and result.approved


def _paid_elsewhere(fee_system, clock, quote) -> None:
    """Another kiosk posts ``quote``'s period on its own code (a basket of one)."""
    from test_basket_payments import _fresh_quote, pay_all

    pay_all(fee_system, Journal(":memory:", "T-OTHER", clock=clock), [_fresh_quote(fee_system, quote)])


def test_a_card_line_paid_elsewhere_meanwhile_is_refunded_alone_by_a_refund_message(
    tmp_path, host, pad, fee_system, journal, clock
):
    from kiosk.payments.settlement import batch_records, batch_refunds, journal_totals

    quotes = household_quotes(fee_system, clock)[2:4]  # the spouse's pension and medical
    client = new_client(host, pad, tmp_path)
    payments = BasketCardPayments(journal, fee_system, client)
    basket = fee_system.quote_basket(PAYER, tuple(q.quote_id for q in quotes))
    chip = chip_of(VirtualPbocCard(RICH))
    result = payments.authorize(basket, chip.card, pad.pin_block(RICH.pin, chip.card.pan), chip)
    assert result.approved
    _paid_elsewhere(fee_system, clock, quotes[1])  # between the approval and the posting
    outcome = payments.post(result.basket)
    assert [(r.line_no, r.amount_fen, r.reason) for r in outcome.refunded] == [
        (2, quotes[1].amount_fen, "already_paid")
    ]
    done = payments.receipt_result(outcome.basket, None)
    baskets = BasketJournal(journal)
    assert done.state is PaymentState.DONE
    assert [line.state for line in baskets.lines(done.basket_no)] == [PaymentState.DONE, PaymentState.REFUNDED]
    # The account is whole for the refused line: only the posted line's fen are gone.
    assert host.balance(RICH.pan) == RICH.balance_fen - quotes[0].amount_fen
    purchase, refund = host.ledger()
    assert (purchase.status, purchase.amount_fen) == ("approved", quotes[0].amount_fen + quotes[1].amount_fen)
    assert (refund.status, refund.amount_fen, refund.original) == ("refund", quotes[1].amount_fen, purchase.rrn)
    assert [r.mti for r in host.received].count("0220") == 1
    assert host.net_debits() == quotes[0].amount_fen
    # The day's totals as the host counts them: the purchase whole on the debit side, the refund on the credit side.
    kiosk = journal_totals(batch_records(journal, client.batch), batch_refunds(journal, client.batch))
    settlement = client.settle(client.batch, kiosk)
    assert settlement.balanced and kiosk.net_fen == quotes[0].amount_fen, (kiosk, settlement.hosts)
    assert (kiosk.refund_count, kiosk.refund_fen) == (1, quotes[1].amount_fen)


def test_a_refund_is_never_more_than_its_purchase_and_booked_once_per_reference(
    tmp_path, host, pad, fee_system, journal, clock
):
    from drivers.bankhost import HostDeclined

    quotes = household_quotes(fee_system, clock)[2:4]
    client = new_client(host, pad, tmp_path)
    result = pay(BasketCardPayments(journal, fee_system, client), fee_system, quotes, pad)
    original = TransactionRef.from_text(result.basket.order_no)
    [purchase] = host.ledger()
    ref = client.new_transaction(quotes[0].amount_fen)
    first = client.refund(ref, original, purchase.rrn)
    again = client.refund(ref, original, purchase.rrn)  # the answer lost: the same message sent again
    assert first.rrn == again.rrn and len(host.refunds_of(purchase.rrn)) == 1
    rest = original.amount_fen - quotes[0].amount_fen
    with pytest.raises(HostDeclined) as refused:
        client.refund(client.new_transaction(rest + 1), original, purchase.rrn)
    assert refused.value.response_code == "13"
    with pytest.raises(HostDeclined) as unknown:
        client.refund(client.new_transaction(1), original, "000000000000")
    assert unknown.value.response_code == "25"
    assert host.balance(RICH.pan) == RICH.balance_fen - rest


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_kill_between_the_refund_journaled_and_answered_sends_it_once_on_recovery(
    tmp_path, host, pad, fee_system, journal, journal_path, clock, monkeypatch, when
):
    quotes = household_quotes(fee_system, clock)[2:4]
    client = new_client(host, pad, tmp_path)
    payments = BasketCardPayments(journal, fee_system, client)
    basket = fee_system.quote_basket(PAYER, tuple(q.quote_id for q in quotes))
    chip = chip_of(VirtualPbocCard(RICH))
    result = payments.authorize(basket, chip.card, pad.pin_block(RICH.pin, chip.card.pan), chip)
    _paid_elsewhere(fee_system, clock, quotes[1])
    if when == "before":  # the process dies with the 0220 journaled, before it leaves

        def die(*_args, **_kwargs):
            raise Killed

        monkeypatch.setattr(client, "refund", die)
    else:  # the host books the 0220, its answer never comes back; the process dies
        host.fault_next("no_answer", "0220")
    with contextlib.suppress(Killed):
        payments.post(result.basket)
    monkeypatch.undo()
    line = BasketJournal(journal).lines(result.basket.basket_no)[1]
    assert line.state is PaymentState.REVERSAL_PENDING and TransactionRef.from_text(line.entry.channel_ref)
    journal.close()
    restarted = Journal(journal_path, TERMINAL, clock=clock)
    hook = lambda journal: send_pending_reversals(journal, client)  # noqa: E731
    report = Recovery(restarted, fee_system, clock=clock, card_hook=hook).run()
    assert report.ok, [r.as_json() for r in report.records]
    baskets = BasketJournal(restarted)
    assert baskets.unfinished() == [] and baskets.lines_awaiting_refund() == []
    assert [line.state for line in baskets.lines(result.basket.basket_no)] == [PaymentState.DONE, PaymentState.REFUNDED]
    [purchase] = [e for e in host.ledger() if e.status == "approved"]
    assert [r.amount_fen for r in host.refunds_of(purchase.rrn)] == [quotes[1].amount_fen]  # once
    assert host.balance(RICH.pan) == RICH.balance_fen - quotes[0].amount_fen
    restarted.close()
