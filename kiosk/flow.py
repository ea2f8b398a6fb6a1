"""The kiosk's flow as one table: which event on which step leads to which step (DESIGN.md §1).

A table-driven machine on Qt signals rather than QtStateMachine: the whole flow reads as one dictionary, a
test can walk it without widgets, and "back" is a history stack instead of a web of extra transitions. Screens
fire events; the main window shows the screen of the current step.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from drivers.base import QT_TRANSLATE_NOOP


class Step(StrEnum):
    HOME = "home"
    MENU = "menu"
    LOGIN = "login"
    ITEMS = "items"
    RESIDENT_YEAR = "resident_year"
    PAY_METHOD = "pay_method"
    GRADE = "grade"
    FLEX_PERIOD = "flex_period"
    FLEX_BASE = "flex_base"
    FLEX_REVIEW = "flex_review"
    MED_BINDING = "med_binding"
    MED_PERIOD = "med_period"
    MED_METHOD = "med_method"
    MED_BASE = "med_base"
    MED_ITEMS = "med_items"
    SPECIAL_BILLS = "special_bills"
    CHECKOUT_METHOD = "checkout_method"
    RECEIPT_WARNING = "receipt_warning"
    QR_PAY = "qr_pay"
    CARD_PAY = "card_pay"
    RESULT = "result"
    QUERY = "query"
    PROXY_ID = "proxy_id"
    PROXY_CONFIRM = "proxy_confirm"
    CERT_MENU = "cert_menu"
    TAX_CERT = "tax_cert"
    PAY_CERT = "pay_cert"
    CERT_PREVIEW = "cert_preview"
    CERT_DONE = "cert_done"


FLOW: dict[Step, dict[str, Step]] = {
    Step.HOME: {"category_chosen": Step.MENU},
    Step.MENU: {
        "pay": Step.LOGIN,
        "proxy": Step.LOGIN,  # the payer logs in first: the receipt names both
        "certificates": Step.LOGIN,
        "query": Step.LOGIN,
    },
    # The login leads on to the module chosen on the menu.
    Step.LOGIN: {
        "logged_in_pay": Step.ITEMS,
        "logged_in_query": Step.QUERY,
        "logged_in_certificates": Step.CERT_MENU,
        "logged_in_proxy": Step.PROXY_ID,
    },
    Step.PROXY_ID: {"payee_found": Step.PROXY_CONFIRM},
    Step.PROXY_CONFIRM: {"payee_confirmed": Step.ITEMS},
    Step.ITEMS: {
        "resident_pension": Step.RESIDENT_YEAR,
        "resident_medical": Step.RESIDENT_YEAR,
        "flexible_pension": Step.FLEX_PERIOD,
        "flexible_medical": Step.MED_BINDING,
        "special": Step.SPECIAL_BILLS,
    },
    Step.RESIDENT_YEAR: {"year_chosen": Step.PAY_METHOD},
    Step.FLEX_PERIOD: {"period_chosen": Step.FLEX_BASE},
    Step.FLEX_BASE: {"base_entered": Step.FLEX_REVIEW},
    Step.FLEX_REVIEW: {"review_confirmed": Step.CHECKOUT_METHOD},
    Step.SPECIAL_BILLS: {"bill_chosen": Step.CHECKOUT_METHOD},
    # Flexible medical, in the guide's order: binding, months, pay method, base, items, pay.
    Step.MED_BINDING: {"binding_confirmed": Step.MED_PERIOD},
    Step.MED_PERIOD: {"period_chosen": Step.MED_METHOD},
    Step.MED_METHOD: {"qr_chosen": Step.MED_BASE, "bank_card_chosen": Step.MED_BASE},
    Step.MED_BASE: {"base_entered": Step.MED_ITEMS},
    Step.MED_ITEMS: {"quoted": Step.QR_PAY, "quoted_card": Step.CARD_PAY, "printer_unavailable": Step.RECEIPT_WARNING},
    # The pay method after the amount is known; the receipt printer is asked before any money is taken.
    Step.CHECKOUT_METHOD: {
        "qr_chosen": Step.QR_PAY,
        "card_chosen": Step.CARD_PAY,
        "printer_unavailable": Step.RECEIPT_WARNING,
    },
    Step.PAY_METHOD: {"qr_chosen": Step.GRADE, "bank_card_chosen": Step.GRADE},
    # Before any money is taken the receipt printer is asked; if it cannot print, the citizen decides.
    Step.GRADE: {"quoted": Step.QR_PAY, "quoted_card": Step.CARD_PAY, "printer_unavailable": Step.RECEIPT_WARNING},
    Step.RECEIPT_WARNING: {"continue_without_receipt": Step.QR_PAY, "continue_card_without_receipt": Step.CARD_PAY},
    Step.QR_PAY: {"finished": Step.RESULT},
    Step.CARD_PAY: {"finished": Step.RESULT},
    Step.RESULT: {"finish": Step.HOME},
    Step.QUERY: {},
    Step.CERT_MENU: {"tax": Step.TAX_CERT, "payment": Step.PAY_CERT},
    Step.TAX_CERT: {"issued": Step.CERT_PREVIEW},
    Step.PAY_CERT: {"issued": Step.CERT_PREVIEW},
    Step.CERT_PREVIEW: {"printed": Step.CERT_DONE},
    Step.CERT_DONE: {"finish": Step.HOME, "more": Step.CERT_MENU},
}

# Steps after which "back" must not return (money has moved or a card was read: go forward or home).
NO_RETURN = frozenset({Step.QR_PAY, Step.CARD_PAY, Step.RESULT, Step.LOGIN, Step.CERT_DONE})

STEP_TITLES = {
    Step.HOME: QT_TRANSLATE_NOOP("Flow", "Welcome"),
    Step.MENU: QT_TRANSLATE_NOOP("Flow", "Choose a service"),
    Step.LOGIN: QT_TRANSLATE_NOOP("Flow", "Log in"),
    Step.ITEMS: QT_TRANSLATE_NOOP("Flow", "Choose an insurance"),
    Step.RESIDENT_YEAR: QT_TRANSLATE_NOOP("Flow", "Choose the year"),
    Step.PAY_METHOD: QT_TRANSLATE_NOOP("Flow", "Choose how to pay"),
    Step.GRADE: QT_TRANSLATE_NOOP("Flow", "Choose the grade"),
    Step.FLEX_PERIOD: QT_TRANSLATE_NOOP("Flow", "Choose the months"),
    Step.FLEX_BASE: QT_TRANSLATE_NOOP("Flow", "Contribution base"),
    Step.FLEX_REVIEW: QT_TRANSLATE_NOOP("Flow", "Check your payment"),
    Step.MED_BINDING: QT_TRANSLATE_NOOP("Flow", "Insurance binding"),
    Step.MED_PERIOD: QT_TRANSLATE_NOOP("Flow", "Choose the months"),
    Step.MED_METHOD: QT_TRANSLATE_NOOP("Flow", "Choose how to pay"),
    Step.MED_BASE: QT_TRANSLATE_NOOP("Flow", "Contribution base"),
    Step.MED_ITEMS: QT_TRANSLATE_NOOP("Flow", "Insurance items"),
    Step.SPECIAL_BILLS: QT_TRANSLATE_NOOP("Flow", "Special payment"),
    Step.CHECKOUT_METHOD: QT_TRANSLATE_NOOP("Flow", "Choose how to pay"),
    Step.RECEIPT_WARNING: QT_TRANSLATE_NOOP("Flow", "No receipt"),
    Step.QR_PAY: QT_TRANSLATE_NOOP("Flow", "Pay"),
    Step.CARD_PAY: QT_TRANSLATE_NOOP("Flow", "Pay by bank card"),
    Step.RESULT: QT_TRANSLATE_NOOP("Flow", "Result"),
    Step.QUERY: QT_TRANSLATE_NOOP("Flow", "Payment records"),
    Step.PROXY_ID: QT_TRANSLATE_NOOP("Flow", "Pay for someone else"),
    Step.PROXY_CONFIRM: QT_TRANSLATE_NOOP("Flow", "Confirm the person"),
    Step.CERT_MENU: QT_TRANSLATE_NOOP("Flow", "Certificates"),
    Step.TAX_CERT: QT_TRANSLATE_NOOP("Flow", "Tax payment certificate"),
    Step.PAY_CERT: QT_TRANSLATE_NOOP("Flow", "Payment certificate"),
    Step.CERT_PREVIEW: QT_TRANSLATE_NOOP("Flow", "Check and print"),
    Step.CERT_DONE: QT_TRANSLATE_NOOP("Flow", "Take your certificate"),
}


class FlowError(Exception):
    pass


class Flow(QObject):
    """The current step, its history, and the transitions of FLOW."""

    changed = Signal(str, str)  # new step, previous step
    session_ended = Signal(str)  # reason: home, timeout, card_removed, finished

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.step = Step.HOME
        self.history: list[Step] = []

    def fire(self, event: str) -> Step:
        target = FLOW[self.step].get(event)
        if target is None:
            raise FlowError(f"no transition for {event!r} on {self.step}")
        if target is Step.HOME:
            self.end_session("finished")
            return self.step
        self._go(target, remember=True)
        return target

    def can_go_back(self) -> bool:
        return bool(self.history) and self.step not in NO_RETURN

    def back(self) -> None:
        if not self.can_go_back():
            return
        previous = self.history.pop()
        while previous is Step.LOGIN and self.history:  # never back onto the card reader: it logs in again
            previous = self.history.pop()
        if previous is Step.HOME:
            self.end_session("home")
            return
        self._go(previous, remember=False)

    def end_session(self, reason: str) -> None:
        """Back to Home; listeners wipe the session."""
        self.history.clear()
        previous, self.step = self.step, Step.HOME
        self.session_ended.emit(reason)
        self.changed.emit(self.step.value, previous.value)

    def _go(self, target: Step, remember: bool) -> None:
        previous = self.step
        if remember:
            self.history.append(previous)
        self.step = target
        self.changed.emit(target.value, previous.value)
