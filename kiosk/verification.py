"""Verification codes of certificates and receipts: checkable offline, with no database.

A code carries a compact payload and an HMAC-SHA256 tag over it (key: ``[verification] hmac_key``):

    payload = version (1 byte, 1)
            | total in fen (unsigned LEB128 varint)
            | ID digest (4 bytes: HMAC(key, "id:" + ID number), so only the key holder can link a code to an ID)
            | number (1-byte length + UTF-8)       certificate, receipt or journal number
            | masked name (1-byte length + UTF-8)  张*三: the code never carries the full name
    code    = base32(payload | tag), tag = HMAC-SHA256(key, "sifee-verify-v1" | payload)[:8]

Base32 (RFC 4648, A-Z 2-7, no padding) survives QR codes (alphanumeric mode) and typing: it has no 0/1/8/9 to
confuse with O/I/B/g. Codes are written in groups of four joined by ``-``; reading accepts any case, spaces or
hyphens. The tag is checked before anything in the payload is parsed, and the code must be the canonical
encoding of its bytes, so changing any character makes the code fail.

A code is only as good as its key: anybody holding the key makes genuine codes for any amount. ``key_problem``
names the keys that are public or guessable (the demo key of config/simulated.toml, a placeholder, an empty or
short one); a kiosk in real mode does not serve with one, and `kiosk verify` never falls back to one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.domain.money import fen_to_chinese_uppercase, format_fen
from kiosk.domain.names import mask_name

if TYPE_CHECKING:
    from kiosk.config import KioskConfig

VERSION = 1
TAG_BYTES = 8
ID_DIGEST_BYTES = 4
GROUP = 4
_DOMAIN = b"sifee-verify-v1"
_ALPHABET = re.compile(r"^[A-Z2-7]+$")
_SEPARATORS = re.compile(r"[\s\-]+")
# 128 bits written in hex. config/kiosk.toml asks for 32 random bytes in hex (64 characters).
MIN_KEY_CHARACTERS = 32
# Words that mark a key written for an example, a test or the simulator, not drawn at random for a hall.
_PLACEHOLDER_WORDS = ("replace", "changeme", "change-me", "example", "placeholder", "secret-here", "demo")
# The random part of config/simulated.toml's demo key: public in the repository, with or without its prefix.
_PUBLISHED_KEYS = ("0f4c2a9e7b1d4e8a9c3f5b7d2e6a8c10",)


class MalformedCodeError(ValueError):
    """The text is not a verification code at all (wrong characters or length, a typo)."""


@dataclass(frozen=True)
class VerifiedDocument:
    """What a genuine code says about its document."""

    number: str
    masked_name: str
    total_fen: int
    id_digest: bytes

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

    return not simulated_parts(config) and config["fee_system.kind"] == "http"


def signing_key_problem(config: KioskConfig) -> str | None:
    """Why this kiosk must not serve with its verification key (only in real mode), or None."""
    if not serves_for_real(config):
        return None
    return key_problem(config["verification.hmac_key"])


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
    raw = base64.b32encode(payload + _tag(key, payload)).decode("ascii").rstrip("=")
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


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


def verify_code(key: str | bytes, code: str, id_number: str | None = None) -> VerifiedDocument | None:
    """The document a genuine code describes, or None when the code is not genuine.

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
    """Parse an authenticated payload; None for a version or layout this kiosk does not know."""
    try:
        if payload[0] != VERSION:
            return None
        position, total, shift = 1, 0, 0
        while True:
            byte = payload[position]
            position += 1
            total |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        digest = payload[position : position + ID_DIGEST_BYTES]
        position += ID_DIGEST_BYTES
        texts = []
        for _ in range(2):
            length = payload[position]
            texts.append(payload[position + 1 : position + 1 + length].decode("utf-8"))
            position += 1 + length
        if position != len(payload) or len(digest) != ID_DIGEST_BYTES:
            return None
    except (IndexError, UnicodeDecodeError):
        return None
    return VerifiedDocument(number=texts[0], masked_name=texts[1], total_fen=total, id_digest=digest)
