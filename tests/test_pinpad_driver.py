"""The real PIN pad driver against the simulator over a pseudo-terminal."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from drivers.base import Completion, DeviceStatus
from drivers.pinpad import (
    PinEntryCanceled,
    PinEntryTimeout,
    PinPadBusy,
    PinPadInvalidArgument,
    PinPadKeyError,
    PinPadProtocolError,
    PinPadTampered,
    PinPadUnavailable,
    SerialPinPad,
    crypto,
)
from drivers.pinpad.crypto import Algorithm
from drivers.pinpad.driver import PIN_HEARTBEAT
from drivers.pinpad.errors import ERROR_TABLE, PinPadError
from drivers.pinpad.framing import Frame, FrameDecoder, encode_frame
from drivers.pinpad.protocol import STATUS_CODES, PadStatus, parse_response, status_error
from drivers.pinpad.simulator import PinPadSimulator
from pinpad_fixtures import (
    CLEAR_BLOCK,
    COMPONENTS,
    MAC_KEYS,
    PAN,
    PIN,
    PIN_KEYS,
    Rig,
    load_all_keys,
    master_key,
    rig_fixture,  # noqa: F401 - provides the fixture `rig`
    sim_fixture,  # noqa: F401 - provides the fixture `sim`
    under_master,
    when_pin_entry,
)

ALGORITHMS = list(Algorithm)


def test_a_fresh_pad_is_online_without_keys(rig: Rig) -> None:
    state = rig.pad.pad_state()
    assert state.online and state.status is DeviceStatus.ONLINE
    assert state.algorithm is Algorithm.TDES
    assert not (state.master_key or state.pin_key or state.mac_key or state.tampered)
    assert rig.pad.check_values() == {}


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_key_ceremony_shows_each_components_kcv_and_the_final_kcv(rig: Rig, algorithm: Algorithm) -> None:
    first, second = COMPONENTS[algorithm]
    rig.pad.select_algorithm(algorithm)
    assert rig.pad.load_master_key_component(1, first) == crypto.check_value(algorithm, first)
    assert rig.pad.pad_state().components == (1,)
    assert rig.pad.load_master_key_component(2, second) == crypto.check_value(algorithm, second)
    assert rig.pad.combine_master_key() == crypto.check_value(algorithm, master_key(algorithm))
    state = rig.pad.pad_state()
    assert state.master_key and state.components == () and state.algorithm is algorithm
    assert rig.sim.keys(algorithm).master == master_key(algorithm)


def test_combine_needs_both_components(rig: Rig) -> None:
    rig.pad.load_master_key_component(1, COMPONENTS[Algorithm.TDES][0])
    with pytest.raises(PinPadKeyError) as caught:
        rig.pad.combine_master_key()
    assert caught.value.code == "pinpad_key_missing"


def test_identical_components_are_refused_as_weak(rig: Rig) -> None:
    component = COMPONENTS[Algorithm.TDES][0]
    rig.pad.load_master_key_component(1, component)
    rig.pad.load_master_key_component(2, component)
    with pytest.raises(PinPadKeyError) as caught:
        rig.pad.combine_master_key()
    assert caught.value.code == "pinpad_key_invalid"


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_working_keys_accepted_with_matching_kcv(rig: Rig, algorithm: Algorithm) -> None:
    load_all_keys(rig.pad, algorithm)
    values = rig.pad.check_values()
    assert values == {
        "master": crypto.check_value(algorithm, master_key(algorithm)),
        "pin": crypto.check_value(algorithm, PIN_KEYS[algorithm]),
        "mac": crypto.check_value(algorithm, MAC_KEYS[algorithm]),
    }
    assert rig.sim.keys(algorithm).pin == PIN_KEYS[algorithm]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_working_key_refused_on_kcv_mismatch(rig: Rig, algorithm: Algorithm) -> None:
    load_all_keys(rig.pad, algorithm)
    encrypted, _ = under_master(algorithm, bytes(reversed(PIN_KEYS[algorithm])))
    with pytest.raises(PinPadKeyError) as caught:
        rig.pad.load_working_key("pin", encrypted, crypto.check_value(algorithm, PIN_KEYS[algorithm]))
    assert caught.value.code == "pinpad_kcv_mismatch"
    assert caught.value.completion is Completion.INVALID_DATA
    assert rig.sim.keys(algorithm).pin == PIN_KEYS[algorithm]  # the old key stays


def test_working_key_needs_a_master_key(rig: Rig) -> None:
    with pytest.raises(PinPadKeyError) as caught:
        rig.pad.load_working_key("pin", *under_master(Algorithm.TDES, PIN_KEYS[Algorithm.TDES]))
    assert caught.value.code == "pinpad_key_missing"


def test_key_sets_are_kept_per_algorithm(rig: Rig) -> None:
    load_all_keys(rig.pad, Algorithm.TDES)
    rig.pad.select_algorithm(Algorithm.SM4)
    assert rig.pad.check_values() == {}
    rig.pad.select_algorithm(Algorithm.TDES)
    assert set(rig.pad.check_values()) == {"master", "pin", "mac"}


def _read_pin(rig: Rig, fingers, **kwargs) -> tuple[bytes, list[str]]:  # type: ignore[no-untyped-def]
    keys: list[str] = []
    thread = when_pin_entry(rig.sim, fingers)
    try:
        block = rig.pad.read_pin(PAN, on_key=keys.append, **kwargs)
    finally:
        thread.join(5)
    return block, keys


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_pin_entry_gives_the_encrypted_format0_block_of_the_design_vector(
    rig: Rig, algorithm: Algorithm
) -> None:
    load_all_keys(rig.pad, algorithm)
    block, keys = _read_pin(rig, lambda sim: sim.type_pin(PIN))
    assert keys == ["*"] * len(PIN) + ["enter"]
    clear = crypto.decrypt_ecb(algorithm, rig.sim.keys(algorithm).pin, block)  # the test may know the key
    assert clear == crypto.widen_pin_block(algorithm, CLEAR_BLOCK)
    assert PIN.encode() not in block and PIN not in block.hex()


def test_clear_starts_the_pin_again(rig: Rig) -> None:
    load_all_keys(rig.pad, Algorithm.TDES)

    def fingers(sim: PinPadSimulator) -> None:
        sim.type_pin("999", enter=False)
        sim.press("clear")
        sim.type_pin(PIN)

    block, keys = _read_pin(rig, fingers)
    assert keys == ["*"] * 3 + ["clear"] + ["*"] * 6 + ["enter"]
    assert crypto.decrypt_ecb(Algorithm.TDES, PIN_KEYS[Algorithm.TDES], block) == CLEAR_BLOCK


def test_enter_below_minimum_is_ignored_and_digits_beyond_maximum_are_dropped(rig: Rig) -> None:
    load_all_keys(rig.pad, Algorithm.TDES)

    def fingers(sim: PinPadSimulator) -> None:
        sim.type_pin("1236")  # enter with 4 of min 6: ignored
        sim.type_pin("5412345")  # 11 digits typed; the pad keeps 8

    block, keys = _read_pin(rig, fingers, min_len=6, max_len=8)
    assert keys == ["*"] * 8 + ["enter"]
    pin = crypto.decode_pin_block(Algorithm.TDES, PIN_KEYS[Algorithm.TDES], block, "660100772688")
    assert pin == "12365412"


def test_cancel_key_ends_pin_entry_as_canceled(rig: Rig) -> None:
    load_all_keys(rig.pad, Algorithm.TDES)
    keys: list[str] = []

    def fingers(sim: PinPadSimulator) -> None:
        sim.type_pin("12", enter=False)
        sim.press("cancel")

    when_pin_entry(rig.sim, fingers)
    with pytest.raises(PinEntryCanceled) as caught:
        rig.pad.read_pin(PAN, on_key=keys.append)
    assert keys == ["*", "*", "cancel"]
    assert caught.value.completion is Completion.CANCELED
    assert rig.pad.pad_state().pin_entry is False


def test_cancel_from_another_thread_ends_pin_entry_and_the_next_command_works(rig: Rig) -> None:
    load_all_keys(rig.pad, Algorithm.TDES)
    when_pin_entry(rig.sim, lambda sim: (sim.press("1"), rig.pad.cancel()))
    with pytest.raises(PinEntryCanceled):
        rig.pad.read_pin(PAN)
    assert not rig.sim.pin_entry_active
    assert rig.pad.pad_state().online  # the stale CA answer does not confuse the next command


def test_pin_entry_with_no_keys_pressed_times_out(rig: Rig) -> None:
    load_all_keys(rig.pad, Algorithm.TDES)
    with pytest.raises(PinEntryTimeout) as caught:
        rig.pad.read_pin(PAN, timeout=1)
    assert caught.value.code == "pinpad_pin_timeout"
    assert caught.value.completion is Completion.TIMEOUT


def test_pin_entry_needs_a_pin_key(rig: Rig) -> None:
    with pytest.raises(PinPadKeyError) as caught:
        rig.pad.read_pin(PAN)
    assert caught.value.code == "pinpad_key_missing"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"pan": "12345"},
        {"pan": "62306066010077268x8"},
        {"min_len": 3},
        {"max_len": 13},
        {"min_len": 8, "max_len": 6},
        {"timeout": 0},
    ],
)
def test_pin_entry_refuses_a_bad_pan_length_range_or_timeout(rig: Rig, kwargs: dict) -> None:
    arguments = {"pan": PAN} | kwargs
    with pytest.raises(PinPadInvalidArgument):
        rig.pad.read_pin(**arguments)


def test_digits_pressed_outside_pin_entry_never_reach_the_application(rig: Rig) -> None:
    load_all_keys(rig.pad, Algorithm.TDES)
    rig.sim.type_pin("123456")  # plain-text mode: the pad sends the digits themselves
    _, keys = _read_pin(rig, lambda sim: sim.type_pin(PIN))
    assert keys == ["*"] * 6 + ["enter"]
    assert all(key in ("*", "clear", "cancel", "enter") for key in keys)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("size", [0, 7, 100, 1500])
def test_mac_equals_the_reference_mac_for_empty_short_and_multi_chunk_data(
    rig: Rig, algorithm: Algorithm, size: int
) -> None:
    load_all_keys(rig.pad, algorithm)
    data = bytes(i % 251 for i in range(size))  # 1500 bytes need several MA chunks
    assert rig.pad.mac(data) == crypto.compute_mac(algorithm, MAC_KEYS[algorithm], data)


def test_mac_needs_a_mac_key(rig: Rig) -> None:
    with pytest.raises(PinPadKeyError):
        rig.pad.mac(b"0200")


def test_tamper_erases_keys_and_blocks_commands(rig: Rig) -> None:
    load_all_keys(rig.pad, Algorithm.TDES)
    rig.sim.set_tampered(True)
    state = rig.pad.pad_state()
    assert state.tampered and state.status is DeviceStatus.HARDWARE_ERROR and not state.master_key
    with pytest.raises(PinPadTampered) as caught:
        rig.pad.check_values()
    assert caught.value.completion is Completion.HARDWARE_ERROR


def test_offline_pad_gives_no_response(rig: Rig) -> None:
    rig.sim.set_offline(True)
    with pytest.raises(PinPadUnavailable) as caught:
        rig.pad.pad_state()
    assert caught.value.code == "pinpad_no_response"
    rig.sim.set_offline(False)
    assert rig.pad.pad_state().online


def test_bad_checksum_from_the_pad_is_a_protocol_error_and_the_next_command_works(rig: Rig) -> None:
    rig.sim.corrupt_next_frame()
    with pytest.raises(PinPadProtocolError) as caught:
        rig.pad.pad_state()
    assert caught.value.code == "pinpad_frame_checksum"
    assert rig.pad.pad_state().online  # the next command works


def test_garbage_before_an_answer_is_ignored(rig: Rig) -> None:
    rig.sim.send_garbage(b"\xff\x00\x7fNOISE")
    assert rig.pad.pad_state().online


def test_garbage_during_pin_entry_is_ignored(rig: Rig) -> None:
    load_all_keys(rig.pad, Algorithm.TDES)

    def fingers(sim: PinPadSimulator) -> None:
        sim.send_garbage(b"\xfe\x01")
        sim.type_pin(PIN)

    block, keys = _read_pin(rig, fingers)
    assert keys == ["*"] * 6 + ["enter"] and len(block) == 8


def test_missing_port_is_no_device() -> None:
    with pytest.raises(PinPadUnavailable) as caught:
        SerialPinPad("/dev/does-not-exist").open()
    assert caught.value.code == "pinpad_no_device"
    assert caught.value.completion is Completion.NO_DEVICE


@pytest.mark.parametrize("status", [s for s in PadStatus if s is not PadStatus.OK])
def test_every_pad_status_is_a_typed_error(rig: Rig, status: PadStatus) -> None:
    rig.sim.fail_next_command(status)
    with pytest.raises(ERROR_TABLE[STATUS_CODES[status]][0]) as caught:
        rig.pad.pad_state()
    assert caught.value.code == STATUS_CODES[status]
    assert caught.value.completion is ERROR_TABLE[STATUS_CODES[status]][1]
    assert caught.value.citizen_message and caught.value.detail


def test_unknown_status_byte_is_a_protocol_error(rig: Rig) -> None:
    rig.sim.fail_next_command(0x7E)  # type: ignore[arg-type]
    with pytest.raises(PinPadProtocolError) as caught:
        rig.pad.pad_state()
    assert caught.value.code == "pinpad_unknown_status"


def _raw_answer(port: str, raw: bytes) -> PinPadError:
    """Send raw bytes as a faulty line would deliver them; the pad's answer as the driver would raise it."""
    import serial

    decoder = FrameDecoder()
    with serial.Serial(port, timeout=0.05) as line:
        line.write(raw)
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            for item in decoder.feed(line.read(64)):
                if isinstance(item, Frame):
                    response = parse_response(item.payload)
                    return status_error(response.status, response.command)
    raise AssertionError("no answer")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (encode_frame(b"ST")[:-1] + b"0", "pinpad_bad_checksum"),
        (b"\x02001ST\x0306", "pinpad_bad_length"),  # says 1 byte, carries 2
        (b"\x02009ST\x03", "pinpad_bad_length"),  # cut short: the pad's inter-byte timeout
        (encode_frame(b"ZZ"), "pinpad_unknown_command"),
        (encode_frame(b"MC,9,00"), "pinpad_bad_parameter"),
        (encode_frame(b"ST\x01"), "pinpad_bad_parameter"),
    ],
)
def test_pad_refuses_corrupt_frames(sim: PinPadSimulator, raw: bytes, code: str) -> None:
    error = _raw_answer(sim.port, raw)
    assert isinstance(error, PinPadProtocolError) and error.code == code


