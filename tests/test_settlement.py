"""The day-end settlement (kiosk/payments/settlement.py): chip purchases over the journal, the bank host simulator on
loopback, 0500/0510 with the journal's totals, the batch upload when the host's totals differ, the settlement store
written before each message, and the kiosk's bank reconciliation against the settlement answers."""

# ruff: noqa: F811 (the chip rig's fixtures imported from emv_fixtures)
from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import NOW, TERMINAL
from drivers.bankcard import CardFaults, VirtualPbocCard, emv
from drivers.bankhost import HostUnreachable
from drivers.bankhost.client import Totals
from emv_fixtures import BANK_TERMINAL, chip_of, client, host, pad  # noqa: F401 (fixtures)
from kiosk.domain.items import InsuredItem
from kiosk.payments.card import CardOutcome, CardPayments, send_pending_reversals
from kiosk.payments.journal import PaymentState
from kiosk.payments.reconcile import FeeSystemPayments, Reconciliation, SettlementLedger
from kiosk.payments.settlement import (
    BatchState,
    DaySettlement,
    SettlementGate,
    SettlementStore,
    Upload,
    settlement_due,
)
from parties.bankhost.accounts import demo_accounts
from parties.bankhost.simulator import Fault

pytestmark = pytest.mark.filterwarnings("ignore:.*TripleDES")

RICH = demo_accounts()[0]
RESIDENTS = ("370103197003224422", "370102200103010040", "810000198808080013", "370103197203150026")
RESIDENT = RESIDENTS[0]


@pytest.fixture
def store(tmp_path):
    return SettlementStore.of_state_dir(tmp_path / "state", clock=lambda: NOW)


@pytest.fixture
def settlement(journal, client, store):
    day = DaySettlement(journal, client, store, send_pending_reversals)
    day.attach()
    return day


def pay(journal, fee_system, client, pad, card: VirtualPbocCard, who: int = 0):
    payments = CardPayments(journal, fee_system, client)
    quote = fee_system.quote_resident(RESIDENTS[who], InsuredItem.RESIDENT_PENSION, 2026, "G02")
    chip = chip_of(card)
    result = payments.authorize(quote, RESIDENTS[who], chip.card, pad.pin_block(RICH.pin, chip.card.pan), chip)
    if result.outcome is CardOutcome.APPROVED:
        entry, _record = payments.post(result.entry)
        payments.receipt_result(entry, None)
    return result


def reconcile(journal, fee_system, store):
    ledger = SettlementLedger(store, journal, NOW.date())
    fee = FeeSystemPayments(fee_system, TERMINAL, NOW.date(), journal)
    return Reconciliation(journal, TERMINAL, fee, [ledger]).run(NOW.date())


def test_matching_totals_close_the_batch_and_the_next_purchase_goes_into_the_next(
    journal, fee_system, client, pad, host, store, settlement
):
    paid = pay(journal, fee_system, client, pad, VirtualPbocCard(RICH))
    reversed_ = pay(journal, fee_system, client, pad, VirtualPbocCard(RICH, faults=CardFaults(second_ac="AAC")), 1)
    assert paid.outcome is CardOutcome.APPROVED and reversed_.outcome is CardOutcome.REVERSED
    result = settlement.run()
    assert result.outcome == BatchState.BALANCED and result.batch == "000001" and result.uploaded == []
    assert result.kiosk == result.host == Totals(1, paid.entry.amount_fen)  # the reversal is not counted
    assert host.settlements == [{"batch": "000001", "kiosk": result.kiosk, "host": result.host, "balanced": True}]
    (closed, opened) = store.batches()
    assert (closed.state, closed.kiosk, closed.host) == (BatchState.BALANCED, result.kiosk, result.host)
    assert (opened.batch, opened.state) == ("000002", BatchState.OPEN) and client.batch == "000002"
    later = pay(journal, fee_system, client, pad, VirtualPbocCard(RICH), 2)
    assert later.outcome is CardOutcome.APPROVED and "batch=000002" in (later.entry.order_no or "")
    assert host.ledger()[-1].batch == "000002"


