# ruff: noqa: F811 (pytest fixtures imported from maintenance_fixtures)
"""The maintenance window on a running kiosk (simulated devices): entry, lock-out, devices, the key ceremony,
the journal, reconciliation export, configuration edits, logs, and the exit signals."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QPushButton

from drivers.base import DeviceKind
from drivers.pinpad import crypto
from drivers.pinpad.crypto import Algorithm
from kiosk.config import load_config
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.flow import FlowEvent, Step
from kiosk.payments.journal import PaymentState
from maintenance_fixtures import (  # noqa: F401 (fixtures)
    WAIT_MS,
    click,
    config_copy,
    enter,
    maintenance_kiosk,
    maintenance_window,
    sign_in,
)
from parties.bankhost.testkeys import TEST_MASTER_COMPONENTS

ID_NUMBER = "11010519491231002X"


def audit_actions(window) -> list[str]:
    return [entry.action for entry in window.service.audit.entries()]


def test_entry_ends_the_session_and_needs_the_right_password(maintenance_kiosk, maintenance_window, qtbot):
    window = maintenance_window
    assert maintenance_kiosk.ctx.flow.step is Step.HOME
    sign_in(qtbot, window, "T001", "wrong-password")
    assert window.sign_in_panel.message.text() and window.current_page() is not window.menu
    assert window.sign_in_panel.password.text() == ""
    enter(qtbot, window, "T001")
    assert audit_actions(window) == ["sign_in_requested", "sign_in_failed", "sign_in_requested", "sign_in"]
    lines = window.service.audit.path.read_text()
    assert "wrong-password" not in lines and "alpha-pass-1" not in lines
    ended = []
    window.ended.connect(lambda: ended.append(True))
    click(qtbot, window, "maintenance_leave")
    assert ended == [True] and audit_actions(window)[-1] == "sign_out"


def test_entry_from_a_customer_session_closes_it(maintenance_kiosk, qtbot, config_copy):
    from screens.maintenance import open_maintenance

    ctx = maintenance_kiosk.ctx
    ctx.flow.fire(FlowEvent.CATEGORY_CHOSEN)
    assert ctx.flow.step is not Step.HOME
    ended = []
    ctx.flow.session_ended.connect(ended.append)
    window = open_maintenance(ctx, maintenance_kiosk.window, config_copy)
    qtbot.addWidget(window)
    assert ctx.flow.step is Step.HOME and ended == ["maintenance"]


def test_five_failures_lock_entry_even_for_the_right_password(maintenance_kiosk, maintenance_window, qtbot):
    window = maintenance_window
    for _ in range(5):
        sign_in(qtbot, window, "T001", "wrong-password")
    assert "locked" in window.sign_in_panel.message.text().lower() or "锁定" in window.sign_in_panel.message.text()
    sign_in(qtbot, window, "T001")
    assert window.current_page() is not window.menu
    assert audit_actions(window) == ["sign_in_requested", "sign_in_failed"] * 5 + [
        "sign_in_requested",
        "sign_in_refused",
    ]
    state = json.loads(window.service.lockout.path.read_text())
    assert state["failures"] == 5 and state["locked_until"]


def test_device_statuses_and_tests_against_the_simulators(maintenance_kiosk, maintenance_window, qtbot):
    from drivers.idcard.simulator import demo_card
    from kiosk.demo import demo_people

    window = maintenance_window
    ctx = maintenance_kiosk.ctx
    enter(qtbot, window)
    click(qtbot, window, "open_devices")
    page = window.pages["devices"]
    qtbot.waitUntil(lambda: page.statuses.count() == 7 and "…" not in page.statuses.item(0).text(), timeout=WAIT_MS)
    texts = [page.statuses.item(i).text() for i in range(7)]
    assert "online" in texts[0]  # ID card reader
    assert any("paper" in text for text in texts)
    people = demo_people(ctx.config.config_path(ctx.config["fee_system.people"]))
    person = next(p for p in people if p.has_id_card)
    ctx.devices.simulators["idcard"].place_card(demo_card(person.id_card_fields()))
    click(qtbot, window, "test_idcard")
    qtbot.waitUntil(lambda: page.result.toPlainText().count("\n") >= 2, timeout=WAIT_MS)
    assert person.fields["id_number"] in page.result.toPlainText()  # the technician sees the card read
    click(qtbot, window, "test_pinpad")
    qtbot.waitUntil(lambda: "MASTER" in page.result.toPlainText(), timeout=WAIT_MS)
    printed_before = len(list(ctx.devices.simulators[DeviceKind.RECEIPT_PRINTER].receipt_dir.glob("*")))
    click(qtbot, window, "test_receipt")
    qtbot.waitUntil(lambda: "paper" in page.result.toPlainText(), timeout=WAIT_MS)
    assert len(list(ctx.devices.simulators[DeviceKind.RECEIPT_PRINTER].receipt_dir.glob("*"))) > printed_before
    assert "1" in page.paper.text()
    click(qtbot, window, "paper_refill")
    assert window.service.paper.level().used == 0
    audit = window.service.audit.path.read_text()
    assert person.fields["id_number"] not in audit
    assert audit.count('"device_test"') == 3 and '"paper_refilled"' in audit


def test_key_ceremony_with_two_technicians(maintenance_kiosk, maintenance_window, qtbot):
    window = maintenance_window
    enter(qtbot, window, "T001")
    click(qtbot, window, "open_ceremony")
    page = window.pages["ceremony"]
    first, second = TEST_MASTER_COMPONENTS[Algorithm.TDES]
    page.component.setText(first.hex())
    click(qtbot, window, "load_component")
    expected_1 = crypto.check_value(Algorithm.TDES, first).hex().upper()
    qtbot.waitUntil(lambda: expected_1 in page.check_values[0].text(), timeout=WAIT_MS)
    assert page.component.text() == ""
    sign_in(qtbot, window, "T001", panel=page.second)  # the same person cannot key both
    assert not page.second_technician
    sign_in(qtbot, window, "T002", panel=page.second)
    assert page.second_technician == "T002"
    page.component.setText(second.hex())
    click(qtbot, window, "load_component")
    expected_2 = crypto.check_value(Algorithm.TDES, second).hex().upper()
    qtbot.waitUntil(lambda: expected_2 in page.check_values[1].text(), timeout=WAIT_MS)
    click(qtbot, window, "combine")
    master = crypto.combine_components(first, second)
    final = crypto.check_value(Algorithm.TDES, master).hex().upper()
    qtbot.waitUntil(lambda: final in page.check_values[2].text(), timeout=WAIT_MS)
    assert maintenance_kiosk.ctx.devices.pinpad.check_values()["master"].hex().upper() == final
    audit = window.service.audit.path.read_text()
    assert first.hex().upper() not in audit.upper() and second.hex().upper() not in audit.upper()
    loaded = [e for e in window.service.audit.entries() if e.action == "key_component_loaded"]
    assert [(e.technician, e.detail["check_value"]) for e in loaded] == [("T001", expected_1), ("T002", expected_2)]


def test_journal_browsing_masked_and_resolution_needs_a_note(maintenance_kiosk, maintenance_window, qtbot):
    ctx = maintenance_kiosk.ctx
    entry = ctx.journal.create(InsuredItem.RESIDENT_PENSION, ID_NUMBER, ID_NUMBER, "Q1", 18000, PayMethod.BANK_CARD)
    ctx.journal.advance(entry.journal_no, PaymentState.AUTH_SENT)
    ctx.journal.advance(entry.journal_no, PaymentState.FLAGGED, note="recovery: the bank did not answer")
    window = maintenance_window
    enter(qtbot, window)
    click(qtbot, window, "open_journal")
    page = window.pages["journal"]
    assert page.list.count() == 1
    page.list.setCurrentRow(0)
    details = page.details.toPlainText()
    assert ID_NUMBER not in details and "1101**********002X" in details
    assert "auth_sent" in details and "the bank did not answer" in details
    # The one choice for a flagged record says what it does: the record becomes resolved.
    assert page.target.count() == 1 and page.target.currentData() == PaymentState.RESOLVED
    assert page.target.currentText() in (
        "Mark resolved (settled outside the kiosk)",
        "标记为已处理（已在自助机外处理）",
    )
    page.note.setText("ok")
    click(qtbot, window, "resolve")
    assert ctx.journal.events(entry.journal_no)[-1][2] == "recovery: the bank did not answer"
    page.note.setText("bank confirmed no debit by phone")
    click(qtbot, window, "resolve")
    assert ctx.journal.get(entry.journal_no).state is PaymentState.RESOLVED
    assert ctx.journal.events(entry.journal_no)[-1][1:] == (
        PaymentState.RESOLVED,
        "technician T001: bank confirmed no debit by phone",
    )
    resolved = [e for e in window.service.audit.entries() if e.action == "payment_resolved"]
    assert len(resolved) == 1 and resolved[0].detail["journal_no"] == entry.journal_no
    assert resolved[0].detail["state"] == "resolved"
    # The list shows the state it is in now, without the unresolved mark, and nothing more to choose.
    assert page.list.count() == 1 and "  resolved  " in page.list.item(0).text() and "⚠" not in page.list.item(0).text()
    page.list.setCurrentRow(0)
    assert "State: resolved" in page.details.toPlainText() or "状态: resolved" in page.details.toPlainText()
    assert page.target.count() == 0
    page.unresolved.setChecked(True)
    click(qtbot, window, "journal_search")
    assert page.list.count() == 0


def test_reconciliation_export_csv(maintenance_kiosk, maintenance_window, qtbot):
    ctx = maintenance_kiosk.ctx
    entry = ctx.journal.create(InsuredItem.RESIDENT_PENSION, ID_NUMBER, ID_NUMBER, "Q1", 18000, PayMethod.ALIPAY)
    ctx.journal.advance(entry.journal_no, PaymentState.ORDER_CLOSED)
    window = maintenance_window
    enter(qtbot, window)
    click(qtbot, window, "open_reconcile")
    page = window.pages["reconcile"]
    assert page.day.text() == ctx.today().isoformat()
    click(qtbot, window, "reconcile_run")
    assert "alipay: 1" in page.result.toPlainText()
    click(qtbot, window, "reconcile_csv")
    exported = list(window.service.export_dir().glob("reconciliation-*.csv"))
    assert len(exported) == 1 and entry.journal_no in exported[0].read_text(encoding="utf-8-sig")
    click(qtbot, window, "reconcile_receipt")
    qtbot.waitUntil(lambda: page.outputs[0].isEnabled(), timeout=WAIT_MS)
    assert "reconciliation_printed" in audit_actions(window)


def test_config_edit_is_validated_and_offers_a_restart(maintenance_kiosk, maintenance_window, qtbot, config_copy):
    window = maintenance_window
    enter(qtbot, window)
    click(qtbot, window, "open_config")
    page = window.pages["config"]
    assert "verification.hmac_key = ***" in page.all.toPlainText()
    page.key.setCurrentIndex(page.key.findData("timeouts.device_seconds"))
    page.value.setText("-3")
    click(qtbot, window, "config_save")
    assert load_config(config_copy)["timeouts.device_seconds"] == 5
    assert not page.restart.isVisible()
    page.value.setText("9")
    click(qtbot, window, "config_save")
    assert load_config(config_copy)["timeouts.device_seconds"] == 9
    restarts = []
    window.restart_requested.connect(lambda: restarts.append(True))
    click(qtbot, window, "config_restart")
    assert restarts == [True]
    actions = audit_actions(window)
    assert "config_change_refused" in actions and "config_changed" in actions


def test_logs_export_masked_and_power_signals(maintenance_kiosk, maintenance_window, qtbot):
    window = maintenance_window
    log_dir = window.service.log_dir()
    log_dir.mkdir(parents=True, exist_ok=True)
    (log_dir / "kiosk.log").write_text(f"INFO something about {ID_NUMBER}\n")
    enter(qtbot, window)
    click(qtbot, window, "open_logs")
    assert "1101**********002X" in window.pages["logs"].lines.toPlainText()
    click(qtbot, window, "log_export")
    page = window.pages["logs"]
    qtbot.waitUntil(lambda: "kiosk-log-" in page.message.text(), timeout=WAIT_MS)  # exported off the GUI thread
    exported = list(window.service.export_dir().glob("kiosk-log-*.txt"))
    assert len(exported) == 1 and ID_NUMBER not in exported[0].read_text()
    assert str(exported[0]) in page.message.text()
    click(qtbot, window, "maintenance_menu")
    click(qtbot, window, "open_audit")
    assert "logs_exported" in window.pages["audit"].lines.toPlainText()
    click(qtbot, window, "maintenance_menu")
    click(qtbot, window, "open_power")
    exits = []
    window.exit_to_desktop_requested.connect(lambda: exits.append(True))
    click(qtbot, window, "power_exit_to_desktop")
    assert exits == []  # a second tap confirms
    click(qtbot, window, "power_confirm")
    assert exits == [True] and window.service.signed_in == []


def test_long_press_calls_back_only_after_holding(qtbot):
    from PySide6.QtCore import Qt

    from screens.maintenance import LongPress

    widget = QPushButton("hall")
    qtbot.addWidget(widget)
    calls = []
    press = LongPress(widget, 0.05, lambda: calls.append(True))
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton)
    assert not press.timer.isActive() and calls == []
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: calls == [True], timeout=2000)


def test_reprints_count_on_the_paper_counter_and_the_menu_warns_when_it_runs_low(make_kiosk, qtbot, config_copy):
    from kiosk.maintenance.paper import paper_counter
    from maintenance_fixtures import HASHES
    from screens.maintenance import open_maintenance

    kiosk = make_kiosk(
        **{
            "maintenance.technicians": dict(HASHES),
            "maintenance.paper_roll_receipts": 3,
            "maintenance.paper_warning_receipts": 1,
        }
    )
    ctx = kiosk.ctx
    assert len(ctx.receipts.cut_listeners) == 1  # the kiosk counts cuts from start-up (kiosk/application.py)
    counter = paper_counter(ctx.config, ctx.journal, ctx.clock)
    slip = reconciliation_document(ctx)
    ctx.receipts.print(slip, kind="reprint")  # what Query's 补打 does through ReceiptService.reprint
    assert counter.level().used == 1
    window = open_maintenance(ctx, kiosk.window, config_copy)
    qtbot.addWidget(window)
    assert len(ctx.receipts.cut_listeners) == 1  # the visit's counter is the same count, not a second one
    enter(qtbot, window)
    assert not window.paper_warning.isVisible()
    click(qtbot, window, "maintenance_leave")
    ctx.receipts.print(slip, kind="reprint")
    window = open_maintenance(ctx, kiosk.window, config_copy)
    qtbot.addWidget(window)
    enter(qtbot, window)
    assert window.paper_warning.isVisible() and "1" in window.paper_warning.text()


def reconciliation_document(ctx):
    from kiosk.maintenance.reconciliation import receipt_document
    from kiosk.payments.reconcile import Reconciliation

    class NoFees:
        def payments(self, key_prefix):
            return []

    report = Reconciliation(ctx.journal, ctx.config["terminal.id"], NoFees(), []).run(ctx.today())
    return receipt_document(report, ctx.clock())


def test_export_to_a_removable_drive_that_is_not_there_says_so(make_kiosk, qtbot, config_copy, tmp_path):
    from maintenance_fixtures import HASHES
    from screens.maintenance import open_maintenance

    drive = tmp_path / "media" / "usb"  # absolute: a mount point
    kiosk = make_kiosk(**{"maintenance.technicians": dict(HASHES), "maintenance.export_dir": str(drive)})
    window = open_maintenance(kiosk.ctx, kiosk.window, config_copy)
    qtbot.addWidget(window)
    enter(qtbot, window)
    click(qtbot, window, "open_logs")
    click(qtbot, window, "log_export")
    page = window.pages["logs"]
    qtbot.waitUntil(lambda: str(drive) in page.message.text(), timeout=WAIT_MS)
    assert not drive.exists()  # nothing written to the kiosk's own disk
    assert "请插入移动存储设备" in page.message.text()  # said in the technician's language
    assert "export_failed" in audit_actions(window)
    drive.mkdir(parents=True)  # the drive is mounted
    click(qtbot, window, "log_export")
    qtbot.waitUntil(lambda: "kiosk-log-" in page.message.text(), timeout=WAIT_MS)
    assert len(list(drive.glob("kiosk-log-*.txt"))) == 1 and audit_actions(window)[-1] == "logs_exported"


def test_a_maintenance_window_left_alone_signs_out_and_gives_the_kiosk_back(maintenance_window, qtbot):
    window = maintenance_window
    enter(qtbot, window)
    window.idle.timer.setInterval(300)
    click(qtbot, window, "open_devices")  # a touch: the five minutes start again
    assert window.idle.timer.isActive() and window.isVisible()
    ended = []
    window.ended.connect(lambda: ended.append(True))
    qtbot.waitUntil(lambda: ended == [True], timeout=3000)
    assert not window.isVisible() and window.service.signed_in == []
    assert audit_actions(window)[-2:] == ["left_idle", "sign_out"]


def test_the_menu_shows_why_the_kiosk_is_out_of_service(maintenance_kiosk, maintenance_window, qtbot):
    from kiosk.service_health import ProblemKind

    health = maintenance_kiosk.ctx.health
    health.report(ProblemKind.JOURNAL, "integrity check failed: page 7 is damaged")
    window = maintenance_window
    enter(qtbot, window)
    text = window.problems.text()
    assert window.problems.isVisible()
    assert "journal" in text and "integrity check failed: page 7 is damaged" in text
    journal = next(p for p in health.problems() if p.kind is ProblemKind.JOURNAL)
    assert journal.since.strftime("%Y-%m-%d %H:%M") in text
    # A problem reported while the menu is shown (from any thread) appears without leaving the menu.
    health.report(ProblemKind.SIGNING_KEY, "the verification key is a placeholder")
    qtbot.waitUntil(lambda: "signing_key" in window.problems.text(), timeout=WAIT_MS)
    health.clear(ProblemKind.JOURNAL)
    health.clear(ProblemKind.SIGNING_KEY)
    qtbot.waitUntil(lambda: "journal" not in window.problems.text(), timeout=WAIT_MS)
    assert "signing_key" not in window.problems.text()
    assert window.problems.isVisible() == bool(health.problems() or window.service.audit_unwritten)
