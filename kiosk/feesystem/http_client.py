"""The kiosk's client of a fee system over HTTP(S): the FeeSystem protocol, one ``POST /rpc/<method>`` per call.

Every call has a deadline (``timeout_seconds``, retries and backoff included) and ends in a result or in the
FeeSystemError family, never in anything else. Failures that may be passing (no connection, connection lost, no
answer in time, 5xx, 408, 429) are retried with the same arguments, hence the same idempotency key: the fee
system posts a payment once however many times it is asked. Refusals (4xx with an error body) are not retried.

Connections are kept alive, one per calling thread (a TCP handshake, with TLS about 4.5 ms of CPU, and a server
thread saved on every call). Before a kept connection is used it is looked at without blocking: one the server has
closed (its idle timeout: the FIN is there to read) is replaced before anything is sent. A kept connection that
still fails before any answer arrives is opened again once, at no attempt's cost, for calls that may be repeated;
an at-most-once method is not sent again (its lost answer stays an unknown outcome), so it never runs twice.

Over ``https`` the link is mutual TLS (tls.py): the bureau's CA as the only root, the terminal's own certificate,
host-name checks. A certificate problem is a CertificateRefused (an Unavailable, not retried) and is told to
``on_certificate`` (the kiosk's service health); plain ``http`` is for a loopback address only.
"""

from __future__ import annotations

import datetime as dt
import http.client
import logging
import random
import select
import socket
import ssl
import threading
import time
import weakref
from collections.abc import Callable
from functools import cache
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.domain.periods import Period
from kiosk.feesystem.api import (
    BasketQuote,
    BasketSeal,
    Bill,
    CertificateIssue,
    CertificateKind,
    DocumentCheck,
    FeeSystemError,
    FlexibleOffer,
    HouseholdDue,
    InvalidRequest,
    MedicalItem,
    PaymentRecord,
    QrOrder,
    QrOrderStatus,
    Quote,
    Registration,
    ResidentOffer,
    Unavailable,
)
from kiosk.feesystem.tls import CertificateRefused, ClientTls, inspect, refusal
from kiosk.feesystem.wire import (
    AT_MOST_ONCE_METHODS,
    IDEMPOTENCY_HEADER,
    IDEMPOTENCY_PARAMETER,
    MAX_BODY_BYTES,
    RPC_PREFIX,
    MethodSpec,
    WireError,
    decode,
    decode_error,
    dumps,
    loads,
    method_spec,
    protocol_methods,
)
from kiosk.service_health import ProblemKind, ServiceHealth

log = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)  # Linux only
# A kept-alive connection the server closed while it lay idle fails like this before any answer arrives.
STALE_CONNECTION_ERRORS = (
    http.client.RemoteDisconnected,
    ConnectionResetError,
    BrokenPipeError,
    ConnectionAbortedError,
)


class _PassingFailure(Exception):
    """A failure worth another attempt (no connection, lost answer, timeout, 5xx). ``reached`` is False only when
    the request surely never reached the server (connection refused)."""

    def __init__(self, detail: str, error: FeeSystemError | None = None, reached: bool = True) -> None:
        super().__init__(detail)
        self.error = error
        self.reached = reached


