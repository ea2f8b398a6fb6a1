"""Logs (recent lines, masked export), the audit log, and the power actions (restart, shut down, desktop)."""

from __future__ import annotations

from PySide6.QtCore import Signal

from screens.maintenance.common import Page, fill
from screens.widgets import button


class LogsPage(Page):
    def __init__(self, service) -> None:
        super().__init__(service, self.tr("Logs"))
        self.lines = self.text_box("log_lines")
        self.layout_.addWidget(self.lines, 1)
        export = button(self.tr("Export logs (personal data masked)"), "nav", "log_export")
        export.clicked.connect(self.export)
        self.row(export)
        self.layout_.addWidget(self.message)

    def on_enter(self) -> None:
        fill(self.lines, self.service.recent_log_lines() or [self.tr("The log is empty.")])
        self.lines.verticalScrollBar().setValue(self.lines.verticalScrollBar().maximum())

    def export(self) -> None:
        self.export_and_say(lambda: self.service.export_logs())


class AuditPage(Page):
    def __init__(self, service) -> None:
        super().__init__(service, self.tr("Audit log"))
        self.lines = self.text_box("audit_lines")
        self.layout_.addWidget(self.lines, 1)

    def on_enter(self) -> None:
        fill(self.lines, [entry.line() for entry in self.service.audit_entries(limit=500)])
        self.lines.verticalScrollBar().setValue(self.lines.verticalScrollBar().maximum())


class PowerPage(Page):
    """Each action needs a second tap on the confirming button."""

    chosen = Signal(str)  # restart, shutdown, exit_to_desktop

    def __init__(self, service) -> None:
        super().__init__(service, self.tr("Restart or shut down"))
        self.actions = {
            "restart": self.tr("Restart the application"),
            "shutdown": self.tr("Shut down the kiosk"),
            "exit_to_desktop": self.tr("Exit to the desktop"),
        }
        self.buttons = {}
        for action, text in self.actions.items():
            widget = button(text, "choice", f"power_{action}")
            widget.clicked.connect(lambda _=False, a=action: self.ask(a))
            self.buttons[action] = widget
            self.row(widget)
        self.confirm = button("", "primary", "power_confirm")
        self.confirm.clicked.connect(self.confirmed)
        self.row(self.confirm)
        self.layout_.addWidget(self.message)
        self.layout_.addStretch(1)
        self.pending: str | None = None

    def on_enter(self) -> None:
        self.pending = None
        self.confirm.setVisible(False)
        self.say("")

    def ask(self, action: str) -> None:
        self.pending = action
        self.confirm.setText(self.tr("Confirm: {action}").format(action=self.actions[action]))
        self.confirm.setVisible(True)

    def confirmed(self) -> None:
        if self.pending:
            action, self.pending = self.pending, None
            self.confirm.setVisible(False)
            self.service.power(action)
            self.chosen.emit(action)
