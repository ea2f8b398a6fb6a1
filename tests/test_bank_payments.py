"""Card payment steps over the journal (kiosk/payments/card.py) with the real drivers against the simulators:
the PBOC card through pcscd + vpcd, the PIN pad on a pty, the bank host on loopback, the embedded fee system."""

from __future__ import annotations

import dataclasses

import pytest

from bank_fixtures import OTHER_RESIDENT, POOR, RESIDENT, RICH, SECOND, TERMINAL_ID, card_of
from conftest import NOW
from drivers.bankcard import VirtualPbocCard
from drivers.bankhost import HostUnreachable, NotSignedOn, ReversalsPending
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import NotAllowed, Unavailable, UnknownRecord
from kiosk.payments.card import CardOutcome, CardPayments, send_pending_reversals
from kiosk.payments.journal import Journal, PaymentState
from parties.bankhost.simulator import Fault

pytest_plugins = ["sscard_fixtures", "bank_fixtures"]

NO_MONEY_ENDS = (PaymentState.REVERSED, getattr(PaymentState, "DECLINED", PaymentState.REVERSED))


@pytest.fixture
def payments(journal, fee_system, bank_client) -> CardPayments:
    return CardPayments(journal, fee_system, bank_client)


def pension_quote(fee_system, person: str = RESIDENT):
    return fee_system.quote_resident(person, InsuredItem.RESIDENT_PENSION, 2026, "G02")


def states(journal: Journal, journal_no: str) -> list[PaymentState]:
    return [state for _at, state, _note in journal.events(journal_no)]


def bank_card_total(fee_system, *people: str) -> int:
    return sum(
        record.amount_fen
        for person in people
        for record in fee_system.payment_records(person)
        if record.pay_method is PayMethod.BANK_CARD
    )


@pytest.mark.pcsc
def test_approval_end_to_end(
    payments, journal, journal_path, fee_system, bank_host, pad_rig, bank_reader, insert_bank_card
) -> None:
    insert_bank_card(VirtualPbocCard(RICH))
    card = bank_reader.read_card()
    quote = pension_quote(fee_system)
    seen = []

    def at_the_host(request) -> None:  # what the journal says while the 0200 is at the host
        if request["t"] == "0200":
            other = Journal(journal_path, "T-BANK", clock=lambda: NOW)
            (entry,) = other.unfinished()
            seen.append((entry.state, entry.order_no))
            other.close()

    bank_host.on_request = at_the_host
    result = payments.authorize(quote, RESIDENT, card, pad_rig.enter_pin(card.pan, RICH.pin))
    assert result.outcome is CardOutcome.APPROVED and result.citizen_message is None
    assert seen[0][0] is PaymentState.AUTH_SENT and f"stan={result.approval.ref.stan};" in seen[0][1]
    assert result.entry.channel_ref == result.approval.rrn
    entry, record = payments.post(result.entry)
    assert entry.state is PaymentState.POSTED and record.channel_ref == result.approval.rrn
    assert record.idempotency_key == entry.idempotency_key and record.pay_method is PayMethod.BANK_CARD
    entry = payments.receipt_result(entry, None)
    assert states(journal, entry.journal_no) == [
        PaymentState.CREATED,
        PaymentState.AUTH_SENT,
        PaymentState.APPROVED,
        PaymentState.POSTED,
        PaymentState.RECEIPT_PRINTED,
        PaymentState.DONE,
    ]
    # to the fen: journal, bank ledger, account balance and fee system agree
    assert entry.amount_fen == quote.amount_fen == record.amount_fen == bank_host.net_debits(TERMINAL_ID)
    assert bank_host.balance(RICH.pan) == RICH.balance_fen - quote.amount_fen
    assert journal.unfinished() == []
    assert RICH.pan not in str([e for e in journal.entries()]) + str(journal.events(entry.journal_no))


