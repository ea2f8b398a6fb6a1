"""Technician passwords (issue 25 §5): an unknown id costs what a known id's wrong password costs, and hashes below
the floor are refused at load (and never written by `kiosk passwd`)."""

from __future__ import annotations

import argparse
import base64
import hashlib
import statistics
import time

import pytest

from kiosk.config import ConfigError, load_config
from kiosk.maintenance.configedit import ConfigEditor
from kiosk.maintenance.credentials import (
    PBKDF2_MIN_ITERATIONS,
    SCRYPT_MIN_N,
    Technicians,
    derive_key,
    hash_password,
    hash_problem,
    parse_hash,
)
from maintenance_fixtures import config_copy  # noqa: F401 (fixture)

DEMO_PASSWORD = "Demo-2026!"  # T001 of config/simulated.toml (docs/maintenance.md)


class CountingKdf:
    """The real KDF, with every call's scheme, cost, salt length and key length written down."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[int, ...], int, int]] = []

    def __call__(self, scheme: str, cost: tuple[int, ...], password: bytes, salt: bytes, dklen: int) -> bytes:
        self.calls.append((scheme, cost, len(salt), dklen))
        return derive_key(scheme, cost, password, salt, dklen)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def pbkdf2_hash(password: str, iterations: int) -> str:
    salt = b"0123456789abcdef"
    derived = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${b64(salt)}${b64(derived)}"


def shaped(scheme_and_cost: str) -> str:
    """A well-formed hash of that cost that no password matches (nothing derived: quick to make)."""
    return f"{scheme_and_cost}${b64(bytes(range(16)))}${b64(bytes(range(32)))}"


def test_an_unknown_id_does_the_same_kdf_work_as_a_known_ids_wrong_password(config_copy):  # noqa: F811
    hashes = load_config(config_copy)["maintenance.technicians"]  # the full cost: scrypt 2^14, 8, 1
    kdf = CountingKdf()
    technicians = Technicians(hashes, derive=kdf)
    assert not technicians.check("T001", "wrong-password")
    known = list(kdf.calls)
    kdf.calls.clear()
    assert not technicians.check("T999", "wrong-password")
    unknown = list(kdf.calls)
    assert known == unknown == [("scrypt", (2**14, 8, 1), 16, 32)]
    kdf.calls.clear()
    assert technicians.check("T001", DEMO_PASSWORD)
    assert kdf.calls == known


def test_the_stand_in_follows_the_stored_hashes_cost_and_scheme():
    costlier = {"A": shaped("scrypt$32768$8$1"), "B": shaped("scrypt$32768$8$1"), "C": shaped("scrypt$16384$8$1")}
    kdf = CountingKdf()
    Technicians(costlier, derive=kdf).check("nobody", "x" * 10)  # the cost most of them have
    assert kdf.calls == [("scrypt", (2**15, 8, 1), 16, 32)]
    kdf.calls.clear()
    Technicians({"P": shaped(f"pbkdf2_sha256${PBKDF2_MIN_ITERATIONS}")}, derive=kdf).check("nobody", "x" * 10)
    assert kdf.calls == [("pbkdf2_sha256", (PBKDF2_MIN_ITERATIONS,), 16, 32)]
    kdf.calls.clear()
    Technicians({}, derive=kdf).check("nobody", "x" * 10)  # no technicians: the cost `kiosk passwd` writes
    assert kdf.calls == [("scrypt", (SCRYPT_MIN_N, 8, 1), 16, 32)]


def test_measured_an_unknown_id_takes_as_long_as_a_wrong_password(config_copy):  # noqa: F811
    """The real clock, as a check on the count above: medians of interleaved runs, a generous factor (the issue
    measured 41-57 ms against 2-3 ms)."""
    technicians = Technicians(load_config(config_copy)["maintenance.technicians"])
    known, unknown = [], []
    for _ in range(5):
        for who, times in (("T001", known), ("T999", unknown)):
            start = time.perf_counter()
            technicians.check(who, "wrong-password")
            times.append(time.perf_counter() - start)
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 1 / 3 < ratio < 3, (known, unknown)


@pytest.mark.parametrize(
    ("stored", "floor"),
    [
        (hash_password("alpha-pass-1", n=2), "n=16384"),
        (hash_password("alpha-pass-1", n=2**10), "n=16384"),
        (hash_password("alpha-pass-1", r=1), "r=8"),
        (pbkdf2_hash("alpha-pass-1", 1), "600000"),
        (pbkdf2_hash("alpha-pass-1", 100_000), "600000"),
        ("scrypt$16384$8$1$c2FsdA==$" + b64(bytes(32)), "16 bytes"),  # a 4-byte salt
        ("scrypt$garbage", "fields"),
    ],
    # Named ids: the hashes carry random salts, and pytest-xdist needs the same ids in every worker.
    ids=["scrypt-n2", "scrypt-n1024", "scrypt-r1", "pbkdf2-1", "pbkdf2-100k", "short-salt", "garbage"],
)
def test_a_weak_hash_is_refused_at_load_naming_the_technician_and_the_floor(config_copy, stored, floor):  # noqa: F811
    text = config_copy.read_text(encoding="utf-8")
    start = text.index("T001 = ")
    end = text.index("\n", start)
    config_copy.write_text(text[:start] + f'T001 = "{stored}"' + text[end:], encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(config_copy)
    message = str(refused.value)
    assert "maintenance.technicians" in message and "technician T001" in message and floor in message
    assert "kiosk passwd T001" in message


def test_the_floor_accepts_what_kiosk_passwd_writes():
    assert hash_problem(hash_password("alpha-pass-1")) is None
    assert hash_problem(pbkdf2_hash("alpha-pass-1", PBKDF2_MIN_ITERATIONS)) is None
    assert parse_hash(hash_password("alpha-pass-1")).cost == (SCRYPT_MIN_N, 8, 1)


def test_a_weak_hash_is_never_written(config_copy):  # noqa: F811
    before = config_copy.read_text(encoding="utf-8")
    with pytest.raises(ConfigError):
        ConfigEditor(config_copy).set_technician_hash("T003", hash_password("alpha-pass-1", n=2**10))
    assert config_copy.read_text(encoding="utf-8") == before


def test_kiosk_passwd_writes_a_hash_at_the_floor(config_copy, monkeypatch, capsys):  # noqa: F811
    from kiosk.cli import passwd

    monkeypatch.setattr(passwd, "read_password", lambda prompt: "Hall-pass-2026")
    assert passwd.run_passwd(argparse.Namespace(config=str(config_copy), technician_id="T003")) == 0
    stored = load_config(config_copy)["maintenance.technicians"]["T003"]
    assert hash_problem(stored) is None and parse_hash(stored).cost == (SCRYPT_MIN_N, 8, 1)
    assert Technicians({"T003": stored}).check("T003", "Hall-pass-2026")
