"""Devices: each one's status, its test, and the receipt paper counter."""

from __future__ import annotations

from PySide6.QtWidgets import QListWidget

from drivers.base import DeviceKind
from kiosk.maintenance.devices import BANK_HOST, DeviceReport, TestResult
from screens.maintenance.common import Page, fill, run_task
from screens.voice_volume import VoiceVolumeSection
from screens.widgets import button, label


class DevicesPage(Page):
    def __init__(self, service) -> None:
        super().__init__(service, self.tr("Devices"))
        self.names = {
            DeviceKind.IDCARD: self.tr("ID card reader"),
            DeviceKind.SSCARD: self.tr("Social security card reader"),
            DeviceKind.PINPAD: self.tr("PIN pad"),
            DeviceKind.RECEIPT_PRINTER: self.tr("Receipt printer"),
            DeviceKind.A4_PRINTER: self.tr("A4 printer"),
            DeviceKind.BANKCARD: self.tr("Bank card reader"),
            BANK_HOST: self.tr("Bank host"),
        }
        self.statuses = QListWidget()
        self.statuses.setObjectName("device_status")
        self.layout_.addWidget(self.statuses, 2)
        refresh = button(self.tr("Refresh"), "nav", "device_refresh")
        refresh.clicked.connect(self.on_enter)
        tests = {
            DeviceKind.IDCARD: self.tr("Read an ID card"),
            DeviceKind.SSCARD: self.tr("Read a social security card"),
            DeviceKind.PINPAD: self.tr("PIN pad check values"),
            "receipt": self.tr("Test receipt"),
            "a4": self.tr("Test A4 page"),
        }
        self.test_buttons = []
        for test, text in tests.items():
            widget = button(text, "nav", f"test_{test}")
            widget.clicked.connect(lambda _=False, t=test: self.run_test(t))
            self.test_buttons.append(widget)
        self.row(refresh, *self.test_buttons[:2])
        self.row(*self.test_buttons[2:])
        self.result = self.text_box("device_result")
        self.layout_.addWidget(self.result, 2)
        self.paper = label("", "Message", center=False)
        self.paper.setObjectName("paper_level")
        refill = button(self.tr("New paper roll put in"), "nav", "paper_refill")
        refill.clicked.connect(self.refill)
        self.row(self.paper, refill)
        # The hall's voice volume: the speakers are a device, and the test sound is their test.
        self.voice_volume: VoiceVolumeSection | None = None
        if service.voice is not None:
            self.voice_volume = VoiceVolumeSection(service.voice, set_volume=service.set_hall_volume)
            self.voice_volume.failed.connect(self._volume_failed)
            self.layout_.addWidget(self.voice_volume)
        self.layout_.addWidget(self.message)

    def on_enter(self) -> None:
        self.statuses.clear()
        self.statuses.addItem(self.tr("Asking the devices…"))
        run_task(self.ctx, self.service.device_statuses, self._show_statuses, self._failed)
        self.show_paper()

    def _show_statuses(self, reports: list[DeviceReport]) -> None:
        self.statuses.clear()
        for report in reports:
            details = ", ".join(f"{key}: {value}" for key, value in report.details.items())
            name = self.names.get(report.device, report.device)
            self.statuses.addItem(f"{name}  —  {report.status}" + (f"  ({details})" if details else ""))

    def run_test(self, test: str) -> None:
        for widget in self.test_buttons:
            widget.setEnabled(False)
        self.result.setPlainText(self.tr("Testing…"))
        run_task(self.ctx, lambda: self.service.run_device_test(test), self._show_result, self._failed)

    def _show_result(self, result: TestResult) -> None:
        for widget in self.test_buttons:
            widget.setEnabled(True)
        verdict = self.tr("Test passed") if result.ok else self.tr("Test failed")
        fill(self.result, [verdict, *result.lines])
        self.show_paper()

    def _failed(self, error: Exception) -> None:
        for widget in self.test_buttons:
            widget.setEnabled(True)
        self.say_failure(error, self.tr("The device did not answer: {error}").format(error=error))

    def _volume_failed(self, error: OSError) -> None:
        self.say_failure(error, self.tr("The volume was not changed: {error}").format(error=error))

    def show_paper(self) -> None:
        level = self.service.paper.level()
        text = self.tr("Receipt paper: {used} receipts since the last roll, about {left} left.")
        text = text.format(used=level.used, left=level.left)
        if level.low:
            text += " " + self.tr("Paper is running out: put in a new roll.")
        self.paper.setText(text)

    def refill(self) -> None:
        try:
            self.service.refill_paper()
        except OSError as error:
            self.say_failure(error, self.tr("The paper counter was not reset: {error}").format(error=error))
            return
        self.show_paper()
        self.say(self.tr("Paper counter reset."))
