"""DLE EOT status parsing (pure) and its mapping to the device model."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.base import Completion, DeviceStatus, PaperStatus
from printers.escpos.errors import PrinterError
from printers.escpos.status import parse_status, status_bytes

READY = (0x12, 0x12, 0x12)


def test_ready_answers_mean_online_paper_ok_and_can_print():
    status = parse_status(*READY)
    assert status.as_json() == {"online": True, "paper": "ok", "cover_open": False}
    assert status.can_print and status.device_status is DeviceStatus.ONLINE
    assert status.paper_status is PaperStatus.FULL


@pytest.mark.parametrize(
    ("answers", "online", "paper", "cover_open", "reason"),
    [
        ((0x1A, 0x12, 0x12), False, "full", False, "offline"),  # n=1 bit 3
        ((0x1A, 0x16, 0x12), False, "full", True, "cover_open"),  # n=2 bit 2
        ((0x1A, 0x32, 0x12), False, "out", False, "paper_out"),  # n=2 bit 5: stopped at paper end
        ((0x12, 0x12, 0x1E), True, "low", False, None),  # n=4 bits 2-3
        ((0x12, 0x12, 0x16), True, "low", False, None),  # one near-end bit is enough
        ((0x1A, 0x12, 0x72), False, "out", False, "paper_out"),  # n=4 bits 5-6
        ((0x1A, 0x32, 0x7E), False, "out", False, "paper_out"),
    ],
)
def test_each_status_bit_sets_online_paper_cover_and_blocking_reason(answers, online, paper, cover_open, reason):
    status = parse_status(*answers)
    assert (status.online, status.paper, status.cover_open) == (online, paper, cover_open)
    assert status.blocking_reason == reason


def test_error_bit_means_hardware_error_and_cannot_print():
    status = parse_status(0x1A, 0x52, 0x12)
    assert status.error and status.device_status is DeviceStatus.HARDWARE_ERROR
    assert status.blocking_reason == "offline"


@pytest.mark.parametrize("bad", [0x00, 0xFF, 0x13, 0x92, 0x02, 0x10])
def test_bytes_with_wrong_fixed_bits_are_rejected(bad):
    with pytest.raises(PrinterError) as caught:
        parse_status(0x12, bad, 0x12)
    assert caught.value.code == "invalid_answer"
    assert caught.value.completion is Completion.INVALID_DATA


@given(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255))
def test_any_three_bytes_parse_or_raise_printer_error(a, b, c):
    try:
        status = parse_status(a, b, c)
    except PrinterError as exc:
        assert exc.code == "invalid_answer"
        assert any(x & 0x93 != 0x12 for x in (a, b, c))
    else:
        assert status.paper in ("full", "low", "out")
        assert status.online == (not a & 0x08)
        assert status.can_print == (status.blocking_reason is None)


@given(st.booleans(), st.sampled_from(["full", "low", "out"]), st.booleans())
def test_simulator_bytes_round_trip(online, paper, cover_open):
    answers = status_bytes(online=online, paper=paper, cover_open=cover_open)
    status = parse_status(answers[1], answers[2], answers[4])
    assert status.paper == paper and status.cover_open == cover_open
    # A real printer is offline while printing is stopped (cover open, paper end).
    assert status.online == (online and not cover_open and paper != "out")
