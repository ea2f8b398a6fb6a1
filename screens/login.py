"""Login: lay the resident ID card on the reader (or insert the social security card).

The reader is polled by kiosk.identity on its own thread; the registration is asked of the fee system off the
GUI thread. Every refusal is said in words: an expired card, an unreadable card, no registration, an offline
reader (and which other method still works).
"""

from __future__ import annotations

from drivers.base import DeviceKind, DeviceStatus
from kiosk.feesystem.api import FeeSystemError
from kiosk.flow import LOGGED_IN, Step
from kiosk.identity import IdentityRead
from kiosk.session import Person
from screens.base import Screen, translate
from screens.widgets import busy_bar, label


class LoginScreen(Screen):
    step = Step.LOGIN

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.watcher = ctx.identity
        self.watcher.card_read.connect(self.on_card_read)
        self.watcher.failed.connect(self.on_read_failed)
        # A bound method, not a lambda: Qt drops the connection when this screen is deleted (a language switch
        # builds the window again), while a lambda would outlive the screen and touch its deleted labels.
        self.watcher.reader_status.connect(self.on_reader_status)
        self.layout_.addStretch(1)
        self.title(self.tr("Please place your ID card or insert your social security card"))
        self.instruction = label(
            self.tr(
                "Lay your resident ID card flat on the card reader below the screen,\n"
                "or insert your social security card into the card slot."
            ),
            "Subtitle",
        )
        self.layout_.addWidget(self.instruction)
        self.busy = busy_bar()
        self.busy.setVisible(False)
        self.status = label("", "Message")
        self.error = label("", "Error")
        self.error.setVisible(False)
        self.reader_note = label("", "Hint")
        for widget in (self.busy, self.status, self.error, self.reader_note):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(2)
        self._checking = False

    def voice_prompt(self) -> str:
        return self.tr("Please place your ID card on the reader, or insert your social security card.")

    def on_enter(self) -> None:
        self.error.setVisible(False)
        self.busy.setVisible(False)
        self.status.setText(self.tr("Waiting for your card..."))
        self._checking = False
        self.show_reader_statuses()
        self.watcher.start_polling()

    def on_leave(self) -> None:
        self.watcher.stop_polling()

    def _active(self) -> bool:
        return self.ctx.flow.step is self.step

    def show_error(self, text: str) -> None:
        self.busy.setVisible(False)
        self.status.setText(self.tr("Waiting for your card..."))
        self.error.setText(text)
        self.error.setVisible(True)

    def on_reader_status(self, _device: str, _status: str) -> None:
        self.show_reader_statuses()

    def show_reader_statuses(self) -> None:
        """Say which reader is out of order and which method still works."""
        online = {device: status == DeviceStatus.ONLINE for device, status in self.watcher.statuses.items()}
        if online[DeviceKind.IDCARD] and online[DeviceKind.SSCARD]:
            self.reader_note.setText("")
        elif online[DeviceKind.SSCARD]:
            self.reader_note.setText(
                self.tr("The ID card reader is not working. Please insert your social security card instead.")
            )
        elif online[DeviceKind.IDCARD]:
            self.reader_note.setText(
                self.tr("The social security card slot is not working. Please use your resident ID card instead.")
            )
        else:
            self.reader_note.setText(self.tr("The card readers are not working. Please ask at the service window."))

    def on_read_failed(self, code: str, message: str) -> None:
        if not self._active():
            return
        self.show_error(translate("DeviceMessage", message))

    def on_card_read(self, read: IdentityRead) -> None:
        if self._checking or not self._active():
            return
        if read.valid_to is not None and read.valid_to < self.ctx.today():
            self.show_error(self.tr("This card has expired. Please use a valid card or ask at the service window."))
            return
        self._checking = True
        self.error.setVisible(False)
        self.busy.setVisible(True)
        self.status.setText(self.tr("Card read. Checking your registration..."))
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.registration(read.id_number),
            on_done=lambda registration: self.logged_in(read, registration),
            on_failed=self.registration_failed,
        )

    def logged_in(self, read: IdentityRead, registration) -> None:
        self._checking = False
        self.ctx.session.login_method = read.method
        self.ctx.session.person = Person(
            registration.id_number, registration.name, registration.category, registration.items
        )
        self.fire(LOGGED_IN[self.ctx.session.module or "pay"])

    def registration_failed(self, error: Exception) -> None:
        self._checking = False
        if isinstance(error, FeeSystemError):
            self.show_error(translate("FeeSystem", error.citizen_message))
        else:
            self.show_error(self.tr("Your registration could not be checked. Please try again later."))
