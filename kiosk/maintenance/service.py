"""What the maintenance screens call: one object per maintenance visit, every action audited.

The screens run the blocking calls (devices, the KDF, files) through ctx.tasks; this module has no Qt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.base import DeviceKind
from kiosk.config import KioskConfig
from kiosk.context import KioskContext
from kiosk.maintenance import devices, journalview, logexport, reconciliation
from kiosk.maintenance.audit import AuditLog
from kiosk.maintenance.ceremony import KeyCeremony
from kiosk.maintenance.configedit import ConfigEditor
from kiosk.maintenance.credentials import check_technician
from kiosk.maintenance.lockout import Lockout
from kiosk.maintenance.paper import paper_counter
from kiosk.payments.journal import JournalEntry, PaymentState
from kiosk.payments.reconcile import ReconciliationReport

LOCKOUT_FILE = "maintenance_lockout.json"


class ExportFolderMissing(OSError):
    def __init__(self, folder: Path) -> None:
        super().__init__(f"the export folder {folder} is not there (is the drive plugged in?)")
        self.folder = folder


@dataclass(frozen=True)
class SignIn:
    ok: bool
    reason: str  # ok, locked, bad_credentials, already_signed_in
    locked_until: dt.datetime | None = None


class MaintenanceService:
    def __init__(self, ctx: KioskContext, config_file: Path | None = None) -> None:
        self.ctx = ctx
        config = ctx.config
        section = config.section("maintenance")
        self.technicians: dict[str, str] = dict(section["technicians"])
        self.audit = AuditLog(config.state_path(section["audit_log"]), ctx.clock)
        self.lockout = Lockout(
            config.state_path(LOCKOUT_FILE), section["max_failures"], section["lockout_minutes"], ctx.clock
        )
        self.paper = paper_counter(config, ctx.journal, ctx.clock)
        self.paper.listen(ctx.receipts)  # idempotent: the application may listen from start-up already
        self.editor = ConfigEditor(Path(config_file) if config_file else config.source)
        self.signed_in: list[str] = []  # the first opened maintenance; a second joins for the key ceremony

    @property
    def technician(self) -> str:
        return self.signed_in[0] if self.signed_in else ""

    @property
    def config(self) -> KioskConfig:
        return self.ctx.config

    def export_dir(self) -> Path:
        """Where exports go. An absolute folder is a removable drive's mount point: it must be there, or the
        file would land on the kiosk's own disk in an empty folder that only looks like the drive."""
        configured = self.config["maintenance.export_dir"]
        folder = self.config.state_path(configured)
        if Path(configured).is_absolute() and not folder.is_dir():
            raise ExportFolderMissing(folder)
        return folder

    def log_dir(self) -> Path:
        return self.config.state_path(self.config["paths.logs"])

    def record(self, action: str, **detail: Any) -> None:
        self.audit.record(self.technician, action, **detail)

    # --- entry -----------------------------------------------------------------------------------------

    def sign_in(self, technician_id: str, password: str, purpose: str = "enter") -> SignIn:
        """Check a technician's password (slow KDF: call off the GUI thread); every attempt is audited."""
        technician_id = technician_id.strip()
        locked_until = self.lockout.locked_until()
        if locked_until is not None:
            self.audit.record(technician_id, "sign_in_refused", purpose=purpose, reason="locked")
            return SignIn(False, "locked", locked_until)
        if technician_id in self.signed_in:
            self.audit.record(technician_id, "sign_in_refused", purpose=purpose, reason="already_signed_in")
            return SignIn(False, "already_signed_in")
        if not check_technician(self.technicians, technician_id, password):
            until = self.lockout.record_failure()
            self.audit.record(
                technician_id,
                "sign_in_failed",
                purpose=purpose,
                failures=self.lockout.failures,
                locked=until is not None,
            )
            return SignIn(False, "locked" if until else "bad_credentials", until)
        self.lockout.record_success()
        self.signed_in.append(technician_id)
        self.audit.record(technician_id, "sign_in", purpose=purpose)
        return SignIn(True, "ok")

    def sign_out(self, technician_id: str | None = None) -> None:
        who = technician_id or self.technician
        if who in self.signed_in:
            self.signed_in.remove(who)
            self.audit.record(who, "sign_out")

    def leave(self) -> None:
        for who in list(reversed(self.signed_in)):
            self.sign_out(who)

    # --- devices ---------------------------------------------------------------------------------------

    def device_statuses(self) -> list[devices.DeviceReport]:
        return devices.device_statuses(self.ctx.devices)

    def run_device_test(self, test: str) -> devices.TestResult:
        hub = self.ctx.devices
        if test == DeviceKind.IDCARD:
            result = devices.read_id_card(hub)
        elif test == DeviceKind.SSCARD:
            result = devices.read_ss_card(hub)
        elif test == DeviceKind.PINPAD:
            result = devices.pinpad_check_values(hub)
        elif test == "receipt":
            result = devices.print_test_receipt(hub, self.config)
            if result.ok:
                self.paper.add_test_print()
        elif test == "a4":
            result = devices.print_test_page(hub, self.config, self.ctx.today())
        else:
            raise ValueError(f"no device test {test!r}")
        self.record("device_test", test=test, ok=result.ok, result=result.summary)
        return result

    def refill_paper(self) -> None:
        self.paper.refill()
        self.record("paper_refilled")

    # --- key ceremony ----------------------------------------------------------------------------------

    def start_ceremony(self) -> KeyCeremony:
        if self.ctx.devices.pinpad is None:
            raise RuntimeError("no PIN pad")
        self.record("key_ceremony_started")
        return KeyCeremony(self.ctx.devices.pinpad, self.config["devices.pinpad.algorithm"])

    def ceremony_component(self, ceremony: KeyCeremony, index: int, technician: str, text: str) -> str:
        if technician not in self.signed_in:
            raise PermissionError("the technician keying a component must be signed in")
        kcv = ceremony.load(index, technician, text)
        # The check value is public (it is compared aloud); the component is not recorded anywhere.
        self.audit.record(technician, "key_component_loaded", index=index, check_value=kcv)
        return kcv

    def ceremony_combine(self, ceremony: KeyCeremony) -> str:
        kcv = ceremony.combine()
        self.record("master_key_combined", check_value=kcv, custodians=",".join(ceremony.custodians.values()))
        return kcv

    def ceremony_abandon(self, ceremony: KeyCeremony) -> None:
        if ceremony.final_check_value is None:
            ceremony.abandon()
            self.record("key_ceremony_abandoned")

    # --- journal ---------------------------------------------------------------------------------------

    def journal_rows(
        self, day: dt.date | None, state: str | None, unresolved_only: bool = False
    ) -> list[journalview.JournalRow]:
        return journalview.browse(self.ctx.journal, day, state, unresolved_only)

    def journal_steps(self, journal_no: str) -> list[str]:
        self.record("journal_viewed", journal_no=journal_no)
        return journalview.steps(self.ctx.journal, journal_no)

    def resolve(self, journal_no: str, target: PaymentState, note: str) -> JournalEntry:
        entry = journalview.resolve(self.ctx.journal, journal_no, self.technician, target, note)
        self.record("payment_resolved", journal_no=journal_no, state=target.value, note=note.strip())
        return entry

    # --- reconciliation --------------------------------------------------------------------------------

    def reconcile(self, day: dt.date) -> ReconciliationReport:
        report = reconciliation.run_reconciliation(self.config, self.ctx.journal, self.ctx.fee_system, day)
        self.record("reconciled", day=day.isoformat(), unexplained=report.unexplained)
        return report

    def export_reconciliation(self, report: ReconciliationReport) -> Path:
        try:
            path = reconciliation.write_csv(report, self.export_dir())
        except OSError as error:
            self.record("export_failed", what="reconciliation", day=report.date.isoformat(), reason=str(error))
            raise
        self.record("reconciliation_exported", day=report.date.isoformat(), file=str(path))
        return path

    def print_reconciliation_receipt(self, report: ReconciliationReport) -> None:
        self.ctx.receipts.print(reconciliation.receipt_document(report, self.ctx.clock()))  # counted as a cut
        self.record("reconciliation_printed", day=report.date.isoformat(), on="receipt")

    def print_reconciliation_page(self, report: ReconciliationReport) -> str:
        import tempfile

        printer = self.ctx.devices.a4_printer
        if printer is None:
            raise RuntimeError("no A4 printer")
        with tempfile.TemporaryDirectory() as folder:
            pdf = reconciliation.write_pdf(report, Path(folder) / "reconciliation.pdf", self.ctx.clock())
            job = printer.print_pdf(pdf, title="reconciliation")
        self.record("reconciliation_printed", day=report.date.isoformat(), on="a4", job=job)
        return job

    # --- configuration ---------------------------------------------------------------------------------

    def apply_config(self, changes: dict[str, Any]) -> KioskConfig:
        """Validated and written; takes effect at the next start (the screen offers a restart)."""
        try:
            config = self.editor.apply(changes)
        except Exception as error:
            self.record("config_change_refused", settings=",".join(changes), reason=str(error))
            raise
        for dotted, value in changes.items():
            self.record("config_changed", setting=dotted, value=str(value))
        return config

    # --- logs and power --------------------------------------------------------------------------------

    def recent_log_lines(self, count: int = 200) -> list[str]:
        return logexport.recent_lines(self.log_dir(), count)

    def export_logs(self) -> Path:
        try:
            path = logexport.export_logs(
                self.log_dir(), self.export_dir(), self.config["terminal.id"], self.ctx.clock()
            )
        except OSError as error:
            self.record("export_failed", what="logs", reason=str(error))
            raise
        self.record("logs_exported", file=str(path))
        return path

    def power(self, action: str) -> None:
        """restart, shutdown or exit_to_desktop: audited here, done by whoever owns the application."""
        self.record("power", what=action)
