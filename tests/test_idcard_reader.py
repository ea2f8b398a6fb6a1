"""The real serial driver against the SAM_V simulator over a pseudo-terminal: every card type, every fault."""

from __future__ import annotations

import os
import threading
import time

import pytest

from drivers.base import DeviceStatus
from drivers.idcard import errors
from drivers.idcard.protocol import Command
from drivers.idcard.reader import SerialIdCardReader
from drivers.idcard.simulator import IdCardReaderSimulator
from drivers.idcard.text import CardType
from idcard_fixtures import card_of, resident_card, simulated_reader

# Short timeouts keep the failure tests fast; the simulator answers in milliseconds.
SHORT = 0.3


@pytest.mark.parametrize("card_type", list(CardType))
def test_reads_every_card_type(card_type: CardType) -> None:
    card = card_of(card_type)
    with simulated_reader(card) as (simulator, reader):
        assert reader.read_card() == card
    assert simulator.requests == [Command.FIND_CARD, Command.SELECT_CARD, Command.READ_TEXT_PHOTO]


def test_find_card_follows_the_card_on_and_off_the_reader() -> None:
    with simulated_reader(None) as (simulator, reader):
        assert reader.find_card() is False
        simulator.place_card(resident_card())
        assert reader.find_card() is True
        simulator.place_card(None)
        assert reader.find_card() is False


def test_no_card_read_raises_no_card() -> None:
    with simulated_reader(None) as (_, reader), pytest.raises(errors.NoCardError) as caught:
        reader.read_card()
    assert caught.value.category == "no_card"


def test_checksum_failure_once_is_retried() -> None:
    with simulated_reader(resident_card()) as (simulator, reader):
        simulator.faults.corrupt_checksum = "once"
        assert reader.read_card() == resident_card()
    # The find was corrupted and asked again.
    assert simulator.requests[:2] == [Command.FIND_CARD, Command.FIND_CARD]


def test_checksum_failure_always_gives_up_after_the_retries() -> None:
    with simulated_reader(resident_card()) as (simulator, reader):
        simulator.faults.corrupt_checksum = "always"
        with pytest.raises(errors.IdCardChecksumError) as caught:
            reader.read_card()
    assert caught.value.category == "checksum"
    assert simulator.requests == [Command.FIND_CARD] * (1 + reader.retries)


def test_request_checksum_reported_by_the_sam_is_retried_then_raised() -> None:
    with simulated_reader(resident_card()) as (simulator, reader):
        simulator.faults.status_override = {Command.FIND_CARD: 0x10}
        with pytest.raises(errors.SamReceivedChecksumError):
            reader.find_card()
    assert simulator.requests == [Command.FIND_CARD] * (1 + reader.retries)


def test_noise_before_answers_is_skipped() -> None:
    with simulated_reader(resident_card()) as (simulator, reader):
        simulator.faults.noise = bytes.fromhex("00FFAAAA9600AA55AAAAAA96") * 3
        assert reader.read_card() == resident_card()


def test_answers_split_into_small_pieces_with_pauses_are_assembled() -> None:
    with simulated_reader(resident_card()) as (simulator, reader):
        simulator.faults.split_size = 97
        simulator.faults.split_pause = 0.005
        assert reader.read_card() == resident_card()
        simulator.faults.split_size = 1
        simulator.faults.split_pause = 0.0
        simulator.place_card(resident_card())  # laid again: a card read to the end is halted until then
        assert reader.find_card() is True


def test_card_pulled_mid_read_with_status_41() -> None:
    with simulated_reader(resident_card()) as (simulator, reader):
        simulator.faults.pull_card_mid_read = "status"
        with pytest.raises(errors.ReadCardFailed) as caught:
            reader.read_card()
        assert caught.value.category == "device_error"
        assert reader.find_card() is False


def test_card_pulled_mid_read_with_half_an_answer_times_out() -> None:
    with simulated_reader(resident_card(), timeout=SHORT) as (simulator, reader):
        simulator.faults.pull_card_mid_read = "halfway"
        started = time.monotonic()
        with pytest.raises(errors.IdCardTimeout, match="part of an answer"):
            reader.read_card()
        assert time.monotonic() - started < 10  # bounded, not hung
        assert reader.find_card() is False  # the driver recovers for the next exchange


