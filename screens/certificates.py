"""Certificates (flows 10 and 11): 税收完税证明 and 社会保险费缴费证明 — choose, issue, preview, print A4, take it.

The fee system numbers each certificate; printing the same records again is a reprint (补打). The preview shows
the first page as it will come out of the printer.
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from drivers.base import DeviceError
from kiosk.certificates import CATEGORY_NAMES, CertificateService
from kiosk.domain.items import InsuredItem
from kiosk.domain.money import format_fen
from kiosk.domain.periods import Period
from kiosk.feesystem.api import CertificateKind, PaymentRecord
from kiosk.flow import FlowEvent, Step
from screens.base import ButtonRow, Screen, fee_error_text, translate
from screens.style import px
from screens.widgets import busy_bar, button, label

PRINT_TIMEOUT_SECONDS = 90



class CertificateMenuScreen(Screen):
    step = Step.CERT_MENU

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.title(self.tr("Which certificate do you need?"))
        self.layout_.addSpacing(30)
        tax = button(self.tr("Tax payment certificate\n(税收完税证明)"), "tile", "tax_certificate")
        tax.clicked.connect(lambda: self.fire(FlowEvent.TAX))
        payment = button(self.tr("Social insurance payment certificate\n(缴费证明)"), "tile", "payment_certificate")
        payment.clicked.connect(lambda: self.fire(FlowEvent.PAYMENT))
        self.row(tax, payment, spacing=80)
        self.layout_.addStretch(2)

    def voice_prompt(self) -> str:
        return self.tr("Please choose the tax payment certificate or the payment certificate.")


class YearRecordsScreen(Screen):
    """Shared: year buttons, then the person's records of that year, loaded off the GUI thread."""

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.years = ButtonRow(self, spacing=30)
        self.year_group = QButtonGroup(self)
        self.busy = busy_bar()
        self.layout_.addWidget(self.busy)
        self.message = label("", "Message")
        self.layout_.addWidget(self.message)
        self.records: list[PaymentRecord] = []
        self.year: int | None = None

    def on_enter(self) -> None:
        self.years.clear()
        for old in self.year_group.buttons():
            self.year_group.removeButton(old)
        this_year = self.ctx.today().year
        for year in range(this_year - 2, this_year + 2):
            year_button = button(self.tr("Year {year}").format(year=year), "grade", f"cert_year_{year}")
            year_button.setCheckable(True)
            year_button.clicked.connect(lambda _=False, y=year: self.load(y))
            self.year_group.addButton(year_button)
            self.years.add(year_button)
        self.records, self.year = [], None
        self.busy.setVisible(False)
        self.message.setText(self.tr("Please choose the year the payments were for."))
        self.show_records()

    def forget(self) -> None:
        self.records, self.year = [], None
        self.show_records()

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
        self.year, self.records = year, records
        if not records:
            self.message.setText(self.tr("No payments were found for {year}.").format(year=year))
        self.show_records()

    def failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.message.setText(fee_error_text(error))

    def show_records(self) -> None:
        """Subclasses show what can be certified."""

    def issue(self, kind: CertificateKind, records: list[PaymentRecord]) -> None:
        session = self.ctx.session
        person = session.person
        category = CATEGORY_NAMES.get(session.category.value if session.category else "", "")
        certificates: CertificateService = self.ctx.certificates
        self.busy.setVisible(True)
        self.message.setText(self.tr("Preparing your certificate..."))

        def work():
            prepared = certificates.prepare(kind, person.name, person.id_number, records, category=category)
            return prepared, certificates.render(prepared)

        self.ctx.tasks.run(work, on_done=self.issued, on_failed=self.failed)

    def issued(self, result) -> None:
        self.busy.setVisible(False)
        self.ctx.session.certificate, self.ctx.session.certificate_pdf = result
        self.fire(FlowEvent.ISSUED)


