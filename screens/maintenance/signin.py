"""Sign-in: technician id and password on the on-screen keyboard. Used to enter maintenance and, in the key
ceremony, for the second technician."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from kiosk.maintenance.service import MaintenanceService, SignIn
from screens.maintenance.common import Keyboard, field_label, run_task
from screens.style import px
from screens.widgets import button, label


class SignInPanel(QWidget):
    """Emits ``signed_in(technician_id)``; says in words why not (wrong id or password, locked until when)."""

    signed_in = Signal(str)

    def __init__(self, service: MaintenanceService, purpose: str = "enter", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.purpose = purpose
        scale = service.ctx.scale
        layout = QVBoxLayout(self)
        layout.setSpacing(px(12, scale))
        self.technician_id = QLineEdit()
        self.technician_id.setObjectName("technician_id")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for edit in (self.technician_id, self.password):
            edit.setMinimumHeight(px(70, scale))
        self.submit = button(self.tr("Sign in"), "primary", "sign_in")
        self.submit.clicked.connect(self.sign_in)
        self.password.returnPressed.connect(self.sign_in)
        self.message = label("", "Hint")
        self.message.setObjectName("sign_in_message")
        layout.addWidget(field_label(self.tr("Technician ID")))
        layout.addWidget(self.technician_id)
        layout.addWidget(field_label(self.tr("Password")))
        layout.addWidget(self.password)
        layout.addWidget(self.submit)
        layout.addWidget(self.message)
        layout.addWidget(Keyboard(scale))

    def reset(self) -> None:
        self.technician_id.clear()
        self.password.clear()
        self.message.clear()
        self.submit.setEnabled(True)
        self.technician_id.setFocus()

    def sign_in(self) -> None:
        if not self.submit.isEnabled():
            return
        technician, password = self.technician_id.text(), self.password.text()
        self.password.clear()  # the password stays in no widget
        self.submit.setEnabled(False)
        self.message.setText(self.tr("Checking…"))
        run_task(
            self.service.ctx,
            lambda: self.service.sign_in(technician, password, self.purpose),
            self._answered,
            self._failed,
        )

    def _answered(self, result: SignIn) -> None:
        self.submit.setEnabled(True)
        if result.ok:
            self.message.clear()
            self.signed_in.emit(self.service.signed_in[-1])
            return
        if result.reason == "locked" and result.locked_until:
            text = self.tr("Too many failed attempts. Maintenance is locked until {time}.")
            self.message.setText(text.format(time=result.locked_until.strftime("%H:%M")))
        elif result.reason == "already_signed_in":
            self.message.setText(self.tr("This technician is already signed in. A second technician is needed."))
        else:
            self.message.setText(self.tr("Wrong technician ID or password."))

    def _failed(self, error: Exception) -> None:
        self.submit.setEnabled(True)
        self.message.setText(self.tr("Sign-in failed: {error}").format(error=type(error).__name__))
