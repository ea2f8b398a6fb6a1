"""Resident pension and medical: choose the year, then (after the pay method) the grade (档次)."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup

from kiosk.checkout_gate import pay_event
from kiosk.domain.money import format_fen
from kiosk.feesystem.api import ResidentOffer
from kiosk.flow import FlowEvent, Step
from screens.base import ButtonRow, Screen, chosen_text, day_text, fee_error_text, translate
from screens.basket_add import add_to_basket_button, basket_refusal
from screens.widgets import busy_bar, button, label


class ResidentYearScreen(Screen):
    step = Step.RESIDENT_YEAR

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.item_label = label("", "Subtitle")
        self.layout_.addWidget(self.item_label)
        self.title(self.tr("Please choose the year to pay for"))
        self.busy = busy_bar()
        self.layout_.addWidget(self.busy)
        self.message = label("", "Message")
        self.layout_.addWidget(self.message)
        self.years = ButtonRow(self)
        self.layout_.addStretch(2)

    def voice_prompt(self) -> str:
        return self.tr("Please choose the year you want to pay for.")

    def on_enter(self) -> None:
        session = self.ctx.session
        self.item_label.setText(translate("Domain", session.item.label) if session.item else "")
        self.years.clear()
        self.message.setText(self.tr("Looking up what you can pay..."))
        self.busy.setVisible(True)
        subject, item, today = session.subject, session.item, self.ctx.today()
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.resident_offers(subject.id_number, item, today),
            on_done=self.show_offers,
            on_failed=self.show_failure,
        )

    def show_offers(self, offers: list[ResidentOffer]) -> None:
        self.busy.setVisible(False)
        self.ctx.session.offers = offers
        open_offers = [offer for offer in offers if offer.open_now]
        if not open_offers:
            if offers:
                upcoming = offers[0]
                text = self.tr("Payments for {year} can be made from {opens} to {closes}.")
                self.message.setText(
                    text.format(
                        year=upcoming.year,
                        opens=day_text(upcoming.window_opens),
                        closes=day_text(upcoming.window_closes),
                    )
                )
            else:
                self.message.setText(self.tr("There is nothing to pay at present."))
            return
        self.message.setText("")
        for offer in open_offers:
            text = self.tr("Year {year}").format(year=offer.year)
            if offer.already_paid:
                text += "\n" + self.tr("(already paid)")
            else:  # coming back from the next step: the year chosen shows a tick and 已选
                text = chosen_text(text, offer.year == self.ctx.session.year)
            year_button = button(text, "choice", f"year_{offer.year}")
            year_button.setEnabled(not offer.already_paid)
            year_button.clicked.connect(lambda _=False, year=offer.year: self.choose(year))
            self.years.add(year_button)

    def show_failure(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.message.setText(fee_error_text(error))

    def choose(self, year: int) -> None:
        self.ctx.session.year = year
        self.fire(FlowEvent.YEAR_CHOSEN)


class GradeScreen(Screen):
    step = Step.GRADE

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.heading = label("", "Title")
        self.layout_.addWidget(self.heading)
        self.rows = [ButtonRow(self, spacing=30) for _ in range(2)]  # up to 12 grades in two rows of six
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.amount = label("", "Amount")
        self.layout_.addWidget(self.amount)
        self.busy = busy_bar()
        self.busy.setVisible(False)
        self.layout_.addWidget(self.busy)
        self.message = label("", "Error")
        self.message.setVisible(False)
        self.layout_.addWidget(self.message)
        self.confirm = button(self.tr("Confirm and pay"), "primary", "confirm_grade")
        self.confirm.clicked.connect(self.confirm_grade)
        self.add_to_basket = add_to_basket_button(self)  # or pay later, with other items (issue 22)
        self.add_to_basket.clicked.connect(self.add_grade_to_basket)
        self.row(self.confirm, self.add_to_basket)
        self.layout_.addStretch(1)
        self.chosen: str | None = None

    def voice_prompt(self) -> str:
        return self.tr("Please choose a grade, then press confirm.")

    def on_enter(self) -> None:
        session = self.ctx.session
        offer = next((o for o in session.offers if o.year == session.year), None)
        item_text = translate("Domain", session.item.label) if session.item else ""
        self.heading.setText(
            self.tr("{item}, year {year}: please choose your grade").format(item=item_text, year=session.year)
        )
        for row in self.rows:
            row.clear()
        for old in self.group.buttons():
            self.group.removeButton(old)
        self.chosen = None
        self.amount.setText("")
        self.message.setVisible(False)
        self.confirm.setEnabled(False)
        self.add_to_basket.setEnabled(False)
        grades = offer.grades if offer else ()
        per_row = max(1, -(-len(grades) // len(self.rows)))
        for index, grade in enumerate(grades):
            grade_button = button(chosen_text(format_fen(grade.amount_fen), False), "grade", f"grade_{grade.code}")
            grade_button.setProperty("amount", format_fen(grade.amount_fen))
            grade_button.setCheckable(True)
            grade_button.toggled.connect(lambda on, b=grade_button: b.setText(chosen_text(b.property("amount"), on)))
            grade_button.clicked.connect(lambda _=False, g=grade: self.pick(g.code, g.amount_fen))
            self.group.addButton(grade_button)
            self.rows[index // per_row].add(grade_button)

    def pick(self, code: str, amount_fen: int) -> None:
        self.chosen = code
        self.amount.setText(self.tr("Amount to pay: {amount}").format(amount=format_fen(amount_fen)))
        self.confirm.setEnabled(True)
        self.add_to_basket.setEnabled(True)

    def confirm_grade(self) -> None:
        if not self.chosen:
            return
        session = self.ctx.session
        subject, item, year, code = session.subject, session.item, session.year, self.chosen
        self.confirm.setEnabled(False)
        self.busy.setVisible(True)

        def quote_and_check_printer():
            quote = self.ctx.fee_system.quote_resident(subject.id_number, item, year, code)
            return quote, self.ctx.receipts.readiness()

        self.ctx.tasks.run(quote_and_check_printer, on_done=self.quoted, on_failed=self.quote_failed)

    def quoted(self, result) -> None:
        quote, readiness = result
        self.busy.setVisible(False)
        self.ctx.session.quote = quote
        self.fire(pay_event(self.ctx.session, readiness))

    def add_grade_to_basket(self) -> None:
        session = self.ctx.session
        if not self.chosen or session.subject is None or session.item is None or session.year is None:
            return
        subject, item, year, code = session.subject, session.item, session.year, self.chosen
        self.add_to_basket.setEnabled(False)
        self.busy.setVisible(True)
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.quote_resident(subject.id_number, item, year, code),
            on_done=lambda quote: self.into_basket(quote, subject.name),
            on_failed=self.quote_failed,
        )

    def into_basket(self, quote, name: str) -> None:
        self.busy.setVisible(False)
        problem = basket_refusal(self.ctx.session, quote, name)
        if problem:
            self.message.setText(problem)
            self.message.setVisible(True)
            return
        self.fire(FlowEvent.ADD_TO_BASKET)

    def quote_failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.confirm.setEnabled(True)
        self.message.setText(fee_error_text(error))
        self.message.setVisible(True)
