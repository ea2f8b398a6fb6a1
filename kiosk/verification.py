"""Verification codes of certificates and receipts: checkable offline, with no database.

Two versions are read; the first byte of the decoded code says which.

**Version 2 (signed by the bureau).** The fee system signs each document's payload when it numbers the document
(parties/feesystem/signing.py holds the private key); the kiosk prints the code it is given and holds no signing
key. Anyone with the bureau's public key (``[verification] public_key``) checks a code offline:

    payload   = version (1 byte, 2) | algorithm (1 byte, SignatureAlgorithm) | kind (1 byte, DocumentKind)
              | total in fen (unsigned LEB128 varint) | issue date (days since 2000-01-01, varint)
              | number (1-byte length + UTF-8) | masked name (1-byte length + UTF-8: 张*三, never the full name)
    signature = Ed25519(bureau key, "sifee-verify-v2" | payload)                         (64 bytes)
    code      = base32(payload | signature)

**Version 1 (HMAC, codes already printed).** ``[verification] hmac_key``, kept only to check old codes:

    payload = version (1 byte, 1) | total (varint) | ID digest (4 bytes: HMAC(key, "id:" + ID number))
            | number (1-byte length + UTF-8) | masked name (1-byte length + UTF-8)
    code    = base32(payload | tag), tag = HMAC-SHA256(key, "sifee-verify-v1" | payload)[:8]

Base32 (RFC 4648, A-Z 2-7, no padding) survives QR codes (alphanumeric mode) and typing: it has no 0/1/8/9 to
confuse with O/I/B/g. Codes are written in groups of four joined by ``-``; reading accepts any case, spaces or
hyphens. The signature or tag is checked before anything in the payload is parsed, and the code must be the
canonical encoding of its bytes, so changing any character makes the code fail.

An HMAC key is only as good as its secrecy: anybody holding it makes genuine v1 codes for any amount.
``key_problem`` names the keys that are public or guessable (the demo key of config/simulated.toml, a placeholder,
a short one); `kiosk verify` never falls back to one.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.domain.money import fen_to_chinese_uppercase, format_fen
from kiosk.domain.names import mask_name

if TYPE_CHECKING:
    from kiosk.config import KioskConfig

VERSION = 1
SIGNED_VERSION = 2
TAG_BYTES = 8
ID_DIGEST_BYTES = 4
GROUP = 4
_DOMAIN = b"sifee-verify-v1"
SIGNED_DOMAIN = b"sifee-verify-v2"
_EPOCH = dt.date(2000, 1, 1)
_ALPHABET = re.compile(r"^[A-Z2-7]+$")
_SEPARATORS = re.compile(r"[\s\-]+")
# 128 bits written in hex. config/kiosk.toml asks for 32 random bytes in hex (64 characters).
MIN_KEY_CHARACTERS = 32
# Words that mark a key written for an example, a test or the simulator, not drawn at random for a hall.
_PLACEHOLDER_WORDS = ("replace", "changeme", "change-me", "example", "placeholder", "secret-here", "demo")
# The random part of config/simulated.toml's demo key: public in the repository, with or without its prefix.
_PUBLISHED_KEYS = ("0f4c2a9e7b1d4e8a9c3f5b7d2e6a8c10",)
# The public half of the simulator's demo signing key (parties/feesystem/signing.py derives its private half from a
# published phrase): codes it signed prove nothing outside a demo.
DEMO_PUBLIC_KEY = "ed25519:oQh6T2TqDwY9IG7xuhK3Z6pz97J0yP2znvQOBXm6kJA="


class MalformedCodeError(ValueError):
    """The text is not a verification code at all (wrong characters or length, a typo)."""


class SignatureAlgorithm(IntEnum):
    """The bureau's signature algorithm, as the code's second byte names it. SM2 (国密, GB/T 32918) would be added
    here, with its verifier in ``_VERIFIERS`` and its signer in parties/feesystem/signing.py."""

    ED25519 = 1

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def named(cls, label: str) -> SignatureAlgorithm:
        try:
            return cls[label.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown signature algorithm {label!r} (known: {[a.label for a in cls]})") from None


class DocumentKind(IntEnum):
    """What a signed code is for: its third byte. The values match kiosk.feesystem.api.CertificateKind's names."""

    RECEIPT = 1
    TAX = 2
    PAYMENT_SUMMARY = 3
    PAYMENT_DETAIL = 4
    QUERY_LIST = 5
    BASKET = 6  # a household basket's one receipt (issue 22): number = the basket's order, name = the payer

    @property
    def official_name(self) -> str:
        return _KIND_NAMES[self]

    @classmethod
    def of(cls, value: str) -> DocumentKind:
        """``"receipt"``, ``"basket"`` or a CertificateKind value (``"tax"``, ``"payment_summary"``...)."""
        return cls[value.upper()]


