"""The bureau's signing keys: verification codes (Ed25519) and download tokens of electronic copies.

The private key lives here, in the fee system, never in a kiosk: the kiosk prints the code it is given and checks
codes with the public key alone (kiosk/verification.py, which also defines the payload and the algorithms).

The simulator signs with a **demo key** derived from a published phrase (its public half is config/simulated.toml's
``[verification] public_key``), unless its state directory holds a key file (``bureau-signing-key.pem``, PKCS#8,
0600). A real bureau's key is its own; SM2 would be a second entry in ``_SIGNERS``.

``python -m parties.feesystem.signing new-key --out FILE`` makes a key file (0600, never overwritten) and prints
its public half for the kiosks' ``[verification] public_key`` (docs/certificates.md, "Keys").
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import hmac
import os
import sys
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.verification import (
    DocumentKind,
    PublicKey,
    SignatureAlgorithm,
    encode_code,
    signed_message,
    signed_payload,
)

KEY_FILE = "bureau-signing-key.pem"
# Published on purpose (like the demo HMAC key): anybody can sign with it, so its codes prove nothing.
_DEMO_PHRASE = b"sifee demo bureau signing key: published, proves nothing"


def _ed25519_key(private: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(private)


_SIGNERS: dict[SignatureAlgorithm, Callable[[bytes], Ed25519PrivateKey]] = {SignatureAlgorithm.ED25519: _ed25519_key}


class BureauSigner:
    """Signs documents' verification payloads with one private key of one algorithm."""

    def __init__(self, private: Ed25519PrivateKey, algorithm: SignatureAlgorithm = SignatureAlgorithm.ED25519):
        self.algorithm = algorithm
        self._private = private
        raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public_key = PublicKey(algorithm, raw)
        # The download tokens' MAC key: derived, so that one secret is kept (and it never leaves the fee system).
        seed = private.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        self.token_key = hashlib.sha256(b"sifee-download-token-key" + seed).digest()

    @classmethod
    def demo(cls) -> BureauSigner:
        return cls(_SIGNERS[SignatureAlgorithm.ED25519](hashlib.sha256(_DEMO_PHRASE).digest()))

    @classmethod
    def generate(cls) -> BureauSigner:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_file(cls, path: Path) -> BureauSigner:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path}: not an Ed25519 private key")
        return cls(key)

    @classmethod
    def for_state(cls, state_dir: Path) -> BureauSigner:
        """The state directory's own key when it has one, else the demo key."""
        path = state_dir / KEY_FILE
        return cls.from_file(path) if path.exists() else cls.demo()

    def write(self, path: Path) -> None:
        """Save the private key (PKCS#8 PEM) readable by its owner only."""
        pem = self._private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)

    def sign_code(self, kind: DocumentKind, number: str, masked_name: str, total_fen: int, issued_on: dt.date) -> str:
        """The verification code of a document: its payload and the bureau's signature, grouped base32."""
        payload = signed_payload(self.algorithm, kind, number, masked_name, total_fen, issued_on)
        return encode_code(payload + self._private.sign(signed_message(payload)))


class DownloadTokens:
    """Short-lived tokens for ``/documents/<number>.pdf?t=<token>``, tied to the document number and to the copy's
    bytes: ``base32(expiry in minutes since the epoch (4 bytes) | HMAC-SHA256(key, number | expiry | sha256(pdf))
    [:12])``, 26 characters. A MAC, not a signature: only the fee system that issued a token checks it."""

    TAG_BYTES = 12

    def __init__(self, key: bytes, clock: Callable[[], dt.datetime], lifetime: dt.timedelta) -> None:
        self.key, self.clock, self.lifetime = key, clock, lifetime

    def _tag(self, number: str, expiry: bytes, pdf_digest: bytes) -> bytes:
        message = b"sifee-download" + expiry + pdf_digest + number.encode("utf-8")
        return hmac.new(self.key, message, hashlib.sha256).digest()[: self.TAG_BYTES]

    def issue(self, number: str, pdf_digest: bytes) -> str:
        expires = self.clock() + self.lifetime
        expiry = (int(expires.timestamp()) // 60 + 1).to_bytes(4, "big")
        return base64.b32encode(expiry + self._tag(number, expiry, pdf_digest)).decode("ascii").rstrip("=")

    def check(self, token: str, number: str, pdf_digest: bytes) -> str | None:
        """None when the token is good now; else why not: ``"wrong"`` or ``"expired"``."""
        try:
            data = base64.b32decode(token.upper() + "=" * (-len(token) % 8))
        except ValueError:
            return "wrong"
        # Only the canonical spelling: the last character's unused bits must not give one token many spellings.
        if len(data) != 4 + self.TAG_BYTES or base64.b32encode(data).decode("ascii").rstrip("=") != token.upper():
            return "wrong"
        expiry, tag = data[:4], data[4:]
        if not hmac.compare_digest(tag, self._tag(number, expiry, pdf_digest)):
            return "wrong"
        if self.clock().timestamp() >= int.from_bytes(expiry, "big") * 60:
            return "expired"
        return None


def main(argv: list[str] | None = None) -> int:
    """``new-key --out FILE``: a new signing key in FILE (the fee system's state directory keeps it as
    ``bureau-signing-key.pem``); its public key on stdout. Exit 2 when FILE exists or cannot be written."""
    parser = argparse.ArgumentParser(prog="python -m parties.feesystem.signing", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    new_key = commands.add_parser("new-key", help="make the bureau's signing key file and print its public key")
    new_key.add_argument("--out", required=True, type=Path, help=f"the private key file to create (e.g. {KEY_FILE})")
    args = parser.parse_args(argv)
    signer = BureauSigner.generate()
    try:
        signer.write(args.out)
    except FileExistsError:
        print(
            f"signing: {args.out} exists: a key is never overwritten (codes it signed must still verify)",
            file=sys.stderr,
        )
        return 2
    except OSError as error:
        print(f"signing: cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return 2
    print(f"private key written to {args.out} (0600): keep it in the fee system only", file=sys.stderr)
    print(signer.public_key)  # for [verification] public_key of every kiosk and checking office
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