class TaxCertificateScreen(YearRecordsScreen):
    """The records found, grouped by insurance (a tick each), then 开具完税证明."""

    step = Step.TAX_CERT

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.insertWidget(0, label(self.tr("Tax payment certificate: choose the year"), "Title"))
        self.groups = ButtonRow(self, spacing=30)
        self.issue_button = button(self.tr("Issue the certificate"), "primary", "issue_certificate")
        self.issue_button.clicked.connect(self.issue_selected)
        self.row(self.issue_button)
        self.layout_.addStretch(1)
        self.group_buttons: dict[InsuredItem, QWidget] = {}

    def voice_prompt(self) -> str:
        return self.tr("Please choose the year, tick the payments, then issue the certificate.")

    def show_records(self) -> None:
        self.groups.clear()
        self.group_buttons = {}
        by_item: dict[InsuredItem, list[PaymentRecord]] = defaultdict(list)
        for record in self.records:
            by_item[record.item].append(record)
        for item, records in sorted(by_item.items(), key=lambda pair: pair[0].value):
            text = self.tr("{item}\n{count} payments, {total}").format(
                item=translate("Domain", item.label),
                count=len(records),
                total=format_fen(sum(r.amount_fen for r in records)),
            )
            group = button(text, "grade", f"group_{item.value}")
            group.setCheckable(True)
            group.setChecked(True)
            group.toggled.connect(self.update_issue_button)
            self.group_buttons[item] = group
            self.groups.add(group)
        if self.records:
            self.message.setText(self.tr("Tick the payments the certificate should show."))
        self.update_issue_button()

    def selected(self) -> list[PaymentRecord]:
        chosen = {item for item, group in self.group_buttons.items() if group.isChecked()}
        return [record for record in self.records if record.item in chosen]

    def update_issue_button(self) -> None:
        self.issue_button.setEnabled(bool(self.selected()))

    def issue_selected(self) -> None:
        self.issue_button.setEnabled(False)
        self.issue(CertificateKind.TAX, self.selected())


class PaymentCertificateScreen(YearRecordsScreen):
    """The year and the insurance, then the summary (汇总) or the detail (明细)."""

    step = Step.PAY_CERT

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.insertWidget(0, label(self.tr("Payment certificate: choose the year and the insurance"), "Title"))
        self.items = ButtonRow(self, spacing=30)
        self.item_group = QButtonGroup(self)
        self.summary_button = button(self.tr("Issue summary"), "primary", "issue_summary")
        self.summary_button.clicked.connect(lambda: self.issue_form(CertificateKind.PAYMENT_SUMMARY))
        self.detail_button = button(self.tr("Issue detail"), "primary", "issue_detail")
        self.detail_button.clicked.connect(lambda: self.issue_form(CertificateKind.PAYMENT_DETAIL))
        self.row(self.summary_button, self.detail_button)
        self.layout_.addStretch(1)
        self.item: InsuredItem | None = None

    def voice_prompt(self) -> str:
        return self.tr("Please choose the year and the insurance, then the summary or the detail.")

    def show_records(self) -> None:
        self.items.clear()
        for old in self.item_group.buttons():
            self.item_group.removeButton(old)
        present = sorted({record.item for record in self.records}, key=lambda item: item.value)
        self.item = present[0] if len(present) == 1 else None
        for item in present:
            item_button = button(translate("Domain", item.label), "grade", f"cert_item_{item.value}")
            item_button.setCheckable(True)
            item_button.setChecked(item is self.item)
            item_button.clicked.connect(lambda _=False, chosen=item: self.choose_item(chosen))
            self.item_group.addButton(item_button)
            self.items.add(item_button)
        if present:
            self.message.setText(self.tr("Choose the insurance, then the summary or the detail."))
        self.update_buttons()

    def choose_item(self, item: InsuredItem) -> None:
        self.item = item
        self.update_buttons()

    def update_buttons(self) -> None:
        for issue_button in (self.summary_button, self.detail_button):
            issue_button.setEnabled(self.item is not None)

    def issue_form(self, kind: CertificateKind) -> None:
        self.summary_button.setEnabled(False)
        self.detail_button.setEnabled(False)
        self.issue(kind, [record for record in self.records if record.item is self.item])