_KIND_NAMES = {
    DocumentKind.RECEIPT: "社会保险费缴费小票",
    DocumentKind.TAX: "税收完税证明",
    DocumentKind.PAYMENT_SUMMARY: "社会保险费缴费证明（汇总）",
    DocumentKind.PAYMENT_DETAIL: "社会保险费缴费证明（明细）",
    DocumentKind.QUERY_LIST: "缴费记录查询结果",
    DocumentKind.BASKET: "家庭缴费凭证（一次支付多人多项）",
}


@dataclass(frozen=True)
class PublicKey:
    """One of the bureau's published verification keys: ``ed25519:<base64 of the 32-byte key>``."""

    algorithm: SignatureAlgorithm
    raw: bytes

    @classmethod
    def parse(cls, text: str) -> PublicKey:
        label, _, encoded = text.strip().partition(":")
        algorithm = SignatureAlgorithm.named(label)
        try:
            raw = base64.b64decode(encoded.strip(), validate=True)
        except ValueError:
            raise ValueError("the public key is not base64 after its algorithm") from None
        if algorithm is SignatureAlgorithm.ED25519 and len(raw) != 32:
            raise ValueError(f"an Ed25519 public key has 32 bytes, this one {len(raw)}")
        return cls(algorithm, raw)

    def __str__(self) -> str:
        return f"{self.algorithm.label}:{base64.b64encode(self.raw).decode('ascii')}"

    def verifies(self, signature: bytes, message: bytes) -> bool:
        return _VERIFIERS[self.algorithm](self.raw, signature, message)


def _ed25519_verifies(raw: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, message)
    except InvalidSignature:
        return False
    return True


_VERIFIERS = {SignatureAlgorithm.ED25519: _ed25519_verifies}
SIGNATURE_BYTES = {SignatureAlgorithm.ED25519: 64}


@dataclass(frozen=True)
class VerifiedDocument:
    """What a genuine code says about its document (kind and issue date: signed codes only)."""

    number: str
    masked_name: str
    total_fen: int
    id_digest: bytes = b""
    kind: DocumentKind | None = None
    issued_on: dt.date | None = None
    version: int = VERSION

    @property
    def total_figures(self) -> str:
        return format_fen(self.total_fen)

    @property
    def total_uppercase(self) -> str:
        return fen_to_chinese_uppercase(self.total_fen, prefix=True)

    def as_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "masked_name": self.masked_name,
            "total_fen": self.total_fen,
            "total": self.total_figures,
            "total_uppercase": self.total_uppercase,
            **({"kind": self.kind.name.lower(), "kind_name": self.kind.official_name} if self.kind else {}),
            **({"issued_on": self.issued_on.isoformat()} if self.issued_on else {}),
            "version": self.version,
        }


def is_demo_key(key: str) -> bool:
    """The simulator's key, or one made like it: published, so its codes prove nothing."""
    lowered = key.lower()
    return lowered.startswith("demo") or any(published in lowered for published in _PUBLISHED_KEYS)


def key_problem(key: str) -> str | None:
    """Why ``key`` cannot sign a real kiosk's codes (public, a placeholder, empty or too short), or None."""
    if not key.strip():
        return "the verification key is empty"
    if is_demo_key(key):
        return "the verification key is the public demo key of config/simulated.toml: set the hall's own secret"
    lowered = key.lower()
    if word := next((word for word in _PLACEHOLDER_WORDS if word in lowered), None):
        return f"the verification key is a placeholder (it contains {word!r}): set the hall's own secret"
    if len(key) < MIN_KEY_CHARACTERS:
        return f"the verification key has {len(key)} characters, fewer than {MIN_KEY_CHARACTERS}: set the hall's secret"
    if len(set(key)) < 8:
        return "the verification key repeats a few characters: draw it at random (32 bytes, hex)"
    return None


def serves_for_real(config: KioskConfig) -> bool:
    """Real (non-simulated) mode: every part real and the bureau's fee system over http. Anything less prints
    样张 documents, whose codes prove nothing anyway."""
    from kiosk.simulated import simulated_parts

    harness = config["terminal.simulator_harness"]  # `kiosk sim`: real modes on the simulators' ports
    return not harness and not simulated_parts(config) and config["fee_system.kind"] == "http"


