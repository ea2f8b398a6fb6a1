"""ISO 8583 messages of the bank host link: the spec, MAC block, references, STAN counter; fuzzing the parser."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.bankhost import MessageFormatError, StanCounter, TransactionRef
from drivers.bankhost import messages as m
from drivers.bankhost.transport import receive_frame
from drivers.pinpad.crypto import Algorithm
from parties.bankhost.simulator import BankHostSimulator

PAN = "6230606601007726888"
PURCHASE = {
    "t": "0200",
    "2": PAN,
    "3": "000000",
    "4": "000000050000",
    "11": "000123",
    "12": "100000",
    "13": "1127",
    "14": "3106",
    "22": "051",
    "23": "001",
    "25": "00",
    "26": "12",
    "35": f"{PAN}D31062200000000000",
    "41": "SD370001",
    "42": "898370153990001",
    "49": "156",
    "52": "0123456789ABCDEF",
    "53": m.SECURITY_TDES,
    "60": "2200000100050",
    "64": "00" * 8,
}


def test_round_trip_and_wire_layout() -> None:
    raw = m.encode(PURCHASE)
    assert raw[:5] == bytes.fromhex("6000030000") and raw[5:7] == bytes.fromhex("0200")  # TPDU, BCD MTI
    assert raw[7] & 0x40 and raw[-8:] == bytes(8)  # bit 2 set; field 64 last
    assert bytes.fromhex("19" + PAN + "0") in raw  # field 2: BCD length 19, digits right-padded with 0
    decoded = m.decode(raw)
    assert {k: v for k, v in decoded.items() if k not in ("h", "p")} == PURCHASE
    assert m.mac_data(raw) == raw[5:-8]
    assert m.with_mac(raw, bytes(range(16)))[-8:] == bytes(range(8))  # SM4's 16-byte MAC: leftmost 8
    assert m.frame(raw)[:2] == len(raw).to_bytes(2, "big")


def test_sm4_spec_has_a_16_byte_pin_block() -> None:
    raw = m.encode({**PURCHASE, "52": "AB" * 16}, Algorithm.SM4)
    assert m.decode(raw, Algorithm.SM4)["52"] == "AB" * 16
    with pytest.raises(MessageFormatError):
        m.encode(PURCHASE, Algorithm.SM4)  # an 8-byte block does not fit the SM4 field


@pytest.mark.parametrize(
    ("field", "value"),
    [("2", "6" * 20), ("4", "12"), ("39", "0"), ("41", "SHORT"), ("35", "6230D")],
)
def test_encode_refuses_wrong_values(field: str, value: str) -> None:
    fields = {**PURCHASE, "t": "0210", "39": "00", field: value}
    try:
        m.decode(m.encode(fields))
    except MessageFormatError:
        return
    pytest.fail(f"field {field}={value!r} went through")


def test_decode_refuses_non_digits_in_numeric_fields() -> None:
    raw = bytearray(m.encode(PURCHASE))
    position = raw.index(bytes.fromhex("000000050000"))  # field 4
    raw[position] = 0xAB
    with pytest.raises(MessageFormatError, match="field 4"):
        m.decode(bytes(raw))
    with pytest.raises(MessageFormatError, match="TPDU"):
        m.decode(b"\x61" + bytes(m.encode(PURCHASE))[1:])


def test_transaction_reference_text() -> None:
    ref = TransactionRef("000123", dt.datetime(2026, 11, 27, 10, 0, 5), 50000, "000001")
    assert TransactionRef.from_text(ref.to_text()) == ref
    assert TransactionRef.from_text(ref.with_reason("A0").to_text()).reason == "A0"
    assert "6230" not in ref.to_text()
    for bad in ("", "stan=1", "stan=12;time=x;amount=1;batch=000001", ref.to_text().replace("000123", "12")):
        with pytest.raises(ValueError):
            TransactionRef.from_text(bad)


def test_stan_counter_persists_and_wraps(tmp_path) -> None:
    path = tmp_path / "stan"
    first = StanCounter(path)
    assert [first.next(), first.next()] == ["000001", "000002"]
    assert StanCounter(path).next() == "000003"  # a restart never reuses a number
    wrap = StanCounter(tmp_path / "wrap", start=999_998)
    assert [wrap.next(), wrap.next()] == ["999999", "000001"]
    assert oct(path.stat().st_mode & 0o777) == "0o600"


# -- fuzzing: only typed errors, never a hang ------
@given(st.binary(max_size=400))
@settings(max_examples=1500, deadline=None)
def test_fuzz_random_bytes(data: bytes) -> None:
    for algorithm in Algorithm:
        with contextlib.suppress(MessageFormatError):
            m.decode(data, algorithm)


@given(st.data())
@settings(max_examples=1500, deadline=None)
def test_fuzz_mutated_messages(data: st.DataObject) -> None:
    raw = bytearray(m.encode(PURCHASE))
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    for candidate in (bytes(raw), bytes(raw[:cut]), bytes(raw) + data.draw(st.binary(max_size=20))):
        with contextlib.suppress(MessageFormatError):
            m.decode(candidate)


@given(st.dictionaries(st.sampled_from(sorted(m.BASE_SPEC.keys() - {"h", "p", "1"})), st.text(max_size=40)))
@settings(max_examples=500, deadline=None)
def test_fuzz_encoding_arbitrary_values(fields: dict[str, str]) -> None:
    with contextlib.suppress(MessageFormatError):
        m.decode(m.encode({"t": "0200", **fields}))


def test_simulator_survives_garbage_and_hangs_up() -> None:
    """Garbage frames, a huge length and a half frame: the host drops the connection and keeps serving."""
    with BankHostSimulator() as host:
        for payload in (b"\x00\x05hello", b"\xff\xff", b"\x00\x40" + b"\x60" * 10, m.frame(b"\x60\x00\x03\x00\x00")):
            with socket.create_connection(host.address, timeout=2) as sock:
                sock.sendall(payload)
                sock.shutdown(socket.SHUT_WR)
                deadline = time.monotonic() + 3
                assert receive_frame(sock, deadline) is None  # closed without an answer
        assert all(thread.is_alive() for thread in threading.enumerate() if thread.name == "bankhost-accept")
        assert host.received == []