@pytest.mark.parametrize(("account", "pin", "code"), [(POOR, POOR.pin, "51"), (SECOND, "000000", "55")])
def test_decline_ends_the_record_without_money(
    payments, journal, fee_system, bank_host, pad_rig, account, pin, code
) -> None:
    result = payments.authorize(
        pension_quote(fee_system), RESIDENT, card_of(account), pad_rig.enter_pin(account.pan, pin)
    )
    assert result.outcome is CardOutcome.DECLINED and result.response_code == code
    assert result.pin_wrong is (code == "55") and "No money was taken" in result.citizen_message
    assert result.entry.state in NO_MONEY_ENDS and journal.unfinished() == []
    assert bank_host.balance(account.pan) == account.balance_fen and bank_host.net_debits() == 0
    assert fee_system.payment_records(RESIDENT) == []


def test_wrong_pin_then_right_pin_is_a_new_record(payments, journal, fee_system, bank_host, pad_rig) -> None:
    quote = pension_quote(fee_system)
    first = payments.authorize(quote, RESIDENT, card_of(SECOND), pad_rig.enter_pin(SECOND.pan, "111111"))
    assert first.pin_wrong
    second = payments.authorize(quote, RESIDENT, card_of(SECOND), pad_rig.enter_pin(SECOND.pan, SECOND.pin))
    assert second.outcome is CardOutcome.APPROVED and second.entry.journal_no != first.entry.journal_no
    payments.post(second.entry)
    assert bank_host.balance(SECOND.pan) == SECOND.balance_fen - quote.amount_fen


def test_three_wrong_pins_lock_the_card(payments, fee_system, pad_rig) -> None:
    quote = pension_quote(fee_system)
    codes = [
        payments.authorize(quote, RESIDENT, card_of(SECOND), pad_rig.enter_pin(SECOND.pan, "222222")).response_code
        for _ in range(3)
    ]
    assert codes == ["55", "55", "75"]


def test_mac_failure_is_a_decline_and_the_next_payment_signs_on(
    payments, journal, bank_client, fee_system, bank_host, pad_rig
) -> None:
    bank_host.fault_next(Fault.CODE, code="A0")
    quote = pension_quote(fee_system)
    result = payments.authorize(quote, RESIDENT, card_of(RICH), pad_rig.enter_pin(RICH.pan, RICH.pin))
    assert result.outcome is CardOutcome.DECLINED and result.response_code == "A0"
    assert not bank_client.signed_on
    block = pad_rig.enter_pin(RICH.pan, RICH.pin)
    with pytest.raises(NotSignedOn):  # keys in doubt: a PIN block taken now would be under the old PIN key
        payments.authorize(quote, RESIDENT, card_of(RICH), block)
    payments.prepare()  # the screens call it when the card is in, before asking for the PIN
    result = payments.authorize(quote, RESIDENT, card_of(RICH), pad_rig.enter_pin(RICH.pan, RICH.pin))
    assert result.outcome is CardOutcome.APPROVED and [r.mti for r in bank_host.received].count("0800") == 2
    assert len(journal.entries()) == 2


@pytest.mark.parametrize("fault", [Fault.NO_ANSWER, Fault.DROP, Fault.BAD_MAC])
def test_unknown_outcome_is_reversed_at_once(payments, journal, fee_system, bank_host, pad_rig, fault) -> None:
    bank_host.fault_next(fault)  # the host books the purchase; its answer never usefully arrives
    block = pad_rig.enter_pin(RICH.pan, RICH.pin)
    result = payments.authorize(pension_quote(fee_system), RESIDENT, card_of(RICH), block)
    assert result.outcome is CardOutcome.REVERSED and "No money was taken" in result.citizen_message
    assert states(journal, result.entry.journal_no)[-3:] == [
        PaymentState.AUTH_SENT,
        PaymentState.REVERSAL_PENDING,
        PaymentState.REVERSED,
    ]
    assert bank_host.balance(RICH.pan) == RICH.balance_fen and bank_host.net_debits() == 0
    assert [r.mti for r in bank_host.received][-2:] == ["0200", "0400"]


