"""The journal at scale (issue 24): recovery, the idle pass, one day's reconciliation, the paper counter and the
metrics read the journal by its indexes, so that their cost does not grow with years of finished records. The
statements they run are traced on a small journal and each one's ``EXPLAIN QUERY PLAN`` must search an index:
a ``SCAN`` of payments or events (a full scan, with or without an index) fails the test."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.maintenance.paper import PaperCounter
from kiosk.metrics.journal_figures import JournalFigures
from kiosk.payments.journal import MIGRATIONS, SCHEMA_VERSION, Journal, PaymentState
from kiosk.payments.journal_health import inspect_file
from kiosk.payments.journal_open import open_kiosk_journal
from kiosk.payments.qr import QrPayments
from kiosk.payments.reconcile import reconcile_embedded
from kiosk.payments.recovery import Recovery
from kiosk.state import resolve_config
from recovery_fixtures import FEE_FILE, JOURNAL_FILE, NOW, RESIDENT, TERMINAL, clock, open_fee_system

OLD_RECORDS = 300  # finished records of last year: none of the passes below may read them
FULL_SCAN = re.compile(r"\bSCAN (payments|events)\b")


def fill_old_records(path: Path, count: int) -> None:
    """Finished QR payments of a year ago, three events each, written on a second connection."""
    at = (NOW - dt.timedelta(days=365)).isoformat(timespec="seconds")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    for n in range(count):
        no = f"{TERMINAL}-OLD{n:06d}"
        db.execute(
            "INSERT INTO payments (journal_no, idempotency_key, state, item, id_number, payer_id_number, quote_id,"
            " amount_fen, pay_method, order_no, payment_no, created_at, updated_at)"
            " VALUES (?,?,'done','resident_pension',?,?,'q',80000,'alipay',?,?,?,?)",
            (no, f"kiosk-{no}", RESIDENT, RESIDENT, f"O{n}", f"P{n}", at, at),
        )
        for state in ("created", "receipt_printed", "done"):
            db.execute("INSERT INTO events (journal_no, at, state) VALUES (?,?,?)", (no, at, state))
    db.execute("COMMIT")
    db.close()


@pytest.fixture
def busy(tmp_path):
    """Last year's finished records, today a payment done, an order closed unpaid and one left open."""
    fee = open_fee_system(tmp_path)
    journal = Journal(tmp_path / JOURNAL_FILE, TERMINAL, clock=clock)
    fill_old_records(tmp_path / JOURNAL_FILE, OLD_RECORDS)
    payments = QrPayments(journal, fee)
    quote = fee.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")
    paid = payments.open(quote, PayMethod.ALIPAY, RESIDENT)
    fee.simulate_qr_payment(paid.order.order_no)
    entry, _ = payments.settle_paid(paid.entry)
    done = payments.receipt_result(entry, None).journal_no
    medical = fee.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    payments.cancel(payments.open(medical, PayMethod.WECHAT, RESIDENT).entry)  # order_closed: recovery asks again
    payments.open(medical, PayMethod.ALIPAY, RESIDENT)  # left open: recovery closes it
    yield tmp_path, journal, fee, done
    journal.close()
    fee.close()


@contextmanager
def traced(db: sqlite3.Connection) -> Iterator[list[str]]:
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        db.set_trace_callback(None)


def full_scans(db: sqlite3.Connection, statements: list[str]) -> dict[str, list[str]]:
    """Each traced read or write whose query plan scans payments or events whole."""
    found = {}
    for sql in statements:
        if not re.match(r"\s*(SELECT|UPDATE|DELETE)\b", sql, re.IGNORECASE):
            continue
        plan = [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}")]
        if any(FULL_SCAN.search(step) for step in plan):
            found[sql] = plan
    return found


def test_recovery_reconciliation_and_the_paper_counter_read_by_index(busy):
    directory, journal, fee, done = busy
    db = journal._db
    with traced(db) as statements:
        Recovery(journal, fee, clock=clock).run()  # start-up
        Recovery(journal, fee, clock=lambda: NOW + dt.timedelta(hours=1)).run(dt.timedelta(seconds=240))  # idle
        report = reconcile_embedded(journal, TERMINAL, directory / FEE_FILE, NOW.date())
        paper = PaperCounter(directory / "paper.json", journal, 400, 50).level()
        assert journal.find_by_payment_no(journal.get(done).payment_no or "").journal_no == done
        assert [state for _, state, _ in journal.events(done)][-1] is PaymentState.DONE
    assert report.ok, report.as_json()["differences"]
    assert report.totals["alipay"].count == 2 and paper.used == 1 + OLD_RECORDS
    # The hot queries were all run (so the check below is not vacuous) ...
    joined = "\n".join(statements)
    for query in ("WHERE state IN (", "WHERE state = 'order_closed' AND updated_at", "WHERE created_at >= "):
        assert query in joined, query
    # ... and none reads the journal whole.
    assert full_scans(db, statements) == {}


