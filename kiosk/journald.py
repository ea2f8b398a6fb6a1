"""Log records to systemd's journal: the native protocol, with priorities and structured fields.

Why the native protocol and not only ``<N>`` prefixes on stderr: journald's stream reader makes every line its own
entry, so a traceback would become twenty entries of which only the first has the error's priority, and a stream
carries no fields. A datagram to /run/systemd/journal/socket (the protocol sd_journal_send speaks, documented in
systemd's "Native Journal Protocol") is one entry with every field; it needs no library (python3-systemd is a
Debian package the venv does not see). When the socket cannot take a record (journald restarting), the record
goes to stderr with ``<N>`` prefixes on every line (sd-daemon(3)), which journald reads as the priority.

Fields: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, LOGGER, CODE_FILE/CODE_LINE/CODE_FUNC, TERMINAL_ID (set once),
and per record EVENT_ID and JOURNAL_NO (``log.info(..., extra={"event_id": ..., "journal_no": ...})``; a journal
number mentioned in the message is taken when none is given). Nothing personal: the message is masked before it
is sent, and field values are limited to the characters identifiers use.
"""

from __future__ import annotations

import array
import errno
import fcntl
import logging
import os
import re
import socket
import struct
from collections.abc import Mapping
from typing import TextIO

JOURNAL_SOCKET = "/run/systemd/journal/socket"
IDENTIFIER = "sifee-kiosk"

# syslog(3) priorities, as journald's PRIORITY field and sd-daemon's <N> prefixes use them.
PRIORITY_ERR = 3


def syslog_priority(levelno: int) -> int:
    if levelno >= logging.CRITICAL:
        return 2
    if levelno >= logging.ERROR:
        return PRIORITY_ERR
    if levelno >= logging.WARNING:
        return 4
    if levelno >= logging.INFO:
        return 6
    return 7


# A journal number: "<terminal id>-<YYYYmmddHHMMSS>-<6 hex>" (kiosk/payments/journal.py).
JOURNAL_NO_PATTERN = re.compile(r"(?<![\w-])[A-Za-z0-9][A-Za-z0-9-]*-[0-9]{14}-[0-9A-F]{6}(?![\w-])")
_FIELD_VALUE = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def stderr_is_journal(environ: Mapping[str, str], stream: TextIO) -> bool:
    """Whether systemd connected ``stream`` to the journal: $JOURNAL_STREAM names its device and inode."""
    device, _, inode = environ.get("JOURNAL_STREAM", "").partition(":")
    if not (device.isdigit() and inode.isdigit()):
        return False
    try:
        status = os.fstat(stream.fileno())
    except (OSError, ValueError):
        return False
    return (status.st_dev, status.st_ino) == (int(device), int(inode))


def encode_entry(fields: Mapping[str, str]) -> bytes:
    """Fields in the native protocol: ``KEY=value\\n``, or ``KEY\\n<64-bit LE length><value>\\n`` for values
    with a newline."""
    out = bytearray()
    for key, value in fields.items():
        data = value.encode("utf-8", "replace")
        if b"\n" in data:
            out += key.encode("ascii") + b"\n" + struct.pack("<Q", len(data)) + data + b"\n"
        else:
            out += key.encode("ascii") + b"=" + data + b"\n"
    return bytes(out)


class JournalSocket:
    """Datagrams to journald; an entry too big for one datagram goes as a sealed memfd, as sd_journal_send does."""

    def __init__(self, path: str = JOURNAL_SOCKET) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)

    def send(self, payload: bytes) -> None:
        try:
            self.sock.sendto(payload, self.path)
        except OSError as error:
            if error.errno not in (errno.EMSGSIZE, errno.ENOBUFS):
                raise
            self._send_memfd(payload)

    def _send_memfd(self, payload: bytes) -> None:
        fd = os.memfd_create("journal-entry", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
        try:
            os.write(fd, payload)
            seals = fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SEAL
            fcntl.fcntl(fd, fcntl.F_ADD_SEALS, seals)
            rights = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [fd]).tobytes())]
            self.sock.sendmsg([b""], rights, 0, self.path)
        finally:
            os.close(fd)

    def close(self) -> None:
        self.sock.close()


def record_fields(record: logging.LogRecord, message: str) -> dict[str, str]:
    """EVENT_ID and JOURNAL_NO of a record, when it has them and they look like identifiers."""
    fields = {}
    journal_no = getattr(record, "journal_no", None)
    if journal_no is None and (found := JOURNAL_NO_PATTERN.search(message)):
        journal_no = found.group(0)
    for key, value in (("EVENT_ID", getattr(record, "event_id", None)), ("JOURNAL_NO", journal_no)):
        if value is not None and _FIELD_VALUE.fullmatch(str(value)):
            fields[key] = str(value)
    return fields


class PriorityPrefixFormatter(logging.Formatter):
    """Wraps a formatter: every line of the output starts with ``<N>``, so journald's stream reader gives each of
    a traceback's lines the record's priority."""

    def __init__(self, inner: logging.Formatter) -> None:
        super().__init__()
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        prefix = f"<{syslog_priority(record.levelno)}>"
        return "\n".join(prefix + line for line in self.inner.format(record).split("\n"))


class JournalHandler(logging.Handler):
    """Each record as one journal entry; on a socket error, as prefixed lines on ``fallback``."""

    def __init__(self, sink: JournalSocket, fallback: TextIO, terminal_id: str | None = None) -> None:
        super().__init__()
        self.sink = sink
        self.fallback = logging.StreamHandler(fallback)
        self.static = {"SYSLOG_IDENTIFIER": IDENTIFIER}
        if terminal_id and _FIELD_VALUE.fullmatch(terminal_id):
            self.static["TERMINAL_ID"] = terminal_id

    def setFormatter(self, fmt: logging.Formatter | None) -> None:
        super().setFormatter(fmt)
        self.fallback.setFormatter(PriorityPrefixFormatter(fmt or logging.Formatter()))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = self.format(record)
            fields = {
                "MESSAGE": message,
                "PRIORITY": str(syslog_priority(record.levelno)),
                **self.static,
                "LOGGER": record.name,
                "CODE_FILE": record.pathname or "",
                "CODE_LINE": str(record.lineno),
                "CODE_FUNC": record.funcName or "",
                **record_fields(record, message),
            }
            payload = encode_entry({key: value for key, value in fields.items() if value})
        except Exception:
            self.handleError(record)
            return
        try:
            self.sink.send(payload)
        except OSError:
            self.fallback.emit(record)

    def close(self) -> None:
        self.sink.close()
        super().close()
