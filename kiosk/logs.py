"""Logging: every line masked, written once: to the journal when systemd runs the kiosk, else to a private
rotating file in the state directory and to the console.

Personal data must not reach a log (DESIGN.md §8). Code logs masked values already; the formatter here is the
safety net, and it masks the whole formatted text, tracebacks included (an ID in an exception's message). It
catches ID numbers (18 and old 15 digits, with spaces or hyphens, glued to letters), card numbers (PANs: first 6
and last 4 kept, the bank rule) and names given in a known field (``name=``, ``姓名``).

Under systemd ($JOURNAL_STREAM names stderr) records go to journald over its native protocol, with priorities and
fields (kiosk/journald.py), and nowhere else: the journal is the log there, rotated and shipped by systemd
(systemd-journal-upload). Elsewhere (a shell, `kiosk sim`, tests) they go to ``kiosk.log`` and stderr.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from drivers.bankcard.data import luhn_ok, mask_pan
from kiosk.domain.idnumber import mask_id_numbers_in
from kiosk.domain.names import mask_names_in
from kiosk.journald import JOURNAL_SOCKET, JournalHandler, JournalSocket, stderr_is_journal
from kiosk.private_files import create_private_file, make_private_dirs

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JOURNAL_FORMAT = "%(name)s: %(message)s"  # the journal keeps the time and the priority itself
LOG_FILE = "kiosk.log"

# Card numbers: 13-19 digits standing alone (letters may touch them: track 2's "D" separator), or in groups of
# four. Only a valid Luhn check digit (ISO/IEC 7812-1) and a card scheme's leading digits make a PAN: that leaves
# timestamps (19…, 20…), tax payment numbers (31…) and QR order numbers alone.
_PAN_IN_TEXT = re.compile(r"(?<![0-9])(?:[0-9]{13,19}|[0-9]{4}(?:[ -][0-9]{4}){2}(?:[ -][0-9]{1,4}){1,2})(?![0-9])")
# Visa 4, Mastercard 51-55 and 2221-2720, Maestro 50/56-69, UnionPay 62 and 81, Discover 60/64/65, Amex 34/37,
# JCB 35, Diners 30/36/38/39.
_SCHEME_PREFIXES = ("4", "5", "6", "34", "37", "35", "30", "36", "38", "39", "81")


def _is_card_number(digits: str) -> bool:
    if not 13 <= len(digits) <= 19 or not luhn_ok(digits):
        return False
    return digits.startswith(_SCHEME_PREFIXES) or 2221 <= int(digits[:4]) <= 2720


def _mask_pan(match: re.Match[str]) -> str:
    digits = re.sub("[ -]", "", match.group(0))
    return mask_pan(digits) if _is_card_number(digits) else match.group(0)


def mask_personal(text: str) -> str:
    """ID numbers, card numbers and names in known fields masked; everything else left as it is."""
    return mask_names_in(_PAN_IN_TEXT.sub(_mask_pan, mask_id_numbers_in(text)))


class MaskingFormatter(logging.Formatter):
    """Masks the whole formatted record: message, arguments, traceback and stack alike."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_personal(super().format(record))


def _drop_our_handlers(root: logging.Logger) -> None:
    for handler in root.handlers[:]:
        if getattr(handler, "kiosk_logging", False):
            root.removeHandler(handler)
            handler.close()


def setup_logging(
    log_dir: Path,
    level: int = logging.INFO,
    *,
    terminal_id: str | None = None,
    environ: Mapping[str, str] = os.environ,
    stderr: TextIO | None = None,
    journal_socket: str = JOURNAL_SOCKET,
) -> Path | None:
    """The kiosk's logging, once per process (a second call replaces the first's handlers).

    Under journald: one journal entry per record; returns None. Otherwise ``log_dir/kiosk.log`` (0600, in 0700
    folders, 5 × 2 MB) and stderr; returns the file's path.
    """
    stream = stderr or sys.stderr
    root = logging.getLogger()
    root.setLevel(level)
    _drop_our_handlers(root)
    handlers: list[logging.Handler]
    path: Path | None
    if stderr_is_journal(environ, stream):
        journal = JournalHandler(JournalSocket(journal_socket), stream, terminal_id)
        journal.setFormatter(MaskingFormatter(JOURNAL_FORMAT))
        handlers, path = [journal], None
    else:
        make_private_dirs(log_dir)
        path = create_private_file(log_dir / LOG_FILE)
        file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        console = logging.StreamHandler(stream)
        file_handler.setFormatter(MaskingFormatter(LOG_FORMAT))
        console.setFormatter(MaskingFormatter(LOG_FORMAT))
        handlers = [file_handler, console]
    for each in handlers:
        setattr(each, "kiosk_logging", True)  # noqa: B010 (marks the handlers a second call replaces)
        root.addHandler(each)
    return path
