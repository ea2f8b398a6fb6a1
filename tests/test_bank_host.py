"""The bank host client against the host simulator over loopback TCP, MACs and PIN blocks from the PIN pad
simulator on a pty: sign-on, every response code, MAC failures, timeouts, drops, reversals, persistence."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from bank_fixtures import CREDIT, EXPIRED, MERCHANT_ID, POOR, RICH, SECOND, TERMINAL_ID, card_of
from conftest import NOW
from drivers.bankcard.data import luhn_complete
from drivers.bankhost import (
    BankHostClient,
    HostDeclined,
    HostOutcomeUnknown,
    HostUnreachable,
    NotSignedOn,
    SignOnFailed,
    StanCounter,
)
from drivers.bankhost.softpad import SoftwareSecurityModule
from drivers.pinpad import crypto
from drivers.pinpad.crypto import Algorithm
from parties.bankhost.accounts import Account, demo_accounts, load_accounts
from parties.bankhost.simulator import BankHostSimulator, Fault
from parties.bankhost.testkeys import shared_master_key

pytest_plugins = ["bank_fixtures"]

AMOUNT = 50_000


def test_sign_on_loads_the_hosts_keys_into_the_pad(bank_host, make_client, pad_rig) -> None:
    client = make_client()
    result = client.sign_on()
    keys = bank_host.terminal_keys(TERMINAL_ID)
    assert keys is not None and result.batch == "000001"
    assert result.pin_key_kcv == crypto.check_value(Algorithm.TDES, keys.pin_key)
    check_values = pad_rig.pad.check_values()
    assert check_values["pin"] == result.pin_key_kcv and check_values["mac"] == result.mac_key_kcv
    assert pad_rig.sim.keys().pin == keys.pin_key  # the pad decrypted them with the shared master key


def test_approval_debits_the_account(bank_host, bank_client, pad_rig) -> None:
    before = bank_host.balance(RICH.pan)
    approval = bank_client.purchase(card_of(RICH), AMOUNT, pad_rig.enter_pin(RICH.pan, RICH.pin))
    assert approval.response_code == "00" and len(approval.rrn) == 12 and len(approval.auth_code) == 6
    assert bank_host.balance(RICH.pan) == before - AMOUNT
    (entry,) = bank_host.ledger()
    assert (entry.status, entry.amount_fen, entry.rrn) == ("approved", AMOUNT, approval.rrn)
    assert entry.stan == approval.ref.stan
    assert bank_host.net_debits(TERMINAL_ID) == AMOUNT


def test_credit_card_approval(bank_host, bank_client, pad_rig) -> None:
    assert bank_client.purchase(card_of(CREDIT), 1, pad_rig.enter_pin(CREDIT.pan, CREDIT.pin)).response_code == "00"


def declined_code(call) -> str:
    with pytest.raises(HostDeclined) as caught:
        call()
    assert caught.value.citizen_message and caught.value.sent
    return caught.value.response_code


def test_insufficient_funds_51(bank_host, bank_client, pad_rig) -> None:
    block = pad_rig.enter_pin(POOR.pan, POOR.pin)
    assert declined_code(lambda: bank_client.purchase(card_of(POOR), POOR.balance_fen + 1, block)) == "51"
    assert bank_host.balance(POOR.pan) == POOR.balance_fen
    block = pad_rig.enter_pin(POOR.pan, POOR.pin)
    assert bank_client.purchase(card_of(POOR), POOR.balance_fen, block).response_code == "00"  # to the fen
    assert bank_host.balance(POOR.pan) == 0


def test_wrong_pin_55_then_tries_exceeded_75(bank_host, bank_client, pad_rig) -> None:
    card = card_of(SECOND)
    codes = [declined_code(lambda: bank_client.purchase(card, 100, pad_rig.enter_pin(SECOND.pan, "999999")))]
    assert codes == ["55"]
    assert bank_client.purchase(card, 100, pad_rig.enter_pin(SECOND.pan, SECOND.pin)).response_code == "00"
    for _ in range(3):  # the right PIN reset the count: three more wrong ones lock the card
        codes.append(declined_code(lambda: bank_client.purchase(card, 100, pad_rig.enter_pin(SECOND.pan, "000000"))))
    assert codes == ["55", "55", "55", "75"]
    right = pad_rig.enter_pin(SECOND.pan, SECOND.pin)
    assert declined_code(lambda: bank_client.purchase(card, 100, right)) == "75"  # locked, even with the right PIN
    assert bank_host.balance(SECOND.pan) == SECOND.balance_fen - 100


def test_expired_card_54_and_unknown_card_14(bank_host, bank_client, pad_rig) -> None:
    block = pad_rig.enter_pin(EXPIRED.pan, EXPIRED.pin)
    assert declined_code(lambda: bank_client.purchase(card_of(EXPIRED), 100, block)) == "54"
    stranger = Account(luhn_complete("621483000055554"), "123456", 10_000, dt.date(2030, 1, 31))
    block = pad_rig.enter_pin(stranger.pan, stranger.pin)
    assert declined_code(lambda: bank_client.purchase(card_of(stranger), 100, block)) == "14"


def test_forced_system_fault_96(bank_host, bank_client, pad_rig) -> None:
    bank_host.fault_next(Fault.CODE, code="96")
    block = pad_rig.enter_pin(RICH.pan, RICH.pin)
    assert declined_code(lambda: bank_client.purchase(card_of(RICH), 100, block)) == "96"
    assert bank_host.balance(RICH.pan) == RICH.balance_fen


def test_mac_failure_a0_then_sign_on_again(bank_host, bank_client, pad_rig) -> None:
    other_mac_key = bytes.fromhex("00112233445566778899AABBCCDDEEFF")
    under_master = crypto.encrypt_ecb(Algorithm.TDES, shared_master_key(), other_mac_key)
    pad_rig.pad.load_working_key("mac", under_master, crypto.check_value(Algorithm.TDES, other_mac_key))
    block = pad_rig.enter_pin(RICH.pan, RICH.pin)
    assert declined_code(lambda: bank_client.purchase(card_of(RICH), 100, block)) == "A0"
    assert not bank_client.signed_on  # A0: our keys are in doubt
    with pytest.raises(NotSignedOn):
        bank_client.purchase(card_of(RICH), 100, block)
    bank_client.sign_on()
    block = pad_rig.enter_pin(RICH.pan, RICH.pin)
    assert bank_client.purchase(card_of(RICH), 100, block).response_code == "00"
    assert bank_host.balance(RICH.pan) == RICH.balance_fen - 100


def test_pin_block_under_an_old_key_is_wrong_pin(bank_host, bank_client, pad_rig) -> None:
    block = pad_rig.enter_pin(RICH.pan, RICH.pin)
    bank_client.sign_on()  # new PIN key: the old block no longer decrypts to the PIN
    code = declined_code(lambda: bank_client.purchase(card_of(RICH), 100, block))
    assert code in ("55", "99")


def test_duplicate_stan_94(bank_host, make_client, pad_rig, tmp_path) -> None:
    first = make_client(stan_file="stan-a")
    first.sign_on()
    first.purchase(card_of(RICH), 100, pad_rig.enter_pin(RICH.pan, RICH.pin))
    again = make_client(stan_file="stan-a-copy")  # a counter that restarted from zero
    again.signed_on = True
    again.stan = StanCounter(tmp_path / "stan-b", start=first.stan.last - 2)
    again.stan.next()  # the sign-on's number
    block = pad_rig.enter_pin(RICH.pan, RICH.pin)
    assert declined_code(lambda: again.purchase(card_of(RICH), 100, block)) == "94"


def test_not_signed_on_and_terminal_unknown_to_host(bank_host, bank_client, make_client, pad_rig) -> None:
    client = make_client()
    with pytest.raises(NotSignedOn) as caught:
        client.purchase(card_of(RICH), 100, bytes(8))
    assert not caught.value.sent
    with (
        BankHostSimulator(demo_accounts(), terminals={"OTHER001"}, clock=lambda: NOW) as strict,
        pytest.raises(SignOnFailed, match="97"),
    ):
        make_client(port=strict.port).sign_on()
    with BankHostSimulator(demo_accounts(), clock=lambda: NOW) as forgetful:  # a host that lost our keys
        client = make_client(port=forgetful.port)
        client.signed_on = True
        block = pad_rig.enter_pin(RICH.pan, RICH.pin)
        assert declined_code(lambda: client.purchase(card_of(RICH), 100, block)) == "77"
        assert not client.signed_on


@pytest.mark.parametrize(
    ("fault", "reason"),
    [(Fault.NO_ANSWER, "98"), (Fault.DROP, "98"), (Fault.LATE, "98"), (Fault.BAD_MAC, "A0")],
)
def test_unknown_outcomes_and_the_reversal(bank_host, bank_client, pad_rig, fault: Fault, reason: str) -> None:
    bank_host.fault_next(fault, delay=2.0)  # processed: the money moved, the kiosk cannot know
    ref = bank_client.new_transaction(AMOUNT)
    started = time.monotonic()
    with pytest.raises(HostOutcomeUnknown) as caught:
        bank_client.purchase(card_of(RICH), AMOUNT, pad_rig.enter_pin(RICH.pan, RICH.pin), ref)
    assert caught.value.sent and caught.value.reason == reason
    assert time.monotonic() - started < 1.0 + 2.0  # the client's timeout is 1 s
    assert bank_host.balance(RICH.pan) == RICH.balance_fen - AMOUNT
    assert bank_client.reverse(ref.with_reason(caught.value.reason)) == "00"
    assert bank_host.balance(RICH.pan) == RICH.balance_fen
    assert bank_host.ledger()[0].status == "reversed" and bank_host.ledger()[0].reversal_reason == reason
    assert bank_client.reverse(ref) == "00"  # idempotent: acknowledged again, nothing restored twice
    assert bank_host.balance(RICH.pan) == RICH.balance_fen


def test_reversal_before_its_purchase_refuses_the_purchase(bank_host, bank_client, pad_rig) -> None:
    bank_host.fault_next(Fault.DROP, process=False)  # dropped before the host booked it
    ref = bank_client.new_transaction(AMOUNT)
    block = pad_rig.enter_pin(RICH.pan, RICH.pin)
    with pytest.raises(HostOutcomeUnknown):
        bank_client.purchase(card_of(RICH), AMOUNT, block, ref)
    assert bank_client.reverse(ref) == "00"  # unknown to the host: acknowledged
    assert declined_code(lambda: bank_client.purchase(card_of(RICH), AMOUNT, block, ref)) == "94"  # a late copy
    assert bank_host.balance(RICH.pan) == RICH.balance_fen


def test_reversal_unanswered_is_outcome_unknown(bank_host, bank_client) -> None:
    bank_host.fault_next(Fault.NO_ANSWER, "0400")
    with pytest.raises(HostOutcomeUnknown):
        bank_client.reverse(bank_client.new_transaction(100))


def test_host_unreachable_sends_nothing(make_client, pad_rig) -> None:
    with BankHostSimulator() as gone:
        port = gone.port
    client = make_client(port=port)
    with pytest.raises(HostUnreachable) as caught:
        client.sign_on()
    assert not caught.value.sent and "No money was taken" in caught.value.citizen_message


def test_state_dir_keeps_accounts_ledger_and_keys(tmp_path, pad_rig, make_client) -> None:
    state = tmp_path / "host-state"
    with BankHostSimulator(demo_accounts(), state_dir=state, clock=lambda: NOW) as first:
        client = make_client(port=first.port)
        client.sign_on()
        approval = client.purchase(card_of(RICH), AMOUNT, pad_rig.enter_pin(RICH.pan, RICH.pin))
    assert oct((state / "bankhost.json").stat().st_mode & 0o777) == "0o600"
    with BankHostSimulator(demo_accounts(), state_dir=state, clock=lambda: NOW) as second:
        assert second.balance(RICH.pan) == RICH.balance_fen - AMOUNT  # the file wins over the given accounts
        assert second.terminal_keys(TERMINAL_ID) is not None
        client = make_client(port=second.port)
        client.signed_on = True  # the host still has our keys: no sign-on needed after its restart
        assert client.reverse(approval.ref) == "00"
        assert second.balance(RICH.pan) == RICH.balance_fen


def test_sm4_keys_pin_blocks_and_macs(tmp_path) -> None:
    from bank_fixtures import PadRig
    from drivers.pinpad import SerialPinPad
    from drivers.pinpad.simulator import PinPadSimulator
    from parties.bankhost.testkeys import install_test_master_key

    with (
        BankHostSimulator(demo_accounts(), algorithm="sm4", clock=lambda: NOW) as host,
        PinPadSimulator() as simulator,
        SerialPinPad(simulator.port) as pad,
    ):
        install_test_master_key(pad, Algorithm.SM4)
        client = BankHostClient(
            "127.0.0.1", host.port, TERMINAL_ID, MERCHANT_ID, 1.0, pad=pad, algorithm="sm4", clock=lambda: NOW
        )
        client.sign_on()
        block = PadRig(simulator, pad).enter_pin(RICH.pan, RICH.pin)
        assert len(block) == 16
        assert client.purchase(card_of(RICH), AMOUNT, block).response_code == "00"
        assert host.balance(RICH.pan) == RICH.balance_fen - AMOUNT


def test_software_module_and_accounts_file(tmp_path) -> None:
    (tmp_path / "accounts.toml").write_text(
        '[[accounts]]\npan = "6230606601007726888"\npin = "1234"\nbalance_fen = 700\nexpiry = 2030-01-31\n'
    )
    (account,) = load_accounts(tmp_path / "accounts.toml")
    with BankHostSimulator([account], clock=lambda: NOW) as host:
        module = SoftwareSecurityModule(shared_master_key())
        client = BankHostClient("127.0.0.1", host.port, TERMINAL_ID, MERCHANT_ID, 1.0, pad=module, clock=lambda: NOW)
        client.sign_on()
        assert client.purchase(card_of(account), 700, module.pin_block("1234", account.pan)).response_code == "00"
        assert host.balance(account.pan) == 0
    assert "6888" in repr(account) and "1234" not in repr(account)
    assert os.environ.get("NO_SUCH") is None
