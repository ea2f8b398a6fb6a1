# ruff: noqa: F811 (pytest fixtures imported from other test modules)
"""Maintenance's log page and log export under systemd read the kiosk's journal (kiosk/logs.py writes no
kiosk.log there), and kiosk.log elsewhere.

The journal is a real one: a namespaced systemd-journald (tests/test_journald.py's fixture) that kiosk/logs.py
writes to as under systemd; the reader runs journalctl on its files (``--directory``) and selects this test
process's entries (``_PID=``) where a kiosk selects its unit's (``-u sifee-kiosk.service``)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import stat
from pathlib import Path

import pytest

from kiosk.journald import JournalSocket, encode_entry
from kiosk.maintenance import logexport
from kiosk.maintenance.journallog import JournalLog, JournalUnreadable, entry_lines, own_unit, unit_selection
from maintenance_fixtures import WAIT_MS, click, config_copy, enter, maintenance_kiosk, maintenance_window  # noqa: F401
from test_journald import JOURNAL_NO, RESIDENT, TERMINAL, journald, kiosk_entries, kiosk_on_journald, wait_for  # noqa: F401

MASKED = "3701**********4422"


def write_records(socket_path: str) -> None:
    """The kiosk's records through kiosk/logs.py, and a line of another program of the unit (cage), not masked."""
    log = logging.getLogger("kiosk.test")
    log.info("payment %s posted", JOURNAL_NO)
    try:
        raise LookupError(f"no person {RESIDENT}")
    except LookupError:
        log.exception("lookup failed")
    log.warning("paper low")
    cage = {"MESSAGE": f"[wlr] output HDMI-A-1 for {RESIDENT}", "SYSLOG_IDENTIFIER": "cage", "PRIORITY": "4"}
    JournalSocket(socket_path).send(encode_entry(cage))


def reader(files: Path, **options) -> JournalLog:
    return JournalLog(selection=(f"_PID={os.getpid()}",), directory=files, **options)


@pytest.fixture
def written(kiosk_on_journald, journald):
    socket_path, files = journald
    write_records(socket_path)
    wait_for(lambda: len(kiosk_entries(files)) >= 3 and len(reader(files).recent_lines()) >= 5, "the entries")
    return files


def test_the_journal_reads_as_kiosk_log_masked_with_other_programs_named(written):
    lines = reader(written).recent_lines()
    text = "\n".join(lines)
    assert RESIDENT not in text and MASKED in text  # masked when written (kiosk) and when read (cage)
    posted = next(line for line in lines if "posted" in line)
    assert posted.endswith(f" INFO kiosk.test: payment {JOURNAL_NO} posted")
    dt.datetime.strptime(posted[:23], "%Y-%m-%d %H:%M:%S,%f")  # kiosk.log's time
    failed = lines.index(next(line for line in lines if line.endswith("ERROR kiosk.test: lookup failed")))
    assert lines[failed + 1] == "Traceback (most recent call last):"  # a traceback: one entry, its own lines
    assert any(line.endswith(f" WARNING cage: [wlr] output HDMI-A-1 for {MASKED}") for line in lines)
    assert reader(written).recent_lines(2) == lines[-2:]


def test_the_export_holds_the_span_masked_and_private(written, tmp_path):
    now = dt.datetime.now()  # the journal's entries carry the machine's real time
    path = logexport.export_logs(reader(written), tmp_path / "usb", TERMINAL, now)
    text = path.read_text(encoding="utf-8")
    assert f"kiosk.test: payment {JOURNAL_NO} posted" in text and "Traceback" in text and "cage: " in text
    assert RESIDENT not in text and MASKED in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(reader(written).lines_since(now + dt.timedelta(minutes=5))) == []  # --since bounds it