def test_a_second_command_waits_then_reports_busy_while_pin_entry_runs(rig: Rig) -> None:
    load_all_keys(rig.pad, Algorithm.TDES)
    outcome: list[BaseException] = []
    thread = threading.Thread(target=lambda: _catch(outcome, lambda: rig.pad.read_pin(PAN, timeout=5)))
    thread.start()
    assert rig.sim.wait_for_pin_entry(5)
    with pytest.raises(PinPadBusy) as caught:
        rig.pad.check_values()  # waits the driver timeout (1 s here) for the command lock
    assert caught.value.code == "pinpad_driver_busy"
    rig.pad.cancel()
    thread.join(5)
    assert isinstance(outcome[0], PinEntryCanceled)
    assert rig.pad.check_values()["pin"] == crypto.check_value(Algorithm.TDES, PIN_KEYS[Algorithm.TDES])


def _catch(outcome: list[BaseException], call) -> None:  # type: ignore[no-untyped-def]
    try:
        call()
    except BaseException as error:  # handed back to the test thread
        outcome.append(error)


def test_keys_persist_in_the_state_file(tmp_path: Path) -> None:
    state = tmp_path / "pinpad.json"
    with PinPadSimulator(state) as first, SerialPinPad(first.port) as pad:
        load_all_keys(pad, Algorithm.SM4)
        expected = pad.check_values()
    assert json.loads(state.read_text())["algorithm"] == "sm4"
    assert state.stat().st_mode & 0o077 == 0
    with PinPadSimulator(state) as second, SerialPinPad(second.port) as pad:
        assert pad.check_values() == expected


