#!/usr/bin/env python3
"""Social security card read through pcscd + vpcd: time and APDUs (scripts/bench_sscard.py's card behaviours).

    .venv/bin/python scripts/bench/sscard.py [--reads 50]

Starts pcscd when it is not running (as root). Shared with every test that uses smart cards: run it alone when a
figure looks odd. Target: every read under 300 ms (the figure is the slowest behaviour's median; max beside it).
"""

from __future__ import annotations

import argparse
import sys

from common import REPO, Figure, report

sys.path.insert(0, str(REPO / "scripts"))
from bench_sscard import BEHAVIOURS, bench

from drivers.pcsc import ensure_pcscd
from drivers.pcsc.vpcd import VPCD_PORT
from drivers.sscard import PcscSsCardReader

TARGET_MS = 300.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=50)
    parser.add_argument("--reader", default="Virtual PCD 00 01")
    parser.add_argument("--port", type=int, default=VPCD_PORT + 1, help="vpcd slot 1's port (after slot 0's)")
    args = parser.parse_args(argv)
    ensure_pcscd()
    reader = PcscSsCardReader(args.reader, timeout=5.0)
    rows = {}
    try:
        for name, options in BEHAVIOURS.items():
            rows[name] = bench(reader, args.port, options, args.reads)
            print(name, rows[name])
    finally:
        reader.close()
    worst_name = max(rows, key=lambda name: rows[name]["median_ms"])
    worst = rows[worst_name]
    detail = "; ".join(f"{name}: {row['median_ms']:.0f} ms, {row['apdus_per_read']} APDUs"
                       for name, row in rows.items())
    report(Figure("social security card read (pcscd + vpcd)",
                  f"{worst['median_ms']:.0f} ms, {worst['apdus_per_read']} APDUs (max {worst['max_ms']:.0f} ms)",
                  "< 300 ms", worst["median_ms"] < TARGET_MS, f"slowest card {worst_name}; {detail}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
