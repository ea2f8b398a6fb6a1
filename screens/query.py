"""Payment records (社保缴费信息查询): choose a year, see what was paid, reprint a receipt (补打缴费小票)."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QVBoxLayout

from drivers.base import DeviceError
from kiosk.domain.money import format_fen
from kiosk.domain.periods import Period
from kiosk.feesystem.api import FeeSystemError, PaymentRecord
from kiosk.flow import Step
from kiosk.receipts import ReceiptParties
from screens.base import ButtonRow, Screen, clear_layout, fee_error_text, translate
from screens.style import px
from screens.widgets import busy_bar, button, label

PAGE_SIZE = 3


class QueryScreen(Screen):
    step = Step.QUERY

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # No title line: the header names the step, and the rows need the height.
        self.years = ButtonRow(self, spacing=30)
        self.year_group = QButtonGroup(self)
        self.busy = busy_bar()
        self.layout_.addWidget(self.busy)
        self.message = label("", "Message")
        self.layout_.addWidget(self.message)
        self.list_layout = QVBoxLayout()
        self.list_layout.setSpacing(px(14, ctx.scale))
        self.layout_.addLayout(self.list_layout, 1)
        self.previous_button = button(self.tr("Previous page"), "nav", "previous_page")
        self.previous_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.page_label = label("", "Hint", wrap=False)
        self.next_button = button(self.tr("Next page"), "nav", "next_page")
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        self.row(self.previous_button, self.page_label, self.next_button)
        self.records: list[PaymentRecord] = []
        self.page = 0

    def voice_prompt(self) -> str:
        return self.tr("Please choose a year to see your payments.")

    def on_enter(self) -> None:
        self.years.clear()
        for old in self.year_group.buttons():
            self.year_group.removeButton(old)
        this_year = self.ctx.today().year
        for year in range(this_year - 2, this_year + 2):
            year_button = button(self.tr("Year {year}").format(year=year), "month", f"query_year_{year}")
            year_button.setCheckable(True)
            year_button.clicked.connect(lambda _=False, y=year: self.load(y))
            self.year_group.addButton(year_button)
            self.years.add(year_button)
        self.records = []
        self.busy.setVisible(False)
        self.message.setText(self.tr("Please choose a year."))
        self.show_page(0)

    def forget(self) -> None:
        self.records = []
        self.show_page(0)
        self.message.setText("")

    def load(self, year: int) -> None:
        person = self.ctx.session.person
        self.busy.setVisible(True)
        self.message.setText(self.tr("Looking up your payments..."))
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.payment_records(person.id_number, Period.year(year)),
            on_done=lambda records: self.loaded(year, records),
            on_failed=self.failed,
        )

    def loaded(self, year: int, records: list[PaymentRecord]) -> None:
        self.busy.setVisible(False)
        self.records = sorted(records, key=lambda r: (r.period.start, r.item.value), reverse=True)
        if records:
            total = format_fen(sum(r.amount_fen for r in records))
            self.message.setText(
                self.tr("{year}: {count} payments, {total} in all.").format(year=year, count=len(records), total=total)
            )
        else:
            self.message.setText(self.tr("No payments were found for {year}.").format(year=year))
        self.show_page(0)

    def failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.message.setText(fee_error_text(error))

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.records) // PAGE_SIZE))

    def show_page(self, page: int) -> None:
        self.page = max(0, min(page, self.pages - 1))
        clear_layout(self.list_layout)
        for record in self.records[self.page * PAGE_SIZE : (self.page + 1) * PAGE_SIZE]:
            self.list_layout.addWidget(self.record_row(record))
        self.list_layout.addStretch(1)
        several = len(self.records) > PAGE_SIZE
        self.previous_button.setVisible(several)
        self.next_button.setVisible(several)
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < self.pages - 1)
        self.page_label.setText(
            self.tr("Page {page} of {pages}").format(page=self.page + 1, pages=self.pages) if several else ""
        )

    def record_row(self, record: PaymentRecord) -> QFrame:
        frame = QFrame()
        frame.setObjectName("RecordRow")
        row = QHBoxLayout(frame)
        text = QLabel(
            self.tr("{period}  {item}\n{amount}   paid {date}   tax voucher {number}").format(
                period=str(record.period),
                item=translate("Domain", record.item.label),
                amount=format_fen(record.amount_fen),
                date=record.paid_at.strftime("%Y-%m-%d"),
                number=record.payment_no,
            )
        )
        text.setObjectName("RecordText")
        row.addWidget(text, 1)
        reprint = button(self.tr("Reprint receipt"), "nav", f"reprint_{record.payment_no}")
        reprint.clicked.connect(lambda _=False, r=record: self.reprint(r))
        row.addWidget(reprint)
        return frame

    def reprint(self, record: PaymentRecord) -> None:
        person = self.ctx.session.person
        self.busy.setVisible(True)
        self.message.setText(self.tr("Printing your receipt..."))

        def work() -> str | None:
            readiness = self.ctx.receipts.readiness()
            if not readiness.can_print:
                return readiness.reason or "offline"
            names = {person.id_number: person.name}
            for id_number in {record.id_number, record.payer_id_number} - set(names):
                try:
                    names[id_number] = self.ctx.fee_system.registration(id_number).name
                except FeeSystemError:
                    names[id_number] = ""
            proxy = record.payer_id_number != record.id_number
            parties = ReceiptParties(
                payer_name=names[record.payer_id_number],
                payer_id=record.payer_id_number,
                payee_name=names[record.id_number] if proxy else None,
                payee_id=record.id_number if proxy else None,
            )
            entry = self.ctx.journal.find_by_payment_no(record.payment_no)
            try:
                self.ctx.receipts.reprint(record, parties, entry.journal_no if entry else None, self.ctx.clock())
            except DeviceError as error:
                return error.code
            return None

        self.ctx.tasks.run(work, on_done=self.reprinted, on_failed=lambda error: self.reprinted("error"))

    def reprinted(self, problem: str | None) -> None:
        self.busy.setVisible(False)
        if problem is None:
            self.message.setText(self.tr("Please take your receipt (reprint)."))
        else:
            self.message.setText(self.tr("The receipt printer is not working. Please try again later."))