def test_the_metrics_steady_scrape_reads_by_index(busy):
    directory, journal, _fee, _done = busy
    figures = JournalFigures(directory / JOURNAL_FILE)
    try:
        figures.snapshot(NOW)  # the first scrape counts the finished records once (documented)
        figures.receipts_printed_since(None)  # so does the poller's first receipt count
        journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q", 80000, PayMethod.ALIPAY)
        db = figures._connection()
        with traced(db) as statements:
            snapshot = figures.snapshot(NOW)
            receipts = figures.receipts_printed_since(None)
        assert snapshot.unfinished == 2 and receipts == 1 + OLD_RECORDS
        assert statements and full_scans(db, statements) == {}
        # The events written since the last scrape are read by their number, not every end state's by its index.
        since_last = [sql for sql in statements if re.search(r"\bid > \d", sql)]
        assert len(since_last) == 2
        for sql in since_last:
            plan = " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}"))
            assert "events USING INTEGER PRIMARY KEY" in plan, (sql, plan)
    finally:
        figures.close()


def test_a_full_scan_is_caught(busy):
    """The check itself: a query without an index (the old ``state NOT IN``) is reported."""
    _directory, journal, _fee, _done = busy
    sql = "SELECT * FROM payments WHERE state NOT IN ('done', 'declined') ORDER BY created_at"
    assert list(full_scans(journal._db, [sql])) == [sql]


def test_a_journal_of_schema_1_checks_good_and_is_migrated_when_opened(tmp_path):
    path = tmp_path / JOURNAL_FILE
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(MIGRATIONS[1] + "\nPRAGMA user_version = 1;")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    fill_old_records(path, 3)
    assert inspect_file(path).ok  # an older journal is not "damaged": start-up must not replace it
    journal = Journal(path, TERMINAL, clock=clock)
    try:
        indexes = {row[0] for row in journal.execute_read("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"payments_by_created", "events_by_journal_no", "events_by_state"} <= indexes
        assert journal.execute_read("PRAGMA user_version")[0][0] == SCHEMA_VERSION
        assert len(journal.created_on((NOW - dt.timedelta(days=365)).date())) == 3
    finally:
        journal.close()


def bytes_read(work) -> int:
    """Bytes this thread read through read()/pread() while ``work`` ran (Linux: /proc/thread-self/io ``rchar``).
    SQLite reads each page it does not hold in its cache this way (no memory map here)."""

    def rchar() -> int:
        for line in Path("/proc/thread-self/io").read_text().splitlines():
            if line.startswith("rchar:"):
                return int(line.split()[1])
        raise AssertionError("no rchar in /proc/thread-self/io")

    before = rchar()
    work()
    return rchar() - before


def guard_reads(tmp_path: Path, records: int) -> tuple[int, int, int]:
    """Bytes read by the check before a payment and by a quick_check, cold (SQLite's cache emptied first), on a
    kiosk journal of ``records`` finished payments; and the journal's size."""
    config = resolve_config(state_dir=tmp_path / f"state-{records}").with_overrides({"paths.journal_copy": "off"})
    path = config.state_path(config["paths.journal"])
    path.parent.mkdir(parents=True)
    Journal(path, TERMINAL, clock=clock).close()
    fill_old_records(path, records)
    opened = open_kiosk_journal(config, clock)
    journal = opened.journal
    try:
        guard = journal.payment_guard
        assert guard is not None and guard() is None  # the schema's verdict is cached from here on
        journal.execute_read("PRAGMA wal_checkpoint(TRUNCATE)")
        journal.execute_read("PRAGMA shrink_memory")
        with traced(journal._db) as statements:
            guard_bytes = bytes_read(lambda: guard() is None or pytest.fail("the guard refused"))
        assert not any("check" in sql for sql in statements) and full_scans(journal._db, statements) == {}
        journal.execute_read("PRAGMA shrink_memory")
        quick_bytes = bytes_read(lambda: journal.execute_read("PRAGMA quick_check"))
        return guard_bytes, quick_bytes, journal.path.stat().st_size
    finally:
        opened.close()


def test_the_check_before_a_payment_reads_the_same_whatever_the_journal_size(tmp_path):
    small_guard, small_quick, small_size = guard_reads(tmp_path, 30)
    big_guard, big_quick, big_size = guard_reads(tmp_path, 6000)
    page = 4096
    print(f"journal {small_size} / {big_size} bytes: guard read {small_guard} / {big_guard}, quick_check", end=" ")
    print(f"{small_quick} / {big_quick}")
    assert big_size > 40 * small_size  # the journal grew ...
    assert big_quick >= big_size - page  # ... quick_check reads it whole (so the measure sees reads) ...
    assert big_guard <= small_guard + 2 * page and big_guard < 12 * page  # ... the check before a payment does not
