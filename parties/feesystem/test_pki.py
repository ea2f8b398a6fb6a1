"""A test PKI for the fee system's mutual TLS (issue 20 §1): the bureau's CA, the gateway's server certificate,
terminal certificates, a CRL, and a second "rogue" CA for wrongly signed certificates. Never a real key.

Made with ``cryptography`` into a state directory on first use and reused after (``make_test_pki`` is cheap when
the files are there): `kiosk sim` makes it in its state directory, the tests once per session.

Keys are EC P-256: a key pair is made in well under a millisecond (RSA 2048 takes tens of milliseconds, which adds
up over a test session), certificates are small, and every TLS 1.2+ stack a bureau's gateway runs speaks ECDSA.
A terminal's id is its certificate's subject common name (CN); the gateway reads it from there.

Validity is counted from the wall clock (``now``), not the kiosk's injected clock: OpenSSL checks certificates
against the real time during a handshake.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import ip_address
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from parties.feesystem.server_tls import ServerTlsFiles

CA_NAME = "Test Social Insurance Bureau CA"
ROGUE_CA_NAME = "Not The Bureau CA"
SERVER_HOSTS = ("127.0.0.1", "localhost")
CA_DAYS = 3650
SERVER_DAYS = 730
TERMINAL_DAYS = 365


@dataclass(frozen=True)
class Issuer:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class TerminalFiles:
    cert_file: Path
    key_file: Path


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def cert_pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def write_private(path: Path, data: bytes) -> None:
    """A key file readable by its owner only (the kiosk refuses a key others can read)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Social Insurance Bureau"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca(common_name: str, now: dt.datetime) -> Issuer:
    key = new_key()
    name = _name(common_name)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )  # keyCertSign, cRLSign
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issuer(certificate, key)


def issue(
    issuer: Issuer,
    public_key: ec.EllipticCurvePublicKey,
    common_name: str,
    *,
    not_before: dt.datetime,
    not_after: dt.datetime,
    server_hosts: Iterable[str] = (),
) -> x509.Certificate:
    """A leaf certificate: a server's (``server_hosts`` in its SAN) or a terminal's (client authentication)."""
    hosts = list(server_hosts)
    usage = ExtendedKeyUsageOID.SERVER_AUTH if hosts else ExtendedKeyUsageOID.CLIENT_AUTH
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer.certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.certificate.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    if hosts:
        names: list[x509.GeneralName] = []
        for host in hosts:
            try:
                names.append(x509.IPAddress(ip_address(host)))
            except ValueError:
                names.append(x509.DNSName(host))
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(issuer.key, hashes.SHA256())


