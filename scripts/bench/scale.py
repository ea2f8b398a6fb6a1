#!/usr/bin/env python3
"""Scale: cost as work grows (issue 24). A busy hall runs 300 sessions a day for years.

    .venv/bin/python scripts/bench/scale.py [--finished 1000000] [--day 2000] [--months 240]

- start-up recovery and the idle recovery pass with 10 unfinished records, on a journal of 10³ finished records
  and on one of ``--finished``: the time should not grow with the finished count;
- /metrics with that journal (the first scrape, then the steady state): under 50 ms;
- reconciling a day of ``--day`` payments (journal, fee system and QR channel agree) in that journal;
- one person's payment records with ``--months`` monthly records among many other people's;
- the journal's second copy: what one payment (six commits) costs with and without it, in ms and bytes written
  (``write_bytes`` of /proc/self/io), on journals of ``--copy`` finished records;
- the check before each payment (under 10 ms, whatever the journal's size); start-up on the big journal
  (quick_check and the scan for unreadable rows: proportional, once per start); the idle pass's integrity_check,
  how soon an interrupt stops it, and how late the main thread's timers fire while it runs.

The big journal is filled through its own schema on a second connection (10⁶ payments through ``Journal.create``
would take hours of fsyncs); each finished record has three events (created, receipt_printed, done).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import tempfile
import threading
import time
from pathlib import Path

from common import REPO, Figure, report

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.payments.journal import Journal, PaymentState
from kiosk.payments.journal_health import CheckOutcome, full_check_of
from kiosk.payments.journal_open import open_kiosk_journal
from kiosk.payments.reconcile import reconcile_embedded
from kiosk.payments.recovery import Recovery
from kiosk.state import resolve_config
from parties.feesystem.embedded import EmbeddedFeeSystem

TERMINAL = "SD370102-ZZ01"
NOW = dt.datetime(2026, 11, 27, 10, 0, 0)
PERSON = "370102194805060028"  # in config/demo_people.toml: the fee system signs records of known people only
METRICS_TARGET_MS = 50.0
CONFIG = REPO / "config"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def fill_journal(path: Path, finished: int, day_payments: int) -> None:
    """``finished`` records done before today (three events each) and ``day_payments`` done today, paid by QR."""
    Journal(path, TERMINAL, clock=lambda: NOW).close()  # the current schema, by the journal itself
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    old = (NOW - dt.timedelta(days=400)).isoformat(timespec="seconds")
    rows = []
    for number in range(finished + day_payments):
        today = number >= finished
        at = (NOW - dt.timedelta(minutes=number - finished + 1)).isoformat(timespec="seconds") if today else old
        journal_no = f"{TERMINAL}-{number:09d}"
        rows.append((journal_no, f"kiosk-{journal_no}", at, number))
        if len(rows) == 50_000 or number == finished + day_payments - 1:
            db.executemany(
                "INSERT INTO payments (journal_no, idempotency_key, state, item, id_number, payer_id_number, quote_id,"
                " amount_fen, pay_method, order_no, payment_no, created_at, updated_at)"
                " VALUES (?,?,'done','resident_pension','110105********002X','110105********002X','Q',"
                " 12300 + ? % 7, 'wechat', 'O' || ?, 'P' || ?, ?, ?)",
                [(no, key, n, n, n, at, at) for no, key, at, n in rows],
            )
            db.executemany(
                "INSERT INTO events (journal_no, at, state) VALUES (?,?,?)",
                [(no, at, state) for no, _, at, _ in rows for state in ("created", "receipt_printed", "done")],
            )
            rows = []
    db.execute("COMMIT")
    db.close()


def add_unfinished(journal: Journal, count: int) -> None:
    for _ in range(count):
        journal.create(InsuredItem.RESIDENT_PENSION, PERSON, PERSON, "Q-unfinished", 12_300, PayMethod.WECHAT)


def fill_fee_system(database: Path, journal_path: Path, finished: int, day_payments: int, months: int) -> None:
    """The fee system's and the QR channel's record of today's payments, and ``months`` monthly records of one
    person among other people's (one per 4 old journal records, so the table is not small)."""
    EmbeddedFeeSystem(database, CONFIG / "policy.toml", CONFIG / "demo_people.toml", clock=lambda: NOW).close()
    db = sqlite3.connect(database, isolation_level=None)
    db.execute(f"ATTACH DATABASE '{journal_path}' AS journal")
    db.execute("BEGIN")
    db.execute(
        "INSERT INTO payments (payment_no, idempotency_key, id_number, payer_id_number, item, period_start,"
        " period_end, months, amount_fen, pay_method, channel_ref, paid_at)"
        " SELECT payment_no, idempotency_key, id_number, payer_id_number, item, '2026-01', '2026-12', 12,"
        " amount_fen, pay_method, order_no, created_at FROM journal.payments WHERE created_at >= ?",
        ((NOW - dt.timedelta(days=1)).isoformat(),),
    )
    db.execute(
        "INSERT INTO qr_orders (order_no, idempotency_key, quote_id, method, amount_fen, state, created_at, expires_at,"
        " paid_at) SELECT order_no, idempotency_key, quote_id, pay_method, amount_fen, 'paid', created_at, created_at,"
        " created_at FROM journal.payments WHERE created_at >= ?",
        ((NOW - dt.timedelta(days=1)).isoformat(),),
    )
    others = [
        (
            f"X{n:09d}",
            f"other-{n}",
            f"3701021990{n % 10**8:08d}",
            "flexible_pension",
            "2020-01",
            "2020-01",
            1,
            900,
            "wechat",
            "c",
            "2020-01-15T10:00:00",
        )
        for n in range(finished // 4)
    ]
    mine = [
        (
            f"M{m:04d}",
            f"mine-{m}",
            PERSON,
            "flexible_pension",
            f"{2006 + m // 12}-{m % 12 + 1:02d}",
            f"{2006 + m // 12}-{m % 12 + 1:02d}",
            1,
            90_000,
            "alipay",
            "c",
            "2020-01-15T10:00:00",
        )
        for m in range(months)
    ]
    db.executemany(
        "INSERT INTO payments (payment_no, idempotency_key, id_number, payer_id_number, item, period_start,"
        " period_end, months, amount_fen, pay_method, channel_ref, paid_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(no, key, person, person, *rest) for no, key, person, *rest in others + mine],
    )
    db.execute("COMMIT")
    db.close()


def recovery_times(journal_path: Path, fee_system: EmbeddedFeeSystem) -> tuple[float, float]:
    """Start-up recovery with 10 unfinished records, then the idle pass with 10 more (old enough for it)."""
    journal = Journal(journal_path, TERMINAL, clock=lambda: NOW - dt.timedelta(hours=1))
    add_unfinished(journal, 10)
    journal.clock = lambda: NOW
    recovery = Recovery(journal, fee_system, clock=lambda: NOW)
    start_up = timed(lambda: recovery.run(dt.timedelta(0)))
    journal.clock = lambda: NOW - dt.timedelta(hours=1)
    add_unfinished(journal, 10)
    journal.clock = lambda: NOW
    idle = timed(lambda: recovery.run(dt.timedelta(seconds=240)))
    journal.close()
    return start_up, idle


def metrics_times(journal_path: Path) -> tuple[float, float]:
    """A scrape of the kiosk's registry with this journal: the first one, then the median of 20."""
    from prometheus_client import CollectorRegistry, generate_latest

    from kiosk.maintenance.paper import PaperCounter
    from kiosk.metrics.collectors import Instruments, KioskCollector, WithTerminal
    from kiosk.metrics.journal_figures import JournalFigures
    from kiosk.metrics.poller import Poller
    from kiosk.service_health import ServiceHealth

    figures = JournalFigures(journal_path)
    journal = Journal(journal_path, TERMINAL, clock=lambda: NOW)
    paper = PaperCounter(journal_path.parent / "paper.json", journal, 400, 50)
    poller = Poller(lambda: [], paper, figures, None, lambda: False, 5, 0)
    inner = CollectorRegistry(auto_describe=False)
    Instruments(inner)
    inner.register(
        KioskCollector(figures, poller, ServiceHealth(), {"version": "x", "hall": "h"}, lambda: 0, lambda: NOW)
    )
    served = CollectorRegistry(auto_describe=False)
    served.register(WithTerminal(inner, TERMINAL))
    first = timed(lambda: generate_latest(served))
    steady = []
    for _ in range(20):
        add_unfinished(journal, 1)  # something new for the incremental counts each time
        steady.append(timed(lambda: generate_latest(served)))
    receipts = timed(lambda: figures.receipts_printed_since(None))
    print(f"  receipts printed since the refill (the poller, in the background): {ms(receipts)} for the first count")
    journal.close()
    figures.close()
    return first, statistics.median(steady)


def written_bytes() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("write_bytes:"):
            return int(line.split()[1])
    return 0


def one_payment(journal: Journal, n: int) -> None:
    """A QR payment's six commits, as the session makes them."""
    entry = journal.create(InsuredItem.RESIDENT_PENSION, PERSON, PERSON, "Q", 12_300, PayMethod.ALIPAY)
    no = entry.journal_no
    journal.advance(no, PaymentState.ORDER_OPENED, order_no=f"ORD{n}")
    journal.advance(no, PaymentState.PAID, channel_ref=f"CH{n}")
    journal.advance(no, PaymentState.POSTED, payment_no=f"PAY{n}")
    journal.advance(no, PaymentState.RECEIPT_PRINTED)
    journal.advance(no, PaymentState.DONE)


def copy_cost(folder: Path, finished: int, with_copy: bool, payments: int = 20) -> tuple[float, float]:
    """Seconds and bytes written per payment on a kiosk journal of ``finished`` records, after its start-up (the
    first start's whole copy is not counted). The check before each payment is left out here (measured apart)."""
    state = folder / f"copy-{finished}-{with_copy}"
    state.mkdir()
    fill_journal(state / "journal.sqlite3", finished, 0)
    setting = "copy/journal.sqlite3" if with_copy else "off"
    config = resolve_config(state_dir=state).with_overrides({"paths.journal_copy": setting})
    opened = open_kiosk_journal(config, lambda: NOW)
    journal = opened.journal
    journal.payment_guard = None
    one_payment(journal, -1)  # warm
    before, started = written_bytes(), time.perf_counter()
    for n in range(payments):
        one_payment(journal, n)
    seconds, written = time.perf_counter() - started, written_bytes() - before
    opened.close()
    return seconds / payments, written / payments


def start_up_and_guard_times(path: Path, folder: Path) -> dict[str, float]:
    """Start-up on this journal (inspection with quick_check, the open's scan for unreadable rows; the second copy
    off: its first write is the journal's size once), the check before a payment (warm: median of 20; cold:
    SQLite's cache emptied first), the idle pass's full check, how soon an interrupt stops it, and how late a 5 ms
    timer on the main thread (the GUI's) fires while it runs on a worker."""
    state = folder / "start-up"
    state.mkdir(exist_ok=True)
    config = resolve_config(state_dir=state).with_overrides({"paths.journal": str(path), "paths.journal_copy": "off"})
    started = time.perf_counter()
    opened = open_kiosk_journal(config, lambda: NOW)
    figures = {"start_up": time.perf_counter() - started}
    started = time.perf_counter()
    opened.journal.find_unreadable()
    figures["unreadable_scan"] = time.perf_counter() - started
    guard = opened.journal.payment_guard
    assert guard is not None and guard() is None, opened.problems
    figures["guard"] = statistics.median(timed(guard) for _ in range(20))
    cold = []
    for _ in range(5):
        opened.journal.execute_read("PRAGMA shrink_memory")
        cold.append(timed(guard))
    figures["guard_cold"] = statistics.median(cold)
    check = full_check_of(opened.journal)
    assert check is not None
    outcome, lateness = _while_on_a_worker(check.run)
    assert isinstance(outcome, CheckOutcome) and outcome.problem is None and not outcome.interrupted, outcome
    figures["full_check"], figures["gui_late_max"] = outcome.seconds, max(lateness)
    check.begin()
    worker = threading.Thread(target=check.run)
    worker.start()
    time.sleep(0.5)
    figures["interrupt"] = timed(lambda: (check.interrupt(), worker.join()))
    opened.close()
    return figures


def _while_on_a_worker(work) -> tuple[object, list[float]]:
    """``work``'s result on a worker thread, and how late each 5 ms sleep of this thread woke meanwhile."""
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(work()))
    worker.start()
    lateness = [0.0]
    while worker.is_alive():
        lateness.append(timed(lambda: time.sleep(0.005)) - 0.005)
    worker.join()
    return result[0], lateness


