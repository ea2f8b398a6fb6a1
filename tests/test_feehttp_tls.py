"""Mutual TLS between the kiosk and the fee system (issue 20 §1), over real loopback TLS: who gets an answer, who
gets 403, and what a missing, expired, revoked or wrongly signed certificate says (client, health, doctor)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import select
import ssl
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import NOW
from feehttp_fixtures import (
    OTHER_TERMINAL,
    RESIDENT,
    TERMINAL,
    client_tls,
    connect,
    pay_resident_pension,
    ssl_context,
    tls_overrides,
)
from kiosk.config import ConfigError
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import CertificateKind, NotAllowed, UnknownRecord
from kiosk.feesystem.http_client import HttpFeeSystem, watch_certificate
from kiosk.feesystem.tls import CertificateRefused, ClientTls, TlsFiles, doctor_check
from kiosk.service_health import ProblemKind, ServiceHealth
from parties.feesystem.http_server import FeeSystemHttpServer
from parties.feesystem.server_tls import ServerTls

pytest_plugins = ["feehttp_fixtures"]


def post(sock: ssl.SSLSocket, path: str, body: dict) -> bytes:
    """Send one request; the whole raw answer, b"" when the connection ends without one."""
    data = json.dumps(body).encode()
    sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(data)}\r\n\r\n".encode() + data)
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
        head, _, rest = answer.partition(b"\r\n\r\n")
        length = next((line.split(b":")[1] for line in head.split(b"\r\n") if line.startswith(b"Content-Length")), None)
        if length is not None and len(rest) >= int(length):
            break
    return answer


def make_client(served, tls: ClientTls, told: list | None = None) -> HttpFeeSystem:
    return HttpFeeSystem(
        served.url,
        timeout_seconds=3,
        retries=1,
        backoff_seconds=0.01,
        tls=tls,
        on_certificate=told.append if told is not None else None,
    )


# --- who gets an answer --------------------------------------------------------------------------------------


def test_the_api_is_https_and_a_terminal_with_its_certificate_is_answered(served, client):
    assert served.url.startswith("https://127.0.0.1:")
    assert client.registration(RESIDENT).name == "李秀英"


def test_a_client_without_a_certificate_gets_no_answer(served, pki):
    """The handshake is refused: whatever is sent, no HTTP answer comes back."""
    with (
        connect(served.url, ssl_context(pki, None)) as sock,
        pytest.raises(ssl.SSLError) as raised,  # TLS 1.3: the client's handshake ends first, the alert comes next
    ):
        post(sock, "/rpc/registration", {"id_number": RESIDENT})
    assert raised.value.reason == "TLSV13_ALERT_CERTIFICATE_REQUIRED"
    assert served.controls.calls == 0  # nothing reached the fee system


def test_a_plain_http_client_gets_no_answer_from_the_tls_listener(served):
    with connect(served.url.replace("https:", "http:"), None) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            answer = sock.recv(1024)
        except ConnectionResetError:
            answer = b""
    assert not answer.startswith(b"HTTP/")


def test_the_public_listener_serves_pages_without_a_certificate_and_no_api(served):
    with urllib.request.urlopen(served.public_url + "/health", timeout=5) as response:
        assert json.loads(response.read()) == {"status": "ok"}
    request = urllib.request.Request(served.public_url + "/rpc/registration", data=b'{"id_number": "x"}')
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 404
    assert served.controls.calls == 0


def test_tls_below_1_2_is_refused(served, pki, terminal_files):
    context = ssl_context(pki, terminal_files)
    with pytest.warns(DeprecationWarning):  # Python itself calls TLS 1.1 deprecated
        context.minimum_version = context.maximum_version = ssl.TLSVersion.TLSv1_1
    with pytest.raises(ssl.SSLError):
        connect(served.url, context).close()


# --- one identity per terminal ----------------------------------------------------------------------------------


def test_a_terminal_posting_as_another_gets_403_and_is_logged(served, pki, caplog):
    other = make_client(served, client_tls(pki, pki.terminal(OTHER_TERMINAL), OTHER_TERMINAL))
    quote = other.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    with caplog.at_level(logging.WARNING, logger="parties.feesystem.http_server"):
        with pytest.raises(NotAllowed) as refused:
            other.open_qr_order(f"kiosk-{TERMINAL}-20261127100000-ABC123", quote.quote_id, PayMethod.WECHAT)
        with pytest.raises(NotAllowed):
            other.post_payment(
                f"kiosk-{TERMINAL}-20261127100000-ABC123", quote.quote_id, PayMethod.WECHAT, "T", RESIDENT
            )
        with pytest.raises(NotAllowed):
            other.terminal_payments(TERMINAL, NOW.date())
    assert refused.value.code == "not_allowed" and refused.value.detail.startswith("wrong_terminal")
    assert sum("wrong_terminal" in record.getMessage() for record in caplog.records) == 3
    assert served.backend.open_qr_orders() == []  # nothing was opened for the other terminal
    # Its own key and its own listing are served.
    assert other.terminal_payments(OTHER_TERMINAL, NOW.date()) == []
    order = other.open_qr_order(f"kiosk-{OTHER_TERMINAL}-20261127100000-ABC123", quote.quote_id, PayMethod.WECHAT)
    assert order.order_no


def test_the_403_travels_with_its_status_and_code(served, pki, terminal_files):
    with connect(served.url, ssl_context(pki, terminal_files)) as sock:
        answer = post(sock, "/rpc/terminal_payments", {"terminal_id": OTHER_TERMINAL, "day": "2026-11-27"})
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 403")
    error = json.loads(body)["error"]
    assert error["code"] == "not_allowed" and error["detail"].startswith("wrong_terminal")


def test_a_key_of_a_terminal_whose_id_extends_ours_is_refused(served, pki):
    """Ids sharing a prefix: terminal "...-ZZ0" may not post with "...-ZZ01"'s journal keys."""
    short = make_client(served, client_tls(pki, pki.terminal("SD370102-ZZ0"), "SD370102-ZZ0"))
    quote = short.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    with pytest.raises(NotAllowed):
        short.open_qr_order("kiosk-SD370102-ZZ0-1-20261127100000-ABC123", quote.quote_id, PayMethod.WECHAT)