def test_a_pad_that_dies_during_pin_entry_is_found_by_the_heartbeat(rig: Rig) -> None:
    """The pad sends nothing until a key is pressed: only the driver's ST heartbeat can tell a dead pad from a
    citizen who is thinking, long before the PIN timeout (60 s here)."""
    load_all_keys(rig.pad, Algorithm.TDES)
    when_pin_entry(rig.sim, lambda sim: (sim.press("1"), sim.set_offline(True)))
    started = time.monotonic()
    with pytest.raises(PinPadUnavailable) as caught:
        rig.pad.read_pin(PAN, timeout=60)
    assert caught.value.code == "pinpad_no_response"
    assert time.monotonic() - started < PIN_HEARTBEAT + rig.pad.timeout + 2.0
    rig.sim.set_offline(False)


def test_a_live_pad_answers_the_heartbeat_and_the_pin_entry_goes_on(rig: Rig) -> None:
    load_all_keys(rig.pad, Algorithm.TDES)

    def slow_fingers(sim: PinPadSimulator) -> None:
        sim.type_pin(PIN[:2], enter=False)
        time.sleep(PIN_HEARTBEAT * 2.5)  # two heartbeats answered while the citizen thinks
        sim.type_pin(PIN[2:])

    block, keys = _read_pin(rig, slow_fingers, timeout=30)
    assert keys == ["*"] * len(PIN) + ["enter"] and len(block) == 8
