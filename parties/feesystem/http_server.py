"""The fee-system API over HTTP on loopback, served from any FeeSystem (normally the embedded simulator).

Built on the standard library's ThreadingHTTPServer (one thread per connection, see docs/fee-system-http.md for
why no framework). Every method of the FeeSystem protocol is one route, ``POST /rpc/<method>``, whose JSON
arguments and answer are encoded by ``wire`` from the method's type hints: a method added to the protocol is
served without a change here. The simulator's own extras (paying a QR order, listing open orders) are served too.

Simulator controls make the network path misbehave on purpose, for tests and the fault-injection harness: slow
answers, connections closed without an answer, a chosen status, an answer lost after the call was committed.
They are set from Python (``server.controls``) or over HTTP (``POST /sim/<action>``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
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
    """Serves ``backend`` on ``http://host:port`` from a background thread. Port 0 picks a free port."""

    def __init__(
        self,
        backend: FeeSystem,
        host: str = "127.0.0.1",
        port: int = 0,
        controls: bool = True,
        extras: Iterable[str] = SIMULATOR_EXTRAS,
        request_timeout_seconds: float = 10.0,
    ) -> None:
        self.backend = backend
        self.host = host
        self.port = port
        self.controls = SimulatorControls()
        self.controls_enabled = controls
        self.request_timeout_seconds = request_timeout_seconds
        self.methods: dict[str, MethodSpec] = protocol_methods()
        for name in extras:
            if callable(getattr(backend, name, None)):
                self.methods[name] = method_spec(getattr(type(backend), name), name)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the fee-system HTTP server is not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FeeSystemHttpServer:
        if self._httpd is not None:
            return self
        handler = type("Handler", (_Handler,), {"app": self, "timeout": self.request_timeout_seconds})
        httpd = _Server((self.host, self.port), handler)
        httpd.daemon_threads = True  # a delayed call never holds up stop()
        self.controls.stopping.clear()
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="feesystem-http", daemon=True
        )
        self._thread.start()
        log.info("fee-system HTTP server on %s", self.url)
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self.controls.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        httpd.close_open_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
        log.info("fee-system HTTP server stopped")

    def __enter__(self) -> FeeSystemHttpServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- one call ---------------------------------------------------------------------------------------

    def call(self, name: str, body: bytes, idempotency_header: str | None) -> Any:
        """Run one RPC call; the JSON-ready result, or a FeeSystemError."""
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
        try:
            result = getattr(self.backend, name)(**arguments)
        except FeeSystemError:
            raise
        except Exception as error:  # a bug or a broken backend; the message may hold personal data: not logged
            log.error("fee-system backend failed in %s: %s", name, type(error).__name__)
            raise Unavailable(f"{name}: internal error ({type(error).__name__})") from None
        return encode(result)


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 overflows when a few clients connect at once (each urllib call is a connection):
    # the kernel then drops or resets connections and clients wait for SYN retransmits (1 s, 2 s...).
    request_queue_size = 128

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

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


class _Handler(BaseHTTPRequestHandler):
    app: FeeSystemHttpServer
    protocol_version = "HTTP/1.1"  # keep-alive for clients that reuse connections
    server_version = "sifee-feesystem-sim"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        if self.path == "/health":
            self._answer(200, {"status": "ok"})
        elif self.path == CONTROL_PREFIX + "stats" and self.app.controls_enabled:
            self._answer(200, {"calls": self.app.controls.calls, "methods": sorted(self.app.methods)})
        else:
            self._error(HTTPStatus.METHOD_NOT_ALLOWED, InvalidRequest(f"GET {self.path}: use POST"))

    def do_POST(self) -> None:
        try:
            body = self._read_body()
        except FeeSystemError as error:
            self.close_connection = True
            self._error(error_status(error), error)
            return
        if self.path.startswith(RPC_PREFIX):
            self._rpc(self.path[len(RPC_PREFIX) :], body)
        elif self.path.startswith(CONTROL_PREFIX) and self.app.controls_enabled:
            self._control(self.path[len(CONTROL_PREFIX) :], body)
        else:
            self._error(404, InvalidRequest(f"no route {self.path}"))

    def _read_body(self) -> bytes:
        length_text = self.headers.get("Content-Length", "0")
        if not length_text.isdigit():
            raise InvalidRequest("bad Content-Length")
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            raise InvalidRequest(f"body of {length} bytes is too large")
        body = self.rfile.read(length)
        if len(body) != length:
            raise InvalidRequest("body shorter than its Content-Length")
        return body

    def _rpc(self, name: str, body: bytes) -> None:
        if name not in self.app.methods:
            self._error(404, InvalidRequest(f"unknown method {name!r}"))
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
            status, payload = 200, {"result": self.app.call(name, body, self.headers.get(IDEMPOTENCY_HEADER))}
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

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


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
    parser.add_argument("--no-controls", action="store_true", help="do not serve the /sim/ fault controls")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = load_config(args.config)
    if args.state:
        config = config.with_overrides({"paths.state_dir": args.state})
    config.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    backend = open_embedded(config, clock=dt.datetime.now)  # whatever the file's fee_system.kind: the simulator
    server = FeeSystemHttpServer(backend, args.host, args.port, controls=not args.no_controls).start()
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
