"""Property tests (hypothesis, bounded) of the fee-system wire under hostile input (issue 25 §3).

The server: random arguments for every method (mostly of the declared types, often not), random JSON, random
bytes, random request lines and headers. Each request gets an HTTP answer with a JSON body: a result, or a 4xx
with a known error code; never a dropped connection and never a 5xx (a 5xx would be the backend failing on input
the server let through). The client: random answers (status, body) for every method give a decoded value or a
FeeSystemError, never any other exception.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import socket
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feehttp_fixtures import ELDERLY, FLEXIBLE, RESIDENT, UNREGISTERED, session_tls
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import FeeSystemError
from kiosk.feesystem.http_client import HttpFeeSystem
from kiosk.feesystem.wire import ERROR_BY_CODE, protocol_methods
from parties.feesystem.embedded import EmbeddedFeeSystem
from parties.feesystem.http_server import FeeSystemHttpServer
from test_feehttp_hostile import read_answer

pytest_plugins = ["feehttp_fixtures"]
CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
NOW = dt.datetime(2026, 11, 27, 10, 0)
SERVER = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
CLIENT = settings(max_examples=300, deadline=1000)
METHODS = protocol_methods()
KNOWN_CODES = set(ERROR_BY_CODE)


@pytest.fixture(scope="module")
def server() -> Iterator[FeeSystemHttpServer]:
    """One served simulator for the module (hypothesis runs many examples against it; the state they leave is
    more input). Controls off, as a real deployment runs it."""
    backend = EmbeddedFeeSystem(
        ":memory:", CONFIG_DIR / "policy.toml", CONFIG_DIR / "demo_people.toml", clock=lambda: NOW
    )
    with FeeSystemHttpServer(backend, request_deadline_seconds=2, request_timeout_seconds=2) as served:
        yield served
    backend.close()


# --- strategies ------------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
id_numbers = st.sampled_from([RESIDENT, ELDERLY, FLEXIBLE, UNREGISTERED, "", "370103197003224423"])
months = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1900, 2100), st.integers(0, 13))


def typed(hint: Any) -> st.SearchStrategy[Any]:
    """JSON of the declared type (the wire's encoding), with values at and beyond the edges."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(typed(option) for option in typing.get_args(hint)))
    if hint is type(None):
        return st.none()
    if origin in (list, tuple, frozenset, set):
        return st.lists(typed(typing.get_args(hint)[0]), max_size=4)
    if hint is bool:
        return st.booleans()
    if hint is int:
        return st.integers(-(10**12), 10**12) | st.integers(2020, 2030)
    if hint is str:
        return id_numbers | st.text(max_size=40) | st.text(alphabet="0123456789X", min_size=18, max_size=18)
    if hint is dt.date:
        return st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat)
    if hint is dt.datetime:
        return st.datetimes().map(dt.datetime.isoformat)
    if hint is YearMonth:
        return months
    if hint is Period:
        return st.fixed_dictionaries({"start": months, "end": months})
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return st.sampled_from([member.value for member in hint]) | st.text(max_size=10)
    return json_values


@st.composite
def rpc_calls(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(METHODS)))
    spec = METHODS[name]
    arguments = {
        parameter: draw(typed(hint) if draw(st.integers(0, 9)) else json_values)
        for parameter, hint in spec.parameters.items()
        if parameter in spec.required or draw(st.booleans())
    }
    if draw(st.integers(0, 9)) == 0:
        arguments[draw(st.text(max_size=8))] = draw(json_values)
    return name, json.dumps(arguments, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


# --- the server ------------------------------------------------------------------------------------------------


def exchange(server: FeeSystemHttpServer, request: bytes) -> tuple[int, dict[str, str], bytes] | None:
    """The answer to raw bytes (the sending side then closed), or None when the server closed without one."""
    with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), timeout=5) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        first = sock.recv(1, socket.MSG_PEEK)
        if not first:
            return None
        return read_answer(sock)


def post(path: bytes, body: bytes, headers: bytes = b"") -> bytes:
    return b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n%s\r\n%s" % (path, len(body), headers, body)


