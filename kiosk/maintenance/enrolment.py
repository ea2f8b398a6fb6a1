"""Enrolment of the terminal's certificate for mutual TLS to the fee system, in maintenance mode (issue 20 §1).

1. The kiosk makes a key pair and a certificate signing request (CSR) for its terminal id. The key stays on the
   kiosk (``<key_file>.pending``, 0600, until its certificate is installed); the CSR goes to the removable drive
   (the export folder, as log exports do): ``kiosk-csr-<terminal>-<time>.pem``.
2. The bureau signs it; the technician brings the certificate back on the drive as ``kiosk-cert-<terminal>.pem``.
3. The kiosk imports it: signed by the bureau's CA (``[fee_system] ca_file``), for this terminal id, valid now, for
   the pending key (or the installed one, for a certificate renewed on the same key). Then it is installed (the
   certificate and the key replaced in one rename each) and the link is tested; the kiosk is back in service when
   the fee system answers.

Keys are EC P-256 (ECDSA with SHA-256): made in a millisecond, a 64-byte signature per handshake, and accepted by
every TLS 1.2+ gateway; RSA 2048 would do as well, only bigger and slower to make. Every step is audited (intent
and outcome, kiosk/maintenance/audit.py).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.config import KioskConfig
from kiosk.context import KioskContext
from kiosk.feesystem.tls import (
    CertificateInfo,
    Inspection,
    TlsFiles,
    check_certificate,
    describe,
    inspect,
    public_key_der,
    read_certificate,
    tls_files,
)
from kiosk.private_files import replace_file

PENDING_SUFFIX = ".pending"


class EnrolmentError(ValueError):
    """A step that cannot be done, in words for the technician (no traceback, nothing installed)."""


class Maintenance(Protocol):
    """What enrolment needs of the maintenance service (kiosk/maintenance/service.py)."""

    ctx: KioskContext

    @property
    def config(self) -> KioskConfig: ...

    def export_dir(self) -> Path: ...

    def act(self, verb: str, work: Any, done: str | None = ..., failed: str | None = ..., **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class EnrolmentState:
    inspection: Inspection  # the installed certificate: details, problem, expiry warning
    pending_request: bool  # a key made, waiting for its certificate


def request_name(terminal_id: str, now: dt.datetime) -> str:
    return f"kiosk-csr-{terminal_id}-{now:%Y%m%d-%H%M%S}.pem"


def certificate_name(terminal_id: str) -> str:
    return f"kiosk-cert-{terminal_id}.pem"


class Enrolment:
    def __init__(self, service: Maintenance) -> None:
        self.service = service
        self.files: TlsFiles = tls_files(service.config)
        self.terminal_id: str = service.config["terminal.id"]
        self.pending_key_file = self.files.key_file.with_name(self.files.key_file.name + PENDING_SUFFIX)

    def state(self) -> EnrolmentState:
        return EnrolmentState(
            inspect(self.files, self.terminal_id, self.service.ctx.clock()), self.pending_key_file.exists()
        )

    # --- 1. the request -------------------------------------------------------------------------------------

    def make_request(self) -> Path:
        """A new key (kept here) and its CSR on the drive; audited. Returns the CSR's path."""
        return self.service.act(
            "certificate_request",
            self._make_request,
            done="certificate_request_exported",
            outcome=lambda path: {"file": str(path)},
            terminal=self.terminal_id,
        )

    def _make_request(self) -> Path:
        folder = self.service.export_dir()  # ExportFolderMissing when the drive is not plugged in
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, self.terminal_id)])
        request = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / request_name(self.terminal_id, self.service.ctx.clock())
        replace_file(path, request.public_bytes(serialization.Encoding.PEM), 0o644)  # nothing secret in a CSR
        key_bytes = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        replace_file(self.pending_key_file, key_bytes, 0o600)
        return path

    # --- 3. the signed certificate ------------------------------------------------------------------------

    def import_certificate(self) -> CertificateInfo:
        """Check the certificate on the drive and install it with its key; audited. Returns what was installed."""
        return self.service.act(
            "certificate_import",
            self._import,
            done="certificate_installed",
            outcome=lambda info: {"subject": info.subject, "expires": f"{info.not_after:%Y-%m-%d}"},
            terminal=self.terminal_id,
        )

    def _import(self) -> CertificateInfo:
        source = self.service.export_dir() / certificate_name(self.terminal_id)
        if not source.is_file():
            raise EnrolmentError(f"no {source.name} on the drive ({source.parent})")
        try:
            certificate = read_certificate(source)
        except ValueError:
            raise EnrolmentError(f"{source.name} is not a PEM certificate") from None
        if not self.files.ca_file.is_file():
            raise EnrolmentError(f"the bureau's CA file {self.files.ca_file} is missing: it cannot be checked")
        ca = read_certificate(self.files.ca_file)
        if problem := check_certificate(certificate, ca, self.terminal_id, self.service.ctx.clock()):
            raise EnrolmentError(f"{source.name}: {problem}")
        key_file = self._key_for(certificate)
        replace_file(self.files.cert_file, certificate.public_bytes(serialization.Encoding.PEM), 0o644)
        if key_file != self.files.key_file:
            os.replace(key_file, self.files.key_file)
        return describe(certificate, self.files.cert_file)

    def _key_for(self, certificate: x509.Certificate) -> Path:
        """The key file the certificate was made for: the pending one, or the one installed (a renewal)."""
        wanted = public_key_der(certificate.public_key())
        for candidate in (self.pending_key_file, self.files.key_file):
            if candidate.is_file() and _public_key_of(candidate) == wanted:
                return candidate
        raise EnrolmentError("the certificate is not for this kiosk's key: make a new request and have it signed")

    def test_link(self) -> str | None:
        """The fee system over the installed certificate, audited: None when it answers (the kiosk is back in
        service), else the problem in words (e.g. revoked: only the gateway can say)."""
        check = getattr(self.service.ctx.fee_system, "check_link", None)
        if check is None:
            return None  # the embedded simulator: no link
        problem: str | None = self.service.act(
            "certificate_link_test", check, outcome=lambda found: {"problem": found or "none"}
        )
        return problem


def _public_key_of(key_file: Path) -> bytes | None:
    try:
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    return public_key_der(key.public_key())
