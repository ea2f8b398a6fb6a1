"""Payment records (社保缴费信息查询, 查询导出): a period, a 险种 and a status; what was paid (base or grade, pay
method, who paid: 代缴 shown), what the person paid here for others, and what is still due; reprint a receipt
(补打缴费小票: a household basket's line brings back the basket's one receipt); print the list on A4."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from drivers.base import DeviceError
from kiosk.basket_reprint import basket_to_reprint, reprint_basket
from kiosk.domain.items import Category, InsuredItem
from kiosk.domain.money import format_fen
from kiosk.domain.periods import Period
from kiosk.feesystem.api import FeeSystemError, PaymentRecord
from kiosk.flow import Step
from kiosk.query import PayStatus, QueryFilter, QueryRow, find, own_rows
from kiosk.receipts import ReceiptParties
from screens.base import clear_layout, fee_error_text, translate
from screens.cert_period import ROWS_PER_PAGE, Pager, PeriodScreen, day_label, period_label, tick_text, year_label
from screens.style import px
from screens.widgets import button, label

PRINT_TIMEOUT_SECONDS = 90
BODY_TEXT_PX = 28  # kiosk.qss: the text size every widget starts from (larger when large text is on)
ITEMS_OF = {
    Category.FLEXIBLE: (InsuredItem.FLEXIBLE_PENSION, InsuredItem.FLEXIBLE_MEDICAL, InsuredItem.SPECIAL),
    Category.RESIDENT: (InsuredItem.RESIDENT_PENSION, InsuredItem.RESIDENT_MEDICAL, InsuredItem.SPECIAL),
}


class QueryScreen(PeriodScreen):
    step = Step.QUERY
    year_prefix = "query_year_"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.heading.setText(self.tr("Payment records: choose the period"))
        self.period_choice.caption.setText(self.tr("Or by month, payment period:"))
        self.item_row = self.filter_row(self.tr("Insurance:"))
        self.status_row = self.filter_row(self.tr("Status:"))
        self.item: InsuredItem | None = None
        self.status: PayStatus | None = None
        self.list_layout = QVBoxLayout()
        self.list_layout.setSpacing(px(8, ctx.scale))
        self.results.addLayout(self.list_layout, 1)
        self.pager = Pager(self.show_page)
        self.print_button = button(self.tr("Print the list"), "primary", "print_query")
        self.print_button.clicked.connect(self.print_list)
        bottom = QHBoxLayout()
        bottom.setSpacing(px(16, ctx.scale))
        bottom.addWidget(self.change_button)  # the conditions are said in the message line: the rows need the height
        bottom.addStretch(1)
        for widget in self.pager.widgets():
            bottom.addWidget(widget)
        bottom.addStretch(1)
        bottom.addWidget(self.print_button)
        self.results.addLayout(bottom)
        self.rows: list[QueryRow] = []
        self.wanted: QueryFilter | None = None
        self.page = 0

    def filter_row(self, caption: str) -> QHBoxLayout:
        """A caption and its choices (refilled when one is tapped), centred."""
        row = QHBoxLayout()
        row.setSpacing(px(20, self.ctx.scale))
        row.addStretch(1)
        row.addWidget(label(caption, "Message", wrap=False))
        choices = QHBoxLayout()
        choices.setSpacing(px(20, self.ctx.scale))
        row.addLayout(choices)
        row.addStretch(1)
        self.filters.addLayout(row)
        return choices

    def voice_prompt(self) -> str:
        return self.tr("Please choose a year to see your payments.")

    # --- the filters --------------------------------------------------------------------------------------

    def on_enter(self) -> None:
        self.item, self.status = None, None
        super().on_enter()
        self.show_filters()

    def show_filters(self) -> None:
        category = self.ctx.session.category
        items = ITEMS_OF.get(category, tuple(InsuredItem)) if category else tuple(InsuredItem)
        self.fill(
            self.item_row,
            [(None, self.tr("All insurances"), "filter_item_all")]
            + [(item, self.short_name(item), f"filter_item_{item.value}") for item in items],
            self.item,
            self.choose_item,
        )
        self.fill(
            self.status_row,
            [(None, self.tr("Paid and not paid"), "filter_status_all")]
            + [(status, translate("Domain", status.label), f"filter_status_{status.value}") for status in PayStatus],
            self.status,
            self.choose_status,
        )

    def short_name(self, item: InsuredItem) -> str:
        """The 险种 without the category (the category decides which are offered): the choices fit one row."""
        if item in (InsuredItem.FLEXIBLE_PENSION, InsuredItem.RESIDENT_PENSION):
            return self.tr("Pension")
        if item in (InsuredItem.FLEXIBLE_MEDICAL, InsuredItem.RESIDENT_MEDICAL):
            return self.tr("Medical")
        return translate("Domain", item.label)

    def fill(self, row: QHBoxLayout, choices, current, choose) -> None:
        clear_layout(row)
        for value, text, name in choices:
            choice = button(tick_text(value == current, text), "pager", name)
            choice.setProperty("ticked", value == current)
            choice.clicked.connect(lambda _=False, v=value: choose(v))
            row.addWidget(choice)

    def choose_item(self, item: InsuredItem | None) -> None:
        self.item = item
        self.show_filters()

    def choose_status(self, status: PayStatus | None) -> None:
        self.status = status
        self.show_filters()

    # --- the answer ---------------------------------------------------------------------------------------

    def forget(self) -> None:
        self.rows, self.wanted = [], None
        self.show_page(0)

    def fetch(self, id_number: str, period: Period) -> tuple[QueryFilter, list[QueryRow]]:
        wanted = QueryFilter(period, self.item, self.status)
        return wanted, find(self.ctx.fee_system, id_number, wanted, self.ctx.journal.terminal_id)

    def period_name(self, period: Period) -> str:
        whole_year = period == Period.year(period.start.year)
        return year_label(period.start.year) if whole_year else period_label(period)

    def show_found(self, period: Period, found: tuple[QueryFilter, list[QueryRow]]) -> None:
        self.wanted, self.rows = found
        own = own_rows(self.rows)
        paid = [row for row in own if row.status is PayStatus.PAID]
        unpaid = len(own) - len(paid)
        for_others = len(self.rows) - len(own)
        name = self.period_name(period)
        if self.item or self.status:
            name = self.tr("{period} ({filters})").format(
                period=name,
                filters=self.tr(", ").join(
                    translate("Domain", choice.label) for choice in (self.item, self.status) if choice
                ),
            )
        if not self.rows:
            self.message.setText(self.tr("No payments were found for {period}.").format(period=name))
        elif not own:
            self.message.setText(self.tr("{period}: none of your own.").format(period=name))
        elif not paid:
            self.message.setText(self.tr("{period}: {count} not paid.").format(period=name, count=unpaid))
        else:
            text = self.tr("{period}: {count} payments, {total} in all.").format(
                period=name, count=len(paid), total=format_fen(sum(row.amount_fen for row in paid))
            )
            if unpaid:
                text += " " + self.tr("{count} not paid yet.").format(count=unpaid)
            self.message.setText(text)
        if for_others:
            self.message.setText(
                self.message.text() + " " + self.tr("{count} paid by you for others.").format(count=for_others)
            )
        self.print_button.setEnabled(bool(paid))
        self.show_page(0)

    @property
    def rows_per_page(self) -> int:
        """Six two-line rows; in large text (the citizen's choice on Home) the taller rows leave room for five."""
        self.ensurePolished()
        return ROWS_PER_PAGE - 1 if self.font().pixelSize() > px(BODY_TEXT_PX, self.ctx.scale) else ROWS_PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.rows) // self.rows_per_page))

    def show_page(self, page: int) -> None:
        self.page = max(0, min(page, self.pages - 1))
        clear_layout(self.list_layout)
        size = self.rows_per_page
        for row in self.rows[self.page * size : (self.page + 1) * size]:
            self.list_layout.addWidget(self.record_row(row))
        self.list_layout.addStretch(1)
        self.pager.show(self.page, self.pages)

    def details(self, row: QueryRow) -> str:
        record = row.record
        if record is None:
            bill = row.bill
            return self.tr("bill {number}   {agency}   can be paid under Pay").format(
                number=bill.bill_no if bill else "", agency=bill.agency if bill else ""
            )
        grade = row.grade_number
        if record.base_fen is not None:
            base = self.tr("base {amount}").format(amount=format_fen(record.base_fen))
        elif grade is not None:
            base = self.tr("grade {grade}").format(grade=grade)
        else:
            base = ""
        if row.for_other:
            payer = self.tr("paid by you for {name}").format(name=row.payee_masked or self.tr("another person"))
        elif row.proxy:
            payer = self.tr("paid for you by {name}").format(name=row.payer_masked or self.tr("another person"))
        else:
            payer = self.tr("paid by yourself")
        return self.tr("{base}   {method}   {payer}   paid {date}").format(
            base=base,
            method=translate("Domain", record.pay_method.label),
            payer=payer,
            date=day_label(record.paid_at.date()),
        )

    def record_row(self, row: QueryRow) -> QFrame:
        frame = QFrame()
        frame.setObjectName("RecordRow")
        layout = QHBoxLayout(frame)
        layout.setContentsMargins(
            px(16, self.ctx.scale), px(4, self.ctx.scale), px(8, self.ctx.scale), px(4, self.ctx.scale)
        )
        text = QLabel(
            self.tr("{period}   {item}   {amount}   {status}\n{details}").format(
                period=period_label(row.period),
                item=translate("Domain", row.item.label),
                amount=format_fen(row.amount_fen),
                status=translate("Domain", row.status.label),
                details=self.details(row),
            )
        )
        text.setObjectName("RecordText")
        layout.addWidget(text, 1)
        if row.record is not None:
            reprint = button(self.tr("Reprint receipt"), "rowbutton", f"reprint_{row.record.payment_no}")
            reprint.clicked.connect(lambda _=False, r=row.record: self.reprint(r))
            layout.addWidget(reprint)
        return frame

    # --- printing -----------------------------------------------------------------------------------------

    def print_list(self) -> None:
        printer = self.ctx.devices.a4_printer
        if printer is None or self.wanted is None:
            self.message.setText(self.tr("The certificate printer is not available. Please ask staff for help."))
            return
        person, wanted, rows = self.ctx.session.person, self.wanted, own_rows(self.rows)  # the list's are the person's
        spool = self.ctx.config.state_path("spool")
        self.print_button.setEnabled(False)
        self.busy.setVisible(True)
        self.message.setText(self.tr("Printing the list on A4... please wait."))

        def work() -> None:
            prepared = self.ctx.certificates.prepare_query_list(person.name, person.id_number, wanted, rows)
            self.ctx.certificates.print_on(prepared, printer, spool, PRINT_TIMEOUT_SECONDS)

        self.ctx.tasks.run(work, on_done=lambda _: self.list_printed(None), on_failed=self.list_printed)

    def list_printed(self, error: Exception | None) -> None:
        self.busy.setVisible(False)
        self.print_button.setEnabled(True)
        if error is None:
            self.message.setText(self.tr("Please take the printed list from the tray below the screen."))
        elif isinstance(error, DeviceError):
            self.message.setText(translate("DeviceMessage", error.citizen_message))
        else:
            self.message.setText(fee_error_text(error))

    def reprint(self, record: PaymentRecord) -> None:
        person = self.ctx.session.person
        known = {row.record.payment_no: row.record for row in self.rows if row.record is not None}
        self.busy.setVisible(True)
        self.message.setText(self.tr("Printing your receipt..."))

        def work() -> str | FeeSystemError | None:
            readiness = self.ctx.receipts.readiness()
            if not readiness.can_print:
                return readiness.reason or "offline"
            basket = basket_to_reprint(self.ctx.journal, record, person.id_number)
            if basket is not None:  # a household basket's line: its one receipt, every line on it
                try:
                    reprint_basket(
                        self.ctx.receipts,
                        self.ctx.journal,
                        self.ctx.fee_system,
                        basket,
                        person.name,
                        self.ctx.clock(),
                        known,
                    )
                except DeviceError as error:
                    return error.code
                except FeeSystemError as error:
                    return error
                return None
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

    def reprinted(self, problem: str | FeeSystemError | None) -> None:
        self.busy.setVisible(False)
        if problem is None:
            self.message.setText(self.tr("Please take your receipt (reprint)."))
        elif isinstance(problem, FeeSystemError):
            self.message.setText(fee_error_text(problem))
        else:
            self.message.setText(self.tr("The receipt printer is not working. Please try again later."))
