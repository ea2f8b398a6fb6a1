# ruff: noqa: F811 (pytest fixtures imported from maintenance_fixtures)
"""The audit of maintenance (issue 25 §5): views of the journal, the logs, the configuration and the audit log are
audited; every action is audited as an intent before it takes effect and as an outcome after (success or failure);
an action whose intent cannot be written is not done."""

from __future__ import annotations

import datetime as dt

import pytest

from drivers.pinpad.crypto import Algorithm
from kiosk.config import ConfigError
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.maintenance.audit import AuditUnavailable
from kiosk.maintenance.journalview import resolution_targets
from kiosk.maintenance.service import MaintenanceService
from kiosk.payments.journal import PaymentState
from maintenance_fixtures import PASSWORDS, config_copy, maintenance_kiosk  # noqa: F401 (fixtures)
from parties.bankhost.testkeys import TEST_MASTER_COMPONENTS

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def service(maintenance_kiosk, config_copy) -> MaintenanceService:
    service = MaintenanceService(maintenance_kiosk.ctx, config_copy)
    assert service.sign_in("T001", PASSWORDS["T001"]).ok
    return service


def actions(service: MaintenanceService, since: int = 0) -> list[str]:
    return [entry.action for entry in service.audit.entries()[since:]]


def unwritable(service: MaintenanceService) -> None:
    """The audit log's folder is a file: every append fails, as on a disk that cannot be written."""
    blocker = service.audit.path.parent / "blocked"
    blocker.write_text("")
    service.audit.path = blocker / "maintenance_audit.jsonl"


def test_the_intent_is_on_disk_before_the_work_and_the_outcome_after(service):
    seen_during_work = []
    result = service.act("probe", lambda: seen_during_work.extend(actions(service)) or 42, done="probed", case="x")
    assert result == 42
    assert seen_during_work[-1] == "probe_requested" and "probed" not in seen_during_work
    last_two = service.audit.entries()[-2:]
    assert [(e.action, e.detail) for e in last_two] == [("probe_requested", {"case": "x"}), ("probed", {"case": "x"})]


def test_a_failed_action_is_audited_with_its_reason(service):
    def fails():
        raise RuntimeError("the printer is out of paper")

    with pytest.raises(RuntimeError):
        service.act("probe", fails, case="y")
    last = service.audit.entries()[-1]
    assert last.action == "probe_failed" and last.detail == {"case": "y", "reason": "the printer is out of paper"}


def test_an_action_whose_intent_cannot_be_written_is_not_done(service):
    done = []
    unwritable(service)
    with pytest.raises(AuditUnavailable):
        service.act("probe", lambda: done.append(True), case="z")
    assert done == []
    assert [e.action for e in service.audit.pending] == ["probe_requested", "probe_failed"]
    assert not any(e.written for e in service.audit.pending)


def ceremony_actions(service):
    first, second = TEST_MASTER_COMPONENTS[Algorithm.TDES]
    ceremony = service.start_ceremony()
    service.ceremony_component(ceremony, 1, "T001", first.hex())
    assert service.sign_in("T002", PASSWORDS["T002"], purpose="ceremony").ok
    service.ceremony_component(ceremony, 2, "T002", second.hex())
    service.ceremony_combine(ceremony)


def resolve_a_flagged_payment(service):
    journal = service.ctx.journal
    entry = journal.create(InsuredItem.RESIDENT_PENSION, ID_NUMBER, ID_NUMBER, "Q1", 18000, PayMethod.BANK_CARD)
    journal.advance(entry.journal_no, PaymentState.AUTH_SENT)
    journal.advance(entry.journal_no, PaymentState.FLAGGED, note="recovery: the bank did not answer")
    (target,) = resolution_targets(journal.get(entry.journal_no))
    service.resolve(entry.journal_no, target, "bank confirmed no debit by phone")


def reconcile_export_and_print(service):
    report = service.reconcile(service.ctx.today())
    service.export_reconciliation(report)
    service.print_reconciliation_receipt(report)


