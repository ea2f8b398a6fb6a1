"""Chip card payments over the journal (kiosk/payments/card.py with kiosk/payments/emv_terminal.py): the virtual
PBOC card behind the real ChipSession (no pcscd: tests/emv_fixtures.py), the bank host simulator on loopback
requiring IC data, a software security module. Each disagreement between card and host is a reversal journaled
before it is sent, with its reason; the host's ledger carries the "ic" contract."""

# ruff: noqa: F811 (the chip rig's fixtures imported from emv_fixtures)
from __future__ import annotations

import json

import pytest

from drivers.bankcard import CardFaults, VirtualPbocCard
from emv_fixtures import chip_of, client, host, pad  # noqa: F401 (fixtures)
from kiosk.domain.items import InsuredItem
from kiosk.payments.card import CardOutcome, CardPayments, send_pending_reversals
from kiosk.payments.emv_terminal import MSG_CARD_DECLINED_RETURNED, MSG_DECLINED_OFFLINE, MSG_REMOVED_RETURNED
from kiosk.payments.journal import PaymentState
from parties.bankhost.accounts import demo_accounts
from parties.bankhost.simulator import Fault

pytestmark = pytest.mark.filterwarnings("ignore:.*TripleDES")

RICH = demo_accounts()[0]
RESIDENT = "370103197003224422"


@pytest.fixture
def payments(journal, fee_system, client):
    return CardPayments(journal, fee_system, client)


def pay(payments, fee_system, pad, card: VirtualPbocCard, pin: str = RICH.pin):
    quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")
    chip = chip_of(card)
    return payments.authorize(quote, RESIDENT, chip.card, pad.pin_block(pin, chip.card.pan), chip)


def ledger_file(host) -> list[dict]:
    return json.loads(host.state_file.read_text())["ledger"]


def notes(journal, journal_no: str) -> list[str]:
    return [f"{state.value}: {note}" for _at, state, note in journal.events(journal_no)]


def test_approved_only_with_the_cards_tc(payments, fee_system, pad, host, journal) -> None:
    card = VirtualPbocCard(RICH)
    host.script_next(0x71)
    host.script_next(0x72)
    result = pay(payments, fee_system, pad, card)
    assert result.outcome is CardOutcome.APPROVED
    assert card.answers == ["ARQC", "TC"] and [ok for _apdu, ok in card.scripts] == [True, True]
    assert host.balance(RICH.pan) == RICH.balance_fen - result.entry.amount_fen
    (row,) = ledger_file(host)
    assert row["ic"] == {"arqc_ok": True, "final": "TC"} and row["uploaded"] == "tc"
    trail = notes(journal, result.entry.journal_no)
    assert [t.split(":")[0] for t in trail] == ["created", "auth_sent", "auth_sent", "approved"]
    assert "second GENERATE AC" in trail[2]


def test_card_aac_after_host_approval_is_reversed_and_the_account_whole(payments, fee_system, pad, host, journal):
    card = VirtualPbocCard(RICH, faults=CardFaults(second_ac="AAC"))
    result = pay(payments, fee_system, pad, card)
    assert result.outcome is CardOutcome.REVERSED and result.citizen_message == MSG_CARD_DECLINED_RETURNED
    assert host.balance(RICH.pan) == RICH.balance_fen
    (row,) = ledger_file(host)
    assert row["status"] == "reversed" and row["ic"] == {"arqc_ok": True, "final": "AAC"}
    trail = notes(journal, result.entry.journal_no)
    assert "reversal_pending: ic_reversal=card_declined" in trail[3] and trail[-1].startswith("reversed")


def test_wrong_arpc_the_card_declines_reversed_with_that_reason(payments, fee_system, pad, host, journal) -> None:
    host.fault_next(Fault.BAD_ARPC)
    result = pay(payments, fee_system, pad, VirtualPbocCard(RICH))
    assert result.outcome is CardOutcome.REVERSED and host.balance(RICH.pan) == RICH.balance_fen
    assert any("ic_reversal=arpc_wrong" in note for note in notes(journal, result.entry.journal_no))
    assert ledger_file(host)[0]["ic"]["final"] == "AAC"


