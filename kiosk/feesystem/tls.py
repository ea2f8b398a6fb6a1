"""The kiosk's side of mutual TLS to the fee system (issue 20 §1): one identity per terminal.

The bureau's CA is the only trust root (no system store), the terminal shows its own certificate and key, the
gateway's host name is checked, TLS 1.2 at least. The terminal id is the certificate's subject common name (CN),
as the gateway reads it (parties/feesystem/server_tls.py).

What can go wrong with the terminal's certificate is said plainly, once, in ``CertificateRefused.detail`` (the
technician's words: which file, whose, until when): missing, expired, not yet valid, not signed by the bureau,
another terminal's, not matching its key, revoked (only the gateway knows: its TLS alert says so), or the gateway's
own certificate not trusted. The citizen sees Home's out-of-service sentence (ProblemKind.CLIENT_CERTIFICATE).
"""

from __future__ import annotations

import datetime as dt
import os
import ssl
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from kiosk.config import KioskConfig
from kiosk.feesystem.api import Unavailable

EXPIRY_WARNING_DAYS = 30  # a technician warning (maintenance mode, kiosk doctor) this long before expiry

# OpenSSL's reasons for the gateway's TLS alerts about our certificate, and what they mean in words.
_ALERTS = {
    "SSLV3_ALERT_CERTIFICATE_EXPIRED": "the fee system says this terminal's certificate has expired",
    "SSLV3_ALERT_CERTIFICATE_REVOKED": "the fee system says this terminal's certificate is revoked",
    "TLSV1_ALERT_UNKNOWN_CA": "the fee system does not know who signed this terminal's certificate "
    "(not the bureau's CA)",
    "TLSV13_ALERT_CERTIFICATE_REQUIRED": "the fee system asked for this terminal's certificate and got none",
    "SSLV3_ALERT_HANDSHAKE_FAILURE": "the fee system refused the connection (no acceptable terminal certificate)",
    "SSLV3_ALERT_BAD_CERTIFICATE": "the fee system refused this terminal's certificate",
    "SSLV3_ALERT_UNSUPPORTED_CERTIFICATE": "the fee system refused this terminal's certificate",
    "TLSV1_ALERT_ACCESS_DENIED": "the fee system refused this terminal",
    "TLSV1_ALERT_DECRYPT_ERROR": "the fee system refused this terminal's certificate (key does not match)",
    "WRONG_VERSION_NUMBER": "the fee system's address does not speak TLS (wrong URL or port?)",
}


class CertificateRefused(Unavailable):
    """The secure link cannot be made for a certificate reason. Not retried (another attempt fails the same way);
    the kiosk goes out of service (ProblemKind.CLIENT_CERTIFICATE) until a call succeeds again."""


@dataclass(frozen=True)
class TlsFiles:
    ca_file: Path  # the bureau's CA: the only root trusted
    cert_file: Path  # this terminal's certificate
    key_file: Path  # its private key, 0600


@dataclass(frozen=True)
class CertificateInfo:
    file: Path
    subject: str  # RFC 4514, e.g. "CN=SD370102-ZZ01,O=...,C=CN"
    terminal_id: str  # the subject's CN
    issuer: str
    not_before: dt.datetime  # UTC
    not_after: dt.datetime  # UTC

    def days_left(self, now: dt.datetime) -> float:
        return (self.not_after - _utc(now)).total_seconds() / 86400


@dataclass(frozen=True)
class Inspection:
    """What the kiosk can tell of its certificate by itself: its details when readable, the problem that stops the
    link (None: fine as far as the kiosk can see) and a warning (expiry within EXPIRY_WARNING_DAYS)."""

    info: CertificateInfo | None
    problem: str | None
    warning: str | None = None


def key_file_problem(key_file: Path) -> str | None:
    """A private key others can read is refused (the kiosk does not start with it)."""
    try:
        mode = os.stat(key_file).st_mode
    except FileNotFoundError:
        return None  # missing is a certificate problem (out of service, enrolment), not a start-up refusal
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return f"{key_file} is readable by others (mode {stat.S_IMODE(mode):04o}): chmod 600 it"
    return None