# Each action, and the intent and outcome entries it leaves, in order.
ACTIONS = {
    "device test": (
        lambda s: s.run_device_test("pinpad"),
        ["device_test_requested", "device_test"],
    ),
    "paper refill": (lambda s: s.refill_paper(), ["paper_refill_requested", "paper_refilled"]),
    "key ceremony": (
        ceremony_actions,
        [
            "key_ceremony_requested",
            "key_ceremony_started",
            "key_component_requested",
            "key_component_loaded",
            "sign_in_requested",
            "sign_in",
            "key_component_requested",
            "key_component_loaded",
            "master_key_requested",
            "master_key_combined",
        ],
    ),
    "resolution": (resolve_a_flagged_payment, ["payment_resolve_requested", "payment_resolved"]),
    "reconciliation": (
        reconcile_export_and_print,
        [
            "reconcile_requested",
            "reconciled",
            "reconciliation_export_requested",
            "reconciliation_exported",
            "reconciliation_print_requested",
            "reconciliation_printed",
        ],
    ),
    "configuration change": (
        lambda s: s.apply_config({"timeouts.device_seconds": 8}),
        ["config_change_requested", "config_changed"],
    ),
    "log export": (lambda s: s.export_logs(), ["logs_export_requested", "logs_exported"]),
    "power": (lambda s: s.power("restart"), ["power_requested", "power"]),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_every_action_is_audited_as_intent_then_outcome(service, name):
    action, expected = ACTIONS[name]
    before = len(service.audit.entries())
    action(service)
    assert actions(service, before) == expected


def test_a_refused_configuration_change_is_audited_as_refused(service):
    before = len(service.audit.entries())
    with pytest.raises(ConfigError):
        service.apply_config({"timeouts.device_seconds": -1})
    entries = service.audit.entries()[before:]
    assert [e.action for e in entries] == ["config_change_requested", "config_change_refused"]
    assert entries[1].detail["settings"] == {"timeouts.device_seconds": "-1"}
    assert "timeouts.device_seconds" in entries[1].detail["reason"]


def test_viewing_the_journal_the_logs_the_configuration_and_the_audit_log_is_audited(service):
    journal = service.ctx.journal
    entry = journal.create(InsuredItem.RESIDENT_PENSION, ID_NUMBER, ID_NUMBER, "Q1", 18000, PayMethod.ALIPAY)
    before = len(service.audit.entries())
    rows = service.journal_rows(service.ctx.today(), None, unresolved_only=False)
    service.journal_steps(entry.journal_no)
    service.recent_log_lines()
    config_rows, problem = service.config_view()
    service.audit_entries()
    entries = service.audit.entries()[before:]
    assert [e.action for e in entries] == [
        "journal_browsed",
        "journal_viewed",
        "logs_viewed",
        "config_viewed",
        "audit_viewed",
    ]
    assert entries[0].detail == {
        "day": service.ctx.today().isoformat(),
        "state": "all",
        "unresolved_only": False,
        "rows": len(rows),
    }
    assert entries[1].detail == {"journal_no": entry.journal_no}
    assert problem is None and dict(config_rows)["verification.hmac_key"] == "***"
    assert ID_NUMBER not in service.audit.path.read_text()


def test_the_pages_audit_their_views(maintenance_kiosk, qtbot, config_copy):
    """The screens go through the audited calls (the configuration page used to read the file itself)."""
    from maintenance_fixtures import enter
    from screens.maintenance import open_maintenance

    window = open_maintenance(maintenance_kiosk.ctx, maintenance_kiosk.window, config_copy)
    qtbot.addWidget(window)
    enter(qtbot, window)
    for page in ("journal", "logs", "config", "audit"):
        window.show_page(page)
    seen = actions(window.service)
    for viewed in ("journal_browsed", "logs_viewed", "config_viewed", "audit_viewed"):
        assert viewed in seen
    window.leave()


def test_entries_kept_in_memory_are_written_in_order_once_the_log_can_be_written(service):
    path = service.audit.path
    unwritable(service)
    service.record("journal_browsed", day="all")
    with pytest.raises(AuditUnavailable):
        service.refill_paper()
    assert [e.action for e in service.audit.entries()[-3:]] == [
        "journal_browsed",
        "paper_refill_requested",
        "paper_refill_failed",
    ]
    assert service.audit_unwritten == 3
    service.audit.path = path  # the disk has room again
    service.refill_paper()
    assert service.audit_unwritten == 0
    written = [e.action for e in service.audit.entries()[-5:]]
    assert written == [
        "journal_browsed",
        "paper_refill_requested",
        "paper_refill_failed",
        "paper_refill_requested",
        "paper_refilled",
    ]
    assert all(e.written for e in service.audit.entries())
    assert dt.datetime.fromisoformat(service.audit.entries()[-1].at)  # whole lines, readable
