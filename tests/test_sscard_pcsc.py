"""The real pyscard driver reading the virtual card through pcscd + vpcd: the bytes on the wire are real."""

from __future__ import annotations

import queue
import time

import pytest

from drivers.base import Completion, DeviceEvent, DeviceStatus
from drivers.pcsc import CardEvent
from drivers.sscard import CardFaults, PcscSsCardReader, SsCardError, VirtualSsCard
from sscard_fixtures import READER, card_in_reader, wait_for

pytestmark = pytest.mark.pcsc
pytest_plugins = ["sscard_fixtures"]  # pcscd, demo_data, insert_card, reader


def test_full_read_follows_6c_for_every_record(reader, insert_card, demo_data) -> None:
    card = VirtualSsCard(demo_data)  # strict T=0 card: Le=00 is answered with 6C xx
    insert_card(card)
    assert reader.read_card() == demo_data
    reads = [apdu for apdu in card.log if apdu[1] == 0xB2]
    assert len(reads) == 26 and all(apdu[4] == 0 for apdu in reads[::2])
    assert reads[1] == bytes.fromhex("00B2010412")  # resent with Le = 2 + 16 after 6C 12
    assert reader.last_read is not None and reader.last_read.apdus == 29


def test_card_answering_61xx_is_read_through_get_response(reader, insert_card, demo_data) -> None:
    card = VirtualSsCard(demo_data, use_get_response=True)
    insert_card(card)
    assert reader.read_card() == demo_data
    assert sum(1 for apdu in card.log if apdu[:4] == bytes.fromhex("00C00000")) == 14  # SSSE FCI + 13 records


def test_lenient_card_answers_le_00_directly(reader, insert_card, demo_data) -> None:
    card = VirtualSsCard(demo_data, strict_le=False)
    insert_card(card)
    assert reader.read_card() == demo_data
    assert len(card.log) == 16


def test_reading_an_empty_reader_raises_no_card(reader) -> None:
    assert not reader.card_present()
    with pytest.raises(SsCardError) as caught:
        reader.read_card()
    assert caught.value.code == "no_card" and caught.value.completion is Completion.NO_MEDIA


def test_missing_reader_is_no_device_and_reading_it_raises_no_reader(pcscd) -> None:
    missing = PcscSsCardReader("No Such Reader")
    assert missing.state().status is DeviceStatus.NO_DEVICE
    with pytest.raises(SsCardError) as caught:
        missing.read_card()
    assert caught.value.code == "no_reader"


@pytest.mark.parametrize("after", [0, 4, 20])
def test_card_pulled_mid_read_raises_card_removed(reader, insert_card, demo_data, after: int) -> None:
    insert_card(VirtualSsCard(demo_data, faults=CardFaults(pull_after=after)))
    with pytest.raises(SsCardError) as caught:
        reader.read_card()
    assert caught.value.code == "card_removed"
    assert wait_for(card_in_reader(False))
    assert caught.value.citizen_message.startswith("The card was taken out")


def test_silent_card_times_out(insert_card, demo_data) -> None:
    client = insert_card(VirtualSsCard(demo_data, faults=CardFaults(silent_after=3)))
    impatient = PcscSsCardReader(READER, timeout=0.5)
    with pytest.raises(SsCardError) as caught:
        impatient.read_card()
    assert caught.value.code == "card_error" and caught.value.completion is Completion.TIMEOUT
    client.remove()  # unblocks pcscd's pending transmit


def test_wrong_status_word_is_a_card_error_naming_the_command(reader, insert_card, demo_data) -> None:
    insert_card(VirtualSsCard(demo_data, faults=CardFaults(forced_sw={(0xA4, 0x04): 0x6A82})))
    with pytest.raises(SsCardError, match=r"SELECT SSSE.*6A82") as caught:
        reader.read_card()
    assert caught.value.code == "card_error"


def test_malformed_record_is_invalid_data(reader, insert_card, demo_data) -> None:
    insert_card(VirtualSsCard(demo_data, faults=CardFaults(records={0x0D: bytes.fromhex("0D0419991399")})))
    with pytest.raises(SsCardError, match="no such date") as caught:
        reader.read_card()
    assert caught.value.code == "card_error" and caught.value.completion is Completion.INVALID_DATA


def test_monitor_reports_insertion_and_removal(reader, insert_card, demo_data) -> None:
    events: queue.Queue[DeviceEvent] = queue.Queue()
    monitor = reader.watch(events.put, poll_interval=0.05)
    try:
        assert wait_for(lambda: monitor.status is DeviceStatus.ONLINE)
        client = insert_card(VirtualSsCard(demo_data), wait=False)
        assert next_event(events, "inserted").atr == VirtualSsCard(demo_data).atr
        assert monitor.card_present
        client.remove()
        next_event(events, "removed")
        assert not monitor.card_present
    finally:
        monitor.stop()


def test_pcscd_stopping_gives_typed_errors_and_restarting_reconnects(own_pcscd, reader, insert_card, demo_data) -> None:
    """pcscd goes away: status offline, typed errors, monitor survives; it comes back: everything reconnects.
    The pcscd is the test process's own (tests/worker_pcscd.py), never the machine's."""
    events: queue.Queue[DeviceEvent] = queue.Queue()
    monitor = reader.watch(events.put, poll_interval=0.05)
    try:
        insert_card(VirtualSsCard(demo_data))
        assert reader.read_card() == demo_data
        next_event(events, "inserted")

        own_pcscd.stop_daemon()
        assert next_event(events, "removed").status is DeviceStatus.OFFLINE
        assert wait_for(lambda: monitor.status is DeviceStatus.OFFLINE)
        assert reader.state().status is DeviceStatus.OFFLINE
        with pytest.raises(SsCardError) as caught:
            reader.read_card()
        assert caught.value.code == "pcsc_unavailable"

        own_pcscd.start_daemon(timeout=15.0)
        assert wait_for(lambda: monitor.status is DeviceStatus.ONLINE, timeout=10.0)
        insert_card(VirtualSsCard(demo_data))  # the old socket died with pcscd; the card goes in again
        assert reader.read_card() == demo_data  # same reader object: a fresh context replaced the stale one
        assert next_event(events, "inserted").status is DeviceStatus.ONLINE
    finally:
        monitor.stop()
        if own_pcscd.process is None:
            own_pcscd.start_daemon(timeout=15.0)


def next_event(events: queue.Queue[DeviceEvent], kind: str, timeout: float = 5.0) -> CardEvent:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            event = events.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            break
        if event.name == kind:  # a DeviceEvent; its payload is the monitor's CardEvent
            return event.payload
    raise AssertionError(f"no {kind!r} event within {timeout} s")


def test_card_swapped_quickly_reads_the_new_card(reader, insert_card, demo_data) -> None:
    from drivers.sscard import demo_sscard

    first = insert_card(VirtualSsCard(demo_data))
    assert reader.read_card() == demo_data
    other = demo_sscard({"name": "张三", "id_number": "11010519491231002X"})
    first.remove()
    insert_card(VirtualSsCard(other), wait=False)  # pcscd may still report the old card for a moment
    assert reader.read_card() == other
