"""Reconciliation of any day: totals per channel and differences; CSV to the export folder, receipt or A4."""

from __future__ import annotations

import datetime as dt

from kiosk.maintenance.reconciliation import ReconciliationUnavailable, summary_lines
from kiosk.payments.reconcile import ReconciliationReport
from screens.maintenance.common import Page, field_label, fill, run_task
from screens.widgets import button


class ReconcilePage(Page):
    def __init__(self, service) -> None:
        super().__init__(service, self.tr("Reconciliation"))
        self.day = self.line_edit("reconcile_date")
        run = button(self.tr("Reconcile"), "primary", "reconcile_run")
        run.clicked.connect(self.run)
        self.row(field_label(self.tr("Day (YYYY-MM-DD)")), self.day, run)
        self.result = self.text_box("reconcile_result")
        self.layout_.addWidget(self.result, 1)
        self.outputs = [
            button(self.tr("Export CSV"), "nav", "reconcile_csv"),
            button(self.tr("Print receipt"), "nav", "reconcile_receipt"),
            button(self.tr("Print A4 page"), "nav", "reconcile_a4"),
        ]
        self.outputs[0].clicked.connect(self.export_csv)
        self.outputs[1].clicked.connect(lambda: self._print(self.service.print_reconciliation_receipt))
        self.outputs[2].clicked.connect(lambda: self._print(self.service.print_reconciliation_page))
        self.row(*self.outputs)
        self.layout_.addWidget(self.message)
        self.report: ReconciliationReport | None = None

    def on_enter(self) -> None:
        if not self.day.text():
            self.day.setText(self.ctx.today().isoformat())
        self._enable(self.report is not None)

    def _enable(self, enabled: bool) -> None:
        for widget in self.outputs:
            widget.setEnabled(enabled)

    def run(self) -> None:
        try:
            day = dt.date.fromisoformat(self.day.text().strip())
        except ValueError:
            self.say(self.tr("Write the day as YYYY-MM-DD."), error=True)
            return
        try:
            self.report = self.service.reconcile(day)
        except (ReconciliationUnavailable, OSError) as error:
            self.report = None
            self._enable(False)
            self.say_failure(error, self.tr("Cannot reconcile: {error}").format(error=error))
            return
        verdict = (
            self.tr("No unexplained difference.")
            if self.report.ok
            else self.tr("{n} unexplained difference(s).").format(n=self.report.unexplained)
        )
        fill(self.result, [*summary_lines(self.report), "", verdict])
        self._enable(True)
        self.say("")

    def export_csv(self) -> None:
        if self.report is None:
            return
        self.export_and_say(lambda: self.service.export_reconciliation(self.report))

    def _print(self, action) -> None:
        if self.report is None:
            return
        report = self.report
        self._enable(False)
        run_task(self.ctx, lambda: action(report), self._printed, self._failed)

    def _printed(self, _result: object) -> None:
        self._enable(True)
        self.say(self.tr("Printed."))

    def _failed(self, error: Exception) -> None:
        self._enable(True)
        self.say_failure(error, self.tr("Printing failed: {error}").format(error=error))