class CertificatePreviewScreen(Screen):
    step = Step.CERT_PREVIEW

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        body = QHBoxLayout()
        body.addStretch(1)
        self.page = QLabel()
        self.page.setObjectName("CertificatePage")
        self.page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page.setFixedSize(px(500, ctx.scale), px(707, ctx.scale))  # A4 proportions
        body.addWidget(self.page)
        body.addSpacing(px(60, ctx.scale))
        side_panel = QWidget()
        side_panel.setFixedWidth(px(820, ctx.scale))
        side = QVBoxLayout(side_panel)
        side.addStretch(1)
        self.heading = label("", "Title", center=False)
        self.details = label("", "Message", center=False)
        self.reprint_note = label("", "Subtitle", center=False)
        self.busy = busy_bar()
        self.error = label("", "Error")
        for widget in (self.heading, self.details, self.reprint_note, self.busy, self.error):
            side.addWidget(widget)
        self.print_button = button(self.tr("Print"), "primary", "print_certificate")
        self.print_button.clicked.connect(self.print_certificate)
        side.addWidget(self.print_button, alignment=Qt.AlignmentFlag.AlignLeft)
        side.addStretch(1)
        body.addWidget(side_panel)
        body.addStretch(1)
        self.layout_.addLayout(body, 1)
        self._document = QPdfDocument(self)
        self._buffer: QBuffer | None = None

    def voice_prompt(self) -> str:
        return self.tr("Please check your certificate, then press print.")

    def on_enter(self) -> None:
        prepared = self.ctx.session.certificate
        self.error.setVisible(False)
        self.busy.setVisible(False)
        self.print_button.setEnabled(True)
        self.show_first_page(self.ctx.session.certificate_pdf)
        self.heading.setText(self.tr("Please check your certificate"))
        self.show_details()
        self.reprint_note.setText(
            self.tr("This certificate was printed before: this print is marked 补打 (reprint).")
            if prepared.reprint
            else ""
        )

    def show_details(self) -> None:
        number = self.ctx.session.certificate.issue.number
        text = self.tr("Number: {number}\nPages: {pages}")
        self.details.setText(text.format(number=number, pages=self._document.pageCount()))

    def show_first_page(self, pdf: bytes) -> None:
        self._document.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._document.load(self._buffer)
        image = self._document.render(0, QSize(self.page.width(), self.page.height()))
        self.page.setPixmap(QPixmap.fromImage(image))

    def on_leave(self) -> None:
        self._document.close()
        self.page.clear()

    def print_certificate(self) -> None:
        printer = self.ctx.devices.a4_printer
        if printer is None:
            self.show_error(self.tr("The certificate printer is not available. Please ask staff for help."))
            return
        prepared = self.ctx.session.certificate
        spool = self.ctx.config.state_path("spool")
        self.print_button.setEnabled(False)
        self.busy.setVisible(True)
        self.error.setVisible(False)
        self.details.setText(self.tr("Printing... please wait."))
        self.ctx.tasks.run(
            lambda: self.ctx.certificates.print_on(prepared, printer, spool, PRINT_TIMEOUT_SECONDS),
            on_done=lambda _: self.fire(FlowEvent.PRINTED),
            on_failed=self.print_failed,
        )

    def print_failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.show_details()
        self.print_button.setEnabled(True)
        if isinstance(error, DeviceError):
            self.show_error(translate("DeviceMessage", error.citizen_message))
        else:
            self.show_error(fee_error_text(error))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)


class CertificateDoneScreen(Screen):
    step = Step.CERT_DONE

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.title(self.tr("Printed. Please take your certificate."))
        self.layout_.addWidget(label(self.tr("It is in the tray below the screen."), "Subtitle"))
        self.layout_.addSpacing(30)
        finish = button(self.tr("Finish"), "primary", "finish")
        finish.clicked.connect(lambda: self.fire(FlowEvent.FINISH))
        more = button(self.tr("Another certificate"), "choice", "cert_more")
        more.clicked.connect(lambda: self.fire(FlowEvent.MORE))
        self.row(finish, more)
        self.layout_.addStretch(2)

    def countdown_seconds(self) -> float | None:
        return self.ctx.config["timeouts.result_seconds"]

    def on_countdown_expired(self) -> bool:
        self.fire(FlowEvent.FINISH)
        return True

    def voice_prompt(self) -> str:
        return self.tr("Printed. Please take your certificate.")
