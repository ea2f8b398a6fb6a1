"""A household basket paid by bank card (issue 22): one PIN, one 0200 for the total with the chip's field 55, each
line posted on its own key; a decline takes nothing; recovery after a stop at any journal commit reverses or posts
the whole basket (1, 2 and 5 lines: 0 lost, 0 double), against the bank host simulator on loopback."""

from __future__ import annotations

import contextlib

import pytest

from conftest import CONFIG_DIR, NOW, TERMINAL
from drivers.bankcard import VirtualPbocCard
from drivers.bankhost import BankHostClient, StanCounter
from drivers.bankhost.softpad import SoftwareSecurityModule
from emv_fixtures import chip_of
from kiosk.payments import crashpoint
from kiosk.payments.basket_card import BasketCardPayments
from kiosk.payments.basket_journal import BasketJournal
from kiosk.payments.card import send_pending_reversals
from kiosk.payments.journal import Journal, PaymentState
from kiosk.payments.recovery import Recovery
from parties.bankhost.accounts import demo_accounts
from parties.bankhost.simulator import BankHostSimulator
from parties.bankhost.testkeys import shared_master_key
from parties.feesystem.embedded import EmbeddedFeeSystem
from test_basket_payments import PAYER, SPOUSE, KillAt, Killed, household_quotes

pytestmark = pytest.mark.filterwarnings("ignore:.*TripleDES")
RICH = demo_accounts()[0]


@pytest.fixture
def host(tmp_path):
    with BankHostSimulator(demo_accounts(), state_dir=tmp_path / "bank", clock=lambda: NOW, require_ic=True) as sim:
        yield sim


@pytest.fixture
def pad():
    return SoftwareSecurityModule(shared_master_key())


def new_client(host, pad, tmp_path) -> BankHostClient:
    client = BankHostClient(
        "127.0.0.1", host.port, "SD370001", "898370153990001", 1.0, pad=pad,
        stan=StanCounter(tmp_path / "stan"), connect_timeout=1.0, clock=lambda: NOW,
    )  # fmt: skip
    client.sign_on()
    return client


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
