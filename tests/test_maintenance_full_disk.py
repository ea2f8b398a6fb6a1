# ruff: noqa: F811 (pytest fixtures imported from maintenance_fixtures)
"""Maintenance on a full disk (issue 25 §1 and §5), on a real one: the audit log and the lock-out store live on a
1 MB tmpfs that is filled to the last block (tests/disk_fixtures.py; the suite runs as root). Sign-in still works,
views work, failed sign-ins are counted in memory and still lock entry, actions are refused in words, and what was
kept in memory is written once there is room again."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QCoreApplication

from disk_fixtures import TinyDisk
from maintenance_fixtures import HASHES, WAIT_MS, click, config_copy, sign_in  # noqa: F401 (fixtures)

pytest_plugins = ["disk_fixtures"]


@pytest.fixture
def full_disk_window(make_kiosk, qtbot, config_copy, tiny_disk: TinyDisk):
    from kiosk.maintenance.service import LOCKOUT_FILE
    from screens.maintenance import open_maintenance

    kiosk = make_kiosk(
        **{"maintenance.technicians": dict(HASHES), "maintenance.audit_log": str(tiny_disk.path / "audit.jsonl")}
    )
    window = open_maintenance(kiosk.ctx, kiosk.window, config_copy)
    qtbot.addWidget(window)
    window.service.lockout.path = tiny_disk.path / LOCKOUT_FILE  # the lock-out store on the small disk too
    tiny_disk.fill()
    assert tiny_disk.free_bytes() == 0
    yield window
    window.leave()


def audit_lines(tiny_disk: TinyDisk) -> list[dict]:
    path = tiny_disk.path / "audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_failed_sign_ins_are_counted_in_memory_and_still_lock_entry(full_disk_window, qtbot, tiny_disk):
    window = full_disk_window
    panel = window.sign_in_panel
    for attempt in range(1, 5):
        sign_in(qtbot, window, "T001", "wrong-password")
        assert panel.message.text() == panel.tr("Wrong technician ID or password.")
        assert window.service.lockout.failures == attempt and window.service.lockout.unsaved
    sign_in(qtbot, window, "T002", "wrong-password")
    locked_text = panel.message.text()
    sign_in(qtbot, window, "T001")  # the right password, but entry is locked
    assert window.current_page() is not window.menu and panel.message.text() == locked_text
    assert not (tiny_disk.path / "maintenance_lockout.json").exists()
    failed = [e for e in window.service.audit.pending if e.action == "sign_in_failed"]
    assert [e.detail["failures"] for e in failed] == [1, 2, 3, 4, 5]
    assert failed[-1].detail["locked"] is True and all(e.detail["counted_in_memory"] for e in failed)
    assert audit_lines(tiny_disk) == []  # nothing could be written: no half line either
    tiny_disk.free()
    window.service.record("disk_freed")
    written = [line["action"] for line in audit_lines(tiny_disk)]
    assert written.count("sign_in_failed") == 5 and written.count("sign_in_refused") == 1
    assert written[-1] == "disk_freed" and window.service.audit_unwritten == 0


def test_the_right_password_signs_in_views_work_and_actions_are_refused_in_words(full_disk_window, qtbot, tiny_disk):
    window = full_disk_window
    sign_in(qtbot, window, "T001")
    qtbot.waitUntil(lambda: window.current_page() is window.menu, timeout=WAIT_MS)
    unwritten = window.tr("The audit log cannot be written: {n} entries kept in memory. Only viewing works.")
    assert window.problems.isVisible()
    assert unwritten.format(n=window.service.audit_unwritten) in window.problems.text()
    click(qtbot, window, "open_journal")
    assert window.pages["journal"].list.count() == 0 and "0" in window.pages["journal"].message.text()
    click(qtbot, window, "maintenance_menu")
    click(qtbot, window, "open_devices")
    asking = window.pages["devices"].tr("Asking the devices…")
    qtbot.waitUntil(lambda: window.pages["devices"].statuses.item(0).text() != asking, timeout=WAIT_MS)
    click(qtbot, window, "paper_refill")
    page = window.pages["devices"]
    refused = QCoreApplication.translate(
        "MaintenancePage",
        "Not done: the audit log cannot be written (is the disk full?). Only viewing works until it can.",
    )
    assert page.message.objectName() == "Error" and page.message.text() == refused
    pending = [e.action for e in window.service.audit.pending]
    assert pending[-2:] == ["paper_refill_requested", "paper_refill_failed"] and "paper_refilled" not in pending
    assert "journal_browsed" in pending and "sign_in" in pending
    tiny_disk.free()
    click(qtbot, window, "paper_refill")
    written = [line["action"] for line in audit_lines(tiny_disk)]
    assert written[-2:] == ["paper_refill_requested", "paper_refilled"] and window.service.audit_unwritten == 0
    assert written.index("sign_in") < written.index("journal_browsed") < written.index("paper_refill_failed")
