"""A damaged journal (issue 25 §2): `kiosk recover` and `kiosk reconcile` give one line and a distinct exit code,
never a traceback; a bad row is skipped and reported; a journal that lost records is found out; the journal is
checked before each payment (what does not grow with it) and in full in the idle pass."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.flow import FlowEvent
from kiosk.payments.journal import JournalUnhealthy, PaymentState
from kiosk.payments.journal_health import FULL_CHECK_EVERY, failed_marker, full_check_of
from kiosk.payments.journal_open import open_kiosk_journal
from kiosk.payments.qr import QrPayments
from kiosk.service_health import ProblemKind, ServiceHealth
from kiosk.state import resolve_config
from recovery_fixtures import JOURNAL_FILE, NOW, RESIDENT, clock, open_fee_system

DAY = NOW.date().isoformat()
PAGE = 4096


def pay(fee, payments: QrPayments, method: PayMethod = PayMethod.ALIPAY):
    """One QR payment to done (posted, receipt printed)."""
    quote = fee.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")
    opened = payments.open(quote, method, RESIDENT)
    fee.simulate_qr_payment(opened.order.order_no)
    entry, _ = payments.settle_paid(opened.entry)
    return payments.receipt_result(entry, None)


@pytest.fixture
def state(tmp_path):
    """A --state directory after a finished payment, written as the kiosk writes it (watermark, second copy)."""
    directory = tmp_path / "state"
    config = resolve_config(state_dir=directory)
    fee = open_fee_system(directory)
    opened = open_kiosk_journal(config, clock)
    assert opened.healthy, opened.problems
    done = pay(fee, QrPayments(opened.journal, fee))
    opened.close()
    fee.close()
    return directory, done.journal_no


def journal_file(directory: Path) -> Path:
    return directory / JOURNAL_FILE


def copy_dir(directory: Path) -> Path:
    return directory.with_name(directory.name + "-copy")


def overwrite(path: Path, offset: int, data: bytes) -> None:
    with open(path, "r+b") as file:
        file.seek(offset)
        file.write(data)


def _garbage_header(path: Path) -> None:
    overwrite(path, 0, b"NOT A DATABASE!!")  # printf 'NOT A DATABASE!!' | dd of=... conv=notrunc


def _bad_page_size(path: Path) -> None:
    overwrite(path, 16, (700).to_bytes(2, "big"))  # not a power of two


def _truncated(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def _short(path: Path) -> None:
    os.truncate(path, 60)  # shorter than the 100-byte header


def _zeroed_page(path: Path) -> None:
    overwrite(path, PAGE, bytes(PAGE))  # page 2: the payments table's b-tree


def _random_page(path: Path) -> None:
    overwrite(path, PAGE, random.Random(25).randbytes(PAGE))


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _schema_99(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()


def _events_dropped(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("DROP TABLE events")
    db.close()


def _emptied(path: Path) -> None:
    os.truncate(path, 0)  # truncate -s 0


DAMAGE = {
    "garbage_header": _garbage_header,
    "bad_page_size": _bad_page_size,
    "truncated": _truncated,
    "shorter_than_header": _short,
    "zeroed_page": _zeroed_page,
    "random_page": _random_page,
    "a_directory": _directory,
    "user_version_99": _schema_99,
    "events_dropped": _events_dropped,
    "truncate_s_0": _emptied,
}
LOST = {"truncate_s_0"}  # the file is fine as SQLite goes: it is the watermark that finds it out


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_recover_and_reconcile_on_a_damaged_journal_without_a_copy(state, damage, capsys):
    directory, _journal_no = state
    shutil.rmtree(copy_dir(directory))
    DAMAGE[damage](journal_file(directory))
    expected = 4 if damage in LOST else 3

    code, out, err = run(capsys, "recover", "--state", str(directory))
    assert code == expected, (out, err)
    assert "Traceback" not in out + err and len(err.strip().splitlines()) == 1, err
    assert err.startswith("kiosk recover: ")

    code, out, _ = run(capsys, "recover", "--state", str(directory), "--json")
    answer = json.loads(out)
    assert code == expected and answer["error"] in ("journal_damaged", "journal_lost")

    code, out, err = run(capsys, "reconcile", "--state", str(directory), "--date", DAY)
    assert code == expected, (out, err)
    assert "Traceback" not in out + err and len(err.strip().splitlines()) == 1, err

    # The evidence is untouched: nothing was migrated over it or moved.
    assert journal_file(directory).exists() and not list(directory.glob("journal.sqlite3.damaged-*"))


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_recover_restores_the_second_copy_and_keeps_the_damaged_file(state, damage, capsys):
    directory, _journal_no = state
    DAMAGE[damage](journal_file(directory))

    code, out, err = run(capsys, "recover", "--state", str(directory), "--json")
    answer = json.loads(out)
    assert code == 0, (out, err)
    assert answer["journal"] == "restored" and "second copy" in answer["restored"]
    aside = [path for path in directory.glob("journal.sqlite3.damaged-*") if not path.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].name in answer["restored"]

    code, out, _ = run(capsys, "reconcile", "--state", str(directory), "--date", DAY, "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["totals"]["alipay"]["journal_posted_fen"] > 0


BAD_ROWS = {
    "state_bogus": "UPDATE payments SET state = 'bogus' WHERE journal_no = ?",
    "pay_method_cash": "UPDATE payments SET pay_method = 'cash' WHERE journal_no = ?",
    "created_at_garbage": "UPDATE payments SET created_at = 'yesterday-ish' WHERE journal_no = ?",
}


@pytest.mark.parametrize("bad", sorted(BAD_ROWS))
def test_a_bad_row_is_skipped_and_reported_not_fatal(state, bad, capsys):
    directory, done_no = state
    config = resolve_config(state_dir=directory)
    fee = open_fee_system(directory)
    opened = open_kiosk_journal(config, clock)
    payments = QrPayments(opened.journal, fee)
    quote = fee.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    waiting = payments.open(quote, PayMethod.WECHAT, RESIDENT).entry  # left open: recovery must close it
    opened.journal.execute_read(BAD_ROWS[bad], (done_no,))
    opened.close()
    fee.close()

    code, out, err = run(capsys, "recover", "--state", str(directory), "--json")
    answer = json.loads(out)
    assert code == 5, (out, err)
    assert [row["journal_no"] for row in answer["skipped"]] == [done_no]
    assert [(r["journal_no"], r["to_state"]) for r in answer["records"]] == [(waiting.journal_no, "order_closed")]

    code, out, err = run(capsys, "recover", "--state", str(directory))
    assert code == 5 and f"SKIPPED {done_no}" in out and "Traceback" not in out + err

    code, out, err = run(capsys, "reconcile", "--state", str(directory), "--date", DAY, "--json")
    report = json.loads(out)
    assert code == 5, (out, err)
    unreadable = [d for d in report["differences"] if d["kind"] == "unreadable_journal_record"]
    assert [d["journal_no"] for d in unreadable] == [done_no] and not unreadable[0]["explained"]
    assert not [d for d in report["differences"] if d["kind"] == "missing_journal_record"]


def test_a_journal_replaced_together_with_its_watermark_is_found_out_by_the_fee_system(state, capsys, monkeypatch):
    monkeypatch.setattr("kiosk.cli.recover.clock", clock)  # the day the fee system posted the payment
    directory, _journal_no = state
    shutil.rmtree(copy_dir(directory))
    journal_file(directory).unlink()
    (directory / "journal.watermark").unlink()
    config = resolve_config(state_dir=directory)
    open_kiosk_journal(config, clock).close()  # a fresh, empty journal: nothing on disk says records went

    code, out, err = run(capsys, "recover", "--state", str(directory))
    assert code == 4 and "the journal has lost records" in err and "Traceback" not in out + err


# Where each damage done while the kiosk runs is caught: by the check before the next payment (its cost does not
# grow with the journal), or by the next full check (integrity_check, in the idle pass). Either way no more money.
CAUGHT_BEFORE_A_PAYMENT = {
    "garbage_header": "does not start with SQLite's header",
    "bad_page_size": "invalid page size",
    "truncated": "is truncated",
    "shorter_than_header": "is truncated",
    "a_directory": "cannot be checked",
    "user_version_99": "schema version 99",
    "events_dropped": "no events table",
    "truncate_s_0": "is truncated (0 bytes",
}
CAUGHT_BY_THE_FULL_CHECK = {"zeroed_page": "integrity_check", "random_page": "integrity_check"}


def test_every_damage_case_has_its_place():
    assert set(CAUGHT_BEFORE_A_PAYMENT) | set(CAUGHT_BY_THE_FULL_CHECK) == set(DAMAGE)


@pytest.fixture
def running(state):
    """The kiosk's journal open, in service, after one payment: damage is done behind its back."""
    directory, _ = state
    health = ServiceHealth(clock)
    fee = open_fee_system(directory)
    opened = open_kiosk_journal(resolve_config(state_dir=directory), clock, health)
    assert health.in_service()
    yield directory, opened, QrPayments(opened.journal, fee), fee, health
    opened.close()
    fee.close()


