"""Technicians' passwords: only slow-KDF hashes (scrypt) are stored, in the configuration's [maintenance] table.

Format: ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``; ``pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`` is
verified too (a hall may have made one with another tool). The cost travels with the hash, so raising it later
does not invalidate the old ones.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 8
TECHNICIAN_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # a bare TOML key
# The maintenance window's on-screen keyboard (screens/maintenance/common.py): letters in both cases by Shift,
# plus Space. A kiosk has no other keyboard, so a password with another character could never be typed there.
KEYBOARD_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM_.:", "!@#$%&*?+=")
TYPEABLE = frozenset("".join(KEYBOARD_ROWS) + "".join(KEYBOARD_ROWS).lower() + " ")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = os.urandom(16)
    derived = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(derived)}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored``; False for a wrong password or a malformed hash."""
    try:
        kind, *fields = stored.split("$")
        if kind == "scrypt":
            n, r, p, salt, expected = int(fields[0]), int(fields[1]), int(fields[2]), fields[3], fields[4]
            want = base64.b64decode(expected)
            got = hashlib.scrypt(
                password.encode("utf-8"),
                salt=base64.b64decode(salt),
                n=n,
                r=r,
                p=p,
                maxmem=256 * 1024 * 1024,
                dklen=len(want),
            )
        elif kind == "pbkdf2_sha256":
            iterations, salt, expected = int(fields[0]), fields[1], fields[2]
            want = base64.b64decode(expected)
            got = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), base64.b64decode(salt), iterations, len(want))
        else:
            return False
    except (ValueError, IndexError):
        return False
    return hmac.compare_digest(got, want)


# Verified against when the technician id is unknown, so that a wrong id costs as long as a wrong password.
_DUMMY_HASH = hash_password("not a password", n=2**10)


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


def check_technician(technicians: dict[str, str], technician_id: str, password: str) -> bool:
    stored = technicians.get(technician_id)
    if stored is None:
        verify_password(password, _DUMMY_HASH)
        return False
    return verify_password(password, stored)