class HttpFeeSystem:
    """A FeeSystem reached over HTTP. Thread-safe: each calling thread has its own kept-alive connection."""

    def __init__(
        self,
        url: str,
        timeout_seconds: float = 10.0,
        retries: int = 2,
        backoff_seconds: float = 0.05,
        max_backoff_seconds: float = 0.5,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        tls: ClientTls | None = None,
        on_certificate: Callable[[str | None], None] | None = None,
    ) -> None:
        """``tls``: the terminal's certificate and the bureau's CA (needed for https); ``on_certificate``: told a
        certificate problem's detail when the link fails for one, and None when a call gets through again."""
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {url!r}")
        if timeout_seconds <= 0 or retries < 0:
            raise ValueError("timeout_seconds must be positive and retries not negative")
        self.url = url.rstrip("/")
        self.timeout_seconds = float(timeout_seconds)
        self.retries = retries
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self._monotonic = monotonic
        self._sleep = sleep
        # http.client reads no proxy from the environment: the kiosk talks to its configured URL and nothing else.
        parts = urlsplit(self.url)
        if not parts.hostname:
            raise ValueError(f"no host in the URL: {url!r}")
        if parts.scheme == "https" and tls is None:
            raise ValueError("an https fee system needs the bureau's CA and the terminal's certificate (tls)")
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise ValueError(f"plain http only to a loopback address, not {parts.hostname}: use https")
        self.tls = tls if parts.scheme == "https" else None
        self.on_certificate = on_certificate
        self._certificate_problem: str | None = None
        self._host, self._port, self._path = parts.hostname, parts.port, parts.path.rstrip("/")
        self._local = threading.local()
        self._lock = threading.Lock()
        # Weak: a worker thread that ends (QThreadPool expires idle ones) takes its connection with it.
        self._connections: weakref.WeakSet[http.client.HTTPConnection] = weakref.WeakSet()

    def close(self) -> None:
        """Close every kept connection (a later call opens a new one)."""
        with self._lock:
            connections, self._connections = list(self._connections), weakref.WeakSet()
        for connection in connections:
            connection.close()

    def check_link(self) -> str | None:
        """``GET /health`` over the link as calls make it: None when it works, else the problem (a certificate
        problem is also told to ``on_certificate``). Maintenance runs it after installing a certificate."""
        try:
            connection, _ = self._connection(self.timeout_seconds, fresh=True)
            try:
                connection.request("GET", self._path + "/health")
                response = connection.getresponse()
                response.read()
            finally:
                connection.close()
        except CertificateRefused as refused:
            self.tell_certificate(refused.detail)
            return refused.detail
        except ssl.SSLError as error:
            problem = refusal(error)
            if problem is None:
                return f"connection failed: {_reason(error)}"
            self.tell_certificate(problem.detail)
            return problem.detail
        except (OSError, http.client.HTTPException) as error:
            return f"connection failed: {_reason(error)}"
        self.tell_certificate(None)
        return None if response.status == 200 else f"HTTP {response.status}"

    def tell_certificate(self, problem: str | None) -> None:
        """Tell the listener when the certificate's state changes (not on every call)."""
        with self._lock:
            changed, self._certificate_problem = problem != self._certificate_problem, problem
        if changed and self.on_certificate is not None:
            self.on_certificate(problem)

    # --- the FeeSystem protocol (one line each: the wire does the rest) ------------------------------------

    def registration(self, id_number: str) -> Registration:
        return self.call("registration", id_number=id_number)

    def resident_offers(self, id_number: str, item: InsuredItem, today: dt.date) -> list[ResidentOffer]:
        return self.call("resident_offers", id_number=id_number, item=item, today=today)

    def quote_resident(self, id_number: str, item: InsuredItem, year: int, grade_code: str) -> Quote:
        return self.call("quote_resident", id_number=id_number, item=item, year=year, grade_code=grade_code)

    def flexible_offer(self, id_number: str, item: InsuredItem, today: dt.date) -> FlexibleOffer:
        return self.call("flexible_offer", id_number=id_number, item=item, today=today)

    def medical_items(self, id_number: str, today: dt.date) -> list[MedicalItem]:
        return self.call("medical_items", id_number=id_number, today=today)

    def quote_flexible(
        self, id_number: str, item: InsuredItem, period: Period, base_fen: int, serious_illness: bool = True
    ) -> Quote:
        return self.call(
            "quote_flexible",
            id_number=id_number,
            item=item,
            period=period,
            base_fen=base_fen,
            serious_illness=serious_illness,
        )

    def open_qr_order(self, idempotency_key: str, quote_id: str, method: PayMethod) -> QrOrder:
        return self.call("open_qr_order", idempotency_key=idempotency_key, quote_id=quote_id, method=method)

    def pending_bills(self, id_number: str) -> list[Bill]:
        return self.call("pending_bills", id_number=id_number)

    def quote_bill(self, id_number: str, bill_no: str) -> Quote:
        return self.call("quote_bill", id_number=id_number, bill_no=bill_no)

    def arrears_bills(self, id_number: str) -> list[Bill]:
        return self.call("arrears_bills", id_number=id_number)

    def may_print_certificates_for(self, payer_id_number: str, id_number: str) -> bool:
        return self.call("may_print_certificates_for", payer_id_number=payer_id_number, id_number=id_number)

    def qr_order_status(self, order_no: str) -> QrOrderStatus:
        return self.call("qr_order_status", order_no=order_no)

    def close_qr_order(self, order_no: str) -> QrOrderStatus:
        return self.call("close_qr_order", order_no=order_no)

    def post_payment(
        self, idempotency_key: str, quote_id: str, pay_method: PayMethod, channel_ref: str, payer_id_number: str
    ) -> PaymentRecord:
        return self.call(
            "post_payment",
            idempotency_key=idempotency_key,
            quote_id=quote_id,
            pay_method=pay_method,
            channel_ref=channel_ref,
            payer_id_number=payer_id_number,
        )

    def find_payment(self, idempotency_key: str) -> PaymentRecord | None:
        return self.call("find_payment", idempotency_key=idempotency_key)

    def payment_records(self, id_number: str, period: Period | None = None) -> list[PaymentRecord]:
        return self.call("payment_records", id_number=id_number, period=period)

    def terminal_payments(self, terminal_id: str, day: dt.date) -> list[PaymentRecord]:
        return self.call("terminal_payments", terminal_id=terminal_id, day=day)

    def payments_made_for_others(
        self, payer_id_number: str, terminal_id: str, period: Period | None = None
    ) -> list[PaymentRecord]:
        return self.call(
            "payments_made_for_others", payer_id_number=payer_id_number, terminal_id=terminal_id, period=period
        )

    def issue_certificate(
        self, kind: CertificateKind, id_number: str, payment_nos: tuple[str, ...]
    ) -> CertificateIssue:
        return self.call("issue_certificate", kind=kind, id_number=id_number, payment_nos=payment_nos)

    def record_certificate_print(self, number: str) -> CertificateIssue:
        return self.call("record_certificate_print", number=number)  # at most once: see AT_MOST_ONCE_METHODS

    def record_receipt_reprint(self, payment_no: str) -> int:
        return self.call("record_receipt_reprint", payment_no=payment_no)  # at most once, as above

    def issued_certificates(self, id_number: str) -> list[CertificateIssue]:
        return self.call("issued_certificates", id_number=id_number)

    def check_document(self, number: str) -> DocumentCheck | None:
        return self.call("check_document", number=number)

    def keep_document_copy(self, number: str, pdf_base64: str) -> str:
        return self.call("keep_document_copy", number=number, pdf_base64=pdf_base64)

    # --- the simulator's extras (the sim panel and the harness pay QR orders through them) -----------------

    def simulate_qr_payment(self, order_no: str, app: str | None = None) -> QrOrderStatus:
        return self.call("simulate_qr_payment", order_no=order_no, app=app)

    def household_dues(self, payer_id_number: str, today: dt.date) -> list[HouseholdDue]:
        return self.call("household_dues", payer_id_number=payer_id_number, today=today)

    def quote_basket(self, payer_id_number: str, quote_ids: tuple[str, ...]) -> BasketQuote:
        return self.call("quote_basket", payer_id_number=payer_id_number, quote_ids=tuple(quote_ids))

    def open_basket_qr_order(self, idempotency_key: str, basket_id: str, method: PayMethod) -> QrOrder:
        return self.call("open_basket_qr_order", idempotency_key=idempotency_key, basket_id=basket_id, method=method)

    def post_basket_line(
        self, idempotency_key: str, basket_id: str, line_no: int, pay_method: PayMethod, channel_ref: str
    ) -> PaymentRecord:
        return self.call(
            "post_basket_line",
            idempotency_key=idempotency_key,
            basket_id=basket_id,
            line_no=line_no,
            pay_method=pay_method,
            channel_ref=channel_ref,
        )

    def seal_basket(self, idempotency_key: str, basket_id: str) -> BasketSeal:
        return self.call("seal_basket", idempotency_key=idempotency_key, basket_id=basket_id)

    def open_qr_orders(self) -> list[QrOrderStatus]:
        return self.call("open_qr_orders")

    # --- the generic call ----------------------------------------------------------------------------------

    def call(self, method: str, /, **arguments: Any) -> Any:
        """Call ``method`` with keyword ``arguments``; its decoded result, or a FeeSystemError. (Positional-only
        so that an argument may itself be called ``method``, as in open_qr_order.)"""
        try:
            return self._call(method, arguments)
        except FeeSystemError:
            raise
        except Exception as error:  # the promise: nothing but the FeeSystemError family leaves this class
            log.error("fee-system call %s failed unexpectedly: %s", method, type(error).__name__)
            raise Unavailable(f"{method}: unexpected {type(error).__name__}") from None

    def _call(self, method: str, arguments: dict[str, Any]) -> Any:
        spec = _spec(method)
        try:
            body = dumps(spec.encode_arguments(arguments))
        except (TypeError, ValueError):  # not a wire type, or text UTF-8 cannot carry (a lone surrogate)
            raise InvalidRequest(f"{method}: arguments that cannot be sent") from None
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        key = arguments.get(IDEMPOTENCY_PARAMETER)
        if spec.takes_idempotency_key and isinstance(key, str):
            headers[IDEMPOTENCY_HEADER] = key
        deadline = self._monotonic() + self.timeout_seconds
        problem = "no attempt"
        attempts = 0
        last_error: FeeSystemError | None = None
        for attempt in range(self.retries + 1):
            remaining = deadline - self._monotonic()
            if remaining <= 0:
                break
            if attempt:
                pause = min(self._backoff(attempt), remaining)
                self._sleep(pause)
                remaining -= pause
                if remaining <= 0:
                    break
            attempts += 1
            try:
                status, answer = self._attempt(method, body, headers, remaining)
            except _PassingFailure as failure:
                problem, last_error = str(failure), failure.error
                log.warning("fee-system %s attempt %d: %s", method, attempts, problem)
                if failure.reached and method in AT_MOST_ONCE_METHODS:
                    raise Unavailable(f"{method}: outcome unknown, not retried ({problem})") from None
                continue
            return self._result(spec, status, answer)
        detail = f"{method}: no answer after {attempts} attempt(s) within {self.timeout_seconds:g} s ({problem})"
        citizen_message = last_error.citizen_message if isinstance(last_error, Unavailable) else None
        raise Unavailable(detail, citizen_message)

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff_seconds * 2 ** (attempt - 1), self.max_backoff_seconds) * random.uniform(0.5, 1.0)

    def _attempt(self, method: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, bytes]:
        """One HTTP exchange: (status, body) of an answer that is final, or _PassingFailure."""
        connection, reused = self._connection(timeout)
        try:
            try:
                status, answer, keep = self._exchange(connection, method, body, headers)
            except STALE_CONNECTION_ERRORS:
                if not reused or method in AT_MOST_ONCE_METHODS:  # it may have run: never sent twice
                    raise
                self._discard(connection)  # closed by the server while idle: once more on a new connection
                connection, _ = self._connection(timeout)
                status, answer, keep = self._exchange(connection, method, body, headers)
        except ConnectionRefusedError as error:
            self._discard(connection)
            raise _PassingFailure(f"no connection: {_reason(error)}", reached=False) from None
        except ssl.SSLError as error:
            self._discard(connection)
            refused = refusal(error)
            if refused is None:
                raise _PassingFailure(f"connection failed: {_reason(error)}") from None
            self.tell_certificate(refused.detail)
            raise refused from None
        except (TimeoutError, OSError, http.client.HTTPException) as error:
            self._discard(connection)
            raise _PassingFailure(f"connection failed: {_reason(error)}") from None
        except _PassingFailure:
            self._discard(connection)
            raise
        if not keep:
            self._discard(connection)
        if self._certificate_problem is not None:
            self.tell_certificate(None)  # an answer came over the link: the certificate is good again
        if status in RETRYABLE_STATUSES:
            raise _PassingFailure(f"HTTP {status}", _error_in(answer)) from None
        return status, answer

    def _exchange(
        self, connection: http.client.HTTPConnection, method: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, bytes, bool]:
        """Send the request and read the whole answer: (status, body, whether the connection may be kept)."""
        connection.request("POST", self._path + RPC_PREFIX + method, body=body, headers=headers)
        if QUICKACK is not None and connection.sock is not None:
            # Acknowledge the answer's first segment at once: a server that writes its headers and its body
            # separately (http.server does) waits for that ACK (Nagle), and delayed ACKs on a kept connection
            # would cost 40 ms a call.
            connection.sock.setsockopt(socket.IPPROTO_TCP, QUICKACK, 1)
        response = connection.getresponse()
        answer = _read(response)
        return response.status, answer, not response.will_close

    def _connection(self, timeout: float, fresh: bool = False) -> tuple[http.client.HTTPConnection, bool]:
        """This thread's kept connection with the call's timeout (a new one when the server closed it), and whether
        it is reused; ``fresh``: a new connection, not kept (a link test's own handshake)."""
        connection = None if fresh else getattr(self._local, "connection", None)
        if connection is not None and connection.sock is not None and _closed_by_server(connection.sock):
            self._discard(connection)  # nothing was sent on it: safe for every method
            connection = None
        if connection is not None:
            connection.timeout = timeout
            if connection.sock is not None:
                connection.sock.settimeout(timeout)
                return connection, True
        if self.tls is not None:
            try:
                context = self.tls.context()
            except CertificateRefused as refused:
                self.tell_certificate(refused.detail)
                raise
            connection = http.client.HTTPSConnection(self._host, self._port, timeout=timeout, context=context)
        else:
            connection = http.client.HTTPConnection(self._host, self._port, timeout=timeout)
        with self._lock:
            self._connections.add(connection)
        if not fresh:
            self._local.connection = connection
        return connection, False

    def _discard(self, connection: http.client.HTTPConnection) -> None:
        connection.close()
        with self._lock:
            self._connections.discard(connection)
        if getattr(self._local, "connection", None) is connection:
            self._local.connection = None

    def _result(self, spec: MethodSpec, status: int, answer: bytes) -> Any:
        if 200 <= status < 300:
            try:
                data = loads(answer)
                if not isinstance(data, dict) or "result" not in data:
                    raise WireError("no result in the answer")
                return decode(data["result"], spec.result, "result")
            except WireError as error:
                # The call may have been done: the caller must treat the outcome as unknown.
                raise Unavailable(f"{spec.name}: malformed answer ({error})") from None
        refusal = _error_in(answer)
        if refusal is None:
            raise InvalidRequest(f"{spec.name}: HTTP {status} without a fee-system error in the body")
        raise refusal


