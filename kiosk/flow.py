"""The kiosk's flow as one table: which event on which step leads to which step (DESIGN.md §1).

A table-driven machine on Qt signals rather than QtStateMachine: the whole flow reads as one dictionary, a
test can walk it without widgets, and "back" is a history stack instead of a web of extra transitions. Screens
fire events; the main window shows the screen of the current step.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from drivers.base import QT_TRANSLATE_NOOP
from kiosk.domain.items import InsuredItem

log = logging.getLogger(__name__)


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
    ARREARS_AGENCY = "arrears_agency"
    ARREARS_BILLS = "arrears_bills"
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
    CERT_ISSUED = "cert_issued"
    CERT_PREVIEW = "cert_preview"
    CERT_DONE = "cert_done"
    # The household basket (issue 22): gather items for oneself and others, then one payment.
    BASKET = "basket"
    HOUSEHOLD = "household"
    BASKET_QR = "basket_qr"
    BASKET_CARD = "basket_card"
    BASKET_DONE = "basket_done"


class FlowEvent(StrEnum):
    """What a screen tells the flow. Declared, never built from strings at run time."""

    CATEGORY_CHOSEN = "category_chosen"
    PAY = "pay"
    PROXY = "proxy"
    PROXY_CERTIFICATES = "proxy_certificates"  # a payer prints the payee's certificates (代打)
    CERTIFICATES = "certificates"
    QUERY = "query"
    LOGGED_IN_PAY = "logged_in_pay"
    LOGGED_IN_PROXY = "logged_in_proxy"
    LOGGED_IN_CERTIFICATES = "logged_in_certificates"
    LOGGED_IN_QUERY = "logged_in_query"
    PAYEE_FOUND = "payee_found"
    PAYEE_CONFIRMED = "payee_confirmed"
    PAYEE_CONFIRMED_FOR_CERTIFICATES = "payee_confirmed_for_certificates"
    RESIDENT_PENSION = "resident_pension"
    RESIDENT_MEDICAL = "resident_medical"
    FLEXIBLE_PENSION = "flexible_pension"
    FLEXIBLE_MEDICAL = "flexible_medical"
    SPECIAL = "special"
    # Residents' arrears (社保费补缴): the agency is asked only when the bills come from more than one.
    ARREARS_ONE_AGENCY = "arrears_one_agency"
    ARREARS_AGENCIES = "arrears_agencies"
    AGENCY_CHOSEN = "agency_chosen"
    YEAR_CHOSEN = "year_chosen"
    PERIOD_CHOSEN = "period_chosen"
    BASE_ENTERED = "base_entered"
    REVIEW_CONFIRMED = "review_confirmed"
    BILL_CHOSEN = "bill_chosen"
    BINDING_CONFIRMED = "binding_confirmed"
    QR_CHOSEN = "qr_chosen"  # the pay method, before the amount is known
    BANK_CARD_CHOSEN = "bank_card_chosen"
    # The amount is known and the receipt printer was asked (kiosk.checkout_gate): pay, or decide without receipt.
    PAY_BY_QR = "pay_by_qr"
    PAY_BY_CARD = "pay_by_card"
    PRINTER_UNAVAILABLE = "printer_unavailable"
    CONTINUE_WITHOUT_RECEIPT = "continue_without_receipt"
    CONTINUE_CARD_WITHOUT_RECEIPT = "continue_card_without_receipt"
    FINISHED = "finished"
    FINISH = "finish"
    TAX = "tax"
    PAYMENT = "payment"
    ISSUED = "issued"
    ISSUED_LIST = "issued_list"
    PRINTED = "printed"
    MORE = "more"
    ADD_TO_BASKET = "add_to_basket"  # a payable choice goes into the basket instead of being paid at once
    ADD_MORE = "add_more"  # more items for oneself
    ADD_FOR_OTHERS = "add_for_others"  # items for someone else, by their ID number (as 代缴)
    HOUSEHOLD = "household"  # the household register's members (家庭成员)
    BASKET_BACK = "basket_back"
    PAY_BASKET = "pay_basket"
    PAY_BASKET_BY_CARD = "pay_basket_by_card"


# After the menu, the login leads on to the module chosen there.
LOGGED_IN = {
    "pay": FlowEvent.LOGGED_IN_PAY,
    "proxy": FlowEvent.LOGGED_IN_PROXY,
    "proxy_certificates": FlowEvent.LOGGED_IN_PROXY,
    "certificates": FlowEvent.LOGGED_IN_CERTIFICATES,
    "query": FlowEvent.LOGGED_IN_QUERY,
}
# The insurance chosen on the items screen.
ITEM_CHOSEN = {
    InsuredItem.RESIDENT_PENSION: FlowEvent.RESIDENT_PENSION,
    InsuredItem.RESIDENT_MEDICAL: FlowEvent.RESIDENT_MEDICAL,
    InsuredItem.FLEXIBLE_PENSION: FlowEvent.FLEXIBLE_PENSION,
    InsuredItem.FLEXIBLE_MEDICAL: FlowEvent.FLEXIBLE_MEDICAL,
    InsuredItem.SPECIAL: FlowEvent.SPECIAL,
}


@dataclass(frozen=True)
class StepSpec:
    """One step, declared once: its title in the header, where its events lead, whether "back" may return."""

    title: str
    on: dict[FlowEvent, Step] = field(default_factory=dict)
    no_return: bool = False  # money has moved or a card was read after it: go forward or home


E = FlowEvent
# Before any money is taken the receipt printer is asked; if it cannot print, the citizen decides.
PAY_AFTER_PRINTER_CHECK = {
    E.PAY_BY_QR: Step.QR_PAY,
    E.PAY_BY_CARD: Step.CARD_PAY,
    E.PRINTER_UNAVAILABLE: Step.RECEIPT_WARNING,
    E.ADD_TO_BASKET: Step.BASKET,  # or into the household basket, to pay later with other items (issue 22)
}

STEPS: dict[Step, StepSpec] = {
    Step.HOME: StepSpec(QT_TRANSLATE_NOOP("Flow", "Welcome"), {E.CATEGORY_CHOSEN: Step.MENU}),
    Step.MENU: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Choose a service"),
        # proxy: the payer logs in first: the receipt names both
        {
            E.PAY: Step.LOGIN,
            E.PROXY: Step.LOGIN,
            E.PROXY_CERTIFICATES: Step.LOGIN,
            E.CERTIFICATES: Step.LOGIN,
            E.QUERY: Step.LOGIN,
        },
    ),
    Step.LOGIN: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Log in"),
        {
            E.LOGGED_IN_PAY: Step.ITEMS,
            E.LOGGED_IN_QUERY: Step.QUERY,
            E.LOGGED_IN_CERTIFICATES: Step.CERT_MENU,
            E.LOGGED_IN_PROXY: Step.PROXY_ID,
        },
        no_return=True,
    ),
    Step.PROXY_ID: StepSpec(QT_TRANSLATE_NOOP("Flow", "Pay for someone else"), {E.PAYEE_FOUND: Step.PROXY_CONFIRM}),
    Step.PROXY_CONFIRM: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Confirm the person"),
        {E.PAYEE_CONFIRMED: Step.ITEMS, E.PAYEE_CONFIRMED_FOR_CERTIFICATES: Step.CERT_MENU},
    ),
    Step.ITEMS: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Choose an insurance"),
        {
            E.RESIDENT_PENSION: Step.RESIDENT_YEAR,
            E.RESIDENT_MEDICAL: Step.RESIDENT_YEAR,
            E.FLEXIBLE_PENSION: Step.FLEX_PERIOD,
            E.FLEXIBLE_MEDICAL: Step.MED_BINDING,
            E.SPECIAL: Step.SPECIAL_BILLS,
            E.ARREARS_ONE_AGENCY: Step.ARREARS_BILLS,
            E.ARREARS_AGENCIES: Step.ARREARS_AGENCY,
        },
    ),
    Step.RESIDENT_YEAR: StepSpec(QT_TRANSLATE_NOOP("Flow", "Choose the year"), {E.YEAR_CHOSEN: Step.PAY_METHOD}),
    Step.PAY_METHOD: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Choose how to pay"), {E.QR_CHOSEN: Step.GRADE, E.BANK_CARD_CHOSEN: Step.GRADE}
    ),
    Step.GRADE: StepSpec(QT_TRANSLATE_NOOP("Flow", "Choose the grade"), PAY_AFTER_PRINTER_CHECK),
    Step.FLEX_PERIOD: StepSpec(QT_TRANSLATE_NOOP("Flow", "Choose the months"), {E.PERIOD_CHOSEN: Step.FLEX_BASE}),
    Step.FLEX_BASE: StepSpec(QT_TRANSLATE_NOOP("Flow", "Contribution base"), {E.BASE_ENTERED: Step.FLEX_REVIEW}),
    Step.FLEX_REVIEW: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Check your payment"),
        {E.REVIEW_CONFIRMED: Step.CHECKOUT_METHOD, E.ADD_TO_BASKET: Step.BASKET},
    ),
    # Flexible medical, in the guide's order: binding, months, pay method, base, items, pay.
    Step.MED_BINDING: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Insurance binding"), {E.BINDING_CONFIRMED: Step.MED_PERIOD}
    ),
    Step.MED_PERIOD: StepSpec(QT_TRANSLATE_NOOP("Flow", "Choose the months"), {E.PERIOD_CHOSEN: Step.MED_METHOD}),
    Step.MED_METHOD: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Choose how to pay"), {E.QR_CHOSEN: Step.MED_BASE, E.BANK_CARD_CHOSEN: Step.MED_BASE}
    ),
    Step.MED_BASE: StepSpec(QT_TRANSLATE_NOOP("Flow", "Contribution base"), {E.BASE_ENTERED: Step.MED_ITEMS}),
    Step.MED_ITEMS: StepSpec(QT_TRANSLATE_NOOP("Flow", "Insurance items"), PAY_AFTER_PRINTER_CHECK),
    Step.SPECIAL_BILLS: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Special payment"),
        {E.BILL_CHOSEN: Step.CHECKOUT_METHOD, E.ADD_TO_BASKET: Step.BASKET},
    ),
    Step.ARREARS_AGENCY: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Choose the agency"), {E.AGENCY_CHOSEN: Step.ARREARS_BILLS}
    ),
    Step.ARREARS_BILLS: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Arrears"), {E.BILL_CHOSEN: Step.CHECKOUT_METHOD, E.ADD_TO_BASKET: Step.BASKET}
    ),
    # The pay method after the amount is known (flexible pension, special payment).
    Step.CHECKOUT_METHOD: StepSpec(QT_TRANSLATE_NOOP("Flow", "Choose how to pay"), PAY_AFTER_PRINTER_CHECK),
    Step.RECEIPT_WARNING: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "No receipt"),
        {E.CONTINUE_WITHOUT_RECEIPT: Step.QR_PAY, E.CONTINUE_CARD_WITHOUT_RECEIPT: Step.CARD_PAY},
    ),
    Step.QR_PAY: StepSpec(QT_TRANSLATE_NOOP("Flow", "Pay"), {E.FINISHED: Step.RESULT}, no_return=True),
    Step.CARD_PAY: StepSpec(QT_TRANSLATE_NOOP("Flow", "Pay by bank card"), {E.FINISHED: Step.RESULT}, no_return=True),
    Step.RESULT: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Result"),
        # a card payment that ended without money: the same item by QR (screens/result.py)
        {E.FINISH: Step.HOME, E.PAY_BY_QR: Step.QR_PAY, E.PRINTER_UNAVAILABLE: Step.RECEIPT_WARNING},
        no_return=True,
    ),
    Step.QUERY: StepSpec(QT_TRANSLATE_NOOP("Flow", "Payment records")),
    Step.CERT_MENU: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Certificates"),
        {E.TAX: Step.TAX_CERT, E.PAYMENT: Step.PAY_CERT, E.ISSUED_LIST: Step.CERT_ISSUED},
    ),
    Step.TAX_CERT: StepSpec(QT_TRANSLATE_NOOP("Flow", "Tax payment certificate"), {E.ISSUED: Step.CERT_PREVIEW}),
    Step.PAY_CERT: StepSpec(QT_TRANSLATE_NOOP("Flow", "Payment certificate"), {E.ISSUED: Step.CERT_PREVIEW}),
    Step.CERT_ISSUED: StepSpec(QT_TRANSLATE_NOOP("Flow", "Certificates issued"), {E.ISSUED: Step.CERT_PREVIEW}),
    Step.CERT_PREVIEW: StepSpec(QT_TRANSLATE_NOOP("Flow", "Check and print"), {E.PRINTED: Step.CERT_DONE}),
    Step.CERT_DONE: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Take your certificate"),
        {E.FINISH: Step.HOME, E.MORE: Step.CERT_MENU},
        no_return=True,
    ),
    Step.BASKET: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Items to pay"),
        {
            E.ADD_MORE: Step.ITEMS,
            E.ADD_FOR_OTHERS: Step.PROXY_ID,
            E.HOUSEHOLD: Step.HOUSEHOLD,
            E.PAY_BASKET: Step.BASKET_QR,
            E.PAY_BASKET_BY_CARD: Step.BASKET_CARD,
        },
    ),
    Step.HOUSEHOLD: StepSpec(QT_TRANSLATE_NOOP("Flow", "Family members"), {E.BASKET_BACK: Step.BASKET}),
    Step.BASKET_QR: StepSpec(QT_TRANSLATE_NOOP("Flow", "Pay"), {E.FINISHED: Step.BASKET_DONE}, no_return=True),
    Step.BASKET_CARD: StepSpec(
        QT_TRANSLATE_NOOP("Flow", "Pay by bank card"), {E.FINISHED: Step.BASKET_DONE}, no_return=True
    ),
    Step.BASKET_DONE: StepSpec(QT_TRANSLATE_NOOP("Flow", "Result"), {E.FINISH: Step.HOME}, no_return=True),
}

# Views of the one declaration, for the flow and the header.
FLOW: dict[Step, dict[FlowEvent, Step]] = {step: spec.on for step, spec in STEPS.items()}
STEP_TITLES: dict[Step, str] = {step: spec.title for step, spec in STEPS.items()}
NO_RETURN = frozenset(step for step, spec in STEPS.items() if spec.no_return)


class FlowError(Exception):
    pass


class Flow(QObject):
    """The current step, its history, and the transitions of FLOW."""

    changed = Signal(str, str)  # new step, previous step
    session_ended = Signal(str)  # reason: home, timeout, card_removed, finished
    step_handled = Signal(str, float)  # new step, seconds its change took to handle (the metrics' histogram)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.step = Step.HOME
        self.history: list[Step] = []

    def fire(self, event: FlowEvent) -> Step:
        target = FLOW[self.step].get(event)
        if target is None:
            raise FlowError(f"no transition for {event!r} on {self.step}")
        log.info("FLOW_EVENT %s on %s -> %s", FlowEvent(event).value, self.step.value, target.value)
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
        log.info("FLOW_SESSION_ENDED %s on %s", reason, self.step.value)
        self.history.clear()
        previous, self.step = self.step, Step.HOME
        started = time.perf_counter()
        self.session_ended.emit(reason)
        self.changed.emit(self.step.value, previous.value)
        self.step_handled.emit(self.step.value, time.perf_counter() - started)

    def _go(self, target: Step, remember: bool) -> None:
        previous = self.step
        if remember:
            self.history.append(previous)
        self.step = target
        started = time.perf_counter()
        self.changed.emit(target.value, previous.value)
        self.step_handled.emit(target.value, time.perf_counter() - started)
