"""Journal: browse payments by day and state (masked), see the steps recovery took, resolve with a note."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QCheckBox, QComboBox, QListWidget

from kiosk.maintenance.journalview import JournalRow, ResolutionError, resolution_targets
from kiosk.payments.journal import JournalError, PaymentState
from screens.maintenance.common import Keyboard, Page, field_label, fill
from screens.widgets import button


class JournalPage(Page):
    def __init__(self, service) -> None:
        super().__init__(service, self.tr("Payment journal"))
        self.day = self.line_edit("journal_date")
        self.state = QComboBox()
        self.state.setObjectName("journal_state")
        self.state.addItem(self.tr("All states"), None)
        for state in PaymentState:
            self.state.addItem(state.value, state.value)
        self.unresolved = QCheckBox(self.tr("Unresolved only"))
        self.unresolved.setObjectName("journal_unresolved")
        search = button(self.tr("Show"), "nav", "journal_search")
        search.clicked.connect(self.search)
        self.row(field_label(self.tr("Day (YYYY-MM-DD, empty: all)")), self.day, self.state, self.unresolved, search)
        self.list = QListWidget()
        self.list.setObjectName("journal_list")
        self.list.currentRowChanged.connect(self.select)
        self.layout_.addWidget(self.list, 2)
        self.details = self.text_box("journal_details")
        self.layout_.addWidget(self.details, 2)
        self.target = QComboBox()
        self.target.setObjectName("resolve_target")
        self.note = self.line_edit("resolve_note")
        self.note.setPlaceholderText(self.tr("Note: what you checked and what you did"))
        self.resolve_button = button(self.tr("Resolve"), "primary", "resolve")
        self.resolve_button.clicked.connect(self.resolve)
        self.row(self.target, self.note, self.resolve_button)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(Keyboard(self.ctx.scale))
        self.rows: list[JournalRow] = []

    def on_enter(self) -> None:
        if not self.day.text():
            self.day.setText(self.ctx.today().isoformat())
        self.search()

    def search(self) -> None:
        text = self.day.text().strip()
        try:
            day = dt.date.fromisoformat(text) if text else None
        except ValueError:
            self.say(self.tr("Write the day as YYYY-MM-DD."), error=True)
            return
        self.rows = self.service.journal_rows(day, self.state.currentData(), self.unresolved.isChecked())
        self.list.clear()
        for row in self.rows:
            mark = "  ⚠" if row.unresolved else ""
            self.list.addItem(f"{row.created_at}  {row.journal_no}  {row.state}  {row.pay_method}  {row.amount}{mark}")
        self.details.clear()
        self.target.clear()
        self.say(self.tr("{n} records").format(n=len(self.rows)))

    def select(self, index: int) -> None:
        self.target.clear()
        if not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        names = (
            self.tr("Journal number"),
            self.tr("State"),
            self.tr("Insured item"),
            self.tr("Amount"),
            self.tr("ID number"),
            self.tr("Payer"),
            self.tr("Payment number"),
            self.tr("Note"),
        )
        values = (
            row.journal_no,
            row.state,
            row.item,
            f"{row.amount} ({row.pay_method})",
            row.id_number,
            row.payer_id_number,
            row.payment_no,
            row.note,
        )
        lines = [f"{name}: {value}" for name, value in zip(names, values, strict=True)]
        lines += ["", self.tr("Steps:"), *self.service.journal_steps(row.journal_no)]
        fill(self.details, lines)
        if row.unresolved:
            for state in resolution_targets(self.ctx.journal.get(row.journal_no)):
                # A flagged record settled outside the kiosk becomes "resolved", the state the list then shows.
                text = (
                    self.tr("Mark resolved (settled outside the kiosk)")
                    if state is PaymentState.RESOLVED
                    else state.value
                )
                self.target.addItem(text, state)

    def resolve(self) -> None:
        index = self.list.currentRow()
        if not 0 <= index < len(self.rows) or self.target.currentData() is None:
            self.say(self.tr("Choose an unresolved payment first."), error=True)
            return
        journal_no = self.rows[index].journal_no
        try:
            self.service.resolve(journal_no, PaymentState(self.target.currentData()), self.note.text())
        except ResolutionError:
            self.say(self.tr("A resolution needs a written note (at least 10 characters)."), error=True)
            return
        except (JournalError, OSError) as error:
            self.say_failure(error, self.tr("The journal refused: {error}").format(error=error))
            return
        self.note.clear()
        self.search()
        self.say(self.tr("Payment {no} resolved.").format(no=journal_no))
