#!/usr/bin/env python3
"""Fee-system gateway on loopback with 20 concurrent kiosks: calls/s and p99 (scripts/bench_feehttp.py, both mixes).

    .venv/bin/python scripts/bench/feehttp.py [--clients 20] [--seconds 5]

Target: p99 under 50 ms, for the read mix and for the payment mix.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

from common import REPO, Figure, report

TARGET_MS = 50.0
CALLS = re.compile(r"calls=(?P<calls>\d+) errors=(?P<errors>\d+) .* calls/s=(?P<rate>\d+)")
LATENCY = re.compile(r"p50=(?P<p50>[\d.]+) p95=(?P<p95>[\d.]+) p99=(?P<p99>[\d.]+)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args(argv)
    for mix, words in (("read", "registration + offers"), ("pay", "offer, quote, QR order, pay, post")):
        done = subprocess.run(
            [sys.executable, str(REPO / "scripts" / "bench_feehttp.py"), "--clients", str(args.clients),
             "--seconds", str(args.seconds), "--mix", mix],
            cwd=REPO, capture_output=True, text=True, check=False,
        )
        print(done.stdout, end="")
        calls, latency = CALLS.search(done.stdout), LATENCY.search(done.stdout)
        if not calls or not latency:
            print(done.stderr[-3000:])
            return 1
        p99 = float(latency["p99"])
        report(Figure(f"fee gateway, {args.clients} kiosks, {mix} mix: p99", f"{p99:.1f} ms", "< 50 ms",
                      p99 < TARGET_MS and calls["errors"] == "0",
                      f"{calls['rate']} calls/s, p50 {latency['p50']} ms, p95 {latency['p95']} ms, "
                      f"{calls['errors']} errors ({words})"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
