#!/usr/bin/env python3
"""ID card read over a pseudo-terminal at 115200 baud against the wire time of its bytes (scripts/bench_idcard.py).

    .venv/bin/python scripts/bench/idcard.py [--reads 100]

Target: the paced read (the simulator answers at the baud rate, like a UART) at most 1.2x the wire time.
"""

from __future__ import annotations

import argparse
import sys

from common import REPO, Figure, report

sys.path.insert(0, str(REPO / "scripts"))
from bench_idcard import run

TARGET_RATIO = 1.2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=100)
    parser.add_argument("--baud", type=int, default=115200)
    args = parser.parse_args(argv)
    unpaced = run(args.reads, args.baud, paced=False)
    paced = run(args.reads, args.baud, paced=True)
    print(f"unpaced median {unpaced['median_ms']:.2f} ms; paced median {paced['median_ms']:.2f} ms; "
          f"wire {paced['wire_ms']:.1f} ms for {paced['bytes']:.0f} bytes")
    report(Figure(f"ID card read at {args.baud} baud vs wire time", f"{paced['ratio']:.2f}x", "<= 1.2x",
                  paced["ratio"] <= TARGET_RATIO,
                  f"median {paced['median_ms']:.1f} ms, wire {paced['wire_ms']:.1f} ms ({paced['bytes']:.0f} bytes); "
                  f"unpaced pty {unpaced['median_ms']:.1f} ms; {args.reads} reads"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
