"""The kiosk's lines on a real journald (issue 24, "Logs, on the journal"): one entry per record with its priority
and fields, nothing personal, nothing in the file; then the packaged journal-upload configuration sends them to
a systemd-journal-remote on loopback, where journalctl reads them back.

journald here is a namespaced instance (`systemd-journald NAMESPACE`, its own socket under
/run/systemd/journal.NAMESPACE/ and its own files), so the test needs no running systemd and leaves the
machine's journal alone. Root is needed to run it (as for the suite's own pcscd)."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from kiosk.journald import JournalHandler, JournalSocket, encode_entry
from kiosk.logs import setup_logging

REPO = Path(__file__).resolve().parent.parent
JOURNALD = "/lib/systemd/systemd-journald"
REMOTE = "/lib/systemd/systemd-journal-remote"
UPLOAD = "/lib/systemd/systemd-journal-upload"
TERMINAL = "SD370102-0001"
JOURNAL_NO = "SD370102-0001-20261127100000-A1B2C3"
RESIDENT = "370103197003224422"


def wait_for(condition, what: str, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)
    return result


@pytest.fixture
def journald():
    """A journald of its own: (native socket path, the directory of its journal files)."""
    namespace = f"kiosktest{uuid.uuid4().hex[:8]}"
    runtime = Path(f"/run/systemd/journal.{namespace}")
    machine = Path("/etc/machine-id").read_text().strip()
    files = Path(f"/var/log/journal/{machine}.{namespace}")
    process = subprocess.Popen([JOURNALD, namespace], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: (runtime / "socket").exists() or process.poll() is not None, "journald's socket")
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        yield str(runtime / "socket"), files
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(runtime, ignore_errors=True)
        shutil.rmtree(files, ignore_errors=True)


def journal_entries(directory: Path, *options: str) -> list[dict]:
    result = subprocess.run(
        ["journalctl", "--directory", str(directory), "-o", "json", "--all", *options],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def kiosk_entries(directory: Path, *options: str) -> list[dict]:
    return [e for e in journal_entries(directory, *options) if e.get("SYSLOG_IDENTIFIER") == "sifee-kiosk"]


@pytest.fixture
def kiosk_on_journald(journald, tmp_path):
    """setup_logging as under systemd: $JOURNAL_STREAM names the stderr it is given."""
    socket_path, files = journald
    stderr = open(tmp_path / "stderr", "w+", encoding="utf-8")  # noqa: SIM115 (closed below)
    status = os.fstat(stderr.fileno())
    root = logging.getLogger()
    before = list(root.handlers)
    environ = {"JOURNAL_STREAM": f"{status.st_dev}:{status.st_ino}"}
    path = setup_logging(
        tmp_path / "log", environ=environ, stderr=stderr, journal_socket=socket_path, terminal_id=TERMINAL
    )
    yield path, files, stderr, tmp_path
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    stderr.close()


def log_a_session() -> None:
    log = logging.getLogger("kiosk.test")
    log.info("payment %s posted", JOURNAL_NO)
    log.warning("paper low", extra={"event_id": "paper_low"})
    log.error("fee system unreachable for %s", JOURNAL_NO, extra={"event_id": "fee_unreachable"})
    try:
        raise LookupError(f"no person {RESIDENT} (name='王秀兰')")
    except LookupError:
        log.exception("lookup failed")
    log.info("big %s", "x" * 300_000)  # more than a datagram holds: sent as a sealed memfd


def test_each_record_is_one_journal_entry_with_priority_and_fields(kiosk_on_journald):
    path, files, stderr, tmp_path = kiosk_on_journald
    assert path is None
    log_a_session()
    entries = wait_for(lambda: len(kiosk_entries(files)) >= 5 and kiosk_entries(files), "five entries")
    assert len(entries) == 5  # each record once: a traceback is one entry, not one per line
    posted, paper, unreachable, failed, big = entries
    assert [e["PRIORITY"] for e in entries] == ["6", "4", "3", "3", "6"]
    assert {e["TERMINAL_ID"] for e in entries} == {TERMINAL}
    assert posted["MESSAGE"] == f"kiosk.test: payment {JOURNAL_NO} posted" and posted["JOURNAL_NO"] == JOURNAL_NO
    assert paper["EVENT_ID"] == "paper_low" and "JOURNAL_NO" not in paper
    assert unreachable["EVENT_ID"] == "fee_unreachable" and unreachable["JOURNAL_NO"] == JOURNAL_NO
    assert "Traceback (most recent call last)" in failed["MESSAGE"] and "LookupError" in failed["MESSAGE"]
    assert "3701**********4422" in failed["MESSAGE"] and "王*兰" in failed["MESSAGE"]
    assert len(big["MESSAGE"]) > 300_000 and posted["LOGGER"] == "kiosk.test" and posted["CODE_FUNC"]
    # Nothing personal anywhere in the journal's files, and nothing written twice (no file, nothing on stderr).
    raw = b"".join(p.read_bytes() for p in files.glob("*.journal"))
    assert RESIDENT.encode() not in raw and "王秀兰".encode() not in raw
    assert not (tmp_path / "log").exists() and stderr.tell() == 0
    # `journalctl -p err` shows only the errors.
    assert [e["MESSAGE"].split("\n")[0] for e in kiosk_entries(files, "-p", "err")] == [
        f"kiosk.test: fee system unreachable for {JOURNAL_NO}",
        "kiosk.test: lookup failed",
    ]


def test_without_the_socket_lines_go_to_stderr_with_a_priority_on_each():
    stderr = io.StringIO()
    handler = JournalHandler(JournalSocket("/nonexistent/journal/socket"), stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    record = logging.LogRecord("kiosk.test", logging.ERROR, __file__, 1, "first\nsecond", None, None)
    handler.emit(record)
    assert stderr.getvalue() == "<3>first\n<3>second\n"
    handler.close()


def test_fields_with_newlines_use_the_binary_form():
    assert encode_entry({"A": "one", "B": "x\ny"}) == b"A=one\nB\n" + (3).to_bytes(8, "little") + b"x\ny\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_packaged_upload_configuration_reaches_a_journal_remote(kiosk_on_journald):
    """systemd-journal-upload, configured by packaging/journal-upload.conf alone (its URL pointed at loopback over
    plain HTTP: the TLS files are the hall's), reads the kiosk's journal files and posts them to
    systemd-journal-remote, which writes journal files journalctl reads back with every field."""
    _, files, _, tmp_path = kiosk_on_journald
    log_a_session()
    wait_for(lambda: len(kiosk_entries(files)) >= 5, "five entries")
    port = free_port()
    received = tmp_path / "remote"
    received.mkdir()
    remote = subprocess.Popen(
        [REMOTE, f"--listen-http=127.0.0.1:{port}", f"--output={received}/"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: _accepts(port) or remote.poll() is not None, "journal-remote's port")
        assert remote.poll() is None, remote.stderr.read() if remote.stderr else ""
        # The packaged drop-in, as /etc/systemd/journal-upload.conf.d/ shows it, in a mount namespace of the
        # uploader's own (the machine's /etc/systemd stays as it is).
        etc = tmp_path / "etc-systemd"
        (etc / "journal-upload.conf.d").mkdir(parents=True)
        packaged = (REPO / "packaging" / "journal-upload.conf").read_text(encoding="utf-8")
        lines = [f"URL=http://127.0.0.1:{port}" if line.startswith("URL=") else line for line in packaged.splitlines()]
        (etc / "journal-upload.conf.d" / "sifee-kiosk.conf").write_text("\n".join(lines) + "\n", encoding="utf-8")
        upload = subprocess.run(
            [
                "unshare",
                "-m",
                "sh",
                "-c",
                f'mount --bind "{etc}" /etc/systemd && exec {UPLOAD} --directory="{files}" --follow=no '
                f'--save-state="{tmp_path}/upload-state"',
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert upload.returncode == 0, upload.stderr
        entries = wait_for(lambda: len(kiosk_entries(received)) >= 5 and kiosk_entries(received), "uploaded")
    finally:
        remote.terminate()
        remote.wait(timeout=10)
    assert [e["PRIORITY"] for e in entries] == ["6", "4", "3", "3", "6"]
    assert {e["TERMINAL_ID"] for e in entries} == {TERMINAL}
    assert entries[0]["JOURNAL_NO"] == JOURNAL_NO and entries[1]["EVENT_ID"] == "paper_low"
    assert "3701**********4422" in entries[3]["MESSAGE"]
    assert "\nURL=https://" in packaged and "[Upload]" in packaged  # what ships points at the bureau over TLS


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True
