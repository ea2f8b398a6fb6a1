"""Technicians' passwords: only slow-KDF hashes (scrypt) are stored, in the configuration's [maintenance] table.

Format: ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``; ``pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`` is
verified too (a hall may have made one with another tool). The cost travels with the hash, so raising it later
does not invalidate the old ones; a cost below the floor (``FLOOR``) is refused when the configuration is loaded.

A wrong technician id costs what a wrong password costs: the unknown id is checked against a stand-in hash with the
cost of the stored ones, so the time of an answer does not tell whether an id exists.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
# The floors a stored hash must reach. scrypt: n=2^14, r=8, p=1 are the interactive-login parameters of the scrypt
# paper (Percival 2009) and RFC 7914's examples; PBKDF2-HMAC-SHA256: 600,000 iterations (OWASP Password Storage
# Cheat Sheet, 2023); salt: 128 bits (NIST SP 800-132 §5.1).
SCRYPT_MIN_N, SCRYPT_MIN_R, SCRYPT_MIN_P = 2**14, 8, 1
PBKDF2_MIN_ITERATIONS = 600_000
MIN_SALT_BYTES, MIN_DIGEST_BYTES = 16, 16
# A ceiling too: a hash that needs more memory than this would fail (or stall the sign-in) on the kiosk.
SCRYPT_MAXMEM = 256 * 1024 * 1024
PBKDF2_MAX_ITERATIONS = 50_000_000
SCHEMES = ("scrypt", "pbkdf2_sha256")

MIN_PASSWORD_LENGTH = 8
TECHNICIAN_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # a bare TOML key
# The maintenance window's on-screen keyboard (screens/maintenance/common.py): letters in both cases by Shift,
# plus Space. A kiosk has no other keyboard, so a password with another character could never be typed there.
KEYBOARD_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM_.:", "!@#$%&*?+=")
TYPEABLE = frozenset("".join(KEYBOARD_ROWS) + "".join(KEYBOARD_ROWS).lower() + " ")


@dataclass(frozen=True)
class StoredHash:
    """A parsed hash: the scheme, its cost parameters (scrypt: n, r, p; pbkdf2_sha256: iterations), salt, digest."""

    scheme: str
    cost: tuple[int, ...]
    salt: bytes
    digest: bytes


# derive(scheme, cost, password, salt, dklen) -> the derived key. Injectable so that tests can count the work.
Derive = Callable[[str, tuple[int, ...], bytes, bytes, int], bytes]


def derive_key(scheme: str, cost: tuple[int, ...], password: bytes, salt: bytes, dklen: int) -> bytes:
    if scheme == "scrypt":
        n, r, p = cost
        return hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, maxmem=SCRYPT_MAXMEM, dklen=dklen)
    (iterations,) = cost
    return hashlib.pbkdf2_hmac("sha256", password, salt, iterations, dklen)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def parse_hash(stored: str) -> StoredHash:
    """Raises ValueError saying what is wrong with the text."""
    scheme, *fields = stored.split("$")
    counts = {"scrypt": 5, "pbkdf2_sha256": 3}
    if scheme not in counts:
        raise ValueError(f"unknown scheme {scheme!r} (expected {' or '.join(SCHEMES)})")
    if len(fields) != counts[scheme]:
        raise ValueError(f"a {scheme} hash has {counts[scheme]} fields after the scheme, got {len(fields)}")
    try:
        cost = tuple(int(field) for field in fields[:-2])
        salt, digest = _unb64(fields[-2]), _unb64(fields[-1])
    except (ValueError, binascii.Error, UnicodeEncodeError):
        raise ValueError(f"a {scheme} hash has integer costs and base64 salt and hash") from None
    return StoredHash(scheme, cost, salt, digest)


def hash_problem(stored: str) -> str | None:
    """Why a stored hash is refused (malformed, or its cost below the floor), or None."""
    try:
        parsed = parse_hash(stored)
    except ValueError as error:
        return str(error)
    if parsed.scheme == "scrypt":
        n, r, p = parsed.cost
        if n < SCRYPT_MIN_N or n & (n - 1):
            return f"scrypt n={n} is below the floor n={SCRYPT_MIN_N} (2^14) or not a power of two"
        if r < SCRYPT_MIN_R or p < SCRYPT_MIN_P:
            return f"scrypt r={r}, p={p} are below the floor r={SCRYPT_MIN_R}, p={SCRYPT_MIN_P}"
        if 128 * n * r * (p + 1) > SCRYPT_MAXMEM:
            return f"scrypt n={n}, r={r}, p={p} needs more than {SCRYPT_MAXMEM // 2**20} MiB"
    else:
        (iterations,) = parsed.cost
        if iterations < PBKDF2_MIN_ITERATIONS:
            return f"pbkdf2_sha256 with {iterations} iterations is below the floor of {PBKDF2_MIN_ITERATIONS}"
        if iterations > PBKDF2_MAX_ITERATIONS:
            return f"pbkdf2_sha256 with {iterations} iterations is above the ceiling of {PBKDF2_MAX_ITERATIONS}"
    if len(parsed.salt) < MIN_SALT_BYTES or len(parsed.digest) < MIN_DIGEST_BYTES:
        return f"the salt and the hash must each be at least {MIN_SALT_BYTES} bytes"
    return None


def hash_password(password: str, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = os.urandom(16)
    derived = derive_key("scrypt", (n, r, p), password.encode("utf-8"), salt, 32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(derived)}"


def _matches(password: str, stored: StoredHash, derive: Derive) -> bool:
    try:
        got = derive(stored.scheme, stored.cost, password.encode("utf-8"), stored.salt, len(stored.digest))
    except ValueError:  # e.g. scrypt parameters this machine's memory limit refuses
        return False
    return hmac.compare_digest(got, stored.digest)


def verify_password(password: str, stored: str, derive: Derive = derive_key) -> bool:
    """True when ``password`` matches ``stored``; False for a wrong password or a malformed hash."""
    try:
        parsed = parse_hash(stored)
    except ValueError:
        return False
    return _matches(password, parsed, derive)


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"at least {MIN_PASSWORD_LENGTH} characters"
    if password.strip() != password:
        return "no leading or trailing spaces"
    untypeable = sorted(set(password) - TYPEABLE)
    if untypeable:
        return f"only characters of the kiosk's on-screen keyboard (not {''.join(untypeable)})"
    return None


class Technicians:
    """The configured technicians' hashes, checked at a cost that does not depend on whether the id exists."""

    def __init__(self, hashes: dict[str, str], derive: Derive = derive_key) -> None:
        self.derive = derive
        self.hashes: dict[str, StoredHash | None] = {}
        for technician, stored in hashes.items():
            try:
                self.hashes[technician] = parse_hash(stored)
            except ValueError:
                self.hashes[technician] = None  # load_config refuses these; a bad one never matches
        self.stand_in = self._stand_in()

    def _stand_in(self) -> StoredHash:
        """What an unknown id is checked against: random bytes (nothing matches them) with the scheme, cost and
        lengths most stored hashes have (all of them, normally: `kiosk passwd` writes one cost); the default
        cost when there are none."""
        shapes = Counter((h.scheme, h.cost, len(h.salt), len(h.digest)) for h in self.hashes.values() if h is not None)
        default = ("scrypt", (SCRYPT_N, SCRYPT_R, SCRYPT_P), 16, 32)
        scheme, cost, salt_bytes, digest_bytes = max(
            shapes, key=lambda shape: (shapes[shape], shape[1]), default=default
        )
        return StoredHash(scheme, cost, os.urandom(salt_bytes), os.urandom(digest_bytes))

    def check(self, technician_id: str, password: str) -> bool:
        stored = self.hashes.get(technician_id)
        if stored is None:
            _matches(password, self.stand_in, self.derive)  # the same work as a known id's wrong password
            return False
        return _matches(password, stored, self.derive)


def check_technician(technicians: dict[str, str], technician_id: str, password: str) -> bool:
    return Technicians(technicians).check(technician_id, password)
