"""Time a full social security card read through pcscd + vpcd and count its APDUs (target: under 300 ms).

Run: `.venv/bin/python scripts/bench_sscard.py [--reads N] [--reader "Virtual PCD 00 01"] [--port 35964]`.
Starts pcscd when it is not running (as root). Prints one JSON object per card behaviour.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drivers.pcsc import VirtualCardClient, ensure_pcscd
from drivers.pcsc.vpcd import VPCD_PORT
from drivers.sscard import PcscSsCardReader, VirtualSsCard, demo_sscard

PERSON = {"name": "欧阳娜娜", "id_number": "37010219800101002X", "nation": "03"}
BEHAVIOURS = {
    "strict_t0_6c": {"strict_le": True},  # Le=00 answered with 6C xx: every record read twice
    "lenient_le": {"strict_le": False},  # Le=00 answered with the record at once
    "get_response_61": {"use_get_response": True},  # every answer through 61 xx + GET RESPONSE
}


def bench(reader: PcscSsCardReader, port: int, options: dict, reads: int) -> dict:
    card = VirtualSsCard(demo_sscard(PERSON), **options)
    with VirtualCardClient(card, port=port):
        deadline = time.monotonic() + 5
        while not reader.card_present() and time.monotonic() < deadline:
            time.sleep(0.02)
        reader.read_card()  # warm-up: first connect after insertion powers the card
        times = []
        for _ in range(reads):
            started = time.perf_counter()
            reader.read_card()
            times.append((time.perf_counter() - started) * 1000)
    deadline = time.monotonic() + 5
    while reader.card_present() and time.monotonic() < deadline:  # let pcscd see the removal
        time.sleep(0.02)
    stats = reader.last_read
    return {
        "apdus_per_read": stats.apdus if stats else None,
        "reads": reads,
        "median_ms": round(statistics.median(times), 2),
        "max_ms": round(max(times), 2),
        "mean_ms_per_apdu": round(statistics.mean(times) / stats.apdus, 3) if stats else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=50)
    parser.add_argument("--reader", default="Virtual PCD 00 01")
    parser.add_argument("--port", type=int, default=VPCD_PORT + 1, help="vpcd slot 1's port (after slot 0's)")
    args = parser.parse_args()
    print(json.dumps({"pcscd": ensure_pcscd()}, ensure_ascii=False))
    reader = PcscSsCardReader(args.reader, timeout=5.0)
    try:
        for name, options in BEHAVIOURS.items():
            result = bench(reader, args.port, options, args.reads)
            print(json.dumps({"card": name, **result, "under_300_ms": result["max_ms"] < 300}))
    finally:
        reader.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