def report_copy_costs(folder: Path, sizes: list[int]) -> None:
    for finished in sizes:
        plain_s, plain_b = copy_cost(folder, finished, False)
        copy_s, copy_b = copy_cost(folder, finished, True)
        report(
            Figure(
                f"a payment (6 commits) with the second copy, journal of {finished:,} records",
                f"{ms(copy_s)}, {copy_b / 1024:.0f} kB written",
                "independent of the journal's size",
                None,
                f"without the copy {ms(plain_s)}, {plain_b / 1024:.0f} kB",
            )
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--finished", type=int, default=1_000_000)
    parser.add_argument("--day", type=int, default=2_000)
    parser.add_argument("--months", type=int, default=240)
    parser.add_argument("--copy", default="", help="journal sizes for the copy's cost (default 1000,100000)")
    args = parser.parse_args(argv)
    copy_sizes = [int(n) for n in args.copy.split(",") if n] or sorted(
        {min(1_000, args.finished), min(100_000, args.finished)}
    )
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = Path(tmp)
        times: dict[int, tuple[float, float]] = {}
        for finished in sorted({min(1_000, args.finished), args.finished}):
            path = folder / f"journal-{finished}.sqlite3"
            fill = timed(lambda: fill_journal(path, finished, args.day))  # noqa: B023
            print(f"journal of {finished:,} finished + {args.day:,} today filled in {fill:.1f} s")
            database = folder / f"fee-{finished}.sqlite3"
            fill_fee_system(database, path, finished, args.day, args.months)
            fee_system = EmbeddedFeeSystem(
                database, CONFIG / "policy.toml", CONFIG / "demo_people.toml", clock=lambda: NOW
            )
            if finished == args.finished:
                first, steady = metrics_times(path)
                report(
                    Figure(
                        f"/metrics, journal of {finished:,} records: steady scrape (median of 20)",
                        ms(steady),
                        f"under {METRICS_TARGET_MS:.0f} ms",
                        steady * 1000 < METRICS_TARGET_MS,
                        f"first scrape {ms(first)} (counts the finished records once)",
                    )
                )
                journal = Journal(path, TERMINAL, clock=lambda: NOW)
                reconcile = timed(lambda: reconcile_embedded(journal, TERMINAL, database, NOW.date()))  # noqa: B023
                journal.close()
                report(
                    Figure(
                        f"reconcile a day of {args.day:,} payments (journal of {finished:,})",
                        ms(reconcile),
                        "under 2 s",
                        reconcile < 2.0,
                    )
                )
                checks = start_up_and_guard_times(path, folder)
                report(
                    Figure(
                        f"the check before each payment, journal of {finished:,} records (median of 20)",
                        ms(checks["guard"]),
                        "under 10 ms",
                        checks["guard"] < 0.01,
                        f"{ms(checks['guard_cold'])} with SQLite's cache emptied first",
                    )
                )
                report(
                    Figure(
                        f"start-up: inspecting and opening a journal of {finished:,} records",
                        ms(checks["start_up"]),
                        "once per start, before the window",
                        None,
                        f"quick_check, then the open's scan for unreadable rows ({ms(checks['unreadable_scan'])})",
                    )
                )
                report(
                    Figure(
                        f"the idle pass's full check (integrity_check), journal of {finished:,} records",
                        ms(checks["full_check"]),
                        "off the GUI thread, stopped when a citizen leaves Home",
                        None,
                        f"an interrupt stops it in {ms(checks['interrupt'])}; a 5 ms timer on the main thread "
                        f"meanwhile at most {ms(checks['gui_late_max'])} late",
                    )
                )
                query = []
                for _ in range(10):
                    query.append(timed(lambda: fee_system.payment_records(PERSON)))  # noqa: B023
                found = len(fee_system.payment_records(PERSON))
                report(
                    Figure(
                        f"one person's records: {found} monthly among {finished // 4:,} others",
                        ms(statistics.median(query)),
                        "under 50 ms",
                        statistics.median(query) < 0.05,
                        "fee system payment_records (indexed by person)",
                    )
                )
            times[finished] = recovery_times(path, fee_system)
            fee_system.close()
            print(f"  recovery on {finished:,}: start-up {ms(times[finished][0])}, idle pass {ms(times[finished][1])}")
        report_copy_costs(folder, copy_sizes)
        small, big = min(times), max(times)
        for index, name in ((0, "start-up recovery"), (1, "idle recovery pass")):
            ratio = times[big][index] / max(times[small][index], 1e-6)
            report(
                Figure(
                    f"{name}, 10 unfinished among {big:,} finished",
                    ms(times[big][index]),
                    "under 100 ms",
                    times[big][index] < 0.1,
                    f"{ms(times[small][index])} with {small:,} ({ratio:.1f}x)",
                )
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