def signing_key_problem(config: KioskConfig) -> str | None:
    """Why this real kiosk must not serve with the old (v1) HMAC key it keeps, or None.

    The kiosk signs nothing: the fee system signs. The HMAC key is kept only to check codes printed before, and
    none (empty) is fine; a public or placeholder one would make `kiosk verify` call forged v1 codes genuine."""
    key = config["verification.hmac_key"]
    if not serves_for_real(config) or not key.strip():
        return None
    return key_problem(key)


def configured_public_keys(config: KioskConfig) -> list[PublicKey]:
    """The bureau's public keys this kiosk checks signed codes with: ``[verification] public_key`` (one or more,
    separated by spaces or commas, e.g. the current and the previous key during a rotation) and the lines of
    ``public_key_file`` (beside the configuration). Raises ValueError for a key that does not parse."""
    texts = re.split(r"[\s,]+", config["verification.public_key"])
    if file := config["verification.public_key_file"]:
        texts += config.config_path(file).read_text(encoding="utf-8").split()
    return [PublicKey.parse(text) for text in texts if text.strip()]


def is_demo_public_key(key: PublicKey) -> bool:
    return str(key) == DEMO_PUBLIC_KEY


def _key_bytes(key: str | bytes) -> bytes:
    data = key.encode("utf-8") if isinstance(key, str) else key
    if not data:
        raise ValueError("the verification key is empty")
    return data


def id_digest(key: str | bytes, id_number: str) -> bytes:
    return hmac.new(_key_bytes(key), b"id:" + id_number.strip().upper().encode(), hashlib.sha256).digest()[
        :ID_DIGEST_BYTES
    ]


def _tag(key: str | bytes, payload: bytes) -> bytes:
    return hmac.new(_key_bytes(key), _DOMAIN + payload, hashlib.sha256).digest()[:TAG_BYTES]


def _days(day: dt.date) -> int:
    days = (day - _EPOCH).days
    if days < 0:
        raise ValueError(f"an issue date before {_EPOCH} cannot be coded: {day}")
    return days


def signed_payload(
    algorithm: SignatureAlgorithm,
    kind: DocumentKind,
    number: str,
    masked_name: str,
    total_fen: int,
    issued_on: dt.date,
) -> bytes:
    """The bytes the bureau signs (the code's payload, version 2)."""
    if not isinstance(total_fen, int) or total_fen < 0:
        raise ValueError(f"the total is a non-negative integer of fen, got {total_fen!r}")
    return (
        bytes([SIGNED_VERSION, algorithm, kind])
        + _varint(total_fen)
        + _varint(_days(issued_on))
        + _short_text(number, "number")
        + _short_text(masked_name, "name")
    )


def signed_message(payload: bytes) -> bytes:
    """What the signature covers: the payload under this scheme's domain (no other protocol's signature fits)."""
    return SIGNED_DOMAIN + payload


def encode_code(data: bytes) -> str:
    """Grouped base32 of a code's bytes."""
    raw = base64.b32encode(data).decode("ascii").rstrip("=")
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def verification_url(base_url: str, code: str) -> str:
    """The bureau's public page for ``code`` (the QR on every certificate and receipt): ``<base>/verify/<code>``,
    the code without its hyphens."""
    return f"{base_url.rstrip('/')}/verify/{normalize_code(code)}"


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _short_text(text: str, what: str) -> bytes:
    data = text.encode("utf-8")
    if not data or len(data) > 255:
        raise ValueError(f"the {what} must be 1-255 bytes of UTF-8, got {text!r}")
    return bytes([len(data)]) + data


def make_code(key: str | bytes, number: str, id_number: str, name: str, total_fen: int) -> str:
    """The verification code of one document, e.g. ``AEBQ-...`` (grouped base32)."""
    if not isinstance(total_fen, int) or total_fen < 0:
        raise ValueError(f"the total is a non-negative integer of fen, got {total_fen!r}")
    payload = (
        bytes([VERSION])
        + _varint(total_fen)
        + id_digest(key, id_number)
        + _short_text(number, "number")
        + _short_text(mask_name(name), "name")
    )
    return encode_code(payload + _tag(key, payload))


def normalize_code(text: str) -> str:
    """Upper case, separators removed; raises :class:`MalformedCodeError` on foreign characters."""
    compact = _SEPARATORS.sub("", text).upper()
    if not compact or not _ALPHABET.match(compact):
        raise MalformedCodeError("a verification code has only the letters A-Z and the digits 2-7")
    return compact


