"""Flexible-employment medical insurance (flow 5), in the guide's order: confirm the insurance binding (险种绑定),
the months, the pay method, the base, the items to pay (险种), then pay.

The months and base screens are the pension's, on their own steps of the flow table.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from kiosk.checkout_gate import pay_event
from kiosk.domain.money import format_fen
from kiosk.feesystem.api import MedicalItem, Quote
from kiosk.flow import FlowEvent, Step
from screens.base import CHOSEN_WORD, ButtonRow, Screen, fee_error_text, translate
from screens.basket_add import add_to_basket_button, basket_refusal
from screens.flexible import FlexibleBaseScreen, FlexiblePeriodScreen
from screens.pay_method import PayMethodScreen
from screens.widgets import busy_bar, button, label


class MedicalBindingScreen(Screen):
    step = Step.MED_BINDING

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.title(self.tr("Please confirm your medical insurance"))
        self.busy = busy_bar()
        self.layout_.addWidget(self.busy)
        self.binding = label("", "Subtitle")
        self.layout_.addWidget(self.binding)
        self.confirm = button(self.tr("Confirm"), "primary", "confirm_binding")
        self.confirm.clicked.connect(lambda: self.fire(FlowEvent.BINDING_CONFIRMED))
        self.row(self.confirm)
        self.layout_.addStretch(2)

    def voice_prompt(self) -> str:
        return self.tr("Please check the insurance you are registered for, then confirm.")

    def on_enter(self) -> None:
        self.confirm.setEnabled(False)
        self.busy.setVisible(True)
        self.binding.setText(self.tr("Looking up your insurance..."))
        subject, today = self.ctx.session.subject, self.ctx.today()
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.medical_items(subject.id_number, today),
            on_done=self.show_items,
            on_failed=self.failed,
        )

    def show_items(self, items: list[MedicalItem]) -> None:
        self.busy.setVisible(False)
        self.ctx.session.medical_items = items
        lines = [self.tr("You are registered for:")] + [f"· {item.name}" for item in items]
        self.binding.setText("\n".join(lines))
        self.confirm.setEnabled(True)

    def failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.binding.setText(fee_error_text(error))


class MedicalPeriodScreen(FlexiblePeriodScreen):
    step = Step.MED_PERIOD


class MedicalMethodScreen(PayMethodScreen):
    """The guide asks the pay method before the base for medical insurance."""

    step = Step.MED_METHOD


class MedicalBaseScreen(FlexibleBaseScreen):
    step = Step.MED_BASE


class MedicalItemsScreen(Screen):
    """Tick what to pay (basic medical is required), see the fee system's amount, confirm; or add the priced
    months to the household basket and pay them later with other items (issue 22)."""

    step = Step.MED_ITEMS

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.title(self.tr("Please choose the insurance items to pay"))
        self.items = ButtonRow(self, spacing=40)
        self.amount = label("", "Amount")
        self.layout_.addWidget(self.amount)
        self.busy = busy_bar()
        self.layout_.addWidget(self.busy)
        self.error = label("", "Error")
        self.layout_.addWidget(self.error)
        self.confirm = button(self.tr("Confirm and pay"), "primary", "confirm_items")
        self.confirm.clicked.connect(self.confirmed)
        self.add_to_basket = add_to_basket_button(self)
        self.add_to_basket.clicked.connect(self.into_basket)
        self.row(self.confirm, self.add_to_basket)
        self.layout_.addStretch(2)
        self.buttons: dict[str, QPushButton] = {}
        self.quote: Quote | None = None

    def voice_prompt(self) -> str:
        return self.tr("Please choose the insurance items, check the amount, then confirm.")

    def on_enter(self) -> None:
        self.items.clear()
        self.buttons = {}
        for item in self.ctx.session.medical_items:
            item_button = button("", "bill", f"med_item_{item.code}")
            item_button.setCheckable(True)
            item_button.setChecked(True)
            item_button.setEnabled(not item.required)  # the basic insurance cannot be left out
            item_button.toggled.connect(self.requote)
            item_button.toggled.connect(lambda _=False, b=item_button, i=item: self.label_item(b, i))
            self.label_item(item_button, item)
            self.buttons[item.code] = item_button
            self.items.add(item_button)
        self.error.setVisible(False)
        self.requote()

    def label_item(self, item_button: QPushButton, item: MedicalItem) -> None:
        """A tick or an empty box in the text: a choice is never shown by colour alone."""
        if item.rate_percent is not None:
            text = self.tr("{name}\n{rate}% of the base").format(name=item.name, rate=item.rate_percent)
        else:
            text = self.tr("{name}\n{amount} a month").format(name=item.name, amount=format_fen(item.monthly_fen or 0))
        mark = f"☑ {translate('Choice', CHOSEN_WORD)}" if item_button.isChecked() else "☐"
        required = self.tr(" (required)") if item.required else ""
        item_button.setText(f"{mark} {text}{required}")

    def requote(self) -> None:
        session = self.ctx.session
        serious = self.buttons["serious_illness"].isChecked() if "serious_illness" in self.buttons else True
        subject, item, period, base = session.subject, session.item, session.period, session.base_fen
        self.quote = None
        self.enable_choices(False)
        self.error.setVisible(False)
        self.busy.setVisible(True)
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.quote_flexible(subject.id_number, item, period, base, serious),
            on_done=self.quoted,
            on_failed=self.failed,
        )

    def quoted(self, quote: Quote) -> None:
        self.busy.setVisible(False)
        self.quote = quote
        self.amount.setText(
            self.tr("{months} months: {amount}").format(months=quote.months, amount=format_fen(quote.amount_fen))
        )
        self.enable_choices(True)

    def enable_choices(self, on: bool) -> None:
        """Pay now or into the basket: both only on the fee system's amount for the ticks shown."""
        self.confirm.setEnabled(on)
        self.add_to_basket.setEnabled(on)

    def failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.error.setText(fee_error_text(error))
        self.error.setVisible(True)

    def confirmed(self) -> None:
        self.ctx.session.quote = self.quote
        self.enable_choices(False)
        self.busy.setVisible(True)
        self.ctx.tasks.run(self.ctx.receipts.readiness, on_done=self.printer_checked, on_failed=self.printer_checked)

    def printer_checked(self, readiness) -> None:
        self.busy.setVisible(False)
        self.fire(pay_event(self.ctx.session, readiness))

    def into_basket(self) -> None:
        subject = self.ctx.session.subject
        if self.quote is None or subject is None:
            return
        problem = basket_refusal(self.ctx.session, self.quote, subject.name)
        if problem:
            self.error.setText(problem)
            self.error.setVisible(True)
            return
        self.fire(FlowEvent.ADD_TO_BASKET)