def _no_new_payment(directory, payments, fee, health, match: str) -> None:
    quote = fee.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    with pytest.raises(JournalUnhealthy, match=re.escape(match)):
        payments.open(quote, PayMethod.ALIPAY, RESIDENT)
    assert health.has(ProblemKind.JOURNAL)
    copy = sqlite3.connect(copy_dir(directory) / JOURNAL_FILE)  # the journal itself may not be readable now
    assert copy.execute("SELECT count(*) FROM payments").fetchone()[0] == 1  # no record was created
    copy.close()


@pytest.mark.parametrize("damage", sorted(CAUGHT_BEFORE_A_PAYMENT))
def test_damage_while_running_is_caught_before_the_next_payment(running, damage):
    directory, _opened, payments, fee, health = running
    DAMAGE[damage](journal_file(directory))
    _no_new_payment(directory, payments, fee, health, CAUGHT_BEFORE_A_PAYMENT[damage])


@pytest.mark.parametrize("damage", sorted(CAUGHT_BY_THE_FULL_CHECK))
def test_damage_the_cheap_check_misses_is_caught_by_the_full_check(running, damage):
    directory, opened, payments, fee, health = running
    DAMAGE[damage](journal_file(directory))
    assert opened.journal.payment_guard() is None  # the window: the cheap check does not read page 2
    check = full_check_of(opened.journal)
    outcome = check.run()
    assert not outcome.interrupted and CAUGHT_BY_THE_FULL_CHECK[damage] in (outcome.problem or "")
    _no_new_payment(directory, payments, fee, health, CAUGHT_BY_THE_FULL_CHECK[damage])


