"""The terminal certificate page: what is installed (whose, until when, what is wrong), and enrolment by CSR
through the removable drive (kiosk/maintenance/enrolment.py)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.feesystem.tls import CertificateInfo
from kiosk.maintenance.audit import AuditUnavailable
from kiosk.maintenance.enrolment import Enrolment, EnrolmentError, certificate_name
from kiosk.maintenance.service import ExportFolderMissing
from kiosk.service_health import ProblemKind
from screens.maintenance.common import Page, run_task
from screens.widgets import button, label


def certificate_warning(enrolment: Enrolment) -> str:
    """The menu's technician warning when the installed certificate expires within 30 days ("" otherwise)."""
    warning = enrolment.state().inspection.warning
    if warning is None:
        return ""
    return QCoreApplication.translate("EnrolmentPage", "Terminal certificate: {warning}").format(warning=warning)


class EnrolmentPage(Page):
    def __init__(self, service) -> None:
        super().__init__(service, self.tr("Terminal certificate (fee system)"))
        self.enrolment = Enrolment(service)
        self.status = label("", "Hint", center=False)
        self.status.setObjectName("certificate_status")
        self.status.setWordWrap(True)
        self.layout_.addWidget(self.status)
        self.request_button = button(self.tr("Make a certificate request (to the drive)"), "nav", "certificate_request")
        self.request_button.clicked.connect(self.make_request)
        self.import_button = button(self.tr("Import the signed certificate"), "nav", "certificate_import")
        self.import_button.clicked.connect(self.import_certificate)
        self.test_button = button(self.tr("Test the link"), "nav", "certificate_test")
        self.test_button.clicked.connect(self.test_link)
        self.row(self.request_button, self.import_button, self.test_button)
        self.layout_.addWidget(self.message)
        self.layout_.addStretch(1)

    def on_enter(self) -> None:
        self.say("")
        self.show_status()

    def show_status(self) -> None:
        state = self.enrolment.state()
        lines = []
        info = state.inspection.info
        if info is not None:
            lines.append(self._described(info))
        if state.inspection.problem:
            lines.append(self.tr("Problem: {problem}").format(problem=state.inspection.problem))
        if state.inspection.warning:
            lines.append(self.tr("Warning: {warning}").format(warning=state.inspection.warning))
        for problem in self.ctx.health.problems():
            if problem.kind is ProblemKind.CLIENT_CERTIFICATE:
                lines.append(self.tr("Out of service: {detail}").format(detail=problem.detail))
        if state.pending_request:
            text = self.tr("A request is waiting for its certificate: put {name} on the drive and import it.")
            lines.append(text.format(name=certificate_name(self.enrolment.terminal_id)))
        self.status.setText("\n".join(lines) or self.tr("No certificate installed."))

    def _described(self, info: CertificateInfo) -> str:
        text = self.tr("Installed: {subject}, issued by {issuer}, valid until {until}")
        return text.format(subject=info.subject, issuer=info.issuer, until=f"{info.not_after:%Y-%m-%d %H:%M} UTC")

    def make_request(self) -> None:
        try:
            path = self.enrolment.make_request()
        except Exception as error:  # every failure in words on the page, nothing half made
            self._failed(error)
            return
        text = self.tr("Request written to {path}. Have the bureau sign it, then import {name}.")
        self.say(text.format(path=path, name=certificate_name(self.enrolment.terminal_id)))
        self.show_status()

    def import_certificate(self) -> None:
        try:
            info = self.enrolment.import_certificate()
        except Exception as error:
            self._failed(error)
            return
        text = self.tr("Installed: {subject}, valid until {until}. Testing the link…")
        self.say(text.format(subject=info.subject, until=f"{info.not_after:%Y-%m-%d}"))
        self.show_status()
        self.test_link()

    def test_link(self) -> None:
        """Off the GUI thread: a gateway that does not answer takes the call's whole timeout."""
        self.test_button.setEnabled(False)
        run_task(self.ctx, self.enrolment.test_link, self._tested, self._test_failed)

    def _tested(self, problem: str | None) -> None:
        self.test_button.setEnabled(True)
        if problem is None:
            self.say(self.tr("The fee system answers over this certificate."))
        else:
            self.say(self.tr("The fee system does not answer: {problem}").format(problem=problem), error=True)
        self.show_status()

    def _test_failed(self, error: Exception) -> None:
        self.test_button.setEnabled(True)
        self._failed(error)

    def _failed(self, error: Exception) -> None:
        if isinstance(error, ExportFolderMissing):
            text = self.tr("The export folder {folder} is not there: plug in the removable drive.")
            self.say(text.format(folder=error.folder), error=True)
        elif isinstance(error, AuditUnavailable):
            self.say_failure(error, "")
        elif isinstance(error, EnrolmentError):
            self.say(self.tr("Not installed: {reason}").format(reason=error), error=True)
        else:
            self.say(self.tr("Not done: {reason}").format(reason=error or type(error).__name__), error=True)
        self.show_status()
