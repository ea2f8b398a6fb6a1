"""Before any money is taken, the receipt printer is asked: the one rule the grade, medical items and checkout
method screens share (DESIGN.md §3.5: "check before taking money")."""

from __future__ import annotations

from kiosk.flow import FlowEvent
from kiosk.receipts import PrinterReadiness
from kiosk.session import Session


def pay_event(session: Session, readiness: PrinterReadiness | Exception) -> FlowEvent:
    """Note the printer's readiness in the session and say where the payment goes: to the chosen method, or to
    the citizen's decision when no receipt can be printed (a failed check counts as "cannot print")."""
    ready = readiness if isinstance(readiness, PrinterReadiness) else PrinterReadiness(False, reason="no_answer")
    session.printer = ready
    if not ready.can_print:
        return FlowEvent.PRINTER_UNAVAILABLE
    method = session.pay_method
    return FlowEvent.PAY_BY_QR if method is not None and method.is_qr else FlowEvent.PAY_BY_CARD
