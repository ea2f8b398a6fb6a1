"""Special payment (特殊缴费, flow 6): every pending bill the fee system holds for the person, a page at a time;
one is chosen, reviewed with its total on the pay-method screen, and paid."""

from __future__ import annotations

from kiosk.flow import Step
from screens.arrears_bills import BillsScreen


class SpecialBillsScreen(BillsScreen):
    step = Step.SPECIAL_BILLS

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.heading.setText(self.tr("Special payment: choose the bill to pay"))

    def on_enter(self) -> None:
        self.busy.setVisible(True)
        self.message.setText(self.tr("Looking up your bills..."))
        self.bill_list.show([], None)
        subject = self.ctx.session.subject
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.pending_bills(subject.id_number), on_done=self.show_bills, on_failed=self.failed
        )