def watch_certificate(fee_system: object, health: ServiceHealth, now: dt.datetime) -> None:
    """The kiosk's service health follows the terminal's certificate: checked at once without the network (missing,
    expired, another terminal's, not the bureau's), then told by every call (revoked: only the gateway knows)."""
    if not isinstance(fee_system, HttpFeeSystem) or fee_system.tls is None:
        return

    def told(problem: str | None) -> None:
        if problem is None:
            health.clear(ProblemKind.CLIENT_CERTIFICATE)
        else:
            health.report(ProblemKind.CLIENT_CERTIFICATE, problem)

    fee_system.on_certificate = told
    found = inspect(fee_system.tls.files, fee_system.tls.terminal_id, now)
    if found.problem is not None:
        fee_system.tell_certificate(found.problem)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _closed_by_server(sock: socket.socket) -> bool:
    """An idle kept connection has nothing to read: readable now means the server's FIN (or a TLS alert) is
    waiting, i.e. it closed the connection. Looked at without blocking (select, a few microseconds)."""
    pending = sock.pending() if isinstance(sock, ssl.SSLSocket) else 0
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):  # already closed on our side
        return True
    return bool(readable) or pending > 0


def _read(response: Any) -> bytes:
    body = response.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise _PassingFailure("answer too large")
    return body


def _error_in(answer: bytes) -> FeeSystemError | None:
    try:
        return decode_error(loads(answer))
    except WireError:
        return None


def _reason(reason: object) -> str:
    """The kind of network failure without its text (which may echo addresses or arguments)."""
    if isinstance(reason, TimeoutError):
        return "timed out"
    return type(reason).__name__ if isinstance(reason, BaseException) else str(reason)


@cache
def _spec(method: str) -> MethodSpec:
    specs = protocol_methods()
    if method in specs:
        return specs[method]
    function = getattr(HttpFeeSystem, method, None)
    if method.startswith("_") or not callable(function) or method in ("call", "close"):
        raise InvalidRequest(f"unknown fee-system method {method!r}")
    return method_spec(function, method)
