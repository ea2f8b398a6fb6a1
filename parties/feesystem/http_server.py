"""The fee-system API over HTTP on loopback, served from any FeeSystem (normally the embedded simulator).

Built on the standard library's ThreadingHTTPServer (one thread per connection, see docs/fee-system-http.md for
why no framework). Every method of the FeeSystem protocol is one route, ``POST /rpc/<method>``, whose JSON
arguments and answer are encoded by ``wire`` from the method's type hints: a method added to the protocol is
served without a change here. The simulator's own extras (paying a QR order, listing open orders) are served too.

Simulator controls make the network path misbehave on purpose, for tests and the fault-injection harness: slow
answers, connections closed without an answer, a chosen status, an answer lost after the call was committed.
They are set from Python (``server.controls``) or over HTTP (``POST /sim/<action>``); the HTTP control routes and
the simulator's extras are served only when asked for (``controls=True``, ``--controls``).

Hostile input (issue 25 §3): every malformed request is answered with a 4xx and a JSON error code (never a dropped
connection, never an exception's name); JSON depth and number lengths are bounded before parsing (wire.loads); a
request must arrive whole within a deadline, and connections are capped (http_limits.py).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import logging
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from kiosk.feesystem.api import FeeSystem, FeeSystemError, InvalidRequest, Unavailable
from kiosk.feesystem.wire import (
    IDEMPOTENCY_HEADER,
    IDEMPOTENCY_PARAMETER,
    MAX_BODY_BYTES,
    RPC_PREFIX,
    MethodSpec,
    WireError,
    dumps,
    encode,
    encode_error,
    error_status,
    loads,
    method_spec,
    protocol_methods,
)
from parties.feesystem.http_limits import BadLength, DeadlineReader, RequestTimedOut, content_length, refuse_busy
from parties.feesystem.public_pages import Page as PublicPage
from parties.feesystem.public_pages import PublicPages
from parties.feesystem.server_tls import ServerTls, check_terminal, terminal_of

log = logging.getLogger(__name__)

CONTROL_PREFIX = "/sim/"
# Methods of the simulator that are not part of the FeeSystem protocol but that the harness and the sim panel use.
SIMULATOR_EXTRAS = ("simulate_qr_payment", "open_qr_orders")


# --- simulator controls -------------------------------------------------------------------------------------


@dataclass
class _Fault:
    kind: str  # "refuse" | "delay" | "fail" | "drop"
    remaining: int | None  # calls left; None = until cleared
    delay_seconds: float = 0.0
    status: int = 503
    body: bytes | None = None


@dataclass
class _Plan:
    """What one call suffers, drawn from the faults when it arrives."""

    refuse: bool = False
    delay_seconds: float = 0.0
    fail: _Fault | None = None
    drop: bool = False


class SimulatorControls:
    """Faults that the next calls of ``/rpc/`` suffer. Each applies to the next ``calls`` calls (None: every call
    until ``clear()``). Control routes themselves are never affected."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[_Fault] = []
        self._calls = 0
        self.stopping = threading.Event()

    def delay(self, ms: int, calls: int | None = None) -> None:
        """Answer only after ``ms`` milliseconds (the call itself runs after the delay)."""
        self._add(_Fault("delay", calls, delay_seconds=ms / 1000))

    def refuse(self, calls: int | None = None) -> None:
        """Close the connection at once, without running the call or answering: the server looks unreachable."""
        self._add(_Fault("refuse", calls))

    def fail(self, status: int, calls: int | None = 1, body: bytes | None = None) -> None:
        """Answer ``status`` without running the call. The body is the error of that status (5xx: unavailable)
        unless ``body`` gives raw bytes (e.g. malformed JSON)."""
        if not 100 <= status <= 599:
            raise ValueError(f"not an HTTP status: {status}")
        self._add(_Fault("fail", calls, status=status, body=body))

    def drop_answers(self, calls: int | None = 1) -> None:
        """Run (and commit) the call, then close the connection without answering: the answer is lost."""
        self._add(_Fault("drop", calls))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def calls(self) -> int:
        """How many RPC calls arrived (every attempt of a retrying client counts)."""
        with self._lock:
            return self._calls

    def _add(self, fault: _Fault) -> None:
        if fault.remaining is not None and fault.remaining < 1:
            raise ValueError("calls must be at least 1 (or None for every call)")
        with self._lock:
            self._faults.append(fault)

    def plan(self) -> _Plan:
        plan = _Plan()
        with self._lock:
            self._calls += 1
            for fault in self._faults:
                if fault.kind == "refuse":
                    plan.refuse = True
                elif fault.kind == "delay":
                    plan.delay_seconds += fault.delay_seconds
                elif fault.kind == "fail" and plan.fail is None:
                    plan.fail = fault
                elif fault.kind == "drop":
                    plan.drop = True
                else:
                    continue  # a second "fail" waits for a later call
                if fault.remaining is not None:
                    fault.remaining -= 1
            self._faults = [f for f in self._faults if f.remaining is None or f.remaining > 0]
        return plan

    def apply(self, action: str, arguments: dict[str, Any]) -> None:
        """A control action from ``POST /sim/<action>`` with JSON arguments."""
        actions = {
            "delay": self.delay,
            "refuse": self.refuse,
            "fail": self.fail,
            "drop_answers": self.drop_answers,
            "clear": self.clear,
        }
        if action not in actions:
            raise InvalidRequest(f"unknown control {action!r}")
        if "body" in arguments:
            arguments = {**arguments, "body": str(arguments["body"]).encode("utf-8")}
        try:
            actions[action](**arguments)
        except (TypeError, ValueError) as error:
            raise InvalidRequest(f"control {action}: {error}") from None


