"""The HTTP fee system when things go wrong: lost answers, error statuses, slow or unreachable servers, bad bodies."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest

from feehttp_fixtures import (
    ELDERLY,
    FLEXIBLE,
    RESIDENT,
    UNREGISTERED,
    own_key,
    pay_resident_pension,
    raw_context,
    session_tls,
)
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import (
    AlreadyPaid,
    CertificateKind,
    FeeSystemError,
    InvalidRequest,
    NotAllowed,
    NotRegistered,
    QrOrderState,
    Unavailable,
    UnknownRecord,
)
from kiosk.feesystem.http_client import HttpFeeSystem
from parties.feesystem.http_server import FeeSystemHttpServer

pytest_plugins = ["feehttp_fixtures"]


def raw_post(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5, context=raw_context()) as response:  # mutual TLS
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- idempotency through retries ------------------------------------------------------------------------------


def test_a_lost_answer_after_posting_is_retried_and_posted_once(client, served):
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    order = client.open_qr_order(own_key("1"), quote.quote_id, PayMethod.WECHAT)
    paid = client.simulate_qr_payment(order.order_no)
    served.controls.drop_answers(1)  # the server commits the payment, then hangs up
    before = served.controls.calls
    record = client.post_payment(own_key("1"), quote.quote_id, PayMethod.WECHAT, paid.channel_txn, RESIDENT)
    assert served.controls.calls - before == 2  # the retry carried the same key
    assert served.backend.payment_records(RESIDENT) == [record]
    assert client.find_payment(own_key("1")) == record


def test_a_lost_answer_when_opening_an_order_opens_one_order(client, served):
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    served.controls.drop_answers(2)
    order = client.open_qr_order(own_key("2"), quote.quote_id, PayMethod.ALIPAY)
    assert [o.order_no for o in served.backend.open_qr_orders()] == [order.order_no]
    served.controls.drop_answers(1)
    assert client.close_qr_order(order.order_no).order_no == order.order_no
    assert served.backend.open_qr_orders() == []


def test_the_idempotency_key_header_stands_in_for_the_argument(served, client):
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    body = json.dumps({"quote_id": quote.quote_id, "method": "wechat"}).encode()
    url = served.url + "/rpc/open_qr_order"
    first = raw_post(url, body, {"Idempotency-Key": own_key("hdr-1")})
    second = raw_post(url, body, {"Idempotency-Key": own_key("hdr-1")})
    assert first[0] == second[0] == 200 and first[1] == second[1]
    with_argument = json.dumps({"idempotency_key": own_key("hdr-1"), "quote_id": quote.quote_id, "method": "wechat"})
    assert raw_post(url, with_argument.encode(), {"Idempotency-Key": own_key("hdr-1")}) == first
    status, answer = raw_post(url, with_argument.encode(), {"Idempotency-Key": "other"})
    assert status == 400 and answer["error"]["code"] == "invalid_request"
    assert len(served.backend.open_qr_orders()) == 1


def test_the_client_sends_the_idempotency_header(served, client, monkeypatch):
    seen: list[str | None] = []
    original = served.call
    monkeypatch.setattr(
        served, "call", lambda name, body, key, *caller: seen.append(key) or original(name, body, key, *caller)
    )
    pay_resident_pension(client, own_key("3"))
    assert seen == [None, own_key("3"), None, own_key("3")]  # quote, open (keyed), simulated payment, post (keyed)


# --- every error, with its status and machine code -------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "arguments", "status", "code", "error"),
    [
        ("registration", {"id_number": UNREGISTERED}, 404, "not_registered", NotRegistered),
        (
            "resident_offers",
            {"id_number": ELDERLY, "item": "resident_pension", "today": "2026-11-27"},
            403,
            "not_allowed",
            NotAllowed,
        ),
        (
            "quote_resident",
            {"id_number": RESIDENT, "item": "resident_pension", "year": 2026, "grade_code": "G99"},
            400,
            "invalid_request",
            InvalidRequest,
        ),
        ("qr_order_status", {"order_no": "WX-none"}, 404, "unknown_record", UnknownRecord),
    ],
)
def test_each_refusal_has_its_status_code_and_class(served, client, method, arguments, status, code, error):
    answer_status, answer = raw_post(served.url + "/rpc/" + method, json.dumps(arguments).encode())
    assert (answer_status, answer["error"]["code"]) == (status, code)
    assert answer["error"]["detail"] and answer["error"]["citizen_message"]
    before = served.controls.calls
    with pytest.raises(error) as raised:
        client.call(method, **arguments)
    assert type(raised.value) is error and raised.value.detail
    assert served.controls.calls - before == 1  # refusals are not retried


def test_a_special_citizen_message_crosses_the_wire(client):
    pay_resident_pension(client, own_key("4"))
    with pytest.raises(NotAllowed) as raised:
        client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G01")
    assert raised.value.citizen_message == "This year has already been paid."


def test_already_paid_travels_by_its_code_with_the_refund_and_no_retry(served, client):
    """A second posting of a paid year: 409 with code already_paid, raised as AlreadyPaid (a NotAllowed) at once,
    the citizen message intact; the simulated channel refunded the second order; the same key is refused again."""
    second = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G01")  # before the year is paid
    order = client.open_qr_order(own_key("2"), second.quote_id, PayMethod.ALIPAY)
    paid = client.simulate_qr_payment(order.order_no)
    first = pay_resident_pension(client, own_key("1"))
    arguments = {"idempotency_key": own_key("2"), "quote_id": second.quote_id, "pay_method": "alipay",
                 "channel_ref": paid.channel_txn, "payer_id_number": RESIDENT}
    status, answer = raw_post(served.url + "/rpc/post_payment", json.dumps(arguments).encode())
    assert (status, answer["error"]["code"]) == (409, "already_paid")
    assert first.payment_no in answer["error"]["detail"]
    before = served.controls.calls
    with pytest.raises(AlreadyPaid) as raised:
        client.post_payment(own_key("2"), second.quote_id, PayMethod.ALIPAY, paid.channel_txn, RESIDENT)
    assert served.controls.calls - before == 1  # a refusal is final: not retried
    assert isinstance(raised.value, NotAllowed) and raised.value.code == "already_paid"
    assert raised.value.citizen_message == AlreadyPaid.citizen_message
    assert client.qr_order_status(order.order_no).state is QrOrderState.REFUNDED
    assert client.find_payment(own_key("2")) is None and client.post_payment(
        own_key("1"), first_quote_id(served, own_key("1")), PayMethod.WECHAT, first.channel_ref, RESIDENT
    ) == first  # the paid key is still idempotent
    third = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    client.post_payment(own_key("3"), third.quote_id, PayMethod.BANK_CARD, "RRN", RESIDENT)
    with pytest.raises(AlreadyPaid) as at_open:  # the cheap check before any money moves, over HTTP too
        client.open_qr_order(own_key("4"), third.quote_id, PayMethod.WECHAT)
    assert at_open.value.citizen_message == "This period has already been paid. No money was taken."


def first_quote_id(served, key: str) -> str:
    """The quote a QR order was opened with (the simulator's table): to post a key again as the kiosk would."""
    row = served.backend._db.execute("SELECT quote_id FROM qr_orders WHERE idempotency_key = ?", (key,)).fetchone()
    return row[0]


def test_unavailable_after_retries_of_5xx(served, client):
    served.controls.fail(503, calls=3)
    before = served.controls.calls
    with pytest.raises(Unavailable) as raised:
        client.registration(RESIDENT)
    assert served.controls.calls - before == 3 and "HTTP 503" in raised.value.detail
    assert client.registration(RESIDENT).name == "李秀英"  # the faults are used up


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_a_passing_5xx_is_retried_to_success(served, client, status):
    served.controls.fail(status, calls=2)
    assert client.registration(RESIDENT).name == "李秀英"


def test_a_backend_bug_is_unavailable_without_its_message(served, client, monkeypatch):
    def broken(id_number):
        raise RuntimeError(f"bug while reading {id_number}")

    monkeypatch.setattr(served.backend, "registration", broken)
    status, answer = raw_post(served.url + "/rpc/registration", json.dumps({"id_number": RESIDENT}).encode())
    assert status == 503 and RESIDENT not in json.dumps(answer)
    with pytest.raises(Unavailable):
        client.registration(RESIDENT)


def test_a_certificate_print_is_not_counted_twice_by_a_retry(served, client):
    record = pay_resident_pension(client, own_key("5"))
    issue = client.issue_certificate(CertificateKind.TAX, RESIDENT, (record.payment_no,))
    served.controls.drop_answers(1)
    with pytest.raises(Unavailable):
        client.record_certificate_print(issue.number)
    assert served.backend.check_document(issue.number).printed == issue.printed + 1


# --- slow and unreachable servers ------------------------------------------------------------------------------


def test_a_slow_server_ends_in_unavailable_within_the_timeout(served):
    served.controls.delay(5000)  # far beyond the client's 0.5 s
    client = HttpFeeSystem(served.url, timeout_seconds=0.5, retries=3, backoff_seconds=0.01, tls=session_tls())
    started = time.monotonic()
    with pytest.raises(Unavailable) as raised:
        client.registration(RESIDENT)
    assert time.monotonic() - started < 4  # bounded by the client's deadline, not the server's 5 s
    assert "timed out" in raised.value.detail


def test_a_slow_answer_within_the_timeout_arrives(served, client):
    served.controls.delay(100, calls=1)
    assert client.registration(RESIDENT).name == "李秀英"


def test_a_server_closing_connections_is_unavailable_then_recovers(served, client):
    served.controls.refuse()
    with pytest.raises(Unavailable) as raised:
        client.registration(RESIDENT)
    assert "connection" in raised.value.detail
    served.controls.clear()
    assert client.registration(RESIDENT).name == "李秀英"
    served.controls.refuse(calls=2)
    assert client.registration(RESIDENT).name == "李秀英"  # the third attempt gets through


def test_nobody_listening_is_unavailable(served):
    client = HttpFeeSystem(f"http://127.0.0.1:{free_port()}", timeout_seconds=2, retries=2, backoff_seconds=0.01)
    with pytest.raises(Unavailable) as raised:
        client.registration(RESIDENT)
    assert "attempt" in raised.value.detail


def test_a_stopped_server_is_unavailable(fee_system):
    server = FeeSystemHttpServer(fee_system).start()
    client = HttpFeeSystem(server.url, timeout_seconds=2, retries=1, backoff_seconds=0.01)
    assert client.registration(RESIDENT).name == "李秀英"
    server.stop()
    with pytest.raises(Unavailable):
        client.registration(RESIDENT)


# --- malformed bodies, both ways -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'{"id_number": 370103}',
        b'{"id_number": "x", "extra": 1}',
        b"{}",
    ],
)
def test_the_server_refuses_malformed_requests(served, body):
    status, answer = raw_post(served.url + "/rpc/registration", body)
    assert status == 400 and answer["error"]["code"] == "invalid_request"