@pytest.mark.parametrize(
    "key",
    [
        "key-1",  # no terminal named at all
        f"kiosk-{TERMINAL}-anything",  # our prefix, not the journal's form
        f"kiosk-{TERMINAL}-20261127100000-abc123",  # lowercase: not what the journal writes
        f"kiosk-{TERMINAL}-20261127100000-ABC123-extra",
    ],
)
def test_a_key_not_of_the_terminals_own_form_is_refused_with_a_reason(served, client, key, caplog):
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    with caplog.at_level(logging.WARNING, logger="parties.feesystem.http_server"):
        with pytest.raises(NotAllowed) as refused:
            client.open_qr_order(key, quote.quote_id, PayMethod.WECHAT)
        with pytest.raises(NotAllowed):
            client.post_payment(key, quote.quote_id, PayMethod.BANK_CARD, "RRN 611201042", RESIDENT)
        with pytest.raises(NotAllowed):
            client.find_payment(key)
    assert refused.value.detail.startswith("wrong_key_form") and f"kiosk-{TERMINAL}-<14 digits>" in refused.value.detail
    assert sum("wrong_key_form" in record.getMessage() for record in caplog.records) == 3
    assert served.backend.open_qr_orders() == [] and served.backend.find_payment(key) is None
    # The journal's own forms pass: a payment's key and a household basket line's.
    line_key = f"kiosk-{TERMINAL}-20261127100000-ABC123-L2"
    assert client.find_payment(line_key) is None
    assert client.open_qr_order(f"kiosk-{TERMINAL}-20261127100000-ABC123", quote.quote_id, PayMethod.WECHAT)


# --- bad certificates, in words -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda pki: pki.terminal(TERMINAL, name="expired", expired=True), "expired"),
        (lambda pki: pki.terminal(TERMINAL, name="rogue", rogue=True), "not the bureau's CA"),
    ],
    ids=["expired", "wrongly signed"],
)
def test_an_expired_or_wrongly_signed_certificate_is_refused_in_words(served, pki, make, words):
    told: list = []
    client = make_client(served, client_tls(pki, make(pki)), told)
    with pytest.raises(CertificateRefused) as refused:
        client.registration(RESIDENT)
    assert words in refused.value.detail and told == [refused.value.detail]
    assert served.controls.calls == 0


def test_a_revoked_certificate_is_refused_from_the_next_connection_without_a_restart(served, pki):
    files = pki.terminal(TERMINAL, name="to-revoke")
    told: list = []
    client = make_client(served, client_tls(pki, files), told)
    assert client.registration(RESIDENT).name == "李秀英"
    pki.revoke(files.cert_file)
    client.close()  # the kept connection was made before; the next one meets the new CRL
    with pytest.raises(CertificateRefused) as refused:
        client.registration(RESIDENT)
    assert "revoked" in refused.value.detail and told == [refused.value.detail]


def test_a_missing_certificate_is_refused_before_connecting(served, pki, tmp_path):
    told: list = []
    tls = ClientTls(TlsFiles(pki.ca_file, tmp_path / "none.pem", tmp_path / "none-key.pem"), TERMINAL)
    with pytest.raises(CertificateRefused) as refused:
        make_client(served, tls, told).registration(RESIDENT)
    assert "none.pem is missing" in refused.value.detail and told == [refused.value.detail]