def _index_mismatch(path: Path) -> None:
    """An index that no longer matches its table: quick_check passes, integrity_check does not."""
    db = sqlite3.connect(path, isolation_level=None)
    cookie = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    db.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX payments_by_created ON payments (quote_id)'"
        " WHERE name = 'payments_by_created'"
    )
    db.execute(f"PRAGMA schema_version = {cookie + 1}")
    db.close()


def test_damage_only_the_full_check_finds_is_restored_at_the_next_start(state):
    """Missed at start-up (quick_check) and before a payment; the idle full check finds it and notes it, so the
    next start checks in full and restores the second copy."""
    directory, done_no = state
    config = resolve_config(state_dir=directory)
    _index_mismatch(journal_file(directory))
    health = ServiceHealth(clock)
    opened = open_kiosk_journal(config, clock, health)
    try:
        assert health.in_service() and opened.journal.payment_guard() is None
        outcome = full_check_of(opened.journal).run()
        assert "missing from index payments_by_created" in (outcome.problem or "")
        assert opened.journal.payment_guard() == outcome.problem
    finally:
        opened.close()
    again = open_kiosk_journal(config, clock, ServiceHealth(clock))
    try:
        assert again.healthy and again.restored and "second copy" in again.restored
        assert not failed_marker(journal_file(directory)).exists()
        assert full_check_of(again.journal).run().problem is None
        assert again.journal.get(done_no).state is PaymentState.DONE
    finally:
        again.close()


def test_the_idle_pass_runs_the_full_check_and_a_citizen_interrupts_it(make_kiosk, qtbot):
    kiosk = make_kiosk()
    scheduler = kiosk.recovery
    check = scheduler.full_check
    assert check is not None
    qtbot.waitUntil(lambda: not scheduler.running and not scheduler.checking, timeout=10000)
    assert check.completed_at is not None and check.problem is None  # the start-up pass ran it
    assert not check.due()
    check.completed_at -= FULL_CHECK_EVERY
    # A citizen leaves Home just as the worker starts: the check stops, no verdict, due again at the next pass.
    check.begin()
    kiosk.ctx.flow.fire(FlowEvent.CATEGORY_CHOSEN)
    outcome = check.run()
    assert outcome.interrupted and check.due() and kiosk.ctx.health.in_service()
    kiosk.ctx.flow.end_session("home")
    kiosk.ctx.journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q", 100, PayMethod.ALIPAY)
    _index_mismatch(Path(kiosk.ctx.journal.path))
    scheduler.run_if_idle()
    qtbot.waitUntil(lambda: not scheduler.checking, timeout=10000)
    assert kiosk.ctx.health.has(ProblemKind.JOURNAL)
    assert "integrity_check" in (kiosk.ctx.journal.refusal or "")