def test_the_log_page_and_the_export_on_a_kiosk_under_systemd(written, maintenance_window, qtbot):
    window = maintenance_window
    window.service.log = reader(written)  # what logexport.kiosk_log gives a kiosk that systemd runs
    enter(qtbot, window)
    click(qtbot, window, "open_logs")
    page = window.pages["logs"]
    shown = page.lines.toPlainText()
    assert f"payment {JOURNAL_NO} posted" in shown and MASKED in shown and RESIDENT not in shown
    click(qtbot, window, "log_export")
    qtbot.waitUntil(lambda: "kiosk-log-" in page.message.text(), timeout=WAIT_MS)  # exported off the GUI thread
    assert "logs_exported" in [e.action for e in window.service.audit.entries()]
    (exported,) = window.service.export_dir().glob("kiosk-log-*.txt")
    assert "cage: [wlr]" in exported.read_text(encoding="utf-8") and RESIDENT not in exported.read_text()


def test_a_journal_the_kiosk_may_not_read_is_said_not_shown_empty(written, maintenance_window, qtbot, tmp_path):
    as_nobody = tmp_path / "journalctl-as-nobody"
    as_nobody.write_text('#!/bin/sh\nexec setpriv --reuid=nobody --regid=nogroup --clear-groups journalctl "$@"\n')
    as_nobody.chmod(0o755)
    with pytest.raises(JournalUnreadable, match="systemd-journal"):
        reader(written, journalctl=str(as_nobody)).recent_lines()
    with pytest.raises(JournalUnreadable, match="could not be run"):
        reader(written, journalctl=str(tmp_path / "no-journalctl")).recent_lines()
    window = maintenance_window
    window.service.log = reader(written, journalctl=str(as_nobody))
    enter(qtbot, window)
    click(qtbot, window, "open_logs")
    page = window.pages["logs"]
    assert "systemd-journal" in page.lines.toPlainText()
    click(qtbot, window, "log_export")
    qtbot.waitUntil(lambda: page.message.objectName() == "Error", timeout=WAIT_MS)
    assert "systemd-journal" in page.message.text() and page.export_button.isEnabled()
    assert "export_failed" in [e.action for e in window.service.audit.entries()]
    assert list(window.service.export_dir().glob("kiosk-log-*.txt")) == []  # no half file left behind


def test_the_source_is_where_kiosk_logs_wrote(tmp_path):
    stderr = open(tmp_path / "stderr", "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    status = os.fstat(stderr.fileno())
    under_systemd = {"JOURNAL_STREAM": f"{status.st_dev}:{status.st_ino}"}
    assert isinstance(logexport.kiosk_log(tmp_path, under_systemd, stderr), JournalLog)
    assert isinstance(logexport.kiosk_log(tmp_path, {}, stderr), logexport.FileLog)
    assert isinstance(logexport.kiosk_log(tmp_path, {"JOURNAL_STREAM": "1:2"}, stderr), logexport.FileLog)
    stderr.close()


def test_the_kiosks_own_unit_is_selected(tmp_path):
    assert own_unit("0::/system.slice/sifee-kiosk.service\n") == ("sifee-kiosk.service", False)
    user = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/sifee-kiosk.service"
    assert own_unit(user) == ("sifee-kiosk.service", True)
    assert own_unit("0::/\n") is None and own_unit("4:memory:/x\n") is None
    cgroup = tmp_path / "cgroup"
    cgroup.write_text(user)
    assert unit_selection(cgroup) == ("--user-unit", "sifee-kiosk.service")
    cgroup.write_text("0::/\n")
    assert unit_selection(cgroup) == ("-u", "sifee-kiosk.service")  # outside a service: the packaged unit's name


def test_entries_journalctl_may_give(tmp_path):
    binary = {"__REALTIME_TIMESTAMP": "1796293031984988", "PRIORITY": "3", "_COMM": "kiosk-session"}
    binary["MESSAGE"] = list(b"bad \xff byte")
    (line,) = entry_lines(binary)
    assert line.endswith(" ERROR kiosk-session: bad \ufffd byte")
    assert entry_lines({"MESSAGE": "no time"}) == []
