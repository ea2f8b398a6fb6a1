"""The whole flow table walked without widgets (kiosk/flow.py): every step reachable from Home, every payment path
asking the receipt printer before money, "back" never returning past money or a card read."""

from __future__ import annotations

from collections import deque

import pytest

from kiosk.checkout_gate import pay_event
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.flow import FLOW, ITEM_CHOSEN, LOGGED_IN, NO_RETURN, STEP_TITLES, STEPS, Flow, FlowError, FlowEvent, Step
from kiosk.receipts import PrinterReadiness
from kiosk.session import Session


def paths_from_home() -> dict[Step, list[FlowEvent]]:
    """The shortest list of events that leads from Home to each step."""
    paths: dict[Step, list[FlowEvent]] = {Step.HOME: []}
    queue = deque([Step.HOME])
    while queue:
        step = queue.popleft()
        for event, target in FLOW[step].items():
            if target not in paths:
                paths[target] = [*paths[step], event]
                queue.append(target)
    return paths


def test_every_step_is_declared_once_with_a_title_and_reached_from_home() -> None:
    assert set(STEPS) == set(Step) == set(STEP_TITLES) == set(FLOW)
    assert all(STEP_TITLES[step] for step in Step)
    assert set(paths_from_home()) == set(Step)


def test_every_event_is_a_declared_flow_event_and_every_target_a_step() -> None:
    for step, transitions in FLOW.items():
        for event, target in transitions.items():
            assert isinstance(event, FlowEvent), (step, event)
            assert isinstance(target, Step), (step, event)


def test_every_step_but_the_query_has_a_way_on() -> None:
    assert [step for step, transitions in FLOW.items() if not transitions] == [Step.QUERY]  # Home or back from it


@pytest.mark.parametrize("step", list(Step), ids=str)
def test_the_flow_walks_from_home_to_each_step(step: Step) -> None:
    flow = Flow()
    for event in paths_from_home()[step]:
        flow.fire(event)
    assert flow.step is step


def test_every_way_to_pay_asks_the_printer_first() -> None:
    payers = {step for step, transitions in FLOW.items() if Step.QR_PAY in transitions.values()}
    # RESULT: a card payment that ended without money offers the same item by QR (issue 19)
    assert payers == {Step.GRADE, Step.MED_ITEMS, Step.CHECKOUT_METHOD, Step.RECEIPT_WARNING, Step.RESULT}
    for step in payers - {Step.RECEIPT_WARNING}:  # the warning is where a citizen chose to pay without receipt
        assert FLOW[step][FlowEvent.PRINTER_UNAVAILABLE] is Step.RECEIPT_WARNING


@pytest.mark.parametrize(
    ("method", "readiness", "event"),
    [
        (PayMethod.ALIPAY, PrinterReadiness(True), FlowEvent.PAY_BY_QR),
        (PayMethod.WECHAT, PrinterReadiness(True, paper_low=True), FlowEvent.PAY_BY_QR),
        (PayMethod.BANK_CARD, PrinterReadiness(True), FlowEvent.PAY_BY_CARD),
        (PayMethod.ALIPAY, PrinterReadiness(False, reason="paper_out"), FlowEvent.PRINTER_UNAVAILABLE),
        (PayMethod.BANK_CARD, TimeoutError("no answer"), FlowEvent.PRINTER_UNAVAILABLE),
    ],
)
def test_the_printer_check_decides_where_the_payment_goes(method, readiness, event) -> None:
    session = Session()
    session.pay_method = method
    assert pay_event(session, readiness) is event
    assert isinstance(session.printer, PrinterReadiness)


def test_back_never_returns_past_money_or_a_card_read() -> None:
    flow = Flow()
    for event in paths_from_home()[Step.RESULT]:
        flow.fire(event)
    assert Step.RESULT in NO_RETURN and not flow.can_go_back()
    flow.back()
    assert flow.step is Step.RESULT


def test_back_skips_the_login_so_the_card_is_not_read_again() -> None:
    flow = Flow()
    for event in paths_from_home()[Step.RESIDENT_YEAR]:
        flow.fire(event)
    flow.back()
    assert flow.step is Step.ITEMS
    ended: list[str] = []
    flow.session_ended.connect(ended.append)
    flow.back()
    assert ended == [] and flow.step is Step.MENU  # past the login, straight to the menu


def test_an_event_the_step_does_not_know_is_refused() -> None:
    flow = Flow()
    with pytest.raises(FlowError):
        flow.fire(FlowEvent.FINISHED)
    assert flow.step is Step.HOME


def test_the_login_and_items_events_cover_every_module_and_insurance() -> None:
    assert set(LOGGED_IN.values()) == set(FLOW[Step.LOGIN])
    # Besides the insurances, the items screen leads to the residents' arrears (the agency asked only for several).
    arrears = {FlowEvent.ARREARS_ONE_AGENCY, FlowEvent.ARREARS_AGENCIES}
    assert set(ITEM_CHOSEN) == set(InsuredItem) and set(ITEM_CHOSEN.values()) | arrears == set(FLOW[Step.ITEMS])


def test_the_screen_table_names_one_screen_for_each_declared_step() -> None:
    """The screens layer keeps the step → screen table (kiosk/ may not know the widgets); it covers exactly the
    steps kiosk/flow.py declares, and each screen class says the step it is listed under."""
    from screens.main_window import SCREEN_CLASSES, screen_class

    assert set(SCREEN_CLASSES) == set(STEPS)
    for step in SCREEN_CLASSES:
        assert screen_class(step).step is step, step
