"""A damaged journal (issue 25 §2): `kiosk recover` and `kiosk reconcile` give one line and a distinct exit code,
never a traceback; a bad row is skipped and reported; a journal that lost records is found out; the journal is
checked before each payment."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from app.cli import main
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.payments.journal import JournalUnhealthy, PaymentState
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


def test_the_journal_is_checked_before_each_payment(state):
    directory, _ = state
    config = resolve_config(state_dir=directory)
    health = ServiceHealth(clock)
    fee = open_fee_system(directory)
    opened = open_kiosk_journal(config, clock, health)
    payments = QrPayments(opened.journal, fee)
    try:
        assert health.in_service()
        other = sqlite3.connect(journal_file(directory))
        other.execute("DROP TABLE events")  # behind the kiosk's back
        other.close()
        quote = fee.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
        with pytest.raises(JournalUnhealthy, match="no events table"):
            payments.open(quote, PayMethod.ALIPAY, RESIDENT)
        assert health.has(ProblemKind.JOURNAL)
        assert [e.state for e in opened.journal.entries()] == [PaymentState.DONE]  # no record was created
    finally:
        opened.close()
        fee.close()


def test_the_check_before_a_payment_is_cheap(tmp_path):
    """quick_check, schema and watermark on a journal of 5,000 finished payments (docs/recovery.md has the
    figures)."""
    config = resolve_config(state_dir=tmp_path / "state").with_overrides({"paths.journal_copy": "off"})
    opened = open_kiosk_journal(config, clock)
    journal = opened.journal
    journal.execute_read("BEGIN")
    for n in range(5000):
        no = f"T-{n:06d}"
        journal.execute_read(
            "INSERT INTO payments (journal_no, idempotency_key, state, item, id_number, payer_id_number, quote_id,"
            " amount_fen, pay_method, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (no, f"kiosk-{no}", "done", "resident_pension", RESIDENT, RESIDENT, "q", 80000, "alipay", "2026", "2026"),
        )
        for state in ("created", "order_opened", "paid", "posted", "receipt_printed", "done"):
            journal.execute_read("INSERT INTO events (journal_no, at, state) VALUES (?,?,?)", (no, "2026", state))
    journal.execute_read("COMMIT")
    guard = journal.payment_guard
    assert guard is not None
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        assert guard() is None
        timings.append((time.perf_counter() - started) * 1000)
    main_file = journal_file(tmp_path / "state")
    size = main_file.stat().st_size + Path(f"{main_file}-wal").stat().st_size
    print(f"guard on {size // 1024} kB: median {sorted(timings)[2]:.1f} ms")
    assert sorted(timings)[2] < 250
    opened.close()