@pytest.mark.parametrize(
    "arguments",
    [
        {"id_number": FLEXIBLE, "item": "flexible_pension", "period": {"start": "2026-09", "end": "2026-09"},
         "base_fen": 400000.0},  # money is never a float
        {"id_number": FLEXIBLE, "item": "flexible_pension", "period": {"start": "2026-13"}, "base_fen": 1},
        {"id_number": FLEXIBLE, "item": "no_such_item", "period": {"start": "2026-09", "end": "2026-09"},
         "base_fen": 1},
        {"id_number": FLEXIBLE, "item": "flexible_pension", "period": "2026-09", "base_fen": True},
    ],
)
def test_the_server_refuses_wrong_types(served, arguments):
    status, answer = raw_post(served.url + "/rpc/quote_flexible", json.dumps(arguments).encode())
    assert status == 400 and answer["error"]["code"] == "invalid_request"


def test_unknown_methods_and_routes(served, client):
    assert raw_post(served.url + "/rpc/drop_tables", b"{}")[0] == 404
    assert raw_post(served.url + "/nowhere", b"{}")[0] == 404
    with pytest.raises(InvalidRequest):
        client.call("drop_tables")
    with pytest.raises(InvalidRequest):
        client.call("close")


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, b"<html>proxy</html>", Unavailable),  # the call may have happened: outcome unknown
        (200, b'{"result": {"id_number": 1}}', Unavailable),
        (200, b'{"nothing": 1}', Unavailable),
        (404, b"<html>not found</html>", InvalidRequest),
        (400, b'{"error": {"code": "no_such_code"}}', InvalidRequest),
        (503, b"<html>maintenance</html>", Unavailable),
    ],
)
def test_the_client_maps_malformed_answers_to_fee_system_errors(served, client, status, body, error):
    served.controls.fail(status, calls=None, body=body)
    with pytest.raises(error) as raised:
        client.registration(RESIDENT)
    assert type(raised.value) is error and raised.value.detail


