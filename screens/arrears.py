"""Residents' arrears (社保费补缴, DESIGN.md §1 flow 13; guide 二(四) and 四(三)).

The items screen looks the bills up (kiosk: ``arrears_bills``); when they come from more than one 社保经办机构 the
citizen chooses the agency first, otherwise the bills show at once. Bills are paid one at a time (arrears_bills.py).
"""

from __future__ import annotations

from kiosk.domain.money import format_fen
from kiosk.feesystem.api import Bill
from kiosk.flow import FlowEvent, Step
from screens.arrears_bills import BillsScreen
from screens.base import ButtonRow, Screen, chosen_text
from screens.widgets import button, label


def agencies_of(bills: list[Bill]) -> list[str]:
    """The agencies, in the fee system's order (it lists the bills by agency)."""
    return list(dict.fromkeys(bill.agency for bill in bills))


class ArrearsAgencyScreen(Screen):
    step = Step.ARREARS_AGENCY

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.title(self.tr("Arrears: choose the social insurance agency"))
        self.layout_.addWidget(
            label(self.tr("Your arrears were raised by more than one agency. Each agency's bills are paid apart."))
        )
        self.rows = [ButtonRow(self, spacing=30) for _ in range(3)]
        self.layout_.addStretch(2)

    def voice_prompt(self) -> str:
        return self.tr("Please choose the social insurance agency whose bills you want to pay.")

    def on_enter(self) -> None:
        for row in self.rows:
            row.clear()
        bills = self.ctx.session.bills
        for index, agency in enumerate(agencies_of(bills)[: len(self.rows)]):
            own = [bill for bill in bills if bill.agency == agency]
            text = self.tr("{agency}\n{count} bills, {total}").format(
                agency=agency, count=len(own), total=format_fen(sum(bill.amount_fen for bill in own))
            )
            choice = button(chosen_text(text, agency == self.ctx.session.agency), "bill", f"agency_{index + 1}")
            choice.setProperty("wide", True)
            choice.clicked.connect(lambda _=False, a=agency: self.choose(a))
            self.rows[index].add(choice)

    def choose(self, agency: str) -> None:
        self.ctx.session.agency = agency
        self.ctx.session.bill = None
        self.fire(FlowEvent.AGENCY_CHOSEN)


class ArrearsBillsScreen(BillsScreen):
    step = Step.ARREARS_BILLS

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.heading.setText(self.tr("Arrears: choose the bill to pay"))

    def on_enter(self) -> None:
        session = self.ctx.session
        bills = [bill for bill in session.bills if session.agency in (None, bill.agency)]
        self.show_bills(bills, bills[0].agency if bills else None)
