"""What the maintenance screens call: one object per maintenance visit, every action audited.

An action is audited twice: its intent (``<verb>_requested``) before it takes effect, and its outcome after (the
success's own name, or ``<verb>_failed`` with the reason). An action whose intent cannot be written (a full disk)
is not done. Views (journal, logs, configuration, audit log) are audited too, but a view goes ahead when the audit
log cannot be written (the entry waits in memory), and so does signing in: a technician must be able to look at a
kiosk whose disk is full.

The screens run the blocking calls (devices, the KDF, files) through ctx.tasks; this module has no Qt.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from drivers.base import DeviceKind
from kiosk.config import ConfigError, KioskConfig
from kiosk.context import KioskContext
from kiosk.maintenance import devices, journalview, logexport, reconciliation
from kiosk.maintenance.audit import AuditEntry, AuditLog, AuditUnavailable
from kiosk.maintenance.ceremony import KeyCeremony
from kiosk.maintenance.configedit import ConfigEditor, config_rows
from kiosk.maintenance.credentials import Technicians
from kiosk.maintenance.lockout import Lockout
from kiosk.maintenance.paper import paper_counter
from kiosk.payments.journal import JournalEntry, PaymentState
from kiosk.payments.reconcile import ReconciliationReport

if TYPE_CHECKING:
    from kiosk.voice import Voice

LOCKOUT_FILE = "maintenance_lockout.json"
T = TypeVar("T")


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
    def __init__(self, ctx: KioskContext, config_file: Path | None = None, voice: Voice | None = None) -> None:
        self.ctx = ctx
        self.voice = voice  # the kiosk's voice prompts (None: maintenance opened without them, no volume section)
        config = ctx.config
        section = config.section("maintenance")
        self.technicians = Technicians(dict(section["technicians"]))
        self.audit = AuditLog(config.state_path(section["audit_log"]), ctx.clock)
        self.lockout = Lockout(
            config.state_path(LOCKOUT_FILE), section["max_failures"], section["lockout_minutes"], ctx.clock
        )
        self.paper = paper_counter(config, ctx.journal, ctx.clock)
        self.paper.listen(ctx.receipts)  # idempotent: the application may listen from start-up already
        self.editor = ConfigEditor(Path(config_file) if config_file else config.source)
        self.log: logexport.LogSource = logexport.kiosk_log(self.log_dir())  # the journal under systemd
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
        """An event or a view: written when it can be, else kept in memory; never stops what the technician sees."""
        self.note(self.technician, action, **detail)

    def note(self, technician: str, action: str, **detail: Any) -> None:
        with contextlib.suppress(AuditUnavailable):  # kept in memory, written with the next entry that can be
            self.audit.record(technician, action, **detail)

    @property
    def audit_unwritten(self) -> int:
        """Entries waiting in memory because the audit log cannot be written."""
        return len(self.audit.pending)

    def act(
        self,
        verb: str,
        work: Callable[[], T],
        done: str | None = None,
        failed: str | None = None,
        outcome: Callable[[T], dict[str, Any]] = lambda _result: {},
        technician: str | None = None,
        **detail: Any,
    ) -> T:
        """Audit the intent, do ``work``, audit the outcome. Raises AuditUnavailable, without doing the work, when
        the intent cannot be written."""
        who = self.technician if technician is None else technician
        failed = failed or f"{verb}_failed"
        try:
            self.audit.record(who, f"{verb}_requested", **detail)
        except AuditUnavailable:
            self.note(who, failed, **{**detail, "reason": "the audit log cannot be written: not done"})
            raise
        try:
            result = work()
        except Exception as error:
            self.note(who, failed, **{**detail, "reason": str(error) or type(error).__name__})
            raise
        self.note(who, done or verb, **{**detail, **outcome(result)})
        return result

    # --- entry -----------------------------------------------------------------------------------------

    def sign_in(self, technician_id: str, password: str, purpose: str = "enter") -> SignIn:
        """Check a technician's password (slow KDF: call off the GUI thread); every attempt is audited."""
        technician_id = technician_id.strip()
        # On a full disk neither the audit nor the lock-out can be written: both keep their records in memory, and
        # signing in still works (views at least: actions need their intent written).
        self.note(technician_id, "sign_in_requested", purpose=purpose)
        locked_until = self.lockout.locked_until()
        if locked_until is not None:
            self.note(technician_id, "sign_in_refused", purpose=purpose, reason="locked")
            return SignIn(False, "locked", locked_until)
        if technician_id in self.signed_in:
            self.note(technician_id, "sign_in_refused", purpose=purpose, reason="already_signed_in")
            return SignIn(False, "already_signed_in")
        if not self.technicians.check(technician_id, password):
            until = self.lockout.record_failure()
            memory = {"counted_in_memory": True} if self.lockout.unsaved else {}
            failures = self.lockout.failures
            self.note(
                technician_id, "sign_in_failed", purpose=purpose, failures=failures, locked=until is not None, **memory
            )
            return SignIn(False, "locked" if until else "bad_credentials", until)
        self.lockout.record_success()
        self.signed_in.append(technician_id)
        self.note(technician_id, "sign_in", purpose=purpose)
        return SignIn(True, "ok")

    def sign_out(self, technician_id: str | None = None) -> None:
        who = technician_id or self.technician
        if who in self.signed_in:
            self.signed_in.remove(who)
            self.note(who, "sign_out")

    def leave(self) -> None:
        for who in list(reversed(self.signed_in)):
            self.sign_out(who)

    # --- devices ---------------------------------------------------------------------------------------

    def device_statuses(self) -> list[devices.DeviceReport]:
        return devices.device_statuses(self.ctx.devices)

    def run_device_test(self, test: str) -> devices.TestResult:
        tests = (DeviceKind.IDCARD, DeviceKind.SSCARD, DeviceKind.PINPAD, "receipt", "a4")
        if test not in tests:
            raise ValueError(f"no device test {test!r}")
        return self.act(
            "device_test",
            lambda: self._device_test(test),
            outcome=lambda result: {"ok": result.ok, "result": result.summary},
            test=test,
        )

    def _device_test(self, test: str) -> devices.TestResult:
        hub = self.ctx.devices
        if test == DeviceKind.IDCARD:
            return devices.read_id_card(hub)
        if test == DeviceKind.SSCARD:
            return devices.read_ss_card(hub)
        if test == DeviceKind.PINPAD:
            return devices.pinpad_check_values(hub)
        if test == "receipt":
            result = devices.print_test_receipt(hub, self.config)
            if result.ok:
                self.paper.add_test_print()
            return result
        return devices.print_test_page(hub, self.config, self.ctx.today())

    def refill_paper(self) -> None:
        self.act("paper_refill", self.paper.refill, done="paper_refilled")

    def set_hall_volume(self, volume: float) -> float:
        """The hall's voice volume (kept across restarts by the voice); returns the volume set (clamped)."""
        voice = self.voice
        if voice is None:
            raise RuntimeError("maintenance was opened without the kiosk's voice")

        def apply() -> float:
            before = voice.hall_volume
            try:
                voice.set_hall_volume(volume)
            except OSError:
                voice.hall_volume = before  # not kept across a restart: a failed change changes nothing
                raise
            return voice.hall_volume

        return self.act(
            "voice_volume",
            apply,
            done="voice_volume_set",
            outcome=lambda now: {"volume": now},
            before=voice.hall_volume,
            asked=round(volume, 2),
        )

    # --- key ceremony ----------------------------------------------------------------------------------

    def start_ceremony(self) -> KeyCeremony:
        def start() -> KeyCeremony:
            if self.ctx.devices.pinpad is None:
                raise RuntimeError("no PIN pad")
            return KeyCeremony(self.ctx.devices.pinpad, self.config["devices.pinpad.algorithm"])

        return self.act("key_ceremony", start, done="key_ceremony_started")

    def ceremony_component(self, ceremony: KeyCeremony, index: int, technician: str, text: str) -> str:
        if technician not in self.signed_in:
            raise PermissionError("the technician keying a component must be signed in")
        # The check value is public (it is compared aloud); the component is not recorded anywhere.
        return self.act(
            "key_component",
            lambda: ceremony.load(index, technician, text),
            done="key_component_loaded",
            outcome=lambda kcv: {"check_value": kcv},
            technician=technician,
            index=index,
        )

    def ceremony_combine(self, ceremony: KeyCeremony) -> str:
        return self.act(
            "master_key",
            ceremony.combine,
            done="master_key_combined",
            outcome=lambda kcv: {"check_value": kcv, "custodians": ",".join(ceremony.custodians.values())},
        )

    def ceremony_abandon(self, ceremony: KeyCeremony) -> None:
        if ceremony.final_check_value is None:
            # Leaving half way always drops the loaded component, audited or not: a half-keyed pad is worse.
            ceremony.abandon()
            self.record("key_ceremony_abandoned")

    # --- journal ---------------------------------------------------------------------------------------

    def journal_rows(
        self, day: dt.date | None, state: str | None, unresolved_only: bool = False
    ) -> list[journalview.JournalRow]:
        rows = journalview.browse(self.ctx.journal, day, state, unresolved_only)
        shown = {"day": day.isoformat() if day else "all", "state": state or "all", "unresolved_only": unresolved_only}
        self.record("journal_browsed", **shown, rows=len(rows))
        return rows

    def journal_steps(self, journal_no: str) -> list[str]:
        self.record("journal_viewed", journal_no=journal_no)
        return journalview.steps(self.ctx.journal, journal_no)

    def resolve(self, journal_no: str, target: PaymentState, note: str) -> JournalEntry:
        return self.act(
            "payment_resolve",
            lambda: journalview.resolve(self.ctx.journal, journal_no, self.technician, target, note),
            done="payment_resolved",
            journal_no=journal_no,
            state=target.value,
            note=note.strip(),
        )

    # --- reconciliation --------------------------------------------------------------------------------

    def reconcile(self, day: dt.date) -> ReconciliationReport:
        return self.act(
            "reconcile",
            lambda: reconciliation.run_reconciliation(self.config, self.ctx.journal, self.ctx.fee_system, day),
            done="reconciled",
            outcome=lambda report: {"unexplained": report.unexplained},
            day=day.isoformat(),
        )

    def export_reconciliation(self, report: ReconciliationReport) -> Path:
        return self.act(
            "reconciliation_export",
            lambda: reconciliation.write_csv(report, self.export_dir()),
            done="reconciliation_exported",
            failed="export_failed",
            outcome=lambda path: {"file": str(path)},
            what="reconciliation",
            day=report.date.isoformat(),
        )

    def print_reconciliation_receipt(self, report: ReconciliationReport) -> None:
        self.act(
            "reconciliation_print",
            lambda: self.ctx.receipts.print(reconciliation.receipt_document(report, self.ctx.clock())),  # a cut
            done="reconciliation_printed",
            day=report.date.isoformat(),
            on="receipt",
        )

    def print_reconciliation_page(self, report: ReconciliationReport) -> str:
        return self.act(
            "reconciliation_print",
            lambda: self._print_page(report),
            done="reconciliation_printed",
            outcome=lambda job: {"job": job},
            day=report.date.isoformat(),
            on="a4",
        )

    def _print_page(self, report: ReconciliationReport) -> str:
        import tempfile

        printer = self.ctx.devices.a4_printer
        if printer is None:
            raise RuntimeError("no A4 printer")
        with tempfile.TemporaryDirectory() as folder:
            pdf = reconciliation.write_pdf(report, Path(folder) / "reconciliation.pdf", self.ctx.clock())
            return printer.print_pdf(pdf, title="reconciliation")

    # --- configuration ---------------------------------------------------------------------------------

    def config_view(self) -> tuple[list[tuple[str, str]], str | None]:
        """Every setting of the file (secrets hidden), or of the running configuration with the file's problem."""
        try:
            config, problem = self.editor.load(), None
        except ConfigError as error:
            config, problem = self.config, str(error)
        rows = config_rows(config)
        self.record("config_viewed", file=str(self.editor.path), **({"problem": problem} if problem else {}))
        return rows, problem

    def apply_config(self, changes: dict[str, Any]) -> KioskConfig:
        """Validated and written; takes effect at the next start (the screen offers a restart)."""
        settings = {dotted: str(value) for dotted, value in changes.items()}
        return self.act(
            "config_change",
            lambda: self.editor.apply(changes),
            done="config_changed",
            failed="config_change_refused",
            settings=settings,
        )

    # --- logs and power --------------------------------------------------------------------------------

    def recent_log_lines(self, count: int = 200) -> list[str]:
        """Reads the journal under systemd (journalctl): call off the GUI thread."""
        try:
            lines = self.log.recent_lines(count)
        except OSError as error:
            self.record("logs_viewed", lines=0, reason=str(error))
            raise
        self.record("logs_viewed", lines=len(lines))
        return lines

    def audit_entries(self, limit: int = 500) -> list[AuditEntry]:
        entries = self.audit.entries(limit=limit)
        self.record("audit_viewed", entries=len(entries))
        return entries

    def export_logs(self) -> Path:
        return self.act(
            "logs_export",
            lambda: logexport.export_logs(self.log, self.export_dir(), self.config["terminal.id"], self.ctx.clock()),
            done="logs_exported",
            failed="export_failed",
            outcome=lambda path: {"file": str(path)},
            what="logs",
        )

    def power(self, action: str) -> None:
        """restart, shutdown or exit_to_desktop: audited here, done by whoever owns the application. Allowed when
        the audit log cannot be written (kept in memory): a restart or the desktop is how a full disk gets fixed."""
        self.note(self.technician, "power_requested", what=action)
        self.note(self.technician, "power", what=action)
