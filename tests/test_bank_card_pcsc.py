"""The real pyscard bank card driver reading virtual PBOC cards through pcscd + vpcd (slot 1): real APDUs."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from bank_fixtures import BANK_READER, CREDIT, RICH, SECOND
from drivers.bankcard import (
    UNIONPAY_CREDIT,
    UNIONPAY_DEBIT,
    BankCardError,
    CardFaults,
    PcscBankCardReader,
    VirtualPbocCard,
    tlv,
)
from drivers.base import Completion, DeviceStatus

pytestmark = pytest.mark.pcsc
pytest_plugins = ["sscard_fixtures", "bank_fixtures"]


def test_full_read(bank_reader, insert_bank_card) -> None:
    card = VirtualPbocCard(RICH)  # strict T=0 card: Le=00 on READ RECORD is answered 6C xx
    insert_bank_card(card)
    data = bank_reader.read_card()
    assert data.pan == RICH.pan and data.expiry == RICH.expiry and data.aid == UNIONPAY_DEBIT
    assert data.track2.startswith(f"{RICH.pan}D{RICH.expiry:%y%m}220") and data.pan_sequence == 1
    commands = [apdu[:2].hex().upper() for apdu in card.log]
    gpo = commands.index("80A8")  # a retried first SELECT (pcscd catching up with the slot) may come before
    assert commands[gpo - 2 : gpo + 1] == ["00A4", "00A4", "80A8"]  # PPSE, AID, GPO
    assert card.log[gpo - 2][5:19] == b"2PAY.SYS.DDF01" and card.log[gpo - 1][5:13] == UNIONPAY_DEBIT
    reads = [apdu for apdu in card.log if apdu[1] == 0xB2]
    assert [apdu[2:4].hex() for apdu in reads[::2]] == ["010c", "0114", "011c"]  # SFI 1, 2, 3 along the AFL
    assert all(reads[i][4] == 0 and reads[i + 1][4] != 0 for i in range(0, len(reads), 2))  # 6C xx followed
    # The PDOL asked for 9F7A, 9F02, 5F2A, 9A: the kiosk sent 0156 and today's date.
    assert card.gpo_data is not None and card.gpo_data[7:9] == bytes.fromhex("0156")
    assert card.gpo_data[9:12] == bytes.fromhex("261127")
    assert bank_reader.last_read is not None and bank_reader.last_read.apdus == len(card.log)


def test_read_through_get_response_and_gpo_format_1(bank_reader, insert_bank_card) -> None:
    card = VirtualPbocCard(SECOND, use_get_response=True, gpo_format=1, pdol=None)
    insert_bank_card(card)
    assert bank_reader.read_card().pan == SECOND.pan
    assert sum(1 for apdu in card.log if apdu[:2] == b"\x00\xc0") == 6  # PPSE, AID, GPO, three records
    assert card.gpo_data == b""  # no PDOL: 83 00


def test_card_without_ppse_is_found_through_the_aid_list(bank_reader, insert_bank_card) -> None:
    card = VirtualPbocCard(CREDIT, faults=CardFaults(no_ppse=True))
    insert_bank_card(card)
    data = bank_reader.read_card()
    assert data.aid == UNIONPAY_CREDIT and data.kind == "credit"
    selects = [apdu[5:13] for apdu in card.log if apdu[1] == 0xA4][1:]
    assert selects == [UNIONPAY_DEBIT, UNIONPAY_CREDIT]  # debit tried first, not on the card


def test_not_a_unionpay_card(bank_reader, insert_bank_card) -> None:
    card = VirtualPbocCard(RICH, faults=CardFaults(no_ppse=True, forced_sw={(0xA4, 0x04): 0x6A82}))
    insert_bank_card(card)
    with pytest.raises(BankCardError) as caught:
        bank_reader.read_card()
    assert caught.value.code == "card_not_supported"


@pytest.mark.parametrize(("ins", "sw"), [(0xA8, 0x6985), (0xB2, 0x6A83), (0xA4, 0x6F00)])
def test_wrong_status_word_is_a_card_error(bank_reader, insert_bank_card, ins: int, sw: int) -> None:
    p1 = 0x01 if ins == 0xB2 else 0x04 if ins == 0xA4 else 0x00
    insert_bank_card(VirtualPbocCard(RICH, faults=CardFaults(forced_sw={(ins, p1): sw})))
    with pytest.raises(BankCardError) as caught:
        bank_reader.read_card()
    assert caught.value.code == "card_error" and f"{sw:04X}" in caught.value.detail


def test_malformed_record_is_a_card_error(bank_reader, insert_bank_card) -> None:
    broken = tlv.encode(0x70, bytes.fromhex("5A0512"))  # 5A says 5 bytes, 1 follows
    insert_bank_card(VirtualPbocCard(RICH, faults=CardFaults(records={(2, 1): broken})))
    with pytest.raises(BankCardError) as caught:
        bank_reader.read_card()
    assert caught.value.code == "card_error" and caught.value.completion is Completion.INVALID_DATA


@pytest.mark.parametrize("after", [0, 2, 5])
def test_card_pulled_mid_read(bank_reader, insert_bank_card, after: int) -> None:
    insert_bank_card(VirtualPbocCard(RICH, faults=CardFaults(pull_after=after)))
    with pytest.raises(BankCardError) as caught:
        bank_reader.read_card()
    assert caught.value.code in ("card_removed", "no_card", "card_error")
    assert caught.value.citizen_message


def test_silent_card_times_out(bank_reader, insert_bank_card) -> None:
    insert_bank_card(VirtualPbocCard(RICH, faults=CardFaults(silent_after=3)))
    started = dt.datetime.now()
    with pytest.raises(BankCardError) as caught:
        bank_reader.read_card(timeout=1.5)
    assert caught.value.completion is Completion.TIMEOUT
    assert (dt.datetime.now() - started).total_seconds() < 5


def test_no_card_and_no_reader(bank_reader, pcscd, vpcd_slot1) -> None:
    assert not bank_reader.card_present()
    with pytest.raises(BankCardError) as caught:
        bank_reader.read_card()
    assert caught.value.code == "no_card"
    missing = PcscBankCardReader("No Such Reader")
    assert missing.state().status is DeviceStatus.NO_DEVICE
    with pytest.raises(BankCardError) as caught:
        missing.read_card()
    assert caught.value.code == "no_reader"


def test_card_present_follows_the_slot(bank_reader, insert_bank_card) -> None:
    client = insert_bank_card(VirtualPbocCard(RICH))
    assert bank_reader.card_present() and bank_reader.state().status is DeviceStatus.ONLINE
    client.remove()
    from bank_fixtures import card_in_slot, wait_for

    assert wait_for(card_in_slot(False))
    assert BANK_READER in PcscBankCardReader(BANK_READER).reader_fragment


def test_diag_bank_card_prints_masked_json(insert_bank_card, capsys) -> None:
    import argparse
    import json

    from kiosk.cli import diag_bank

    parser = argparse.ArgumentParser()
    diag_bank.register(parser.add_subparsers())
    args = parser.parse_args(["bank", "card", "--reader", BANK_READER, "--timeout", "3"])
    insert_bank_card(VirtualPbocCard(RICH))
    assert args.func(args) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == {
        "pan": "623060*********6888",
        "expiry": "2031-06-30",
        "aid": "A000000333010101",
        "kind": "debit",
        "pan_sequence": 1,
    }


def test_diag_bank_card_without_a_card(pcscd, vpcd_slot1, capsys) -> None:
    import argparse
    import json

    from kiosk.cli import diag_bank

    parser = argparse.ArgumentParser()
    diag_bank.register(parser.add_subparsers())
    args = parser.parse_args(["bank", "card", "--reader", BANK_READER, "--timeout", "1"])
    assert args.func(args) == 1
    assert json.loads(capsys.readouterr().out)["error"] == "no_card"


def test_closing_the_reader_releases_its_context_only_after_the_running_read() -> None:
    """A read that read_card gave up on goes on in its thread (a silent card); close() must not release the PC/SC
    context under it: libpcsclite crashed a test process in SCardStatus when it did."""
    events: list[str] = []

    class Context:
        def cancel(self) -> None:
            events.append("cancel")

        def release(self) -> None:
            events.append("release")

    reader = PcscBankCardReader(BANK_READER, timeout=1.0)
    reader._context = Context()  # type: ignore[assignment]
    reader._lock.acquire()  # a read is running

    def read_ends() -> None:
        events.append("read ended")
        reader._lock.release()

    threading.Timer(0.3, read_ends).start()
    reader.close()
    assert events == ["cancel", "read ended", "release"]
