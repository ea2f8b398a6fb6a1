"""Logs (recent lines, masked export), the audit log, and the power actions (restart, shut down, desktop)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal

from screens.maintenance.common import Page, fill, run_task
from screens.widgets import button


class LogsPage(Page):
    def __init__(self, service) -> None:
        super().__init__(service, self.tr("Logs"))
        self.lines = self.text_box("log_lines")
        self.layout_.addWidget(self.lines, 1)
        self.export_button = button(self.tr("Export logs (personal data masked)"), "nav", "log_export")
        self.export_button.clicked.connect(self.export)
        self.row(self.export_button)
        self.layout_.addWidget(self.message)

    def on_enter(self) -> None:
        # The newest 200 lines: quick from kiosk.log and from the journal alike (journalctl -n reads from the end).
        try:
            lines = self.service.recent_log_lines() or [self.tr("The log is empty.")]
        except OSError as error:
            lines = [self.tr("The log cannot be read: {error}").format(error=error)]
        fill(self.lines, lines)
        self.lines.verticalScrollBar().setValue(self.lines.verticalScrollBar().maximum())

    def export(self) -> None:
        """Off the GUI thread: two weeks of the journal take seconds."""
        self.export_button.setEnabled(False)
        self.say(self.tr("Exporting the logs…"))
        run_task(self.ctx, self.service.export_logs, self._export_done, self._export_done)

    def _export_done(self, outcome: Path | Exception) -> None:
        self.export_button.setEnabled(True)

        def result() -> Path:
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

        self.export_and_say(result)


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