def test_differing_totals_upload_the_batch_and_settle_again(journal, fee_system, client, pad, host, store, settlement):
    first = pay(journal, fee_system, client, pad, VirtualPbocCard(RICH))
    second = pay(journal, fee_system, client, pad, VirtualPbocCard(RICH), 1)
    host.fault_next(Fault.TOTALS)  # the host lost one purchase from its totals
    before = len(host.received)
    result = settlement.run()
    assert result.outcome == BatchState.BALANCED
    assert [(u.amount_fen, u.code) for u in result.uploaded] == [(first.entry.amount_fen, "00")] * 2
    sent = [(r.mti, r.response_code) for r in host.received[before:]]
    assert sent == [("0500", "00"), ("0320", "00"), ("0320", "00"), ("0320", "00"), ("0500", "00")]
    assert [s["balanced"] for s in host.settlements] == [False, True]
    assert host.settlements[0]["host"] == Totals(1, second.entry.amount_fen)
    assert {e.uploaded for e in host.ledger()} == {"batch"} and not any(e.lost for e in host.ledger())
    assert [u.code for u in store.uploads("000001")] == ["00", "00"]
    report = reconcile(journal, fee_system, store)
    assert report.ok and report.ledgers["bank_card"] == "checked"
    assert report.totals["bank_card"].channel_paid_fen == first.entry.amount_fen * 2


def test_the_bank_side_is_not_available_before_the_days_settlement_then_checked(
    journal, fee_system, client, pad, store, settlement
):
    paid = pay(journal, fee_system, client, pad, VirtualPbocCard(RICH))
    before = reconcile(journal, fee_system, store)
    assert before.ledgers["bank_card"] == "not_available" and before.totals["bank_card"].channel_paid_fen is None
    settlement.run()
    after = reconcile(journal, fee_system, store)
    assert after.ok and after.ledgers["bank_card"] == "checked"
    assert after.totals["bank_card"].channel_paid_fen == paid.entry.amount_fen


def test_a_purchase_the_host_does_not_hold_after_the_upload_is_an_unexplained_difference(
    journal, fee_system, client, pad, store, settlement
):
    paid = pay(journal, fee_system, client, pad, VirtualPbocCard(RICH))
    ref = paid.entry.order_no or ""
    stan = ref.split("stan=")[1][:6]
    # The batch as a settlement that still differs would leave it: the host answered 25 for it, and counts
    # 100 fen more than the kiosk.
    store.mark("000001", BatchState.UPLOADING, kiosk=Totals(1, paid.entry.amount_fen))
    store.plan_upload(Upload("000001", stan, NOW.strftime("%m%d"), paid.entry.amount_fen, "x", "25"))
    store.mark("000001", BatchState.UNBALANCED, host=Totals(2, paid.entry.amount_fen + 100))
    report = reconcile(journal, fee_system, store)
    kinds = sorted((d.kind, d.amount_fen, d.explained) for d in report.differences)
    amount = paid.entry.amount_fen
    assert kinds == [("missing_journal_record", 100, False), ("posted_without_channel_money", amount, False)]
    assert not report.ok


def test_a_settlement_killed_midway_is_due_and_settles_the_same_batch_again(
    journal, fee_system, client, pad, host, store, settlement
):
    pay(journal, fee_system, client, pad, VirtualPbocCard(RICH))
    store.mark("000001", BatchState.SETTLE_SENT, kiosk=Totals(1, 1))  # as the store was when the kiosk died
    assert settlement_due(store, NOW, "23:30")
    result = settlement.run()
    assert result.outcome == BatchState.BALANCED and result.batch == "000001"
    assert [b.state for b in store.batches()] == [BatchState.BALANCED, BatchState.OPEN]
    assert not settlement_due(store, NOW, "23:30")


def test_due_from_the_configured_time_once_a_day(store):
    store.open_batch()  # opened at NOW, 10:00
    assert not settlement_due(store, NOW, "23:30")
    assert not settlement_due(store, NOW.replace(hour=23, minute=29), "23:30")
    assert settlement_due(store, NOW.replace(hour=23, minute=30), "23:30")
    assert settlement_due(store, NOW + dt.timedelta(days=1), "23:30")  # missed yesterday: due at the next idle
    assert settlement_due(store, NOW + dt.timedelta(days=1), "09:00")


def test_an_unfinished_card_record_postpones_the_settlement(journal, fee_system, client, pad, host, store, settlement):
    paid = pay(journal, fee_system, client, pad, VirtualPbocCard(RICH))
    host.stop()  # the stored reversal below cannot go out
    quote = fee_system.quote_resident(RESIDENTS[1], InsuredItem.RESIDENT_PENSION, 2026, "G02")
    entry = journal.create(quote.item, RESIDENT, RESIDENT, quote.quote_id, quote.amount_fen, paid.entry.pay_method)
    ref = client.new_transaction(quote.amount_fen)
    journal.advance(entry.journal_no, PaymentState.AUTH_SENT, order_no=ref.to_text())
    result = settlement.run()
    assert result.outcome == "postponed" and entry.journal_no in result.detail
    assert [b.state for b in store.batches()] == [BatchState.OPEN]


