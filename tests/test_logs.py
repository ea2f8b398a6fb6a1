"""Logs: private files, and ID numbers masked even when code forgot to."""

from __future__ import annotations

import logging
import stat

from kiosk.logs import mask_personal, setup_logging


def test_id_numbers_are_masked():
    assert mask_personal("card 37010219850715231X read") == "card 3701**********231X read"
    assert mask_personal("ids 11010519491231002x,370103197003224422") == (
        "ids 1101**********002x,3701**********4422"
    )
    assert mask_personal("order ALI20261127090000000001 and 1234567") == "order ALI20261127090000000001 and 1234567"


def test_log_file_is_private_and_masked(tmp_path):
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = setup_logging(tmp_path / "log")
        logging.getLogger("test").warning("person %s logged in", "370103197003224422")
        for handler in root.handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
        assert "3701**********4422" in text and "370103197003224422" not in text
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "log").stat().st_mode) == 0o700
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