def assert_well_answered(answer: tuple[int, dict[str, str], bytes] | None) -> None:
    assert answer is not None, "connection dropped without an answer"
    status, headers, body = answer
    assert status == 200 or 400 <= status < 500, (status, body)
    assert headers["content-type"].startswith("application/json")
    data = json.loads(body)
    if status == 200:
        assert "result" in data or data == {"status": "ok"}
    else:
        assert data["error"]["code"] in KNOWN_CODES


@SERVER
@given(call=rpc_calls())
def test_random_arguments_to_every_method_get_a_result_or_a_4xx(server, call):
    name, body = call
    assert_well_answered(exchange(server, post(b"/rpc/" + name.encode(), body)))


@SERVER
@given(
    path=st.sampled_from([b"/rpc/registration", b"/rpc/post_payment", b"/sim/clear", b"/health"])
    | st.binary(min_size=1, max_size=40).filter(lambda p: b" " not in p and b"\r" not in p and b"\n" not in p),
    body=st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()),
)
def test_random_bodies_and_paths_get_a_4xx_or_a_result(server, path, body):
    assert_well_answered(exchange(server, post(path, body)))


header_names = st.sampled_from(
    [b"Content-Length", b"Transfer-Encoding", b"Idempotency-Key", b"Content-Type", b"Expect", b"Connection", b"X"]
)
header_values = st.binary(max_size=30).filter(lambda v: b"\r" not in v and b"\n" not in v)


@SERVER
@given(
    method=st.sampled_from([b"POST", b"GET", b"PUT", b"HEAD", b"OPTIONS", b"BREW", b"post"]),
    version=st.sampled_from([b"HTTP/1.1", b"HTTP/1.0", b"HTTP/2.0", b"HTTP/9", b"HTTX/1.1", b""]),
    headers=st.lists(st.tuples(header_names, header_values), max_size=6),
    body=st.binary(max_size=100),
)
def test_random_request_lines_and_headers_get_an_answer(server, method, version, headers, body):
    head = b"%s /rpc/registration %s\r\n" % (method, version) if version else b"%s /rpc/registration\r\n" % method
    head += b"".join(b"%s: %s\r\n" % pair for pair in headers)
    answer = exchange(server, head + b"\r\n" + body)
    if method == b"HEAD" and answer is not None:
        return  # a HEAD answer has no body to read (and none is served)
    assert_well_answered(answer)


@SERVER
@given(data=st.binary(max_size=400))
def test_random_bytes_get_an_answer_or_a_quiet_close(server, data):
    answer = exchange(server, data)
    if answer is None:
        # Only a connection that never carried a request line is closed without an answer.
        assert not data.split(b"\n", 1)[0].strip(), data
    else:
        status, _, _ = answer
        assert 400 <= status < 500


# --- the client's reading of answers -------------------------------------------------------------------------

CLIENT_UNDER_TEST = HttpFeeSystem("http://127.0.0.1:9", timeout_seconds=1)
answers = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    json_values.map(lambda v: json.dumps({"result": v}).encode()),
    st.fixed_dictionaries(
        {"error": st.fixed_dictionaries({"code": st.sampled_from(sorted(KNOWN_CODES)) | json_values}) | json_values}
    ).map(lambda v: json.dumps(v).encode()),
    st.integers(1, 3000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(1, 6000).map(lambda digits: b'{"result": ' + b"7" * digits + b"}"),
)


@CLIENT
@given(
    name=st.sampled_from(sorted(METHODS)),
    status=st.sampled_from([200, 201, 204, 400, 403, 404, 409, 422, 499]),
    body=answers,
)
def test_any_answer_is_a_value_or_a_fee_system_error(name, status, body):
    try:
        CLIENT_UNDER_TEST._result(METHODS[name], status, body)
    except FeeSystemError as error:
        assert error.code in KNOWN_CODES


@settings(max_examples=40, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from([200, 400, 404, 408, 500, 503]), body=answers)
def test_answers_over_the_wire_end_in_a_value_or_a_fee_system_error(served, status, body):
    client = HttpFeeSystem(served.url, timeout_seconds=2, retries=1, backoff_seconds=0.001, tls=session_tls())
    served.controls.fail(status, calls=None, body=body)
    try:
        client.registration(RESIDENT)
    except FeeSystemError as error:
        assert error.code in KNOWN_CODES
    finally:
        served.controls.clear()
        client.close()