def test_an_unreachable_host_leaves_the_batch_to_the_next_run(
    journal, fee_system, client, pad, host, store, settlement
):
    pay(journal, fee_system, client, pad, VirtualPbocCard(RICH))
    host.stop()
    result = settlement.run()
    assert result.outcome == "failed" and "unreachable" in result.detail
    assert store.batches()[0].state == BatchState.SETTLE_SENT and settlement_due(store, NOW, "23:30")


def test_each_batch_upload_carries_the_purchases_tc_the_host_can_check(
    journal, fee_system, client, pad, host, store, settlement
):
    first = pay(journal, fee_system, client, pad, VirtualPbocCard(RICH))
    pay(journal, fee_system, client, pad, VirtualPbocCard(RICH), 1)
    assert [e.tc_ok for e in host.ledger()] == [True, True]  # the TC upload right after each purchase checked
    kept = [store.tc("000001", u, NOW.strftime("%m%d")) for u in sorted(e.stan for e in host.ledger())]
    values = [emv.field55_values(data) for data in kept]
    assert all(v[0x9F27] == b"\x40" and {0x9F26, 0x9F36, 0x9F10, 0x95, 0x9A, 0x82} <= v.keys() for v in values)
    assert not any(0x5A in v or 0x57 in v for v in values)  # no PAN or track data in the store
    sent: list[dict] = []
    host.on_request = lambda request: sent.append(request) if request["t"] == "0320" else None
    host.fault_next(Fault.TOTALS)
    result = settlement.run()
    assert result.outcome == BatchState.BALANCED
    uploads = [r for r in sent if r["60"][8:11] == "201"]
    assert len(uploads) == 2 and {bytes.fromhex(r["55"]) for r in uploads} == set(kept)
    assert all(e.tc_ok is True and e.uploaded == "batch" for e in host.ledger())
    assert result.uploaded[0].amount_fen == first.entry.amount_fen


def test_a_purchase_that_starts_while_the_settlement_runs_waits_and_goes_into_the_next_batch(
    journal, fee_system, client, pad, host, store, settlement
):
    paid = pay(journal, fee_system, client, pad, VirtualPbocCard(RICH))
    in_settlement, release = threading.Event(), threading.Event()
    real_settle = client.settle

    def held_settle(*args, **kwargs):  # the 0500 is out: a citizen starts a card payment now
        in_settlement.set()
        assert release.wait(5)
        return real_settle(*args, **kwargs)

    client.settle = held_settle
    with ThreadPoolExecutor(2) as pool:
        settling = pool.submit(settlement.run)
        assert in_settlement.wait(5)
        purchase = pool.submit(pay, journal, fee_system, client, pad, VirtualPbocCard(RICH), 1)
        assert not purchase.done() and len(host.ledger()) == 1  # held off: no 0200 while the batch closes
        release.set()
        result, later = settling.result(5), purchase.result(10)
    assert result.outcome == BatchState.BALANCED and result.kiosk == Totals(1, paid.entry.amount_fen)
    assert later.outcome is CardOutcome.APPROVED and "batch=000002" in (later.entry.order_no or "")
    assert [(e.batch, e.status) for e in host.ledger()] == [("000001", "approved"), ("000002", "approved")]


def test_a_settlement_while_a_card_purchase_is_under_way_is_postponed(
    journal, fee_system, client, pad, host, store, settlement
):
    in_purchase, release = threading.Event(), threading.Event()
    real_purchase = client.purchase

    def held_purchase(*args, **kwargs):  # the 0200 is about to go: its record is created, not yet approved
        in_purchase.set()
        assert release.wait(5)
        return real_purchase(*args, **kwargs)

    client.purchase = held_purchase
    with ThreadPoolExecutor(1) as pool:
        purchase = pool.submit(pay, journal, fee_system, client, pad, VirtualPbocCard(RICH))
        assert in_purchase.wait(5)
        result = settlement.run()
        release.set()
        paid = purchase.result(10)
    assert result.outcome == "postponed" and "under way" in result.detail and host.settlements == []
    assert paid.outcome is CardOutcome.APPROVED
    again = settlement.run()
    assert again.outcome == BatchState.BALANCED and again.kiosk == Totals(1, paid.entry.amount_fen)


def test_a_purchase_held_off_longer_than_its_wait_is_not_sent():
    gate = SettlementGate()
    with gate.settling() as idle:
        assert idle
        with pytest.raises(HostUnreachable) as raised, gate.purchase(wait=0.01):
            pass
    assert not raised.value.sent
    with gate.purchase(wait=0), gate.settling() as idle:
        assert not idle