class TestPki:
    """The files of one test PKI in ``directory``: ca.pem (the trust root both sides load), server.pem/-key.pem,
    crl.pem (the revocation list the simulator reads), and terminal certificates made on demand."""

    __test__ = False  # not a pytest test class

    def __init__(self, directory: Path, now: dt.datetime | None = None) -> None:
        self.directory = directory
        self.now = now or dt.datetime.now(dt.UTC)
        self.ca_file = directory / "ca.pem"
        self.server_cert_file = directory / "server.pem"
        self.server_key_file = directory / "server-key.pem"
        self.crl_file = directory / "crl.pem"
        self._ca_key_file = directory / "ca-key.pem"
        self._rogue_key_file = directory / "rogue-ca-key.pem"
        self._rogue_file = directory / "rogue-ca.pem"

    # --- set-up ------------------------------------------------------------------------------------------------

    def ensure(self) -> TestPki:
        """Make the CA, the server's certificate, an empty CRL and the rogue CA, unless they are there already."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not (self.ca_file.exists() and self._ca_key_file.exists()):
            self._save_issuer(_ca(CA_NAME, self.now), self.ca_file, self._ca_key_file)
            for stale in (self.server_cert_file, self.crl_file):
                stale.unlink(missing_ok=True)
        if not self.server_cert_file.exists():
            key = new_key()
            certificate = issue(
                self.ca(),
                key.public_key(),
                SERVER_HOSTS[0],
                not_before=self.now - dt.timedelta(days=1),
                not_after=self.now + dt.timedelta(days=SERVER_DAYS),
                server_hosts=SERVER_HOSTS,
            )
            write_private(self.server_key_file, key_pem(key))
            self.server_cert_file.write_bytes(cert_pem(certificate))
        if not self.crl_file.exists():
            self.write_crl([])
        if not self._rogue_file.exists():
            self._save_issuer(_ca(ROGUE_CA_NAME, self.now), self._rogue_file, self._rogue_key_file)
        return self

    def ca(self) -> Issuer:
        return self._load_issuer(self.ca_file, self._ca_key_file)

    def rogue_ca(self) -> Issuer:
        return self._load_issuer(self._rogue_file, self._rogue_key_file)

    def server_files(self) -> ServerTlsFiles:
        """What the simulator serves with: its certificate, the CA client certificates chain to, the CRL."""
        return ServerTlsFiles(self.server_cert_file, self.server_key_file, self.ca_file, self.crl_file)

    # --- terminals ---------------------------------------------------------------------------------------------

    def terminal(
        self,
        terminal_id: str,
        *,
        name: str | None = None,
        valid_days: float = TERMINAL_DAYS,
        expired: bool = False,
        rogue: bool = False,
        not_before: dt.datetime | None = None,
    ) -> TerminalFiles:
        """A terminal's key and certificate (CN = ``terminal_id``) under ``name`` (default: the id): signed by the
        bureau's CA, or by the rogue one; ``expired``: its last valid day was yesterday."""
        stem = name or terminal_id
        files = TerminalFiles(self.directory / f"{stem}.pem", self.directory / f"{stem}-key.pem")
        key = new_key()
        if expired:
            not_before, not_after = self.now - dt.timedelta(days=30), self.now - dt.timedelta(days=1)
        else:
            not_before = not_before or self.now - dt.timedelta(days=1)
            not_after = self.now + dt.timedelta(days=valid_days)
        issuer = self.rogue_ca() if rogue else self.ca()
        certificate = issue(issuer, key.public_key(), terminal_id, not_before=not_before, not_after=not_after)
        write_private(files.key_file, key_pem(key))
        files.cert_file.write_bytes(cert_pem(certificate))
        return files

    def sign_request(
        self, csr_pem: bytes, not_before: dt.datetime | None = None, not_after: dt.datetime | None = None
    ) -> bytes:
        """What the bureau does with a terminal's CSR: a client certificate for the name and key it asks for,
        valid from yesterday for TERMINAL_DAYS unless given (a kiosk whose test clock is behind the wall clock)."""
        request = x509.load_pem_x509_csr(csr_pem)
        if not request.is_signature_valid:
            raise ValueError("the request's signature does not match its key")
        [common_name] = request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        public_key = request.public_key()
        if not isinstance(public_key, ec.EllipticCurvePublicKey):
            raise ValueError("the test CA signs EC keys only")
        certificate = issue(
            self.ca(),
            public_key,
            str(common_name.value),
            not_before=not_before or self.now - dt.timedelta(days=1),
            not_after=not_after or self.now + dt.timedelta(days=TERMINAL_DAYS),
        )
        return cert_pem(certificate)

    def revoke(self, cert_file: Path) -> None:
        """Add a certificate to the CRL (the simulator reads the file again on the next connection)."""
        certificate = x509.load_pem_x509_certificate(cert_file.read_bytes())
        revoked = {entry.serial_number for entry in x509.load_pem_x509_crl(self.crl_file.read_bytes())}
        self.write_crl([*revoked, certificate.serial_number])

    def write_crl(self, serials: Iterable[int]) -> None:
        ca = self.ca()
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(ca.certificate.subject)
            .last_update(self.now - dt.timedelta(days=1))
            .next_update(self.now + dt.timedelta(days=30))
        )
        for serial in serials:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(self.now).build()
            )
        crl = builder.sign(ca.key, hashes.SHA256())
        temporary = self.crl_file.with_suffix(".tmp")
        temporary.write_bytes(crl.public_bytes(serialization.Encoding.PEM))
        temporary.replace(self.crl_file)

    # --- files -------------------------------------------------------------------------------------------------

    def _save_issuer(self, issuer: Issuer, cert_file: Path, key_file: Path) -> None:
        write_private(key_file, key_pem(issuer.key))
        cert_file.write_bytes(cert_pem(issuer.certificate))

    @staticmethod
    def _load_issuer(cert_file: Path, key_file: Path) -> Issuer:
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{key_file}: not an EC key")
        return Issuer(x509.load_pem_x509_certificate(cert_file.read_bytes()), key)


def make_test_pki(directory: Path | str, now: dt.datetime | None = None) -> TestPki:
    """The test PKI in ``directory``, made on first use."""
    return TestPki(Path(directory), now).ensure()