def test_stored_reversal_survives_a_restart_and_goes_out_first(
    journal, journal_path, fee_system, bank_host, bank_client, pad_rig
) -> None:
    payments = CardPayments(journal, fee_system, bank_client)
    bank_host.fault_next(Fault.NO_ANSWER)  # the purchase: booked, not answered
    bank_host.fault_next(Fault.NO_ANSWER, "0400", process=False, count=2)  # the reversal: lost, twice
    quote = pension_quote(fee_system)
    result = payments.authorize(quote, RESIDENT, card_of(RICH), pad_rig.enter_pin(RICH.pan, RICH.pin))
    assert result.outcome is CardOutcome.REVERSAL_PENDING
    assert "returned automatically" in result.citizen_message
    assert bank_host.balance(RICH.pan) == RICH.balance_fen - quote.amount_fen  # the money is with the bank
    with pytest.raises(ReversalsPending):  # no new purchase while the reversal is undelivered
        payments.authorize(quote, RESIDENT, card_of(RICH), pad_rig.enter_pin(RICH.pan, RICH.pin))
    assert [r.mti for r in bank_host.received].count("0200") == 1
    journal.close()  # the kiosk restarts

    restarted = Journal(journal_path, "T-BANK", clock=lambda: NOW)
    (pending,) = restarted.unfinished()
    assert pending.state is PaymentState.REVERSAL_PENDING and pending.journal_no == result.entry.journal_no
    payments = CardPayments(restarted, fee_system, bank_client)
    bank_host.received.clear()
    other = pension_quote(fee_system, OTHER_RESIDENT)
    second = payments.authorize(other, OTHER_RESIDENT, card_of(RICH), pad_rig.enter_pin(RICH.pan, RICH.pin))
    assert second.outcome is CardOutcome.APPROVED
    assert [r.mti for r in bank_host.received] == ["0400", "0200"]  # the stored reversal went out first
    assert restarted.get(pending.journal_no).state is PaymentState.REVERSED
    assert bank_host.balance(RICH.pan) == RICH.balance_fen - other.amount_fen
    notes = [note for _at, _state, note in restarted.events(pending.journal_no) if note]
    assert sum("not acknowledged" in note for note in notes) == 2  # both failed attempts are on record
    restarted.close()


def test_crash_while_the_purchase_was_out(journal, journal_path, fee_system, bank_host, bank_client, pad_rig) -> None:
    """auth_sent journaled, 0200 sent and booked, then the kiosk died: start-up reverses it."""
    quote = pension_quote(fee_system)
    entry = journal.create(quote.item, RESIDENT, RESIDENT, quote.quote_id, quote.amount_fen, PayMethod.BANK_CARD)
    ref = bank_client.new_transaction(quote.amount_fen)
    journal.advance(entry.journal_no, PaymentState.AUTH_SENT, order_no=ref.to_text())
    bank_client.purchase(card_of(RICH), quote.amount_fen, pad_rig.enter_pin(RICH.pan, RICH.pin), ref)
    journal.close()  # the answer (an approval) was lost with the process

    restarted = Journal(journal_path, "T-BANK", clock=lambda: NOW)
    report = send_pending_reversals(restarted, bank_client)
    assert [e.journal_no for e in report.reversed] == [entry.journal_no] and report.pending == []
    assert states(restarted, entry.journal_no)[-3:] == [
        PaymentState.AUTH_SENT,
        PaymentState.REVERSAL_PENDING,
        PaymentState.REVERSED,
    ]
    assert bank_host.balance(RICH.pan) == RICH.balance_fen and bank_host.net_debits() == 0
    assert send_pending_reversals(restarted, bank_client).reversed == []  # nothing left
    restarted.close()


def test_host_unreachable(journal, fee_system, bank_host, bank_client, pad_rig) -> None:
    payments = CardPayments(journal, fee_system, bank_client)
    block = pad_rig.enter_pin(RICH.pan, RICH.pin)
    bank_host.stop()
    result = payments.authorize(pension_quote(fee_system), RESIDENT, card_of(RICH), block)
    assert result.outcome is CardOutcome.NOT_SENT and result.entry.state in NO_MONEY_ENDS
    bank_client.signed_on = False
    with pytest.raises(HostUnreachable):  # the sign-on before the PIN fails: no record at all
        payments.prepare()
    assert len(journal.entries()) == 1 and journal.unfinished() == []