def test_a_server_the_bureau_did_not_certify_or_another_host_is_not_trusted(fee_system, pki, terminal_files):
    rogue_ca = pki.directory / "rogue-ca.pem"
    with FeeSystemHttpServer(fee_system, tls=ServerTls(pki.server_files())) as served:
        tls = ClientTls(TlsFiles(rogue_ca, terminal_files.cert_file, terminal_files.key_file), TERMINAL)
        with pytest.raises(CertificateRefused) as untrusted:
            HttpFeeSystem(served.url, timeout_seconds=3, tls=tls).registration(RESIDENT)
        assert "fee system's own certificate is not trusted" in untrusted.value.detail
    with FeeSystemHttpServer(fee_system, host="127.0.0.2", tls=ServerTls(pki.server_files())) as elsewhere:
        with pytest.raises(CertificateRefused) as wrong_host:
            HttpFeeSystem(elsewhere.url, timeout_seconds=3, tls=client_tls(pki, terminal_files)).registration(RESIDENT)
        assert "not trusted" in wrong_host.value.detail and "127.0.0.2" in wrong_host.value.detail


def test_the_health_goes_out_of_service_and_back(served, pki, terminal_files):
    """A refused certificate puts the kiosk out of service (Home's panel); a call that gets through clears it."""
    health = ServiceHealth(lambda: NOW)
    files = pki.terminal(TERMINAL, name="flip", expired=True)
    client = make_client(served, client_tls(pki, files))
    watch_certificate(client, health, dt.datetime.now())  # expired now: reported before any call
    assert health.has(ProblemKind.CLIENT_CERTIFICATE)
    [problem] = health.problems()
    assert "flip.pem" in problem.detail and "expired on" in problem.detail
    good = pki.terminal(TERMINAL, name="flip")  # a new certificate and key in the same files
    assert client.check_link() is None
    assert not health.has(ProblemKind.CLIENT_CERTIFICATE)
    assert good.cert_file == files.cert_file


# --- the hostile-input limits hold on the TLS socket ------------------------------------------------------------


def test_a_handshake_that_never_comes_is_cut_at_the_deadline(fee_system, pki):
    tls = ServerTls(pki.server_files())
    with (
        FeeSystemHttpServer(fee_system, tls=tls, request_deadline_seconds=0.5) as served,
        connect(served.url.replace("https:", "http:"), None) as sock,  # TCP only, no ClientHello
    ):
        started = time.monotonic()
        sock.settimeout(5)
        assert sock.recv(1024) == b""  # closed by the server
        assert time.monotonic() - started < 2


def test_connections_over_the_cap_get_503_over_tls(fee_system, pki, terminal_files):
    with FeeSystemHttpServer(fee_system, tls=ServerTls(pki.server_files()), max_connections=2) as served:
        context = ssl_context(pki, terminal_files)
        held = [connect(served.url, context) for _ in range(2)]
        try:
            time.sleep(0.1)  # both accepted and in their handlers
            with connect(served.url, context) as sock:
                answer = post(sock, "/rpc/registration", {"id_number": RESIDENT})
            assert answer.startswith(b"HTTP/1.1 503") and b"Retry-After: 1" in answer
        finally:
            for sock in held:
                sock.close()


# --- configuration and doctor -----------------------------------------------------------------------------------


def test_plain_http_only_behind_insecure_loopback_for_loopback(tmp_path):
    from kiosk.config import load_config

    base = (Path(__file__).resolve().parent.parent / "config" / "simulated.toml").read_text(encoding="utf-8")

    def load_with(fee_system: str) -> None:
        (tmp_path / "kiosk.toml").write_text(base.replace('kind = "embedded"', fee_system, 1), encoding="utf-8")
        load_config(tmp_path / "kiosk.toml")

    with pytest.raises(ConfigError, match="insecure_loopback"):
        load_with('kind = "http"\nurl = "http://127.0.0.1:8765"')
    with pytest.raises(ConfigError, match=r"plain http to fee\.example is refused"):
        load_with('kind = "http"\nurl = "http://fee.example"\ninsecure_loopback = true')
    load_with('kind = "http"\nurl = "http://127.0.0.1:8765"\ninsecure_loopback = true')
    load_with('kind = "http"\nurl = "https://fee.example/api"')


