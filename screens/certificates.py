"""Certificates (flows 10, 11 and 14): 税收完税证明 and 社会保险费缴费证明 for a chosen period and chosen records, the
certificates already issued (补打), a preview to read every page of, print A4, take it.

The fee system numbers each certificate; printing the same records again is a reprint (补打).
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QScroller, QVBoxLayout, QWidget

from drivers.base import DeviceError
from kiosk.certificates import CATEGORY_NAMES, DOCUMENT_TABLE_TEXT_PT, CertificateService, PreparedCertificate
from kiosk.domain.items import InsuredItem
from kiosk.domain.money import format_fen
from kiosk.domain.periods import Period
from kiosk.feesystem.api import CertificateIssue, CertificateKind, PaymentRecord
from kiosk.flow import FlowEvent, Step
from screens.base import Screen, clear_layout, fee_error_text, translate
from screens.cert_period import (
    ROWS_PER_PAGE,
    Checklist,
    Pager,
    PeriodScreen,
    day_label,
    message_with_progress,
    period_label,
    tick_text,
)
from screens.qr import qr_pixmap
from screens.style import px
from screens.widgets import button, label

PRINT_TIMEOUT_SECONDS = 90
SCREEN_TEXT_PX = 24  # the smallest table text of a previewed page, in design pixels (DESIGN.md §7 asks 28 for UI)
ZOOMS = (1.0, 1.25, 1.5)
PAGE_CROP_PT = 31.0  # of the 15 mm side margins, all but 4 mm are cropped: the page's text gets the width


class DownloadQr(QWidget):
    """The electronic copy's QR code (下载): the same PDF on the citizen's phone, from the bureau's server, while
    its short-lived link is good. Hidden when the fee system kept no copy."""

    def __init__(self, scale: float) -> None:
        super().__init__()
        self.setObjectName("download_qr")
        self.size_px = px(150, scale)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = label(self.tr("Scan to download it to your phone"), "Hint")
        self.caption.setMaximumWidth(px(260, scale))
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.image)
        column.addWidget(self.caption)
        self.url = ""

    def show_for(self, url: str) -> None:
        self.url = url
        if url:
            self.image.setPixmap(qr_pixmap(url, self.size_px))
        self.setVisible(bool(url))


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
        issued = button(self.tr("Certificates already issued\n(reprint)"), "tile", "issued_certificates")
        issued.clicked.connect(lambda: self.fire(FlowEvent.ISSUED_LIST))
        self.row(tax, payment, issued, spacing=60)
        self.layout_.addStretch(2)

    def voice_prompt(self) -> str:
        return self.tr("Please choose the tax payment certificate or the payment certificate.")


def record_text(record: PaymentRecord) -> str:
    return QCoreApplication.translate("TaxCertificateScreen", "{period}   {item}   {amount}   paid {date}").format(
        period=period_label(record.period),
        item=translate("Domain", record.item.label),
        amount=format_fen(record.amount_fen),
        date=day_label(record.paid_at.date()),
    )


def issue_and_preview(screen: Screen, prepare) -> None:
    """Number and lay out the certificate off the GUI thread (``prepare`` gives the PreparedCertificate), render
    it, then show the preview."""
    certificates: CertificateService = screen.ctx.certificates

    def work():
        prepared = certificates.rendered(prepare(certificates))  # and its electronic copy kept by the fee system
        return prepared, prepared.pdf

    def issued(result) -> None:
        screen.ctx.session.certificate, screen.ctx.session.certificate_pdf = result
        screen.fire(FlowEvent.ISSUED)

    screen.ctx.tasks.run(work, on_done=issued, on_failed=screen.failed)


def category_name(screen: Screen) -> str:
    category = screen.ctx.session.category
    return CATEGORY_NAMES.get(category.value if category else "", "")


class TaxCertificateScreen(PeriodScreen):
    """税款所属期 → 查询 → the records with a tick box each → 开具完税证明 (guide 五(三))."""

    step = Step.TAX_CERT
    year_prefix = "cert_year_"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.add_conditions_row()
        self.heading.setText(self.tr("Tax payment certificate: choose the tax period"))
        self.period_choice.caption.setText(self.tr("Or by month, tax period:"))
        self.checklist = Checklist(ctx.scale, record_text, lambda r: r.payment_no)
        self.checklist.changed.connect(self.update_choice)
        self.results.addWidget(self.checklist, 1)
        self.pager = Pager(self.checklist.show_page)
        select_all = button(self.tr("Select all"), "pager", "select_all")
        select_all.clicked.connect(lambda: self.checklist.tick_all(True))
        select_none = button(self.tr("Select none"), "pager", "select_none")
        select_none.clicked.connect(lambda: self.checklist.tick_all(False))
        self.issue_button = button(self.tr("Issue the certificate"), "primary", "issue_certificate")
        self.issue_button.clicked.connect(self.issue_selected)
        bottom = QHBoxLayout()
        bottom.setSpacing(px(16, ctx.scale))
        for widget in (select_all, select_none):
            bottom.addWidget(widget)
        bottom.addStretch(1)
        for widget in (*self.pager.widgets(), self.issue_button):
            bottom.addWidget(widget)
        self.results.addLayout(bottom)
        self.records: list[PaymentRecord] = []

    def voice_prompt(self) -> str:
        return self.tr("Please choose the year, tick the payments, then issue the certificate.")

    def forget(self) -> None:
        self.records = []
        self.checklist.set_items([])

    def fetch(self, id_number: str, period: Period) -> list[PaymentRecord]:
        records = self.ctx.fee_system.payment_records(id_number, period)
        return sorted(records, key=lambda r: (r.period.start, r.item.value))

    def show_found(self, period: Period, records: list[PaymentRecord]) -> None:
        self.records = records
        self.checklist.set_items(records, ticked=True)
        if not records:
            self.message.setText(self.tr("No payments were found for {period}.").format(period=period_label(period)))

    def conditions_text(self, period: Period) -> str:
        return self.tr("Tax period: {period}").format(period=period_label(period))

    def update_choice(self) -> None:
        chosen: list[PaymentRecord] = self.checklist.chosen()  # type: ignore[assignment]
        self.pager.show(self.checklist.page, self.checklist.pages)
        self.issue_button.setEnabled(bool(chosen))
        if self.records:
            self.message.setText(
                self.tr("Tick the payments the certificate should show.")
                + " "
                + self.tr("{count} of {all} chosen, {total}.").format(
                    count=len(chosen), all=len(self.records), total=format_fen(sum(r.amount_fen for r in chosen))
                )
            )

    def selected(self) -> list[PaymentRecord]:
        return self.checklist.chosen()  # type: ignore[return-value]

    def issue_selected(self) -> None:
        records = self.selected()
        person = self.ctx.session.subject  # the payee when a payer prints for someone
        self.issue_button.setEnabled(False)
        self.busy.setVisible(True)
        self.message.setText(self.tr("Preparing your certificate..."))
        issue_and_preview(
            self,
            lambda service: service.prepare(
                CertificateKind.TAX, person.name, person.id_number, records, category=category_name(self)
            ),
        )

    def failed(self, error: Exception) -> None:
        super().failed(error)
        self.update_issue_button()

    def update_issue_button(self) -> None:
        self.issue_button.setEnabled(bool(self.selected()))


class PaymentCertificateScreen(PeriodScreen):
    """费款所属期 → 查询 → the insurances to cover (one or more, ticked) → 汇总 or 明细."""

    step = Step.PAY_CERT
    year_prefix = "cert_year_"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.add_conditions_row()
        self.heading.setText(self.tr("Payment certificate: choose the period"))
        self.period_choice.caption.setText(self.tr("Or by month, payment period:"))
        self.items_row = QHBoxLayout()
        self.items_row.setSpacing(px(30, ctx.scale))
        self.results.addStretch(1)
        self.results.addLayout(self.items_row)
        self.results.addStretch(1)
        self.summary_button = button(self.tr("Issue summary"), "primary", "issue_summary")
        self.summary_button.clicked.connect(lambda: self.issue_form(CertificateKind.PAYMENT_SUMMARY))
        self.detail_button = button(self.tr("Issue detail"), "primary", "issue_detail")
        self.detail_button.clicked.connect(lambda: self.issue_form(CertificateKind.PAYMENT_DETAIL))
        buttons = QHBoxLayout()
        buttons.setSpacing(px(40, ctx.scale))
        buttons.addStretch(1)
        buttons.addWidget(self.summary_button)
        buttons.addWidget(self.detail_button)
        buttons.addStretch(1)
        self.results.addLayout(buttons)
        self.results.addStretch(1)
        self.records: list[PaymentRecord] = []
        self.chosen_items: set[InsuredItem] = set()

    def voice_prompt(self) -> str:
        return self.tr("Please choose the year and the insurance, then the summary or the detail.")

    def forget(self) -> None:
        self.records, self.chosen_items = [], set()
        clear_layout(self.items_row)

    def fetch(self, id_number: str, period: Period) -> list[PaymentRecord]:
        return self.ctx.fee_system.payment_records(id_number, period)

    def conditions_text(self, period: Period) -> str:
        return self.tr("Payment period: {period}").format(period=period_label(period))

    def present(self) -> list[InsuredItem]:
        return sorted({record.item for record in self.records}, key=lambda item: item.value)

    def show_found(self, period: Period, records: list[PaymentRecord]) -> None:
        self.records = records
        present = self.present()
        # One insurance is chosen for the citizen; of several, the citizen ticks the ones to cover.
        self.chosen_items = set(present) if len(present) == 1 else set()
        self.show_items()
        if not records:
            self.message.setText(self.tr("No payments were found for {period}.").format(period=period_label(period)))

    def show_items(self) -> None:
        clear_layout(self.items_row)
        self.items_row.addStretch(1)
        for item in self.present():
            records = [r for r in self.records if r.item is item]
            text = self.tr("{item}\n{months} months, {total}").format(
                item=translate("Domain", item.label),
                months=sum(r.months for r in records),
                total=format_fen(sum(r.amount_fen for r in records)),
            )
            item_button = button(tick_text(item in self.chosen_items, text), "bill", f"cert_item_{item.value}")
            item_button.setProperty("ticked", item in self.chosen_items)
            item_button.clicked.connect(lambda _=False, chosen=item: self.toggle_item(chosen))
            self.items_row.addWidget(item_button)
        self.items_row.addStretch(1)
        self.update_buttons()

    def toggle_item(self, item: InsuredItem) -> None:
        self.chosen_items ^= {item}
        self.show_items()

    def selected(self) -> list[PaymentRecord]:
        return [record for record in self.records if record.item in self.chosen_items]

    def update_buttons(self) -> None:
        chosen = self.selected()
        for issue_button in (self.summary_button, self.detail_button):
            issue_button.setEnabled(bool(chosen))
        if self.records:
            self.message.setText(
                self.tr("Choose the insurance, then the summary or the detail.")
                + " "
                + self.tr("{count} chosen, {total}.").format(
                    count=len(self.chosen_items), total=format_fen(sum(r.amount_fen for r in chosen))
                )
            )

    def issue_form(self, kind: CertificateKind) -> None:
        records = self.selected()
        person = self.ctx.session.subject
        self.summary_button.setEnabled(False)
        self.detail_button.setEnabled(False)
        self.busy.setVisible(True)
        self.message.setText(self.tr("Preparing your certificate..."))
        issue_and_preview(
            self,
            lambda service: service.prepare(kind, person.name, person.id_number, records, category=category_name(self)),
        )

    def failed(self, error: Exception) -> None:
        super().failed(error)
        self.update_buttons_enabled()

    def update_buttons_enabled(self) -> None:
        for issue_button in (self.summary_button, self.detail_button):
            issue_button.setEnabled(bool(self.selected()))


class IssuedCertificatesScreen(Screen):
    """The certificates the fee system issued to the person, newest first: 补打 prints one again (guide 一(五),
    三(四)2, 四(四)2)."""

    step = Step.CERT_ISSUED

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.setContentsMargins(px(60, ctx.scale), px(14, ctx.scale), px(60, ctx.scale), px(14, ctx.scale))
        self.layout_.setSpacing(px(10, ctx.scale))
        self.message, self.busy = message_with_progress(self, ctx.scale)
        self.list_layout = QVBoxLayout()
        self.list_layout.setSpacing(px(8, ctx.scale))
        self.layout_.addLayout(self.list_layout, 1)
        self.pager = Pager(self.show_page)
        self.row(*self.pager.widgets())
        self.issues: list[CertificateIssue] = []

    def voice_prompt(self) -> str:
        return self.tr("Please choose the certificate to print again.")

    def on_enter(self) -> None:
        person = self.ctx.session.subject
        self.issues = []
        self.show_page(0)
        self.busy.setVisible(True)
        self.message.setText(self.tr("Looking up your certificates..."))
        self.ctx.tasks.run(
            lambda: self.ctx.certificates.issued(person.id_number), on_done=self.loaded, on_failed=self.failed
        )

    def forget(self) -> None:
        self.issues = []
        self.show_page(0)

    def loaded(self, issues: list[CertificateIssue]) -> None:
        self.busy.setVisible(False)
        self.issues = issues
        if issues:
            self.message.setText(
                self.tr("{count} certificates were issued to you, newest first. Choose one to print again.").format(
                    count=len(issues)
                )
            )
        else:
            self.message.setText(self.tr("No certificate has been issued to you yet."))
        self.show_page(0)

    def failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.message.setText(fee_error_text(error))
        for reprint in self.findChildren(QFrame, "RecordRow"):
            reprint.setEnabled(True)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.issues) // ROWS_PER_PAGE))

    def show_page(self, page: int) -> None:
        page = max(0, min(page, self.pages - 1))
        clear_layout(self.list_layout)
        for issue in self.issues[page * ROWS_PER_PAGE : (page + 1) * ROWS_PER_PAGE]:
            self.list_layout.addWidget(self.issue_row(issue))
        self.list_layout.addStretch(1)
        self.pager.show(page, self.pages)

    def kind_name(self, kind: CertificateKind) -> str:
        names = {
            CertificateKind.TAX: self.tr("Tax payment certificate"),
            CertificateKind.PAYMENT_SUMMARY: self.tr("Payment certificate (summary)"),
            CertificateKind.PAYMENT_DETAIL: self.tr("Payment certificate (detail)"),
        }
        return names.get(kind, kind.value)

    def issue_row(self, issue: CertificateIssue) -> QFrame:
        frame = QFrame()
        frame.setObjectName("RecordRow")
        row = QHBoxLayout(frame)
        printed = (
            self.tr("printed {count} times").format(count=issue.printed)
            if issue.printed
            else self.tr("issued, not printed yet")
        )
        text = QLabel(
            self.tr("Issued {date}   {kind}   No. {number}\n{count} payments, {total}   {printed}").format(
                date=day_label(issue.issued_at.date()),
                kind=self.kind_name(issue.kind),
                number=issue.number,
                count=len(issue.payment_nos),
                total=format_fen(issue.total_fen),
                printed=printed,
            )
        )
        text.setObjectName("RecordText")
        row.addWidget(text, 1)
        digits = "".join(ch for ch in issue.number if ch.isdigit())
        reprint = button(self.tr("Print again"), "rowbutton", f"reprint_{issue.kind.value}_{digits}")
        reprint.clicked.connect(lambda _=False, chosen=issue: self.reprint(chosen))
        row.addWidget(reprint)
        return frame

    def reprint(self, issue: CertificateIssue) -> None:
        person = self.ctx.session.subject
        self.busy.setVisible(True)
        self.message.setText(self.tr("Preparing your certificate..."))
        for row in self.findChildren(QFrame, "RecordRow"):
            row.setEnabled(False)
        issue_and_preview(self, lambda service: service.prepare_reprint(issue, person.name, category_name(self)))


class CertificatePreviewScreen(Screen):
    """Every page, one at a time, at a size a person can read (the smallest table text 24 px and up), with
    zoom and next/previous page. Pages are rendered by Qt's own QtPdf (QPdfDocument)."""

    step = Step.CERT_PREVIEW

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.setContentsMargins(px(40, ctx.scale), px(10, ctx.scale), px(40, ctx.scale), px(10, ctx.scale))
        self.layout_.setSpacing(px(8, ctx.scale))
        self.details, self.busy = message_with_progress(self, ctx.scale)
        self.reprint_note = label("", "Subtitle")
        self.error = label("", "Error")
        for widget in (self.reprint_note, self.error):
            self.layout_.addWidget(widget)
        self.page = QLabel()
        self.page.setObjectName("CertificatePage")
        self.scroll = QScrollArea()
        self.scroll.setObjectName("CertificatePages")
        self.scroll.setWidget(self.page)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        QScroller.grabGesture(self.scroll.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        # Beside the page: move it up and down by taps (a drag works too, but is not obvious to everyone).
        self.scroll_up = button(self.tr("▲ Up"), "pager", "scroll_up")
        self.scroll_up.clicked.connect(lambda: self.scroll_by(-1))
        self.scroll_down = button(self.tr("▼ Down"), "pager", "scroll_down")
        self.scroll_down.clicked.connect(lambda: self.scroll_by(1))
        # The download QR sits in this column, between the two moves: in the row below it made the screen wider
        # than a 1920-pixel display.
        self.download = DownloadQr(ctx.scale)
        moves = QVBoxLayout()
        moves.addWidget(self.scroll_up)
        moves.addStretch(1)
        moves.addWidget(self.download)
        moves.addStretch(1)
        moves.addWidget(self.scroll_down)
        body = QHBoxLayout()
        body.setSpacing(px(16, ctx.scale))
        body.addWidget(self.scroll, 1)
        body.addLayout(moves)
        self.layout_.addLayout(body, 1)
        self.scroll.verticalScrollBar().valueChanged.connect(self.update_moves)
        self.scroll.verticalScrollBar().rangeChanged.connect(self.update_moves)
        self.pager = Pager(self.show_page)
        self.zoom_out = button(self.tr("Smaller"), "pager", "zoom_out")
        self.zoom_out.clicked.connect(lambda: self.set_zoom(self.zoom - 1))
        self.zoom_text = label("", "Hint", wrap=False)
        self.zoom_in = button(self.tr("Larger"), "pager", "zoom_in")
        self.zoom_in.clicked.connect(lambda: self.set_zoom(self.zoom + 1))
        self.print_button = button(self.tr("Print"), "primary", "print_certificate")
        self.print_button.clicked.connect(self.print_certificate)
        bottom = QHBoxLayout()
        bottom.setSpacing(px(16, ctx.scale))
        for widget in (*self.pager.widgets(), self.zoom_out, self.zoom_text, self.zoom_in):
            bottom.addWidget(widget)
        bottom.addStretch(1)
        bottom.addWidget(self.print_button)
        self.layout_.addLayout(bottom)
        self._document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self.page_index = 0
        self.zoom = 0

    def voice_prompt(self) -> str:
        return self.tr("Please check your certificate, then press print.")

    def on_enter(self) -> None:
        prepared: PreparedCertificate = self.ctx.session.certificate
        self.error.setVisible(False)
        self.busy.setVisible(False)
        self.print_button.setEnabled(True)
        self.load(self.ctx.session.certificate_pdf)
        self.download.show_for(prepared.download_url)
        self.zoom = 0
        self.show_page(0)
        self.show_details()
        self.reprint_note.setText(
            self.tr("This certificate was printed before: this print is marked 补打 (reprint).")
            if prepared.reprint
            else ""
        )
        self.reprint_note.setVisible(prepared.reprint)

    def show_details(self) -> None:
        number = self.ctx.session.certificate.issue.number
        text = self.tr("Please check your certificate. Number: {number}, {pages} pages.")
        self.details.setText(text.format(number=number, pages=self._document.pageCount()))

    def load(self, pdf: bytes) -> None:
        self._document.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._document.load(self._buffer)

    @property
    def pixels_per_point(self) -> float:
        """Screen pixels per PDF point: the smallest table text at SCREEN_TEXT_PX design pixels, times the zoom."""
        return SCREEN_TEXT_PX / DOCUMENT_TABLE_TEXT_PT * ZOOMS[self.zoom] * self.ctx.scale

    def set_zoom(self, zoom: int) -> None:
        self.zoom = max(0, min(zoom, len(ZOOMS) - 1))
        self.show_page(self.page_index)

    def show_page(self, index: int) -> None:
        pages = max(1, self._document.pageCount())
        self.page_index = max(0, min(index, pages - 1))
        self.pager.show(self.page_index, pages)
        for widget in self.pager.widgets():  # even one page says "page 1 of 1"
            widget.setVisible(True)
        self.pager.page_label.setText(self.tr("Page {page} of {pages}").format(page=self.page_index + 1, pages=pages))
        self.zoom_out.setEnabled(self.zoom > 0)
        self.zoom_in.setEnabled(self.zoom < len(ZOOMS) - 1)
        self.zoom_text.setText(self.tr("Size {percent}%").format(percent=round(ZOOMS[self.zoom] * 100)))
        if self._document.pageCount() == 0:
            self.page.clear()
            return
        scale = self.pixels_per_point
        points = self._document.pagePointSize(self.page_index)
        image = self._document.render(
            self.page_index, QSize(round(points.width() * scale), round(points.height() * scale))
        )
        crop = round(PAGE_CROP_PT * scale)
        image = image.copy(crop, 0, image.width() - 2 * crop, image.height())
        self.page.setPixmap(QPixmap.fromImage(image))
        self.page.resize(image.size())
        self.scroll.verticalScrollBar().setValue(0)

    def scroll_by(self, direction: int) -> None:
        """Most of a screenful, keeping a line of the last view for the eye to follow."""
        bar = self.scroll.verticalScrollBar()
        bar.setValue(bar.value() + direction * round(self.scroll.viewport().height() * 0.8))

    def update_moves(self) -> None:
        bar = self.scroll.verticalScrollBar()
        self.scroll_up.setEnabled(bar.value() > bar.minimum())
        self.scroll_down.setEnabled(bar.value() < bar.maximum())

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
        self.download = DownloadQr(ctx.scale)
        self.layout_.addWidget(self.download, 0, Qt.AlignmentFlag.AlignHCenter)
        self.layout_.addSpacing(30)
        finish = button(self.tr("Finish"), "primary", "finish")
        finish.clicked.connect(lambda: self.fire(FlowEvent.FINISH))
        more = button(self.tr("Another certificate"), "choice", "cert_more")
        more.clicked.connect(lambda: self.fire(FlowEvent.MORE))
        self.row(finish, more)
        self.layout_.addStretch(2)

    def on_enter(self) -> None:
        prepared = self.ctx.session.certificate
        self.download.show_for(prepared.download_url if prepared else "")

    def countdown_seconds(self) -> float | None:
        return self.ctx.config["timeouts.result_seconds"]

    def on_countdown_expired(self) -> bool:
        self.fire(FlowEvent.FINISH)
        return True

    def voice_prompt(self) -> str:
        return self.tr("Printed. Please take your certificate.")
