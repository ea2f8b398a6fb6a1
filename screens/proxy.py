"""Paying for someone else (社保费代缴, flow 7): the payee's ID number on the keypad, their masked name to confirm.

The payer has logged in with their own card; after the confirmation the payee's pension or medical flow runs as
usual, and the receipt names both.
"""

from __future__ import annotations

from kiosk.domain.idnumber import InvalidIdNumber, is_valid_prefix, mask_id_number, parse_id_number
from kiosk.domain.names import mask_name
from kiosk.feesystem.api import NotRegistered
from kiosk.flow import FlowEvent, Step
from kiosk.session import Person
from screens.base import Screen, fee_error_text
from screens.keypad import BACKSPACE, Keypad
from screens.widgets import busy_bar, button, label

ID_LENGTH = 18


class ProxyIdScreen(Screen):
    step = Step.PROXY_ID

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.heading = label("", "Title")
        self.layout_.addWidget(self.heading)
        self.number = label("", "Amount")
        self.number.setObjectName("IdEntry")
        self.hint = label("", "Hint")
        self.problem = label("", "Error")  # a wrong number: framed and bold, not grey hint text
        self.problem.setVisible(False)
        self.keypad = Keypad(with_x=True)
        self.keypad.pressed.connect(self.key)
        self.busy = busy_bar()
        self.confirm = button(self.tr("Confirm"), "primary", "confirm_payee")
        self.confirm.clicked.connect(self.look_up)
        self.beside([self.number, self.hint, self.problem, self.busy, self.confirm], self.keypad)
        self.text = ""

    def voice_prompt(self) -> str:
        return self.tr("Please enter the ID number of the person you pay for, then press confirm.")

    def on_enter(self) -> None:
        self.heading.setText(
            self.tr("Print certificates for someone else: enter their ID number")
            if self.for_certificates()
            else self.tr("Pay for someone else: enter their ID number")
        )
        self.text = ""
        self.ctx.session.payee = None
        self.busy.setVisible(False)
        self.refresh()

    def forget(self) -> None:
        self.text = ""
        self.refresh()

    def key(self, key: str) -> None:
        if key == BACKSPACE:
            self.text = self.text[:-1]
        elif len(self.text) == ID_LENGTH - 1 or (len(self.text) < ID_LENGTH and is_valid_prefix(self.text + key)):
            self.text += key  # the last character is always taken, then checked and explained
        self.refresh()

    def refresh(self) -> None:
        shown = self.text.ljust(ID_LENGTH, "_")
        self.number.setText(" ".join([shown[:6], shown[6:14], shown[14:]]))
        complete = len(self.text) == ID_LENGTH
        valid = False
        if complete:
            try:
                parse_id_number(self.text, today=self.ctx.today())
                valid = True
            except InvalidIdNumber as error:
                self.show_hint(self.problem_text(error.reason), error=True)
        else:
            self.show_hint(
                self.tr("{left} digits to go. X can only be the last character.").format(
                    left=ID_LENGTH - len(self.text)
                )
            )
        if valid:
            self.show_hint(self.tr("The number is complete. Press confirm."))
        self.keypad.keys["X"].setEnabled(len(self.text) == ID_LENGTH - 1)
        for digit in "0123456789":
            self.keypad.keys[digit].setEnabled(not complete)
        self.confirm.setEnabled(valid)

    def show_hint(self, text: str, error: bool = False) -> None:
        """Help in plain hint text; a problem framed and bold (never colour alone)."""
        self.hint.setText("" if error else text)
        self.hint.setVisible(not error)
        self.problem.setText(text if error else "")
        self.problem.setVisible(error)

    def problem_text(self, reason: str) -> str:
        if reason == "checksum":
            return self.tr("This ID number is not right (its last character does not match). Please check it.")
        if reason == "birth_date":
            return self.tr("This ID number is not right (the birth date in it is not a date). Please check it.")
        return self.tr("This ID number is not right. Please check it.")

    def look_up(self) -> None:
        number = self.text
        if self.ctx.session.person and number == self.ctx.session.person.id_number:
            self.show_hint(
                self.tr("This is your own ID number. To pay for yourself choose Pay social insurance."), error=True
            )
            return
        self.confirm.setEnabled(False)
        self.busy.setVisible(True)
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.registration(number), on_done=self.found, on_failed=self.not_found
        )

    def found(self, registration) -> None:
        payee = Person(registration.id_number, registration.name, registration.category, registration.items)
        if self.for_certificates():
            payer = self.ctx.session.person
            self.ctx.tasks.run(
                lambda: self.ctx.fee_system.may_print_certificates_for(payer.id_number, payee.id_number),
                on_done=lambda allowed: self.certificates_answered(payee, allowed),
                on_failed=self.not_found,
            )
            return
        self.busy.setVisible(False)
        self.ctx.session.payee = payee
        self.fire(FlowEvent.PAYEE_FOUND)

    def for_certificates(self) -> bool:
        return self.ctx.session.module == "proxy_certificates"

    def certificates_answered(self, payee: Person, allowed: bool) -> None:
        """The fee system decides whether this payer may print this person's certificates."""
        self.busy.setVisible(False)
        if not allowed:
            self.confirm.setEnabled(True)
            self.show_hint(
                self.tr("The fee system does not allow you to print this person's certificates."), error=True
            )
            return
        self.ctx.session.payee = payee
        self.fire(FlowEvent.PAYEE_FOUND)

    def not_found(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.confirm.setEnabled(True)
        if isinstance(error, NotRegistered):
            self.show_hint(
                self.tr("No social insurance registration was found for this ID number. Please check it."), error=True
            )
        else:
            self.show_hint(fee_error_text(error), error=True)


class ProxyConfirmScreen(Screen):
    step = Step.PROXY_CONFIRM

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.title(self.tr("Is this the person you pay for?"))
        self.who = label("", "Amount")
        self.layout_.addWidget(self.who)
        self.hint = label("", "Hint")
        self.layout_.addWidget(self.hint)
        self.layout_.addSpacing(30)
        self.yes = button("", "primary", "payee_confirmed")
        self.yes.clicked.connect(self.confirmed)
        no = button(self.tr("No, enter again"), "choice", "payee_wrong")
        no.clicked.connect(self.ctx.flow.back)
        self.row(self.yes, no)
        self.layout_.addStretch(2)

    def voice_prompt(self) -> str:
        return self.tr("Please check the name, then confirm.")

    def on_enter(self) -> None:
        payee = self.ctx.session.payee
        self.who.setText(f"{mask_name(payee.name)}\n{mask_id_number(payee.id_number)}" if payee else "")
        if self.for_certificates():
            self.hint.setText(self.tr("The certificates printed will be this person's."))
            self.yes.setText(self.tr("Yes, print for this person"))
        else:
            self.hint.setText(self.tr("The receipt will name you as the payer and this person."))
            self.yes.setText(self.tr("Yes, pay for this person"))

    def for_certificates(self) -> bool:
        return self.ctx.session.module == "proxy_certificates"

    def confirmed(self) -> None:
        self.fire(FlowEvent.PAYEE_CONFIRMED_FOR_CERTIFICATES if self.for_certificates() else FlowEvent.PAYEE_CONFIRMED)