def test_a_key_others_can_read_stops_the_kiosk(kiosk_config, clock, pki):
    from kiosk.application import build_fee_system

    files = pki.terminal(TERMINAL, name="loose")
    os.chmod(files.key_file, 0o644)
    config = kiosk_config.with_overrides(
        {"fee_system.kind": "http", "fee_system.url": "https://127.0.0.1:9", **tls_overrides(pki, files)}
    )
    with pytest.raises(ConfigError, match="readable by others"):
        build_fee_system(config, clock)


def test_doctor_names_the_certificate_its_subject_and_expiry(kiosk_config, pki, terminal_files):
    config = kiosk_config.with_overrides(
        {"fee_system.kind": "http", "fee_system.url": "https://127.0.0.1:9", **tls_overrides(pki, terminal_files)}
    )
    now = dt.datetime.now()
    result, detail = doctor_check(config, now)
    assert result == "ok"
    assert str(terminal_files.cert_file) in detail and f"CN={TERMINAL}" in detail and "expires 20" in detail
    result, detail = doctor_check(config, now + dt.timedelta(days=350))  # 15 days before the end
    assert result == "warn" and "expires on" in detail and "enrol again" in detail
    result, detail = doctor_check(config, now + dt.timedelta(days=400))
    assert result == "fail" and "expired on" in detail and "out of service" in detail
    rogue = pki.terminal(TERMINAL, name="doctor-rogue", rogue=True)
    result, detail = doctor_check(config.with_overrides(tls_overrides(pki, rogue)), now)
    assert result == "fail" and "not signed by the bureau's CA" in detail
    other = pki.terminal(OTHER_TERMINAL, name="doctor-other")
    result, detail = doctor_check(config.with_overrides(tls_overrides(pki, other)), now)
    assert result == "fail" and f"made for terminal {OTHER_TERMINAL}" in detail
    missing = config.with_overrides({"fee_system.cert_file": str(pki.directory / "nothing.pem")})
    result, detail = doctor_check(missing, now)
    assert result == "fail" and "nothing.pem is missing" in detail


def test_a_payment_goes_through_over_mutual_tls(client, served):
    record = pay_resident_pension(client, f"kiosk-{TERMINAL}-20261127100000-0A1B2C")
    assert served.backend.find_payment(f"kiosk-{TERMINAL}-20261127100000-0A1B2C") == record


def test_the_verification_pages_need_no_certificate_beside_the_mutual_tls_api(fee_system, pki):
    """The public pages (public_pages.py) are served on the public listener to anyone, e.g. a phone's browser."""
    from parties.feesystem.public_pages import PublicPages

    pages = PublicPages(fee_system.certificates)
    with FeeSystemHttpServer(fee_system, tls=ServerTls(pki.server_files()), public_pages=pages) as served:
        code = "A" * 40  # shaped like a code, signed by nobody: a "not genuine" page
        with urllib.request.urlopen(served.public_url + "/verify/" + code, timeout=5) as page:  # no certificate
            assert page.headers["Content-Type"].startswith("text/html") and "<html" in page.read().decode()
        with pytest.raises((ssl.SSLError, urllib.error.URLError)):  # on the API listener: no certificate, no answer
            urllib.request.urlopen(served.url + "/verify/" + code, timeout=5, context=ssl_context(pki, None))


def test_a_certificate_print_reuses_the_kept_connection_and_is_counted_once(served, client, monkeypatch):
    """record_certificate_print (at most once) goes on the thread's kept connection, not a new handshake; a kept
    connection the server has closed is seen before anything is sent, so the print is still counted exactly once."""
    handshakes = []
    accept = served.tls.accept
    monkeypatch.setattr(served.tls, "accept", lambda *args: handshakes.append(1) or accept(*args))
    record = pay_resident_pension(client, f"kiosk-{TERMINAL}-20261127100000-C0FFEE")
    issue = client.issue_certificate(CertificateKind.TAX, RESIDENT, (record.payment_no,))
    for _ in range(3):
        client.record_certificate_print(issue.number)
    assert len(handshakes) == 1  # one connection for the payment, the issue and the three prints
    served._httpd.close_open_connections()  # as the server's idle timeout would
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not select.select([client._local.connection.sock], [], [], 0.05)[0]:
        pass
    assert client.record_certificate_print(issue.number).printed == issue.printed + 4
    assert len(handshakes) == 2 and served.backend.check_document(issue.number).printed == issue.printed + 4


def test_a_receipt_reprint_is_counted_over_mutual_tls(served, client):
    record = pay_resident_pension(client, f"kiosk-{TERMINAL}-20261127100000-BEEF01")
    assert client.record_receipt_reprint(record.payment_no) == 1
    assert client.record_receipt_reprint(record.payment_no) == 2
    assert client.check_document(record.payment_no).printed == 3
    with pytest.raises(UnknownRecord):
        client.record_receipt_reprint("no-such-payment")
