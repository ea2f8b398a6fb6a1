"""The PIN pad's master key ceremony: component 1 by the signed-in technician, component 2 by a second one who
signs in here, each check value shown; then the final check value. Components are typed into password fields,
cleared at once, and never logged."""

from __future__ import annotations

from kiosk.maintenance.ceremony import KeyCeremony
from screens.maintenance.common import Keyboard, Page, field_label, run_task
from screens.maintenance.signin import SignInPanel
from screens.widgets import button, label


class CeremonyPage(Page):
    def __init__(self, service) -> None:
        super().__init__(service, self.tr("PIN pad master key ceremony"))
        self.ceremony: KeyCeremony | None = None
        self.step_label = label("", "Message", center=False)
        self.step_label.setObjectName("ceremony_step")
        self.layout_.addWidget(self.step_label)
        self.component = self.line_edit("component")
        self.component.setEchoMode(self.component.EchoMode.Password)
        self.component.setMaxLength(32)
        self.load_button = button(self.tr("Load component"), "primary", "load_component")
        self.load_button.clicked.connect(self.load)
        self.component_row = [field_label(self.tr("Component (32 hexadecimal digits)")), self.component]
        for widget in self.component_row:
            self.layout_.addWidget(widget)
        self.row(self.load_button)
        self.check_values = [label("", "Message", center=False) for _ in range(3)]
        for name, widget in zip(
            ("check_value_1", "check_value_2", "final_check_value"), self.check_values, strict=True
        ):
            widget.setObjectName(name)
            self.layout_.addWidget(widget)
        self.combine_button = button(self.tr("Combine the master key"), "primary", "combine")
        self.combine_button.clicked.connect(self.combine)
        self.row(self.combine_button)
        self.second = SignInPanel(service, purpose="key_ceremony")
        self.second.signed_in.connect(self._second_signed_in)
        self.layout_.addWidget(self.second)
        self.keyboard = Keyboard(self.ctx.scale, hex_only=True)
        self.layout_.addWidget(self.keyboard)
        self.layout_.addWidget(self.message)
        self.index = 1
        self.second_technician = ""

    def on_enter(self) -> None:
        self.abandon()
        try:
            self.ceremony = self.service.start_ceremony()
        except (RuntimeError, OSError) as error:
            self.say_failure(error, str(error))
            return
        self.index, self.second_technician = 1, ""
        for widget in self.check_values:
            widget.clear()
        self.say("")
        self._show_step()

    def abandon(self) -> None:
        """Leaving half way drops the loaded component in the pad."""
        if self.ceremony is not None:
            self.service.ceremony_abandon(self.ceremony)
            self.ceremony = None
        if self.second_technician:
            self.service.sign_out(self.second_technician)
            self.second_technician = ""

    def _show_step(self) -> None:
        keying = self.index in (1, 2) and not (self.index == 2 and not self.second_technician)
        for widget in (*self.component_row, self.load_button, self.keyboard):
            widget.setVisible(keying)
        self.second.setVisible(self.index == 2 and not self.second_technician)
        self.combine_button.setVisible(self.index == 3)
        if self.index == 1:
            text = self.tr("Technician {who}: key in master key component 1.").format(who=self.service.technician)
        elif self.index == 2 and not self.second_technician:
            text = self.tr("A second technician signs in to key component 2.")
            self.second.reset()
        elif self.index == 2:
            text = self.tr("Technician {who}: key in master key component 2.").format(who=self.second_technician)
        elif self.index == 3:
            text = self.tr("Both components loaded. Combine them into the master key.")
        else:
            text = self.tr("Done. Compare the final check value with the key custodians' record.")
        self.step_label.setText(text)
        if keying:
            self.component.setFocus()

    def _second_signed_in(self, technician: str) -> None:
        self.second_technician = technician
        self._show_step()

    def load(self) -> None:
        if self.ceremony is None:
            return
        text = self.component.text()
        self.component.clear()
        who = self.service.technician if self.index == 1 else self.second_technician
        index, ceremony = self.index, self.ceremony
        self.load_button.setEnabled(False)
        run_task(
            self.ctx,
            lambda: self.service.ceremony_component(ceremony, index, who, text),
            lambda kcv: self._loaded(index, kcv),
            self._failed,
        )

    def _loaded(self, index: int, kcv: str) -> None:
        self.load_button.setEnabled(True)
        self.check_values[index - 1].setText(self.tr("Check value of component {n}: {kcv}").format(n=index, kcv=kcv))
        self.index = index + 1
        self.say("")
        self._show_step()

    def combine(self) -> None:
        if self.ceremony is None:
            return
        ceremony = self.ceremony
        self.combine_button.setEnabled(False)
        run_task(self.ctx, lambda: self.service.ceremony_combine(ceremony), self._combined, self._failed)

    def _combined(self, kcv: str) -> None:
        self.combine_button.setEnabled(True)
        self.check_values[2].setText(self.tr("Final check value: {kcv}").format(kcv=kcv))
        self.index = 4
        self.ceremony = None
        if self.second_technician:
            self.service.sign_out(self.second_technician)
            self.second_technician = ""
        self._show_step()

    def _failed(self, error: Exception) -> None:
        self.load_button.setEnabled(True)
        self.combine_button.setEnabled(True)
        self.say_failure(error, self.tr("Not accepted: {error}").format(error=error))
