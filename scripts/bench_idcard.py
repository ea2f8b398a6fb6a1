#!/usr/bin/env python3
"""Benchmark a full ID card read (find + select + read 30 01) by the real driver over a pseudo-terminal.

Compares the time taken with the wire time of the bytes exchanged at the configured baud rate (10 bits a byte,
8N1). A pty has no baud rate, so the simulator runs twice: unpaced (as fast as the pty goes) and paced (it
writes its answers at the baud rate, like a UART would).

    .venv/bin/python scripts/bench_idcard.py [--reads N] [--baud 115200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drivers.idcard.reader import SUPPORTED_BAUD_RATES, SerialIdCardReader
from drivers.idcard.simulator import IdCardReaderSimulator, demo_card

BITS_PER_BYTE = 10  # start bit, 8 data bits, stop bit

BENCH_PERSON = {
    "name": "张三",
    "id_number": "11010519491231002X",
    "address": "山东省济南市历下区泺源大街100号",
    "valid_to": "长期",
}


def run(reads: int, baud: int, paced: bool) -> dict[str, float]:
    card = demo_card(BENCH_PERSON)
    with (
        IdCardReaderSimulator(card, pace_baud=baud if paced else None) as simulator,
        SerialIdCardReader(simulator.port, baud=baud, timeout=5.0) as reader,
    ):
        reader.read_card()  # warm up (imports, first tcsetattr)
        sent_before, received_before = simulator.bytes_sent, simulator.bytes_received
        durations = []
        for _ in range(reads):
            started = time.perf_counter()
            result = reader.read_card()
            durations.append(time.perf_counter() - started)
            if result != card:
                raise SystemExit("read returned a different card")
        answer_bytes = (simulator.bytes_sent - sent_before) / reads
        wire_bytes = answer_bytes + (simulator.bytes_received - received_before) / reads
    wire_time = wire_bytes * BITS_PER_BYTE / baud
    median = statistics.median(durations)
    return {
        "bytes": wire_bytes,
        "wire_ms": wire_time * 1000,
        "answer_wire_ms": answer_bytes * BITS_PER_BYTE / baud * 1000,
        "median_ms": median * 1000,
        "min_ms": min(durations) * 1000,
        "max_ms": max(durations) * 1000,
        "ratio": median / wire_time,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=100, help="full reads per mode (default 100)")
    parser.add_argument("--baud", type=int, default=115200, choices=SUPPORTED_BAUD_RATES)
    args = parser.parse_args()
    # wire ms: requests and answers at 10 bits a byte; answers: the answers alone (all that pacing can slow
    # down: the driver's requests cross the pty at memory speed). ratio = median / wire ms.
    print(f"full read (find + select + read 30 01) x {args.reads} at {args.baud} baud over a pty")
    print(
        f"{'mode':<8} {'bytes':>6} {'wire ms':>8} {'answers':>8} {'median ms':>10} {'min ms':>7} {'max ms':>7} "
        f"{'ratio':>6}"
    )
    for paced in (False, True):
        row = run(args.reads, args.baud, paced)
        print(
            f"{'paced' if paced else 'unpaced':<8} {row['bytes']:>6.0f} {row['wire_ms']:>8.1f} "
            f"{row['answer_wire_ms']:>8.1f} {row['median_ms']:>10.2f} {row['min_ms']:>7.2f} {row['max_ms']:>7.2f} "
            f"{row['ratio']:>6.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
