"""PYTEST_DONT_REWRITE. Fixtures of the fee-system-over-HTTP tests: the simulator served on loopback over mutual
TLS (a test PKI made once per session), a client with this terminal's certificate.

Test modules load them with `pytest_plugins = ["feehttp_fixtures"]` (tests/ is on sys.path: no __init__.py).
"""

from __future__ import annotations

import hashlib
import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import PaymentRecord
from kiosk.feesystem.http_client import HttpFeeSystem
from kiosk.feesystem.tls import ClientTls, TlsFiles
from parties.feesystem.http_server import FeeSystemHttpServer
from parties.feesystem.server_tls import ServerTls
from parties.feesystem.test_pki import TerminalFiles, TestPki, make_test_pki

RESIDENT = "370103197003224422"  # 李秀英
ELDERLY = "370102194805060028"  # 孙桂兰, 78: no resident pension
UNREGISTERED = "37010519951111351X"
FLEXIBLE = "37010219850715231X"  # 张三丰, paid through 2026-08
TERMINAL = "SD370102-ZZ01"  # config/simulated.toml's terminal.id
OTHER_TERMINAL = "SD370102-ZZ02"


def own_key(name: str) -> str:
    """An idempotency key of this terminal's journal form (the gateway refuses any other over mutual TLS), told
    apart by ``name``: kiosk-<terminal>-<14 digits>-<6 hex>."""
    return f"kiosk-{TERMINAL}-20261127100000-{hashlib.sha256(name.encode()).hexdigest()[:6].upper()}"


_SESSION: dict[str, object] = {}  # the session's PKI and this terminal's files, for the helpers below


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> TestPki:
    """The test CA, the simulator's certificate and an empty CRL: made once per session (per xdist worker)."""
    made = make_test_pki(tmp_path_factory.mktemp("pki"))
    _SESSION["pki"], _SESSION["terminal"] = made, made.terminal(TERMINAL)
    return made


@pytest.fixture(scope="session")
def terminal_files(pki) -> TerminalFiles:
    """This terminal's certificate (CN = TERMINAL) and key, signed by the test CA."""
    files = _SESSION["terminal"]
    assert isinstance(files, TerminalFiles)
    return files


def session_tls() -> ClientTls:
    """This terminal's ClientTls for a test that builds its own client against ``served`` (needs the pki fixture)."""
    return client_tls(_SESSION["pki"], _SESSION["terminal"])  # type: ignore[arg-type]


def raw_context() -> ssl.SSLContext:
    """This terminal's SSL context for raw requests (urllib's ``context=``, sockets) against ``served``."""
    return ssl_context(_SESSION["pki"], _SESSION["terminal"])  # type: ignore[arg-type]


def client_tls(pki: TestPki, files: TerminalFiles, terminal_id: str = TERMINAL) -> ClientTls:
    return ClientTls(TlsFiles(pki.ca_file, files.cert_file, files.key_file), terminal_id)


def tls_overrides(pki: TestPki, files: TerminalFiles) -> dict[str, str]:
    """Configuration keys that give a kiosk this terminal's certificate."""
    return {
        "fee_system.ca_file": str(pki.ca_file),
        "fee_system.cert_file": str(files.cert_file),
        "fee_system.key_file": str(files.key_file),
    }


def ssl_context(pki: TestPki, files: TerminalFiles | None) -> ssl.SSLContext:
    """A client context for raw requests (urllib, sockets): the test CA, and the terminal's certificate if given."""
    context = ssl.create_default_context(cafile=pki.ca_file)
    if files is not None:
        context.load_cert_chain(files.cert_file, files.key_file)
    return context


def connect(url: str, context: ssl.SSLContext | None, timeout: float = 5) -> socket.socket:
    """A connection to ``url``'s host and port: TLS with ``context`` for https."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
    if parts.scheme != "https" or context is None:
        return sock
    return context.wrap_socket(sock, server_hostname=parts.hostname)


@pytest.fixture
def served(fee_system, pki) -> Iterator[FeeSystemHttpServer]:
    """The embedded simulator (conftest's ``fee_system``, fixed clock) on an ephemeral loopback port, mutual TLS."""
    tls = ServerTls(pki.server_files())
    with FeeSystemHttpServer(fee_system, controls=True, tls=tls) as server:  # the tests pay QR orders over HTTP
        yield server


@pytest.fixture
def client_context(pki, terminal_files) -> ssl.SSLContext:
    return ssl_context(pki, terminal_files)


@pytest.fixture
def client(served, pki, terminal_files) -> HttpFeeSystem:
    # Short backoff keeps retries fast; the timeout is generous so a slow CI machine never fails a good call.
    return HttpFeeSystem(
        served.url,
        timeout_seconds=5,
        retries=2,
        backoff_seconds=0.01,
        max_backoff_seconds=0.05,
        tls=client_tls(pki, terminal_files),
    )


def pay_resident_pension(fee_system, key: str, method: PayMethod = PayMethod.WECHAT) -> PaymentRecord:
    """Quote, open a QR order, let the simulator's phone pay, post: the whole QR path through ``fee_system``."""
    quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    order = fee_system.open_qr_order(key, quote.quote_id, method)
    paid = fee_system.simulate_qr_payment(order.order_no)
    return fee_system.post_payment(key, quote.quote_id, method, paid.channel_txn, RESIDENT)