def test_unknown_card_type_flag_is_unsupported() -> None:
    with simulated_reader(resident_card()) as (simulator, reader):
        simulator.faults.type_flag = "Z"
        with pytest.raises(errors.UnsupportedCardError):
            reader.read_card()


def test_silent_device_times_out() -> None:
    with simulated_reader(resident_card(), timeout=SHORT) as (simulator, reader):
        simulator.faults.silent = True
        with pytest.raises(errors.IdCardTimeout, match="no answer"):
            reader.find_card()
        assert reader.state().status is DeviceStatus.OFFLINE
        simulator.faults.silent = False
        assert reader.find_card() is True


FAILURE_STATUSES = sorted(errors.SAM_STATUS_ERRORS)


@pytest.mark.parametrize("sw3", FAILURE_STATUSES)
def test_every_status_code_from_the_device_raises_its_typed_error(sw3: int) -> None:
    with simulated_reader(resident_card()) as (simulator, reader):
        simulator.faults.status_override = {Command.READ_TEXT_PHOTO: sw3}
        with pytest.raises(errors.SAM_STATUS_ERRORS[sw3]):
            reader.read_card()


def test_status_reports_online_and_hardware_errors() -> None:
    with simulated_reader(None) as (simulator, reader):
        assert reader.state().status is DeviceStatus.ONLINE
        reader.sam_status()
        assert len(reader.read_sam_id()) == 32
        reader.reset_sam()
        simulator.faults.status_override = {Command.SAM_STATUS: 0x60}
        assert reader.state().status is DeviceStatus.HARDWARE_ERROR
        with pytest.raises(errors.SamSelfTestFailed):
            reader.sam_status()


def test_missing_port_is_no_device() -> None:
    reader = SerialIdCardReader("/dev/ttyNOSUCHREADER", timeout=SHORT)
    with pytest.raises(errors.IdCardNoDevice) as caught:
        reader.open()
    assert caught.value.category == "no_device"
    assert reader.state().status is DeviceStatus.NO_DEVICE
    with pytest.raises(errors.IdCardNoDevice):
        reader.find_card()  # not open


def test_a_port_that_is_not_a_terminal_is_no_device(tmp_path: os.PathLike[str]) -> None:
    not_a_tty = os.path.join(tmp_path, "plain-file")
    with open(not_a_tty, "w") as handle:
        handle.write("x")
    with pytest.raises(errors.IdCardNoDevice):
        SerialIdCardReader(not_a_tty).open()


def test_simulator_stopping_under_the_driver_gives_a_typed_error() -> None:
    simulator = IdCardReaderSimulator(resident_card()).start()
    reader = SerialIdCardReader(simulator.port, timeout=SHORT)
    reader.open()
    try:
        assert reader.find_card() is True
        simulator.stop()
        with pytest.raises((errors.IdCardNoDevice, errors.IdCardTimeout)):
            reader.find_card()
    finally:
        reader.close()


def test_invalid_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        SerialIdCardReader("/dev/null", baud=12345)
    with pytest.raises(ValueError):
        SerialIdCardReader("/dev/null", timeout=0)


@pytest.mark.parametrize("baud", [9600, 57600])
def test_other_baud_rates_work(baud: int) -> None:
    with (
        IdCardReaderSimulator(resident_card()) as simulator,
        SerialIdCardReader(simulator.port, baud=baud, timeout=1.0) as reader,
    ):
        assert reader.read_card() == resident_card()


def test_a_polling_thread_and_a_reading_thread_do_not_interleave() -> None:
    failures: list[BaseException] = []
    stop = threading.Event()
    with simulated_reader(resident_card()) as (_, reader):

        def poll() -> None:
            while not stop.is_set():
                try:
                    reader.find_card()
                except BaseException as exc:  # any error here would mean mixed-up exchanges
                    failures.append(exc)
                    return

        poller = threading.Thread(target=poll)
        poller.start()
        try:
            for _ in range(5):
                assert reader.read_card() == resident_card()
        finally:
            stop.set()
            poller.join(timeout=5)
    assert failures == []


def test_a_card_read_to_the_end_is_not_found_again_until_it_is_laid_again() -> None:
    """ISO/IEC 14443-B: the SAM halts the card it read; find sees it again only after it left the field."""
    with simulated_reader(resident_card()) as (simulator, reader):
        assert reader.find_card() is True
        assert reader.read_card() == resident_card()
        assert reader.find_card() is False
        simulator.place_card(None)
        simulator.place_card(resident_card())
        assert reader.find_card() is True
