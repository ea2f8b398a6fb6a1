"""Configuration: every setting shown (secrets hidden); what a technician may change, validated before it is
written; a restart applies it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox

from kiosk.config import ConfigError
from kiosk.maintenance.configedit import EDITABLE, parse_value
from screens.maintenance.common import Keyboard, Page, fill
from screens.widgets import button


class ConfigPage(Page):
    restart_requested = Signal()

    def __init__(self, service) -> None:
        super().__init__(service, self.tr("Configuration"))
        self.all = self.text_box("config_all")
        self.layout_.addWidget(self.all, 2)
        self.key = QComboBox()
        self.key.setObjectName("config_key")
        for dotted in EDITABLE:
            self.key.addItem(dotted, dotted)
        self.key.currentIndexChanged.connect(self._show_current)
        self.value = self.line_edit("config_value")
        save = button(self.tr("Save"), "primary", "config_save")
        save.clicked.connect(self.save)
        self.row(self.key, self.value, save)
        self.restart = button(self.tr("Restart to apply"), "nav", "config_restart")
        self.restart.clicked.connect(self.restart_requested)
        self.restart.setVisible(False)
        self.row(self.restart)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(Keyboard(self.ctx.scale))
        self.file_values: dict[str, str] = {}

    def on_enter(self) -> None:
        rows, problem = self.service.config_view()
        if problem:
            self.say(problem, error=True)
        self.file_values = dict(rows)
        fill(self.all, [f"{key} = {value}" for key, value in rows])
        self._show_current()

    def _show_current(self) -> None:
        self.value.setText(self.file_values.get(self.key.currentData() or "", ""))

    def save(self) -> None:
        dotted = self.key.currentData()
        try:
            value = parse_value(dotted, self.value.text())
            self.service.apply_config({dotted: value})
        except (ValueError, ConfigError, OSError) as error:
            problem = error.problem if isinstance(error, ConfigError) else str(error)
            self.say_failure(error, self.tr("Not saved: {problem}").format(problem=problem))
            return
        self.on_enter()
        self.restart.setVisible(True)
        self.say(self.tr("Saved. The change takes effect when the kiosk restarts."))
