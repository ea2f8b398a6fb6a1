"""Hostile input on the wire (issue 25 §3): each reproduction of the issue against the served simulator, answered
with a 4xx and a JSON error code, never a dropped connection or an exception's name; idempotency conflicts;
connections bounded in number and time; postings only of money that exists; control routes off by default."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from feehttp_fixtures import ELDERLY, RESIDENT, own_key, raw_context
from feehttp_fixtures import connect as connect_to
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import IdempotencyConflict, InvalidRequest, QrOrderState
from kiosk.feesystem.http_client import HttpFeeSystem
from parties.feesystem.http_server import FeeSystemHttpServer

pytest_plugins = ["feehttp_fixtures"]
REPO = Path(__file__).resolve().parent.parent


def exchange(url: str, request: bytes, timeout: float = 5) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes and read the one answer: (status, headers, body). A dropped connection fails the test."""
    with connect_to(url, raw_context() if url.startswith("https:") else None, timeout) as sock:  # mutual TLS
        sock.sendall(request)
        return read_answer(sock)


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def post(path: str, body: bytes, *headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: x", f"Content-Length: {len(body)}", *headers, "", ""]
    return "\r\n".join(lines).encode("latin-1") + body


def assert_refused(answer: tuple[int, dict[str, str], bytes], status: int, code: str = "invalid_request") -> None:
    got, headers, body = answer
    assert got == status, body
    assert headers["content-type"].startswith("application/json")
    error = json.loads(body)["error"]
    assert error["code"] == code
    assert "Error" not in error["detail"] and "Exception" not in error["detail"]  # no class name leaks


# --- the reproductions ---------------------------------------------------------------------------------


def test_json_nested_a_thousand_deep_is_refused_before_parsing(served):
    body = b'{"id_number": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    assert len(body) < 2100
    assert_refused(exchange(served.url, post("/rpc/registration", body)), 400)


def test_an_integer_of_5000_digits_is_refused(served):
    body = b'{"id_number": "x", "n": ' + b"9" * 5000 + b"}"
    assert_refused(exchange(served.url, post("/rpc/registration", body)), 400)
    # And where an int is declared, a long one is refused the same way.
    body = json.dumps({"order_no": "1"}).encode()[:-1] + b', "x": -' + b"1" * 4400 + b"}"
    assert_refused(exchange(served.url, post("/rpc/qr_order_status", body)), 400)


@pytest.mark.parametrize(
    "length", [b"\xb2", "²".encode(), "٣".encode(), b"+5", b"-1", b"0x10", b"1 2", b"99999999999999999999"]
)
def test_a_content_length_that_is_not_plain_digits_is_refused(served, length):
    # b"\xb2" is "²" as http.server reads header bytes (ISO-8859-1): str.isdigit() says yes, int() refuses it.
    request = b"POST /rpc/registration HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + b"\r\n\r\n"
    assert_refused(exchange(served.url, request), 400)


def test_disagreeing_content_lengths_chunked_and_huge_bodies_are_refused(served):
    body = b'{"id_number": "x"}'
    two = post("/rpc/registration", body, f"Content-Length: {len(body) + 1}")
    assert_refused(exchange(served.url, two), 400)
    chunked = b"POST /rpc/registration HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    assert_refused(exchange(served.url, chunked), 411)
    huge = b"POST /rpc/registration HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n"
    assert_refused(exchange(served.url, huge), 413)


def test_a_lone_surrogate_is_a_bad_request_not_an_internal_error(served, client):
    for body in (b'{"id_number": "\\ud800"}', b'{"\\udfff": "x"}'):
        assert_refused(exchange(served.url, post("/rpc/registration", body)), 400)
    before = served.controls.calls
    with pytest.raises(InvalidRequest):
        client.registration("\ud800")  # the client cannot even encode it: refused, never sent
    assert served.controls.calls == before


@pytest.mark.parametrize(
    "body", [b'{"id_number": NaN}', b'{"id_number": "a", "id_number": "b"}', b'{"id_number": 1e999}']
)
def test_other_json_oddities_are_refused(served, body):
    assert_refused(exchange(served.url, post("/rpc/registration", body)), 400)


def test_the_server_own_refusals_are_json_too(served):
    assert_refused(exchange(served.url, b"THIS IS NOT HTTP\r\n\r\n"), 400)
    assert_refused(exchange(served.url, b"FROB /rpc/registration HTTP/1.1\r\nHost: x\r\n\r\n"), 405)
    assert_refused(exchange(served.url, b"PUT /rpc/registration HTTP/1.1\r\nHost: x\r\n\r\n"), 405)
    long_header = b"POST /rpc/registration HTTP/1.1\r\nX: " + b"a" * 70000 + b"\r\n\r\n"
    assert_refused(exchange(served.url, long_header), 431)
    many = b"POST /rpc/registration HTTP/1.1\r\n" + b"X: y\r\n" * 150 + b"\r\n"
    assert_refused(exchange(served.url, many), 431)


def test_a_backend_bug_names_no_exception(served, monkeypatch):
    def broken(id_number):
        raise UnicodeEncodeError("utf-8", id_number, 0, 1, "surrogates not allowed")

    monkeypatch.setattr(served.backend, "registration", broken)
    status, _, body = exchange(served.url, post("/rpc/registration", b'{"id_number": "x"}'))
    assert status == 503 and b"Unicode" not in body and b"Error" not in body


# --- the same key with another request --------------------------------------------------------------------------


def test_the_same_payment_key_with_another_request_is_a_conflict(fee_system, served, client):
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    order = client.open_qr_order(own_key("1"), quote.quote_id, PayMethod.WECHAT)
    paid = client.simulate_qr_payment(order.order_no)
    record = client.post_payment(own_key("1"), quote.quote_id, PayMethod.WECHAT, paid.channel_txn, RESIDENT)
    assert client.post_payment(own_key("1"), quote.quote_id, PayMethod.WECHAT, paid.channel_txn, RESIDENT) == record
    other = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    before = served.controls.calls
    for changed in (
        (other.quote_id, PayMethod.WECHAT, paid.channel_txn, RESIDENT),
        (quote.quote_id, PayMethod.ALIPAY, paid.channel_txn, RESIDENT),
        (quote.quote_id, PayMethod.WECHAT, "WX-ELSE", RESIDENT),
        (quote.quote_id, PayMethod.WECHAT, paid.channel_txn, ELDERLY),
    ):
        with pytest.raises(IdempotencyConflict) as raised:
            client.post_payment(own_key("1"), *changed)
        assert record.payment_no in raised.value.detail
    assert served.controls.calls - before == 4  # a conflict is final: never retried
    body = json.dumps(
        {
            "idempotency_key": own_key("1"),
            "quote_id": other.quote_id,
            "pay_method": "wechat",
            "channel_ref": paid.channel_txn,
            "payer_id_number": RESIDENT,
        }
    ).encode()
    assert_refused(exchange(served.url, post("/rpc/post_payment", body)), 422, "idempotency_conflict")
    assert fee_system.payment_records(RESIDENT) == [record]


def test_the_same_order_key_with_another_request_is_a_conflict(served, client):
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    order = client.open_qr_order(own_key("2"), quote.quote_id, PayMethod.WECHAT)
    assert client.open_qr_order(own_key("2"), quote.quote_id, PayMethod.WECHAT) == order
    again = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")  # the same thing, re-quoted
    assert client.open_qr_order(own_key("2"), again.quote_id, PayMethod.WECHAT) == order
    other = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G01")
    with pytest.raises(IdempotencyConflict):
        client.open_qr_order(own_key("2"), other.quote_id, PayMethod.WECHAT)
    with pytest.raises(IdempotencyConflict):
        client.open_qr_order(own_key("2"), quote.quote_id, PayMethod.ALIPAY)


# --- postings only of money that exists ---------------------------------------------------------------------------


def test_a_qr_posting_needs_a_paid_order_of_its_channel_amount_and_person(fee_system, client):
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    with pytest.raises(InvalidRequest, match="no paid wechat order"):
        client.post_payment(own_key("3"), quote.quote_id, PayMethod.WECHAT, "WX-MADE-UP", RESIDENT)
    order = client.open_qr_order(own_key("3"), quote.quote_id, PayMethod.WECHAT)
    with pytest.raises(InvalidRequest):  # open, not paid: its transaction does not exist yet
        client.post_payment(own_key("3"), quote.quote_id, PayMethod.WECHAT, "", RESIDENT)
    paid = client.simulate_qr_payment(order.order_no)
    with pytest.raises(InvalidRequest):  # the order is WeChat's, not Alipay's
        client.post_payment(own_key("3"), quote.quote_id, PayMethod.ALIPAY, paid.channel_txn, RESIDENT)
    cheaper = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G01")
    with pytest.raises(InvalidRequest, match="another amount"):
        client.post_payment(own_key("4"), cheaper.quote_id, PayMethod.WECHAT, paid.channel_txn, RESIDENT)
    elderly = client.quote_resident(ELDERLY, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    with pytest.raises(InvalidRequest):
        client.post_payment(own_key("5"), elderly.quote_id, PayMethod.WECHAT, paid.channel_txn, ELDERLY)
    assert fee_system.payment_records(RESIDENT) == [] and fee_system.payment_records(ELDERLY) == []
    record = client.post_payment(own_key("3"), quote.quote_id, PayMethod.WECHAT, paid.channel_txn, RESIDENT)
    assert record.channel_ref == paid.channel_txn
    medical = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    with pytest.raises(InvalidRequest, match="already posted"):  # one order's money is posted once
        client.post_payment(own_key("6"), medical.quote_id, PayMethod.WECHAT, paid.channel_txn, RESIDENT)


def test_a_refunded_order_is_not_posted(fee_system, client):
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    order = client.open_qr_order(own_key("7"), quote.quote_id, PayMethod.ALIPAY)
    client.close_qr_order(order.order_no)
    refunded = client.simulate_qr_payment(order.order_no)  # paid after closing: the channel gives it back
    assert refunded.state is QrOrderState.REFUNDED
    with pytest.raises(InvalidRequest):
        client.post_payment(own_key("7"), quote.quote_id, PayMethod.ALIPAY, refunded.channel_txn, RESIDENT)


@pytest.mark.parametrize("reference", ["", "   ", "--", "a\nb", "x" * 65, "银行", "RRN\x00"])
def test_a_card_posting_needs_a_well_formed_bank_reference(fee_system, client, reference):
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    with pytest.raises(InvalidRequest, match="bank reference"):
        client.post_payment(own_key("8"), quote.quote_id, PayMethod.BANK_CARD, reference, RESIDENT)
    assert fee_system.payment_records(RESIDENT) == []
    assert client.post_payment(own_key("8"), quote.quote_id, PayMethod.BANK_CARD, "   611201042", RESIDENT).payment_no


# --- controls off unless asked for -------------------------------------------------------------------------------


def test_controls_and_the_simulated_phone_are_off_by_default(fee_system):
    quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    order = fee_system.open_qr_order(own_key("9"), quote.quote_id, PayMethod.WECHAT)
    with FeeSystemHttpServer(fee_system) as server:
        pay = post("/rpc/simulate_qr_payment", json.dumps({"order_no": order.order_no}).encode())
        assert_refused(exchange(server.url, pay), 404)
        assert_refused(exchange(server.url, post("/rpc/open_qr_orders", b"{}")), 404)
        assert_refused(exchange(server.url, post("/sim/refuse", b"{}")), 404)
        assert_refused(exchange(server.url, b"GET /sim/stats HTTP/1.1\r\nHost: x\r\n\r\n"), 405)
    assert fee_system.qr_order_status(order.order_no).state is QrOrderState.OPEN


def test_the_served_simulator_process_has_no_controls_unless_asked(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "parties.feesystem.http_server", "--state", str(tmp_path), "--port", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert_refused(exchange(url, post("/rpc/open_qr_orders", b"{}")), 404)
        assert_refused(exchange(url, post("/sim/clear", b"{}")), 404)
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- connections bounded in time and number --------------------------------------------------------------------


@pytest.fixture
def strict(fee_system):
    """A server with short bounds: a request must arrive whole within 0.6 s; four connections at most."""
    with FeeSystemHttpServer(
        fee_system, request_deadline_seconds=0.6, request_timeout_seconds=5, max_connections=4
    ) as server:
        yield server


def connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=5)


def test_a_trickled_request_is_cut_at_its_deadline_and_answered_408(strict):
    request = post("/rpc/registration", json.dumps({"id_number": RESIDENT}).encode())
    with connect(strict.url) as sock:
        started = time.monotonic()
        answer: list[tuple[int, dict[str, str], bytes]] = []
        reader = threading.Thread(target=lambda: answer.append(read_answer(sock)))
        reader.start()
        for byte in request:  # a byte every 50 ms: each read is quick, the whole would take about 6 s
            if answer or not reader.is_alive():
                break
            try:
                sock.send(bytes([byte]))
            except OSError:
                break
            time.sleep(0.05)
        reader.join(timeout=5)
        elapsed = time.monotonic() - started
    assert_refused(answer[0], 408)
    assert 0.5 < elapsed < 2.5


def test_an_idle_kept_connection_is_not_answered_408(strict):
    """The deadline starts with a request's first byte: a client that keeps its connection between calls is
    served, and the wait for nothing ends quietly (no stray 408 for the next request to read)."""
    client = HttpFeeSystem(strict.url, timeout_seconds=5)
    assert client.registration(RESIDENT).name == "李秀英"
    time.sleep(0.8)  # longer than the request deadline, shorter than the idle timeout
    assert client.registration(RESIDENT).name == "李秀英"
    client.close()


def test_connections_over_the_cap_get_503_with_retry_after_and_no_thread(strict):
    idle = [connect(strict.url) for _ in range(4)]
    try:
        time.sleep(0.1)  # the server accepts them
        threads_before = threading.active_count()
        for _ in range(40):
            status, headers, body = exchange(strict.url, post("/rpc/registration", b'{"id_number": "x"}'))
            assert status == 503 and headers["retry-after"] == "1"
            assert json.loads(body)["error"]["code"] == "unavailable"
        assert threading.active_count() <= threads_before + 1
    finally:
        for sock in idle:
            sock.close()
    deadline = time.monotonic() + 5  # the server sees the idle ones go and serves again
    while True:
        status, _, _ = exchange(strict.url, post("/rpc/registration", json.dumps({"id_number": RESIDENT}).encode()))
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert status == 200