# --- the server ---------------------------------------------------------------------------------------------


class FeeSystemHttpServer:
    """Serves ``backend`` on ``http://host:port`` from a background thread. Port 0 picks a free port.

    With ``tls`` (issue 20 §1) the API is served on ``https://host:port`` to clients with a terminal certificate
    only (server_tls.py), and a second, public listener (``public_url``, plain HTTP on ``host``:``public_port``)
    serves the pages anyone may open without a certificate (GET: /health, /verify, /documents); it never serves
    /rpc or /sim. Without ``tls`` one plain listener serves everything and ``public_url`` is ``url``."""

    def __init__(
        self,
        backend: FeeSystem,
        host: str = "127.0.0.1",
        port: int = 0,
        controls: bool = False,
        extras: Iterable[str] = SIMULATOR_EXTRAS,
        request_timeout_seconds: float = 10.0,
        request_deadline_seconds: float = 10.0,
        max_connections: int = 32,
        public_pages: PublicPages | None = None,
        tls: ServerTls | None = None,
        public_port: int = 0,
    ) -> None:
        """``controls``: serve the ``/sim/`` fault routes and the simulator's extras (paying a QR order with the
        simulated phone) over HTTP; off, any local process could pay orders or break the server.
        ``request_timeout_seconds``: the wait for a request's first byte and for each write;
        ``request_deadline_seconds``: a whole request (line, headers, body) from its first byte, else 408;
        ``max_connections``: open connections (each holds a thread); one more is answered 503 with Retry-After.
        ``tls``: mutual TLS on the API listener; ``public_port``: the public listener's port (with ``tls`` only)."""
        if max_connections < 1 or request_deadline_seconds <= 0 or request_timeout_seconds <= 0:
            raise ValueError("max_connections and the timeouts must be positive")
        self.backend = backend
        self.host = host
        self.port = port
        self.controls = SimulatorControls()
        self.controls_enabled = controls
        self.request_timeout_seconds = request_timeout_seconds
        self.request_deadline_seconds = request_deadline_seconds
        self.max_connections = max_connections
        self.tls = tls
        self.public_port = public_port
        self.public_pages = public_pages  # /verify/<code>, /documents/<number>.pdf (public_pages.py)
        self.methods: dict[str, MethodSpec] = protocol_methods()
        for name in extras if controls else ():
            if callable(getattr(backend, name, None)):
                self.methods[name] = method_spec(getattr(type(backend), name), name)
        self._httpd: _Server | None = None
        self._public: _Server | None = None
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the fee-system HTTP server is not started")
        host, port = self._httpd.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    @property
    def public_url(self) -> str:
        """Where the public pages are served without a client certificate."""
        if self._public is None:
            return self.url
        host, port = self._public.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FeeSystemHttpServer:
        if self._httpd is not None:
            return self
        self.controls.stopping.clear()
        self._httpd = self._serve(self.port, _Handler, self.tls, "feesystem-https" if self.tls else "feesystem-http")
        if self.tls is not None:
            self._public = self._serve(self.public_port, _PublicHandler, None, "feesystem-public")
        log.info("fee-system HTTP server on %s (public pages on %s)", self.url, self.public_url)
        return self

    def _serve(self, port: int, handler_class: type[_Handler], tls: ServerTls | None, name: str) -> _Server:
        handler = type("Handler", (handler_class,), {"app": self, "timeout": self.request_timeout_seconds})
        httpd = _Server((self.host, port), handler)
        httpd.max_connections = self.max_connections
        httpd.tls = tls
        httpd.handshake_seconds = self.request_deadline_seconds  # a handshake is part of the request's deadline
        httpd.daemon_threads = True  # a delayed call never holds up stop()
        thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)
        return httpd

    def stop(self) -> None:
        servers = [httpd for httpd in (self._httpd, self._public) if httpd is not None]
        self._httpd = self._public = None
        if not servers:
            return
        self.controls.stopping.set()
        for httpd in servers:
            httpd.shutdown()
            httpd.server_close()
            httpd.close_open_connections()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()
        log.info("fee-system HTTP server stopped")

    def __enter__(self) -> FeeSystemHttpServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- one call ---------------------------------------------------------------------------------------

    def call(self, name: str, body: bytes, idempotency_header: str | None, terminal: str | None = None) -> Any:
        """Run one RPC call; the JSON-ready result, or a FeeSystemError. ``terminal``: the caller's id from its
        certificate (mutual TLS); a call that names another terminal is refused (403) and logged."""
        spec = self.methods.get(name)
        if spec is None:
            raise InvalidRequest(f"unknown method {name!r}")
        try:
            data = loads(body) if body else {}
            # The header stands in for the argument; when both are given they must agree.
            if (
                isinstance(data, dict)
                and idempotency_header is not None
                and spec.takes_idempotency_key
                and data.setdefault(IDEMPOTENCY_PARAMETER, idempotency_header) != idempotency_header
            ):
                raise InvalidRequest(f"{name}: the {IDEMPOTENCY_HEADER} header and the body disagree")
            arguments = spec.decode_arguments(data)
        except WireError as error:
            raise InvalidRequest(f"{name}: {error}") from None
        if terminal is not None:
            try:
                check_terminal(terminal, name, arguments)
            except FeeSystemError as refused:
                log.warning("fee-system HTTP: refused: %s", refused.detail)
                raise
        try:
            result = getattr(self.backend, name)(**arguments)
        except FeeSystemError:
            raise
        except Exception as error:  # a bug or a broken backend; the message may hold personal data: not logged
            # Only the technician's log names the exception: an answer never tells a caller the server's insides.
            log.error("fee-system backend failed in %s: %s", name, type(error).__name__)
            raise Unavailable(f"{name}: internal error") from None
        return encode(result)


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 overflows when a few clients connect at once (each urllib call is a connection):
    # the kernel then drops or resets connections and clients wait for SYN retransmits (1 s, 2 s...).
    request_queue_size = 128
    max_connections = 32
    retry_after_seconds = 1
    tls: ServerTls | None = None
    handshake_seconds = 10.0
    busy_handshake_seconds = 0.5  # the accepting thread's bound on a TLS handshake just to say 503

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            admitted = len(self._open) < self.max_connections
            if admitted:
                self._open.add(request)
        if not admitted:  # over the cap: answered here, no thread started for it
            log.warning("fee-system HTTP server busy: %d connections open", self.max_connections)
            busy = Unavailable("too many connections: try again later")
            if self.tls is not None:
                try:
                    request = self.tls.accept(request, self.busy_handshake_seconds)
                except (OSError, ValueError):  # ssl.SSLError included: no certificate, no answer
                    return
            refuse_busy(request, dumps(encode_error(busy)), self.retry_after_seconds)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def finish_request(self, request: Any, client_address: Any) -> None:
        """On the TLS listener the handshake runs here, on the connection's own thread (never on the accepting
        one), within the request deadline; a refused one ends the connection without a word."""
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        try:
            secured = self.tls.accept(request, self.handshake_seconds)
        except (OSError, ValueError) as error:  # ssl.SSLError is an OSError
            log.warning("fee-system HTTPS: handshake with %s refused: %s", client_address[0], _tls_reason(error))
            return
        with self._open_lock:  # the TLS socket replaces the plain one (wrapping detached it)
            self._open.discard(request)
            self._open.add(secured)
        try:
            super().finish_request(secured, client_address)
        finally:
            with self._open_lock:
                self._open.discard(secured)
            with contextlib.suppress(OSError):
                secured.shutdown(socket.SHUT_WR)
            secured.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer is no server fault: one line, no traceback on stderr.
        log.debug("connection from %s ended with an error", client_address, exc_info=True)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_open_connections(self) -> None:
        """A stopped server answers nothing more, not even on connections kept alive by clients."""
        with self._open_lock:
            open_now = list(self._open)
        for connection in open_now:
            with contextlib.suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)