def read_certificate(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def describe(certificate: x509.Certificate, file: Path) -> CertificateInfo:
    return CertificateInfo(
        file=file,
        subject=certificate.subject.rfc4514_string(),
        terminal_id=common_name(certificate.subject),
        issuer=certificate.issuer.rfc4514_string(),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
    )


def common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else ""


def public_key_der(key: object) -> bytes:
    return key.public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def check_certificate(
    certificate: x509.Certificate, ca: x509.Certificate, terminal_id: str, now: dt.datetime
) -> str | None:
    """Why ``certificate`` cannot be this terminal's identity (signature, terminal id, validity), or None."""
    try:
        certificate.verify_directly_issued_by(ca)
    except (ValueError, TypeError, Exception) as error:  # InvalidSignature, wrong issuer name or key type
        return f"not signed by the bureau's CA ({ca.subject.rfc4514_string()}): {type(error).__name__}"
    named = common_name(certificate.subject)
    if named != terminal_id:
        return f"made for terminal {named or '(no CN)'}, this kiosk is {terminal_id}"
    moment = _utc(now)
    if moment > certificate.not_valid_after_utc:
        return f"expired on {certificate.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"
    if moment < certificate.not_valid_before_utc:
        return f"not valid before {certificate.not_valid_before_utc:%Y-%m-%d %H:%M} UTC"
    return None


def inspect(files: TlsFiles, terminal_id: str, now: dt.datetime) -> Inspection:
    """Everything the kiosk can check of its own certificate without the network (doctor, start-up, maintenance)."""
    if not files.ca_file.is_file():
        return Inspection(None, f"the bureau's CA file {files.ca_file} is missing")
    if not files.cert_file.is_file():
        return Inspection(None, f"the terminal certificate {files.cert_file} is missing (enrol in maintenance mode)")
    try:
        certificate = read_certificate(files.cert_file)
        ca = read_certificate(files.ca_file)
    except (OSError, ValueError) as error:
        return Inspection(None, f"the certificate or CA file cannot be read: {type(error).__name__}")
    info = describe(certificate, files.cert_file)
    if problem := check_certificate(certificate, ca, terminal_id, now):
        return Inspection(info, f"terminal certificate {files.cert_file} ({info.subject}): {problem}")
    if not files.key_file.is_file():
        return Inspection(info, f"the terminal's private key {files.key_file} is missing (enrol again)")
    try:
        key = serialization.load_pem_private_key(files.key_file.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        return Inspection(info, f"the private key {files.key_file} cannot be read: {type(error).__name__}")
    if public_key_der(key.public_key()) != public_key_der(certificate.public_key()):
        return Inspection(info, f"the private key {files.key_file} does not belong to {files.cert_file}")
    days = info.days_left(now)
    warning = None
    if days < EXPIRY_WARNING_DAYS:
        warning = (
            f"terminal certificate expires on {info.not_after:%Y-%m-%d} ({max(days, 0):.0f} days): "
            "enrol again in maintenance mode"
        )
    return Inspection(info, None, warning)


class ClientTls:
    """The client's SSL context from the configured files, made again when one of them changes (a certificate
    installed by enrolment is used from the next connection on, no restart)."""

    def __init__(self, files: TlsFiles, terminal_id: str) -> None:
        if problem := key_file_problem(files.key_file):
            raise ValueError(problem)
        self.files = files
        self.terminal_id = terminal_id
        self._lock = threading.Lock()
        self._context: ssl.SSLContext | None = None
        self._stamp: tuple[int, ...] = ()

    def context(self) -> ssl.SSLContext:
        try:
            stamp = tuple(
                os.stat(p).st_mtime_ns for p in (self.files.ca_file, self.files.cert_file, self.files.key_file)
            )
        except FileNotFoundError as error:
            raise CertificateRefused(
                f"no secure link: {error.filename} is missing (enrol in maintenance mode)"
            ) from None
        with self._lock:
            if self._context is None or stamp != self._stamp:
                if problem := key_file_problem(self.files.key_file):
                    raise CertificateRefused(f"no secure link: {problem}")
                self._context, self._stamp = self._make(), stamp
            return self._context

    def _make(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # check_hostname and CERT_REQUIRED by default
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        try:
            context.load_verify_locations(cafile=self.files.ca_file)  # the bureau's CA only: no system roots
            context.load_cert_chain(self.files.cert_file, self.files.key_file)
        except (ssl.SSLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", None) or type(error).__name__
            raise CertificateRefused(
                f"no secure link: the certificate, key or CA file is unusable ({reason})"
            ) from None
        return context


def refusal(error: ssl.SSLError) -> CertificateRefused | None:
    """The certificate problem a TLS failure means, or None for a passing one (a connection cut mid-handshake)."""
    if isinstance(error, ssl.SSLCertVerificationError):
        return CertificateRefused(f"the fee system's own certificate is not trusted: {error.verify_message}")
    if isinstance(error, (ssl.SSLEOFError, ssl.SSLZeroReturnError, ssl.SSLWantReadError, ssl.SSLWantWriteError)):
        return None
    reason = error.reason or ""
    if reason in _ALERTS:
        return CertificateRefused(_ALERTS[reason])
    return CertificateRefused(f"the secure link failed ({reason or type(error).__name__})")


def _utc(moment: dt.datetime) -> dt.datetime:
    """The kiosk's clock is local and naive; certificates count in UTC."""
    return moment.astimezone(dt.UTC)


def tls_files(config: KioskConfig) -> TlsFiles:
    """The ``[fee_system]`` files (relative paths under the state directory)."""
    return TlsFiles(
        ca_file=config.state_path(config["fee_system.ca_file"]),
        cert_file=config.state_path(config["fee_system.cert_file"]),
        key_file=config.state_path(config["fee_system.key_file"]),
    )


def doctor_check(config: KioskConfig, now: dt.datetime) -> tuple[str, str]:
    """`kiosk doctor`'s row for the link to the fee system: ("ok" | "warn" | "fail", which certificate, whose,
    until when). Reads the files only; revocation is the gateway's to say (maintenance mode tests the link)."""
    section = config.section("fee_system")
    if section["kind"] != "http":
        return "ok", "embedded fee system (simulator): no network link to secure"
    if section["url"].startswith("http://"):
        return "warn", f"plain http to {section['url']} (insecure_loopback): no terminal certificate, tests only"
    files = tls_files(config)
    if problem := key_file_problem(files.key_file):
        return "fail", f"fee_system.key_file: {problem}; the kiosk does not start with it"
    found = inspect(files, config["terminal.id"], now)
    if found.problem is not None:
        return "fail", f"{found.problem}; the kiosk is out of service until it is fixed"
    assert found.info is not None
    info = found.info
    summary = (
        f"{info.file}: {info.subject}, issued by {info.issuer}, expires {info.not_after:%Y-%m-%d %H:%M} UTC "
        f"({info.days_left(now):.0f} days)"
    )
    if found.warning is not None:
        return "warn", f"{found.warning}; {summary}"
    return "ok", summary
