#!/usr/bin/env python3
"""Benchmark of the fee system over HTTP on loopback: requests per second and latency with concurrent clients.

    .venv/bin/python scripts/bench_feehttp.py [--clients 20] [--seconds 5] [--mix read|pay] [--in-process]

The server runs in its own process (as the fee system does for the kiosk), over the embedded simulator on a
SQLite file in a temporary state directory (WAL, synchronous=FULL: every posting is an fsync). Each client
thread has its own HttpFeeSystem and loops over the chosen mix: "read" asks registration and resident offers;
"pay" asks the flexible offer, quotes, opens a QR order, has it paid and posts it (5 calls, 4 of them
writes). A month paid once cannot be paid again (the fee system refuses a second posting), so the pay mix runs on
synthetic flexible-employment workers written into the state directory (scripts/bench/synthetic_people.py), each
with a few months due; a thread pays the first month the fee system offers and moves to its next worker when one
has paid everything. The server runs on the machine's clock, so the clients ask about the machine's today (on any
date). Latency is per HTTP call, measured by the client, retries included.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts" / "bench"))

from synthetic_people import synthetic_id, write_people  # noqa: E402

from kiosk.domain.items import InsuredItem, PayMethod  # noqa: E402
from kiosk.domain.periods import Period, YearMonth  # noqa: E402
from kiosk.feesystem.api import FeeSystemError, NotAllowed  # noqa: E402
from kiosk.feesystem.http_client import HttpFeeSystem  # noqa: E402

RESIDENT = "370103197003224422"


def today() -> dt.date:
    """The server's today: it runs on this machine's clock, and offers outside it are refused at the quote."""
    return dt.date.today()


class Timed:
    """Wraps a client: every call's latency goes into a shared list."""

    def __init__(self, client: HttpFeeSystem, latencies: list[float], lock: threading.Lock) -> None:
        self.client, self.latencies, self.lock = client, latencies, lock

    def __getattr__(self, name: str):
        method = getattr(self.client, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                with self.lock:
                    self.latencies.append(elapsed)

        return timed


def read_round(client: Timed, number: int) -> None:
    client.registration(RESIDENT)
    client.resident_offers(RESIDENT, InsuredItem.RESIDENT_MEDICAL, today())


# Each has at least 4 months due (policy: 3 months back and the current month; more before December): 8,000
# payments at the least, several times what 20 clients post in 5 s.
SYNTHETIC_WORKERS = 2000


class Workers:
    """Hands each thread workers of its own, one at a time: two threads never pay the same month."""

    def __init__(self, count: int) -> None:
        self._next = 0
        self._count = count
        self._lock = threading.Lock()

    def take(self) -> str:
        with self._lock:
            if self._next >= self._count:
                raise SystemExit("the pay mix ran out of synthetic workers: raise SYNTHETIC_WORKERS")
            self._next += 1
            return synthetic_id(self._next - 1)


def pay_round(client: Timed, number: int, worker: list[str], workers: Workers) -> None:
    try:
        offer = client.flexible_offer(worker[0], InsuredItem.FLEXIBLE_PENSION, today())
    except NotAllowed:  # everything due is paid: the next worker
        worker[0] = workers.take()
        offer = client.flexible_offer(worker[0], InsuredItem.FLEXIBLE_PENSION, today())
    month = YearMonth.parse(offer.first_month)
    quote = client.quote_flexible(worker[0], InsuredItem.FLEXIBLE_PENSION, Period(month, month), offer.base_min_fen)
    key = f"bench-{threading.get_ident()}-{number}"
    order = client.open_qr_order(key, quote.quote_id, PayMethod.WECHAT)
    paid = client.simulate_qr_payment(order.order_no)
    client.post_payment(key, quote.quote_id, PayMethod.WECHAT, paid.channel_txn or "", worker[0])


def start_server(state: Path, in_process: bool, people: Path):
    if in_process:
        from kiosk.config import load_config
        from parties.feesystem.embedded import open_embedded
        from parties.feesystem.http_server import FeeSystemHttpServer

        config = load_config(REPO / "config" / "simulated.toml").with_overrides(
            {"paths.state_dir": str(state), "fee_system.people": str(people)}
        )
        config.state_dir.mkdir(parents=True, exist_ok=True)
        server = FeeSystemHttpServer(open_embedded(config, dt.datetime.now)).start()
        return server.url, server.stop
    # The simulated configuration with the synthetic workers as the fee system's people.
    config_text = (REPO / "config" / "simulated.toml").read_text(encoding="utf-8")
    config_file = state / "bench.toml"
    config_file.write_text(
        config_text.replace('people = "demo_people.toml"', f'people = "{people}"').replace(
            'policy = "policy.toml"', f'policy = "{REPO / "config" / "policy.toml"}"'
        ),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "parties.feesystem.http_server", "--config", str(config_file),
         "--state", str(state), "--port", "0", "--controls"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    url = process.stdout.readline().strip()
    if not url.startswith("http://"):
        process.kill()
        raise SystemExit("the fee-system server did not start")

    def stop() -> None:
        process.terminate()
        process.wait(timeout=10)

    return url, stop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--mix", choices=("read", "pay"), default="read")
    parser.add_argument("--in-process", action="store_true", help="serve from this process (shares the GIL)")
    args = parser.parse_args()
    workers = Workers(SYNTHETIC_WORKERS)

    with tempfile.TemporaryDirectory() as state:
        people = write_people(Path(state) / "bench_people.toml", SYNTHETIC_WORKERS)
        url, stop = start_server(Path(state), args.in_process, people)
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds

        def worker() -> None:
            client = Timed(HttpFeeSystem(url, timeout_seconds=5), latencies, lock)
            number = 0
            worker_id = [workers.take()] if args.mix == "pay" else []
            while time.monotonic() < deadline:
                try:
                    if args.mix == "pay":
                        pay_round(client, number, worker_id, workers)
                    else:
                        read_round(client, number)
                except FeeSystemError as error:
                    with lock:
                        errors.append(f"{type(error).__name__}: {error.detail}")
                number += 1

        try:
            HttpFeeSystem(url, timeout_seconds=5).registration(RESIDENT)  # warm up
            started = time.monotonic()
            threads = [threading.Thread(target=worker) for _ in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        finally:
            stop()

    ordered = sorted(latencies)

    def percentile(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    print(f"mix={args.mix} clients={args.clients} server={'in-process' if args.in_process else 'subprocess'}")
    print(f"calls={len(ordered)} errors={len(errors)} seconds={elapsed:.1f} calls/s={len(ordered) / elapsed:.0f}")
    print(
        f"latency ms: p50={percentile(50):.1f} p95={percentile(95):.1f} p99={percentile(99):.1f}"
        f" max={ordered[-1] * 1000:.1f} mean={statistics.fmean(ordered) * 1000:.1f}"
    )
    for error in errors[:5]:
        print("error:", error)
    return 0 if not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