def _tls_reason(error: BaseException) -> str:
    reason = getattr(error, "verify_message", None) or getattr(error, "reason", None)
    return str(reason) if reason else type(error).__name__


class _Handler(BaseHTTPRequestHandler):
    app: FeeSystemHttpServer
    public = False  # the public listener's handler serves GET pages only
    terminal: str | None = None  # the caller's terminal id, from its certificate (TLS listener)
    protocol_version = "HTTP/1.1"  # keep-alive for clients that reuse connections
    server_version = "sifee-feesystem-sim"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def setup(self) -> None:
        super().setup()
        # Reads go through the request deadline (the TLS server wraps its socket first; this reader is the same).
        self.reader = DeadlineReader(
            self.connection, self.app.request_deadline_seconds, self.app.request_timeout_seconds
        )
        self.rfile = io.BufferedReader(self.reader)
        if self.app.tls is not None and not self.public:
            self.terminal = terminal_of(self.connection.getpeercert())

    def handle_one_request(self) -> None:
        self.reader.next_request()
        try:
            super().handle_one_request()
        except RequestTimedOut as timed_out:
            log.info("fee-system HTTP: %s (from %s)", timed_out, self.client_address[0])
            self.close_connection = True
            # The answer has a status line and headers even when the request line never came whole.
            self.request_version, self.requestline = "HTTP/1.1", getattr(self, "requestline", "")
            with contextlib.suppress(OSError):
                self._error(HTTPStatus.REQUEST_TIMEOUT, InvalidRequest(str(timed_out)))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a bad request line, a header too long, too many headers, an unknown method)
        in the wire's JSON form instead of an HTML page; the detail is the status's phrase, never the input."""
        if code == HTTPStatus.NOT_IMPLEMENTED:
            code = HTTPStatus.METHOD_NOT_ALLOWED  # an unknown method is the client's error here, not ours
        elif code >= 500:
            code = HTTPStatus.BAD_REQUEST  # 505 (a version it does not speak): the request's fault, not the server's
        self.close_connection = True
        self._refused = True
        if self.request_version == "HTTP/0.9":  # a request line that did not parse: still answer with headers
            self.request_version = "HTTP/1.1"
        phrase = HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else "refused"
        self._error(code, InvalidRequest(f"{phrase}"))

    def parse_request(self) -> bool:
        self._refused = False
        if not super().parse_request():
            # http.server drops a request line of only non-ASCII spaces (str.split sees "\xa0" as one) without
            # a word; a line of ASCII blanks before a request is allowed (RFC 9112 §2.2) and ends quietly.
            if not self._refused and self.raw_requestline.strip():
                self.send_error(HTTPStatus.BAD_REQUEST)
            return False
        if self.request_version == "HTTP/0.9":  # a bare "GET /path" would be answered without a status line
            self.send_error(HTTPStatus.BAD_REQUEST)
            return False
        return True

    def do_GET(self) -> None:
        self.reader.request_read()
        if self.path == "/health":
            self._answer(200, {"status": "ok"})
        elif self.path == CONTROL_PREFIX + "stats" and self.app.controls_enabled and not self.public:
            self._answer(200, {"calls": self.app.controls.calls, "methods": sorted(self.app.methods)})
        elif self.app.public_pages is not None and self.app.public_pages.handles(self.path):
            self._send_page(self.app.public_pages.answer(self.path, self.client_address[0]))
        else:
            self._error(HTTPStatus.METHOD_NOT_ALLOWED, InvalidRequest(f"GET {_shown(self.path)}: use POST"))

    def _not_allowed(self) -> None:
        self.close_connection = True  # a body it may have sent is not read
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, InvalidRequest(f"{self.command} is not served: use POST"))

    do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    def do_POST(self) -> None:
        try:
            body = self._read_body()
        except _Refused as refused:
            self.close_connection = True  # the rest of the stream cannot be trusted to start a request
            self._error(refused.status, refused.error)
            return
        self.reader.request_read()
        if self.public:  # no API on the public listener, whatever the path
            self._error(404, InvalidRequest(f"no route {_shown(self.path)} here: the API needs mutual TLS"))
        elif self.path.startswith(RPC_PREFIX):
            self._rpc(self.path[len(RPC_PREFIX) :], body)
        elif self.path.startswith(CONTROL_PREFIX) and self.app.controls_enabled:
            self._control(self.path[len(CONTROL_PREFIX) :], body)
        else:
            self._error(404, InvalidRequest(f"no route {_shown(self.path)}"))

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding") is not None:
            raise _Refused(HTTPStatus.LENGTH_REQUIRED, "chunked bodies are not accepted: send Content-Length")
        try:
            length = content_length(self.headers.get_all("Content-Length"))
        except BadLength as error:
            raise _Refused(HTTPStatus.BAD_REQUEST, str(error)) from None
        if length > MAX_BODY_BYTES:
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"body of {length} bytes is too large")
        body = self.rfile.read(length)
        if len(body) != length:
            raise _Refused(HTTPStatus.BAD_REQUEST, "body shorter than its Content-Length")
        return body

    def _rpc(self, name: str, body: bytes) -> None:
        if name not in self.app.methods:
            self._error(404, InvalidRequest(f"unknown method {_shown(name)!r}"))
            return
        controls = self.app.controls
        plan = controls.plan()
        if plan.refuse:
            self._hang_up()
            return
        if plan.delay_seconds and controls.stopping.wait(plan.delay_seconds):
            self._hang_up()  # the server stops: no answer
            return
        if plan.fail is not None:
            self._fail(plan.fail)
            return
        started = time.perf_counter()
        try:
            answer = self.app.call(name, body, self.headers.get(IDEMPOTENCY_HEADER), self.terminal)
            status, payload = 200, {"result": answer}
        except FeeSystemError as error:
            status, payload = error_status(error), encode_error(error)
        log.debug("rpc %s -> %d in %.1f ms", name, status, (time.perf_counter() - started) * 1000)
        if plan.drop:
            self._hang_up()  # committed, but the answer never leaves
            return
        self._answer(status, payload)

    def _control(self, action: str, body: bytes) -> None:
        try:
            arguments = loads(body) if body else {}
            if not isinstance(arguments, dict):
                raise InvalidRequest("control arguments must be a JSON object")
            self.app.controls.apply(action, arguments)
        except WireError as error:
            self._error(400, InvalidRequest(str(error)))
        except FeeSystemError as error:
            self._error(error_status(error), error)
        else:
            self._answer(200, {"result": None})

    def _fail(self, fault: _Fault) -> None:
        if fault.body is not None:
            self._send(fault.status, fault.body)
            return
        error: FeeSystemError = (
            Unavailable(f"simulated HTTP {fault.status}")
            if fault.status >= 500
            else InvalidRequest(f"simulated HTTP {fault.status}")
        )
        self._answer(fault.status, encode_error(error))

    def _hang_up(self) -> None:
        self.close_connection = True
        self.wfile.flush()

    def _error(self, status: int, error: FeeSystemError) -> None:
        self._answer(status, encode_error(error))

    def _answer(self, status: int, payload: Any) -> None:
        self._send(status, dumps(payload))

    def _send_page(self, page: PublicPage) -> None:
        self.reader.request_read()
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        for name, value in page.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(page.body)

    def _send(self, status: int, body: bytes) -> None:
        self.reader.request_read()  # writes under the plain socket timeout, whatever the read deadline left
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _PublicHandler(_Handler):
    public = True


class _Refused(Exception):
    """A request refused before its body is parsed, with its status (411, 413, 400)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.error = InvalidRequest(detail)


