#!/usr/bin/env python3
"""Memory: RSS after start, after warm-up, and its growth over many sessions run headless.

    .venv/bin/python scripts/bench/memory.py [--sessions 1000] [--full-every 250] [--warmup 20]

The kiosk runs in this process (offscreen) on simulated hardware. A light session is Home -> category -> module
-> login by ID card (the reader's real protocol over a pty) -> items -> resident year -> Home. Every
--full-every sessions one is a full QR payment of a flexible-employment month (period, base, review, WeChat, the
phone pays, receipt printed, finish): the first month the fee system offers, each time for a fresh synthetic worker
(synthetic_people.py), so there is always a month due however many full sessions run. The kiosk runs on the
benchmarks' fixed clock (headless.NOW), so every run does the same work whatever the date. RSS is read from /proc
after a garbage collection. Target: growth under 5 MB between the end of the warm-up and the last session.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import headless
from common import Figure, report
from synthetic_people import synthetic_id, worker_key, write_people

from kiosk.domain.items import InsuredItem
from kiosk.flow import Step

TARGET_GROWTH_MB = 5.0
MB = 1024 * 1024


def light_session(hk: headless.HeadlessKiosk) -> None:
    driver = hk.driver
    driver.tap("resident")
    driver.wait_for(Step.MENU)
    driver.place_id_card("resident")  # already on the reader when login starts polling: no poll interval waited
    driver.tap("pay")
    driver.wait_for(Step.ITEMS)
    driver.tap("resident_pension")
    driver.wait_for(Step.RESIDENT_YEAR)
    driver.tap("home")
    driver.wait_for(Step.HOME)
    driver.ctx.devices.simulators["idcard"].place_card(None)
    driver.spoken.clear()  # the driver's own record of voice prompts: not the kiosk's memory


def full_session(hk: headless.HeadlessKiosk, worker: int) -> None:
    """The first month due of synthetic worker number ``worker`` (one of its own per session), paid by QR."""
    driver = hk.driver
    offer = driver.ctx.fee_system.flexible_offer(synthetic_id(worker), InsuredItem.FLEXIBLE_PENSION, driver.ctx.today())
    receipts = len(driver.printer.receipts)
    driver.login(worker_key(worker), category="flexible", module="pay")
    driver.wait_for(Step.ITEMS)
    driver.tap("flexible_pension")
    driver.wait_for(Step.FLEX_PERIOD)
    driver.qtbot.waitUntil(lambda: driver.kiosk.window.current.offer is not None)  # the months, not stale buttons
    driver.tap(f"start_{offer.first_month}")
    driver.tap("confirm_period")
    driver.wait_for(Step.FLEX_BASE)
    driver.tap("base_lowest")
    driver.tap("confirm_base")
    driver.wait_for(Step.FLEX_REVIEW)
    driver.tap("start_payment")
    driver.tap("wechat")
    driver.wait_for(Step.QR_PAY)
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    driver.wait_for_text("缴费成功")
    driver.printer.wait_for_receipts(receipts + 1)
    driver.tap("finish")
    driver.wait_for(Step.HOME)
    driver.ctx.devices.simulators["idcard"].place_card(None)
    driver.spoken.clear()


def print_growth(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot) -> None:
    stats = after.compare_to(before, "traceback")
    total = sum(stat.size_diff for stat in stats)
    print(f"Python heap growth (tracemalloc): {total / 1024:+.0f} KiB; largest:")
    for stat in stats[:8]:
        print(f"  {stat.size_diff / 1024:+8.0f} KiB {stat.count_diff:+6d} blocks")
        for line in stat.traceback.format()[-6:]:
            print("      " + line)


def rss_mb() -> float:
    headless.deliver_deferred_deletes()
    gc.collect()
    return headless.rss_bytes() / MB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--full-every", type=int, default=250, help="one full QR payment every N sessions")
    parser.add_argument("--warmup", type=int, default=20, help="light sessions after one full one (default 20)")
    parser.add_argument("--trace", action="store_true", help="tracemalloc: where Python objects grew (slower)")
    args = parser.parse_args(argv)
    if args.trace:
        tracemalloc.start(12)
    full_sessions = 1 + (args.sessions // args.full_every if args.full_every else 0)
    people_dir = tempfile.TemporaryDirectory(prefix="bench-memory-")
    hk = headless.HeadlessKiosk(write_people(Path(people_dir.name) / "people.toml", full_sessions, id_cards=True))
    try:
        hk.settle(0.2)
        after_start = rss_mb()
        full_session(hk, 0)  # first QR code, receipt, payment screens: allocations that happen once
        for _ in range(args.warmup):
            light_session(hk)
            headless.deliver_deferred_deletes()
        after_warmup = rss_mb()
        baseline = tracemalloc.take_snapshot() if args.trace else None
        started = time.monotonic()
        full = 0
        samples: list[tuple[int, float]] = []
        for number in range(1, args.sessions + 1):
            if args.full_every and number % args.full_every == 0:
                full += 1
                full_session(hk, full)
            else:
                light_session(hk)
            headless.deliver_deferred_deletes()  # what the kiosk's event loop does between two citizens
            if number % max(1, args.sessions // 10) == 0:
                samples.append((number, rss_mb()))
                print(f"  {number:5d} sessions: RSS {samples[-1][1]:.1f} MB", flush=True)
        elapsed = time.monotonic() - started
        after_all = rss_mb()
        if baseline is not None:
            print_growth(baseline, tracemalloc.take_snapshot())
    finally:
        hk.close()
        people_dir.cleanup()
    growth = after_all - after_warmup
    per_minute = args.sessions / elapsed * 60
    print(f"RSS after start {after_start:.1f} MB, after warm-up {after_warmup:.1f} MB, "
          f"after {args.sessions} sessions {after_all:.1f} MB ({full} full payments); {per_minute:.0f} sessions/min")
    report(Figure("RSS after start", f"{after_start:.1f} MB", "", None,
                  f"after warm-up {after_warmup:.1f} MB (1 full + {args.warmup} light sessions)"))
    report(Figure(f"RSS growth over {args.sessions} sessions", f"{growth:+.1f} MB", "< 5 MB",
                  growth < TARGET_GROWTH_MB,
                  f"{after_warmup:.1f} -> {after_all:.1f} MB; {full} full QR payments, the rest light; "
                  f"{per_minute:.0f} sessions/min"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