def test_card_pulled_between_the_two_generate_acs_is_reversed(payments, fee_system, pad, host, journal) -> None:
    result = pay(payments, fee_system, pad, VirtualPbocCard(RICH, faults=CardFaults(pull_at_second_ac=True)))
    assert result.outcome is CardOutcome.REVERSED and result.citizen_message == MSG_REMOVED_RETURNED
    assert host.balance(RICH.pan) == RICH.balance_fen
    assert ledger_file(host)[0]["ic"] == {"arqc_ok": True, "final": None}
    assert any("ic_reversal=card_removed" in note for note in notes(journal, result.entry.journal_no))


def test_wrong_arqc_is_declined_by_the_host_and_no_money_moves(payments, fee_system, pad, host, journal) -> None:
    other = demo_accounts()[1]
    wrong_key = VirtualPbocCard(RICH)
    wrong_key.profile = wrong_key.profile.__class__(**{**wrong_key.profile.__dict__, "icc_keys": other.icc_keys})
    result = pay(payments, fee_system, pad, wrong_key)
    assert result.outcome is CardOutcome.DECLINED and result.response_code == "05"
    assert result.entry.state is PaymentState.DECLINED and host.balance(RICH.pan) == RICH.balance_fen
    assert ledger_file(host)[0]["ic"] == {"arqc_ok": False, "final": None}
    assert wrong_key.answers == ["ARQC", "AAC"]  # the host declined: the second GENERATE AC asked for an AAC
    assert any("declined 05; card AAC" in note for note in notes(journal, result.entry.journal_no))


def test_a_host_decline_ends_on_the_card_with_an_aac_asked_for(payments, fee_system, pad, host, journal) -> None:
    card = VirtualPbocCard(RICH)
    host.fault_next(Fault.CODE, code="51", process=False)
    quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")
    chip = chip_of(card)
    asked: list[tuple[int, bytes]] = []
    second_ac = chip.second_ac
    chip.second_ac = lambda p1, values: asked.append((p1, values[0x8A])) or second_ac(p1, values)  # type: ignore
    result = payments.authorize(quote, RESIDENT, chip.card, pad.pin_block(RICH.pin, chip.card.pan), chip)
    assert result.outcome is CardOutcome.DECLINED and result.response_code == "51"
    assert asked == [(0x00, b"51")] and card.answers == ["ARQC", "AAC"]  # P1 00: AAC asked, with the host's code
    assert host.balance(RICH.pan) == RICH.balance_fen


def test_aac_at_the_first_generate_ac_is_declined_offline_without_a_message(payments, fee_system, pad, host, journal):
    result = pay(payments, fee_system, pad, VirtualPbocCard(RICH, faults=CardFaults(first_ac="AAC")))
    assert result.outcome is CardOutcome.DECLINED and result.citizen_message == MSG_DECLINED_OFFLINE
    assert (result.entry.state is PaymentState.DECLINED and host.received == []) or all(
        r.mti == "0800" for r in host.received
    )
    assert ledger_file(host) == []


def test_a_wrong_pin_then_the_right_one_restarts_the_card(payments, fee_system, pad, host) -> None:
    card = VirtualPbocCard(RICH)
    quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")
    chip = chip_of(card)
    first = payments.authorize(quote, RESIDENT, chip.card, pad.pin_block("000000", chip.card.pan), chip)
    assert first.pin_wrong
    second = payments.authorize(quote, RESIDENT, chip.card, pad.pin_block(RICH.pin, chip.card.pan), chip)
    assert second.outcome is CardOutcome.APPROVED and card.answers == ["ARQC", "AAC", "ARQC", "TC"]


def test_a_crash_after_the_host_approved_and_before_the_card_answered_is_reversed(
    payments, fee_system, pad, host, journal, monkeypatch
) -> None:
    """The new journal step: auth_sent with "host approved"; recovery reverses it (the card never confirmed)."""
    from kiosk.payments import emv_terminal

    def crash(*args, **kwargs):
        raise SystemExit("killed between the two GENERATE ACs")

    monkeypatch.setattr(emv_terminal, "complete", crash)
    with pytest.raises(SystemExit):
        pay(payments, fee_system, pad, VirtualPbocCard(RICH))
    (entry,) = journal.unfinished()
    assert entry.state is PaymentState.AUTH_SENT and host.balance(RICH.pan) < RICH.balance_fen
    report = send_pending_reversals(journal, payments.client)
    assert [e.state for e in report.reversed] == [PaymentState.REVERSED]
    assert host.balance(RICH.pan) == RICH.balance_fen