def _shown(path: str) -> str:
    """A request path as it may appear in an answer's detail: short (it is the client's input)."""
    return path if len(path) <= 80 else path[:80] + "..."


# --- running it on its own ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """``python -m parties.feesystem.http_server [--config FILE] [--port N]``: serve the embedded simulator."""
    from kiosk.config import load_config
    from parties.feesystem.embedded import open_embedded

    parser = argparse.ArgumentParser(description="Serve the embedded fee-system simulator over HTTP on loopback.")
    parser.add_argument("--config", default="config/simulated.toml", help="kiosk configuration file")
    parser.add_argument("--state", help="state directory (overrides paths.state_dir)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--controls", action="store_true", help="serve the /sim/ fault controls and the simulated phone (tests only)"
    )
    parser.add_argument("--no-controls", action="store_true", help=argparse.SUPPRESS)  # the default now; kept
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = load_config(args.config)
    if args.state:
        config = config.with_overrides({"paths.state_dir": args.state})
    config.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    backend = open_embedded(config, clock=dt.datetime.now)  # whatever the file's fee_system.kind: the simulator
    server = FeeSystemHttpServer(
        backend,
        args.host,
        args.port,
        controls=args.controls and not args.no_controls,
        public_pages=PublicPages(backend.certificates),
    ).start()
    print(server.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        backend.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
