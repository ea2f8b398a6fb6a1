"""Technician credentials: scrypt hashes, the persisted lock-out with its expiry, the audit of every attempt."""

from __future__ import annotations

import datetime as dt
import json
import stat

from conftest import NOW
from kiosk.maintenance.audit import AuditLog
from kiosk.maintenance.credentials import check_technician, hash_password, password_problem, verify_password
from kiosk.maintenance.lockout import Lockout
from maintenance_fixtures import Clock


def test_hash_is_salted_scrypt_and_verifies():
    first, second = hash_password("alpha-pass-1", n=2**10), hash_password("alpha-pass-1", n=2**10)
    assert first.startswith("scrypt$1024$8$1$") and first != second
    assert "alpha-pass-1" not in first
    assert verify_password("alpha-pass-1", first)
    assert not verify_password("alpha-pass-2", first)
    assert not verify_password("alpha-pass-1", "scrypt$garbage")


def test_pbkdf2_hashes_verify_too():
    import base64
    import hashlib

    salt = b"0123456789abcdef"
    derived = hashlib.pbkdf2_hmac("sha256", b"bravo-pass-2", salt, 1000)
    stored = f"pbkdf2_sha256$1000${base64.b64encode(salt).decode()}${base64.b64encode(derived).decode()}"
    assert verify_password("bravo-pass-2", stored)
    assert not verify_password("bravo", stored)


def test_unknown_technician_is_refused():
    assert not check_technician({"T001": hash_password("alpha-pass-1", n=2**10)}, "T999", "alpha-pass-1")


def test_password_needs_length_no_leading_space_and_only_keys_of_the_on_screen_keyboard():
    assert password_problem("short") is not None
    assert password_problem(" leading-space") is not None
    assert password_problem("long-enough-1") is None
    assert password_problem("Demo-2026!") is None and password_problem("Demo-2026?") is None
    # The kiosk has only its on-screen keyboard: a character not on it could never be typed at the kiosk.
    assert "~" in (password_problem("tilde~password") or "")
    assert password_problem("密码密码密码密码") is not None


def test_every_typeable_character_is_a_key_of_the_on_screen_keyboard(qtbot):
    from kiosk.maintenance.credentials import TYPEABLE
    from screens.maintenance.common import Keyboard

    keyboard = Keyboard(1.0)
    qtbot.addWidget(keyboard)
    keys = {key for key in keyboard.keys if len(key) == 1}
    assert {c for c in TYPEABLE if c != " "} == keys | {key.lower() for key in keys} and "space" in keyboard.keys


def test_five_failures_lock_for_fifteen_minutes_across_a_restart(tmp_path):
    clock = Clock(NOW)
    path = tmp_path / "lockout.json"
    lockout = Lockout(path, max_failures=5, minutes=15, clock=clock)
    for _ in range(4):
        assert lockout.record_failure() is None
    assert lockout.locked_until() is None
    assert lockout.record_failure() == NOW + dt.timedelta(minutes=15)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    restarted = Lockout(path, max_failures=5, minutes=15, clock=clock)
    assert restarted.locked_until() == NOW + dt.timedelta(minutes=15)
    clock.advance(minutes=14, seconds=59)
    assert restarted.locked_until() is not None
    clock.advance(seconds=1)
    assert restarted.locked_until() is None
    assert restarted.failures == 0


def test_a_success_clears_the_count(tmp_path):
    lockout = Lockout(tmp_path / "lockout.json", 5, 15, clock=Clock(NOW))
    for _ in range(4):
        lockout.record_failure()
    lockout.record_success()
    assert lockout.failures == 0
    assert lockout.record_failure() is None


def test_a_damaged_lockout_file_keeps_entry_locked(tmp_path):
    path = tmp_path / "lockout.json"
    path.write_text("{not json")
    assert Lockout(path, 5, 15, clock=Clock(NOW)).locked_until() is not None


def test_audit_log_appends_json_lines_private_and_masked(tmp_path):
    path = tmp_path / "audit.jsonl"
    audit = AuditLog(path, clock=Clock(NOW))
    audit.record("T001", "sign_in", purpose="enter")
    audit.record("T001", "payment_resolved", note="called 11010519491231002X back")
    lines = path.read_text().splitlines()
    assert len(lines) == 2 and stat.S_IMODE(path.stat().st_mode) == 0o600
    second = json.loads(lines[1])
    assert second["technician"] == "T001" and second["action"] == "payment_resolved"
    assert second["at"] == NOW.isoformat()
    assert "11010519491231002X" not in lines[1]
    assert [entry.action for entry in audit.entries()] == ["sign_in", "payment_resolved"]


def test_audit_log_refuses_secrets(tmp_path):
    import pytest

    audit = AuditLog(tmp_path / "audit.jsonl", clock=Clock(NOW))
    with pytest.raises(ValueError):
        audit.record("T001", "sign_in", password="alpha-pass-1")
    with pytest.raises(ValueError):
        audit.record("T001", "key_component_loaded", component="0123")
    assert not (tmp_path / "audit.jsonl").exists()
