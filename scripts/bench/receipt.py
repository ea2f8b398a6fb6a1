#!/usr/bin/env python3
"""Receipt generation to ESC/POS bytes: tests/test_printer_bench.py under pytest-benchmark, enabled.

    .venv/bin/python scripts/bench/receipt.py [--min-rounds 50]

Target: under 20 ms (the figure is the slower paper width's median).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import REPO, Figure, report

TARGET_MS = 20.0


def outside_xdist() -> dict[str, str]:
    """This environment without pytest-xdist's worker variables: run from a test worker, the inner pytest would
    take itself for one and pytest-benchmark would switch itself off."""
    return {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_XDIST")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-rounds", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "benchmark.json"
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/test_printer_bench.py", "-q", "-p", "no:cacheprovider",
             "--benchmark-enable", f"--benchmark-min-rounds={args.min_rounds}", f"--benchmark-json={out}"],
            cwd=REPO, capture_output=True, text=True, check=False, env=outside_xdist(),
        )
        if done.returncode != 0 or not out.exists():
            print(done.stdout[-3000:], done.stderr[-3000:])
            return 1
        benchmarks = json.loads(out.read_text())["benchmarks"]
    medians = {b["name"].removeprefix("test_render_design_receipt_"): b["stats"]["median"] * 1000 for b in benchmarks}
    for name, ms in medians.items():
        print(f"receipt {name}: median {ms:.2f} ms")
    worst = max(medians.values())
    report(Figure("receipt to ESC/POS bytes", f"{worst:.1f} ms", "< 20 ms", worst < TARGET_MS,
                  ", ".join(f"{name} {ms:.1f} ms" for name, ms in medians.items()) + " (median, pytest-benchmark)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