def test_fee_system_refusal_reverses_the_card_payment(payments, journal, fee_system, bank_host, pad_rig) -> None:
    quote = dataclasses.replace(pension_quote(fee_system), quote_id="expired-quote")
    result = payments.authorize(quote, RESIDENT, card_of(RICH), pad_rig.enter_pin(RICH.pan, RICH.pin))
    assert result.outcome is CardOutcome.APPROVED
    with pytest.raises(UnknownRecord):
        payments.post(result.entry)
    assert journal.get(result.entry.journal_no).state is PaymentState.REVERSED
    assert bank_host.balance(RICH.pan) == RICH.balance_fen


class FlakyFeeSystem:
    def __init__(self, real, error) -> None:
        self.real, self.error, self.calls = real, error, 0

    def post_payment(self, *args):
        self.calls += 1
        if self.error is not None:
            error, self.error = self.error, None
            raise error
        return self.real.post_payment(*args)


def test_fee_system_unavailable_keeps_it_approved_for_a_later_post(journal, fee_system, bank_client, pad_rig) -> None:
    flaky = FlakyFeeSystem(fee_system, Unavailable("gateway timeout"))
    payments = CardPayments(journal, flaky, bank_client)
    block = pad_rig.enter_pin(RICH.pan, RICH.pin)
    result = payments.authorize(pension_quote(fee_system), RESIDENT, card_of(RICH), block)
    with pytest.raises(Unavailable):
        payments.post(result.entry)
    assert journal.get(result.entry.journal_no).state is PaymentState.APPROVED  # money taken: post it later
    entry, _record = payments.post(result.entry)  # same idempotency key
    assert entry.state is PaymentState.POSTED and flaky.calls == 2
    assert payments.receipt_result(entry, "receipt_paper_out").receipt_error == "receipt_paper_out"


def test_amounts_agree_to_the_fen(journal, fee_system, bank_host, bank_client, pad_rig) -> None:
    """A morning at the kiosk: approvals, declines, an unknown outcome; then the three ledgers are compared."""
    payments = CardPayments(journal, fee_system, bank_client)
    people = [RESIDENT, OTHER_RESIDENT]
    medical = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    runs = [
        (pension_quote(fee_system), RESIDENT, RICH, RICH.pin, None),
        (medical, RESIDENT, SECOND, "999999", None),  # 55
        (medical, RESIDENT, POOR, POOR.pin, None),  # 51
        (medical, RESIDENT, SECOND, SECOND.pin, Fault.DROP),  # unknown: reversed
        (medical, RESIDENT, SECOND, SECOND.pin, None),
        (pension_quote(fee_system, OTHER_RESIDENT), OTHER_RESIDENT, RICH, RICH.pin, None),
    ]
    for quote, person, account, pin, fault in runs:
        if fault is not None:
            bank_host.fault_next(fault)
        result = payments.authorize(quote, person, card_of(account), pad_rig.enter_pin(account.pan, pin))
        if result.outcome is CardOutcome.APPROVED:
            entry, _record = payments.post(result.entry)
            payments.receipt_result(entry, None)
    done = [e for e in journal.entries() if e.state is PaymentState.DONE]
    journal_total = sum(e.amount_fen for e in done)
    assert len(done) == 3 and journal.unfinished() == []
    assert journal_total == bank_host.net_debits(TERMINAL_ID) == bank_card_total(fee_system, *people)
    balances_taken = sum(a.balance_fen - bank_host.balance(a.pan) for a in (RICH, SECOND, POOR))
    assert balances_taken == journal_total
    assert {e.channel_ref for e in done} == {e.rrn for e in bank_host.ledger() if e.status == "approved"}
    with pytest.raises(NotAllowed):  # the pension year is paid now: the fee system says so
        pension_quote(fee_system)
