"""Logs: private files, and personal data masked in the formatter even when code forgot to: ID numbers in every
shape, card numbers, names in known fields, tracebacks included; journal numbers, amounts, timestamps and order
numbers left as they are."""

from __future__ import annotations

import io
import logging
import stat

import pytest

from kiosk.logs import mask_personal, setup_logging

MASKED = [
    # (what code wrote, what the log keeps)
    ("card 37010219850715231X read", "card 3701**********231X read"),
    ("ids 11010519491231002x,370103197003224422", "ids 1101**********002x,3701**********4422"),
    ("spaced 370103 19700322 4422 end", "spaced 3701**********4422 end"),
    ("grouped 370103-1970-0322-4422.", "grouped 3701**********4422."),
    ("glued ID370103197003224422x", "glued ID3701**********4422x"),
    ("old 15-digit 370103700322442;", "old 15-digit 3701*******2442;"),
    ("pan 6230606601007726888 ok", "pan 623060*********6888 ok"),
    ("pan 4111 1111 1111 1111 ok", "pan 411111******1111 ok"),
    ("track2 6230606601007726888D31062011234", "track2 623060*********6888D31062011234"),
    ("name=张三丰 logged in", "name=张*丰 logged in"),
    ("IdCardData(name='王秀兰', sex=女)", "IdCardData(name='王*兰', sex=女)"),
    ('{"name": "ZHANG SAN", "n": 1}', '{"name": "Z*******N", "n": 1}'),
    ("姓名：李四，证件", "姓名：李*，证件"),
    ("payer_name=Zhang San-Feng paid", "payer_name=Z************g paid"),
]
LEFT_ALONE = [
    "journal SD370102-0001-20261127100000-A1B2C3 state done",
    "order ALI20261127090000000001 and WX20261127090000000002",
    "tax payment number 313701026112700049 posted",  # 18 digits, but no birth date in it
    "amount 80000 fen of 1234567; quote Q-20261127-000001",
    "at 2026-11-27T10:00:00+08:00 and 20261127100000 and 2026-11-27 10:00:00,123",
    "bank rrn 202611270001 stan 000123 terminal 37010201 merchant 898370193990001",
    "card 4111111111111112 fails Luhn; 1234567890123 is no scheme's",
    "hostname=kiosk-01 filename=kiosk.log display=wayland-1",
]


@pytest.mark.parametrize(("text", "masked"), MASKED)
def test_each_personal_shape_is_masked(text, masked):
    assert mask_personal(text) == masked


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_identifiers_amounts_and_times_are_left_alone(text):
    assert mask_personal(text) == text


@pytest.fixture
def kiosk_logging(tmp_path):
    root = logging.getLogger()
    before = list(root.handlers)
    console = io.StringIO()
    path = setup_logging(tmp_path / "log", environ={}, stderr=console)
    yield path, console
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def test_log_file_is_private_and_masked(kiosk_logging, tmp_path):
    path, console = kiosk_logging
    logging.getLogger("test").warning("person %s logged in", "370103197003224422")
    text = path.read_text(encoding="utf-8")
    assert "3701**********4422" in text and "370103197003224422" not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "log").stat().st_mode) == 0o700
    assert console.getvalue().count("person 3701**********4422 logged in") == 1


def test_a_traceback_passes_through_the_mask(kiosk_logging):
    path, console = kiosk_logging
    try:
        raise ValueError("no record for 370103 19700322 4422 (name='王秀兰', card 6230606601007726888)")
    except ValueError:
        logging.getLogger("test").exception("lookup failed for %s", "ID370103197003224422")
    for text in (path.read_text(encoding="utf-8"), console.getvalue()):
        assert "Traceback (most recent call last)" in text and "ValueError: no record for" in text
        for clear in ("370103197003224422", "370103 19700322 4422", "王秀兰", "6230606601007726888"):
            assert clear not in text
        # three times: the message, the traceback's source line and its last line
        assert text.count("3701**********4422") == 3 and "623060*********6888" in text


def test_each_line_is_written_once_and_a_second_setup_replaces_the_first(kiosk_logging, tmp_path):
    path, console = kiosk_logging
    again = setup_logging(tmp_path / "log", environ={}, stderr=console)
    logging.getLogger("test").info("once")
    assert again == path
    assert path.read_text(encoding="utf-8").count("once") == 1 and console.getvalue().count("once") == 1