def test_client_arguments_of_the_wrong_type_are_an_invalid_request(client):
    with pytest.raises(InvalidRequest):
        client.registration(object())  # type: ignore[arg-type]


# --- controls over HTTP, for the harness -----------------------------------------------------------------------


def test_the_controls_work_over_http(served, client):
    assert raw_post(served.url + "/sim/fail", json.dumps({"status": 503, "calls": 5}).encode())[0] == 200
    with pytest.raises(Unavailable):
        client.registration(RESIDENT)
    assert raw_post(served.url + "/sim/clear", b"")[0] == 200
    assert client.registration(RESIDENT).name == "李秀英"
    assert raw_post(served.url + "/sim/refuse", b'{"calls": 0}')[0] == 400
    assert raw_post(served.url + "/sim/explode", b"{}")[0] == 400
    with urllib.request.urlopen(served.url + "/sim/stats", timeout=5, context=raw_context()) as response:
        stats = json.loads(response.read())
    assert stats["calls"] >= 4 and "post_payment" in stats["methods"]


def test_controls_can_be_switched_off(fee_system):
    with FeeSystemHttpServer(fee_system, controls=False) as server:
        assert raw_post(server.url + "/sim/refuse", b"{}")[0] == 404


# --- concurrency -----------------------------------------------------------------------------------------------


