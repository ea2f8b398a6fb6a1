"""Before any money is taken, the receipt printer is asked: the one rule the grade, medical items and checkout
method screens share (DESIGN.md §3.5: "check before taking money"); and the journal's disk must have room for the
whole payment's records (issue 25 §1): the pay screens ask ``disk_gate`` before the order or the card."""

from __future__ import annotations

from kiosk.checkout import write_failure_outcome
from kiosk.flow import FlowEvent
from kiosk.payments.disk_reserve import DiskReserve, ReserveTooLow
from kiosk.receipts import PrinterReadiness
from kiosk.service_health import ServiceHealth
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


def disk_gate(session: Session, health: ServiceHealth, reserve: DiskReserve | None) -> bool:
    """True when the payment may start. Below the reserve: the session's outcome says in words that no money was
    taken, the kiosk goes out of service (DISK_RESERVE, cleared by the idle pass when room is back) and the
    technician's warning is logged (DiskReserve.require)."""
    if reserve is None:
        return True
    try:
        reserve.require()
    except ReserveTooLow as low:
        outcome = write_failure_outcome(low)
        assert outcome is not None and outcome.problem is not None
        session.payment, session.record = outcome, None
        health.report(*outcome.problem)
        return False
    return True
