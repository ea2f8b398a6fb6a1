"""The maintenance window: its own full-screen window over the kiosk's, a stack of pages behind a sign-in.

The kiosk window hands over with ``open_maintenance(ctx, parent_window)`` and listens to ``ended`` and to the
power signals; see docs/maintenance.md.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.context import KioskContext
from kiosk.maintenance.service import MaintenanceService
from kiosk.service_health import ProblemKind
from kiosk.update_gate import pending_update
from kiosk.voice import Voice
from screens.maintenance.ceremony_page import CeremonyPage
from screens.maintenance.common import IdleGuard, Page
from screens.maintenance.config_page import ConfigPage
from screens.maintenance.devices_page import DevicesPage
from screens.maintenance.enrolment import EnrolmentPage, certificate_warning
from screens.maintenance.journal_page import JournalPage
from screens.maintenance.logs_page import AuditPage, LogsPage, PowerPage
from screens.maintenance.reconcile_page import ReconcilePage
from screens.maintenance.signin import SignInPanel
from screens.style import px
from screens.widgets import button, label

IDLE_SECONDS = 300.0  # no touch for five minutes: everybody is signed out and the kiosk takes citizens again
PROBLEMS_REFRESH_MS = 1000  # health reports come from any thread: the menu re-reads them on its own

STYLE = """
QWidget#MaintenanceWindow {{ background: #eef1f5; }}
QListWidget, QPlainTextEdit, QLineEdit, QComboBox, QCheckBox {{ font-size: {text}px; }}
QLineEdit, QComboBox {{ min-height: {field}px; }}
"""


class MaintenanceWindow(QWidget):
    ended = Signal()  # the technician left: show the kiosk window again
    restart_requested = Signal()  # restart the application (e.g. to apply a configuration change)
    shutdown_requested = Signal()  # power the machine off
    exit_to_desktop_requested = Signal()  # quit the kiosk to the desktop (only from here)

    def __init__(self, ctx: KioskContext, config_file: Path | None = None, voice: Voice | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = MaintenanceService(ctx, config_file, voice)
        self.setObjectName("MaintenanceWindow")
        self.setWindowTitle(self.tr("Maintenance"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE.format(text=px(26, ctx.scale), field=px(64, ctx.scale)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._header())
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.sign_in_panel = SignInPanel(self.service)
        self.sign_in_panel.signed_in.connect(self._entered)
        self.stack.addWidget(self._sign_in_page())
        self.menu = self._menu()
        self.stack.addWidget(self.menu)
        self.pages: dict[str, Page] = {
            "devices": DevicesPage(self.service),
            "ceremony": CeremonyPage(self.service),
            "journal": JournalPage(self.service),
            "reconcile": ReconcilePage(self.service),
            "certificate": EnrolmentPage(self.service),
            "config": ConfigPage(self.service),
            "logs": LogsPage(self.service),
            "audit": AuditPage(self.service),
            "power": PowerPage(self.service),
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
        self.pages["config"].restart_requested.connect(lambda: self._power("restart"))
        self.pages["power"].chosen.connect(self._power)
        self._show_sign_in()
        self.idle = IdleGuard(self, IDLE_SECONDS, self._idle)

    # --- layout ----------------------------------------------------------------------------------------

    def _header(self) -> QFrame:
        header = QFrame()
        header.setObjectName("Header")
        row = QHBoxLayout(header)
        row.setContentsMargins(px(30, self.ctx.scale), 0, px(30, self.ctx.scale), 0)
        row.addWidget(label(self.tr("Maintenance mode"), "HallName", center=False))
        self.who = label("", "StepTitle", center=False)
        row.addWidget(self.who, 1)
        self.back = button(self.tr("Menu"), "nav", "maintenance_menu")
        self.back.clicked.connect(self.show_menu)
        leave = button(self.tr("Leave maintenance"), "nav", "maintenance_leave")
        leave.clicked.connect(self.leave)
        row.addWidget(self.back)
        row.addWidget(leave)
        return header

    def _sign_in_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        margin = px(200, self.ctx.scale)
        column.setContentsMargins(margin, px(20, self.ctx.scale), margin, px(20, self.ctx.scale))
        column.addWidget(label(self.tr("Technician sign-in"), "Title"))
        column.addWidget(self.sign_in_panel)
        return page

    def _menu(self) -> QWidget:
        menu = QWidget()
        grid = QVBoxLayout(menu)
        # The paper counter's warning where every visit starts, not only on the devices page.
        self.paper_warning = label("", "Error")
        grid.addWidget(self.paper_warning)
        # Why the kiosk is out of service (ctx.health), and whether the audit log is being written.
        self.problems = label("", "Error", center=False)
        self.problems.setObjectName("service_problems")
        grid.addWidget(self.problems)
        self.problems_timer = QTimer(self)
        self.problems_timer.timeout.connect(self.show_problems)
        self.certificate_warning = ""
        entries = [
            ("devices", self.tr("Devices and paper")),
            ("ceremony", self.tr("PIN pad key ceremony")),
            ("journal", self.tr("Payment journal")),
            ("reconcile", self.tr("Reconciliation")),
            ("certificate", self.tr("Terminal certificate")),
            ("config", self.tr("Configuration")),
            ("logs", self.tr("Logs")),
            ("audit", self.tr("Audit log")),
            ("power", self.tr("Restart or shut down")),
        ]
        for start in range(0, len(entries), 2):
            row = QHBoxLayout()
            row.addStretch(1)
            for name, text in entries[start : start + 2]:
                widget = button(text, "choice", f"open_{name}")
                widget.clicked.connect(lambda _=False, n=name: self.show_page(n))
                row.addWidget(widget)
            row.addStretch(1)
            grid.addLayout(row)
        return menu

    # --- navigation ------------------------------------------------------------------------------------

    def _show_sign_in(self) -> None:
        self.back.setVisible(False)
        self.who.clear()
        self.sign_in_panel.reset()
        self.stack.setCurrentIndex(0)

    def _entered(self, technician: str) -> None:
        self.who.setText(self.tr("Technician: {who}").format(who=technician))
        self.show_menu()

    def show_menu(self) -> None:
        if not self.service.technician:
            return
        self._leave_page()
        self.back.setVisible(True)
        level = self.service.paper.level()
        text = self.tr("Receipt paper is running out: about {left} receipts left. Put in a new roll.")
        self.paper_warning.setText(text.format(left=level.left) if level.low else "")
        self.paper_warning.setVisible(level.low)
        self.stack.setCurrentWidget(self.menu)
        self.certificate_warning = certificate_warning(self.pages["certificate"].enrolment)
        self.show_problems()
        self.problems_timer.start(PROBLEMS_REFRESH_MS)

    def _problem_names(self) -> dict[str, str]:
        return {
            ProblemKind.STATE_DIR: self.tr("State directory cannot be written"),
            ProblemKind.DISK_RESERVE: self.tr("Disk almost full"),
            ProblemKind.JOURNAL: self.tr("Payment journal damaged"),
            ProblemKind.RECOVERY: self.tr("Unfinished payments not settled"),
            ProblemKind.SIGNING_KEY: self.tr("Demo or placeholder signing key"),
            ProblemKind.CLIENT_CERTIFICATE: self.tr("Terminal certificate missing or bad"),
        }

    def show_problems(self) -> None:
        """The kiosk's out-of-service problems: kind, since when, the technician's detail."""
        if self.stack.currentWidget() is not self.menu:
            self.problems_timer.stop()
            return
        names = self._problem_names()
        lines = []
        for problem in self.ctx.health.problems():
            name = names.get(problem.kind, problem.kind.value)
            since = problem.since.strftime("%Y-%m-%d %H:%M")
            text = self.tr("Out of service — {name} ({kind}), since {since}: {detail}")
            lines.append(text.format(name=name, kind=problem.kind.value, since=since, detail=problem.detail))
        if warning := self.certificate_warning:  # expires within 30 days (the certificate page enrols again)
            lines.append(warning)
        if version := pending_update(self.ctx.config.state_dir):
            text = self.tr("Update {version} installed: the kiosk restarts into it once idle after you leave.")
            lines.append(text.format(version=version))
        if unwritten := self.service.audit_unwritten:
            text = self.tr("The audit log cannot be written: {n} entries kept in memory. Only viewing works.")
            lines.append(text.format(n=unwritten))
        self.problems.setText("\n".join(lines))
        self.problems.setVisible(bool(lines))

    def show_page(self, name: str) -> None:
        if not self.service.technician:
            return
        self._leave_page()
        page = self.pages[name]
        self.stack.setCurrentWidget(page)
        page.on_enter()

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def _leave_page(self) -> None:
        if self.stack.currentWidget() is self.pages["ceremony"]:
            self.pages["ceremony"].abandon()

    def _idle(self) -> None:
        self.service.record("left_idle", minutes=round(self.idle.timer.interval() / 60000, 1))
        self.leave()

    def leave(self) -> None:
        """Back to the kiosk: sign everybody out, close, emit ``ended``."""
        self.idle.stop()
        self.problems_timer.stop()
        self._leave_page()
        self.service.leave()
        self.close()
        self.ended.emit()

    def _power(self, action: str) -> None:
        self.idle.stop()
        self.problems_timer.stop()
        self._leave_page()
        self.service.leave()
        signal = {
            "restart": self.restart_requested,
            "shutdown": self.shutdown_requested,
            "exit_to_desktop": self.exit_to_desktop_requested,
        }[action]
        signal.emit()


def open_maintenance(
    ctx: KioskContext,
    parent_window: QWidget | None = None,
    config_file: Path | None = None,
    voice: Voice | None = None,
) -> MaintenanceWindow:
    """End any customer session, then show the maintenance window over ``parent_window`` (full screen when it
    is). ``config_file``: the file configuration edits write (default: the one the kiosk was started with);
    ``voice``: the kiosk's voice prompts, whose hall volume the devices page sets."""
    ctx.flow.end_session("maintenance")
    window = MaintenanceWindow(ctx, config_file, voice)
    if parent_window is not None and parent_window.isFullScreen():
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        window.showFullScreen()
    else:
        if parent_window is not None:
            window.setGeometry(parent_window.geometry())
        window.show()
    window.raise_()
    window.activateWindow()
    return window