def test_twenty_client_threads_at_once(served, client):
    """20 kiosks post the same month at once, each twice under its key: one posting wins, every other key is
    refused (AlreadyPaid, again on the repeat), and the winner's repeat returns its record."""
    offer = client.flexible_offer(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, dt.date(2026, 11, 27))
    period = Period(YearMonth(2026, 9), YearMonth(2026, 9))
    errors: list[BaseException] = []
    records = []
    refused: list[str] = []
    lock = threading.Lock()
    # All quoted before any is paid (once September is paid it is no longer offered, nor quoted).
    quotes = [
        client.quote_flexible(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, period, offer.base_min_fen) for _ in range(60)
    ]

    def worker(number: int) -> None:
        try:
            for round_ in range(3):
                assert client.registration(RESIDENT).name == "李秀英"
                quote = quotes[number * 3 + round_]
                key = own_key(f"thread-{number}-{round_}")
                try:
                    record = client.post_payment(key, quote.quote_id, PayMethod.BANK_CARD, f"ref-{key}", FLEXIBLE)
                except AlreadyPaid:
                    with pytest.raises(AlreadyPaid):
                        client.post_payment(key, quote.quote_id, PayMethod.BANK_CARD, f"ref-{key}", FLEXIBLE)
                    with lock:
                        refused.append(key)
                    continue
                again = client.post_payment(key, quote.quote_id, PayMethod.BANK_CARD, f"ref-{key}", FLEXIBLE)
                assert record == again
                with lock:
                    records.append(record)
        except (AssertionError, FeeSystemError) as error:
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(records) == 1 and len(refused) == 59
    assert served.backend.payment_records(FLEXIBLE, period) == records