def _decode(compact: str) -> bytes:
    if len(compact) % 8 in (1, 3, 6):  # lengths base32 never produces
        raise MalformedCodeError("the verification code has a wrong length (a character missing or extra?)")
    data = base64.b32decode(compact + "=" * (-len(compact) % 8))
    # The last character may carry unused bits: only the canonical spelling of the bytes is accepted.
    if base64.b32encode(data).decode("ascii").rstrip("=") != compact:
        raise MalformedCodeError("the verification code is not valid (a character was changed?)")
    return data


def code_version(code: str) -> int:
    """The version byte of a code (1: HMAC, 2: signed); raises :class:`MalformedCodeError` for a non-code."""
    data = _decode(normalize_code(code))
    if not data:
        raise MalformedCodeError("the verification code is too short")
    return data[0]


def verify_signed_code(public_keys: Sequence[PublicKey], code: str) -> VerifiedDocument | None:
    """The document a genuine signed (v2) code describes, or None when no key of the bureau signed it.

    Raises :class:`MalformedCodeError` when the text cannot be a code."""
    data = _decode(normalize_code(code))
    if len(data) < 3 or data[0] != SIGNED_VERSION:
        return None
    try:
        algorithm = SignatureAlgorithm(data[1])
    except ValueError:
        return None
    size = SIGNATURE_BYTES[algorithm]
    if len(data) < size + 3:
        raise MalformedCodeError("the verification code is too short")
    payload, signature = data[:-size], data[-size:]
    message = signed_message(payload)
    if not any(key.algorithm is algorithm and key.verifies(signature, message) for key in public_keys):
        return None
    return _parse_signed(payload)


def verify_any(code: str, public_keys: Sequence[PublicKey], hmac_key: str | None = None) -> VerifiedDocument | None:
    """A signed code against the bureau's public keys; an old v1 code against the HMAC key, where one is kept
    (without it, a v1 code cannot be checked: None). Raises :class:`MalformedCodeError` for a non-code."""
    if code_version(code) == VERSION:
        return verify_code(hmac_key, code) if hmac_key else None
    return verify_signed_code(public_keys, code)


def _parse_signed(payload: bytes) -> VerifiedDocument | None:
    try:
        kind = DocumentKind(payload[2])
        total, position = _read_varint(payload, 3)
        days, position = _read_varint(payload, position)
        texts, position = _read_texts(payload, position, 2)
        if position != len(payload):
            return None
        issued_on = _EPOCH + dt.timedelta(days=days)
    except (IndexError, ValueError, OverflowError):  # UnicodeDecodeError is a ValueError
        return None
    return VerifiedDocument(
        number=texts[0],
        masked_name=texts[1],
        total_fen=total,
        kind=kind,
        issued_on=issued_on,
        version=SIGNED_VERSION,
    )


def _read_varint(data: bytes, position: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, position
        if shift > 63:
            raise ValueError("varint too long")


def _read_texts(data: bytes, position: int, count: int) -> tuple[list[str], int]:
    texts = []
    for _ in range(count):
        length = data[position]
        text = data[position + 1 : position + 1 + length]
        if len(text) != length:
            raise IndexError("text runs past the payload")
        texts.append(text.decode("utf-8"))
        position += 1 + length
    return texts, position


def verify_code(key: str | bytes, code: str, id_number: str | None = None) -> VerifiedDocument | None:
    """The document a genuine v1 (HMAC) code describes, or None when the code is not genuine.

    Raises :class:`MalformedCodeError` when the text cannot be a code. With ``id_number``, a code is genuine
    only if it was also made for that ID number.
    """
    data = _decode(normalize_code(code))
    if len(data) < TAG_BYTES + 1:
        raise MalformedCodeError("the verification code is too short")
    payload, tag = data[:-TAG_BYTES], data[-TAG_BYTES:]
    if not hmac.compare_digest(tag, _tag(key, payload)):
        return None
    document = _parse(payload)
    if document is None:
        return None
    if id_number is not None and not hmac.compare_digest(document.id_digest, id_digest(key, id_number)):
        return None
    return document


def _parse(payload: bytes) -> VerifiedDocument | None:
    """Parse an authenticated v1 payload; None for a version or layout this kiosk does not know."""
    try:
        if payload[0] != VERSION:
            return None
        total, position = _read_varint(payload, 1)
        digest = payload[position : position + ID_DIGEST_BYTES]
        texts, position = _read_texts(payload, position + ID_DIGEST_BYTES, 2)
        if position != len(payload) or len(digest) != ID_DIGEST_BYTES:
            return None
    except (IndexError, ValueError):
        return None
    return VerifiedDocument(number=texts[0], masked_name=texts[1], total_fen=total, id_digest=digest)
