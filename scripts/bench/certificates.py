#!/usr/bin/env python3
"""Certificate PDF per page, cold and warm: scripts/bench_certificates.py in a fresh interpreter, its lines read.

    .venv/bin/python scripts/bench/certificates.py [--repeat 20]

Target: warm under 150 ms per page (the figure is the slowest document's per-page median).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

from common import REPO, Figure, report

TARGET_MS = 150.0
WARM = re.compile(r"^warm, (?P<name>.+): median (?P<median>\d+) ms, (?P<per_page>\d+) ms per page$")
COLD = re.compile(r"^cold, first render .*: (?P<ms>\d+) ms$")
IMPORT = re.compile(r"^import of .*: (?P<ms>\d+) ms$")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "bench_certificates.py"), "--repeat",
                           str(args.repeat)], cwd=REPO, capture_output=True, text=True, check=False)
    print(done.stdout, end="")
    if done.returncode != 0:
        print(done.stderr[-3000:])
        return 1
    lines = done.stdout.splitlines()
    warm = {m["name"]: int(m["per_page"]) for line in lines if (m := WARM.match(line))}
    cold = next(int(m["ms"]) for line in lines if (m := COLD.match(line)))
    imported = next(int(m["ms"]) for line in lines if (m := IMPORT.match(line)))
    worst = max(warm, key=lambda name: warm[name])
    report(Figure("certificate PDF per page, warm", f"{warm[worst]} ms", "< 150 ms", warm[worst] < TARGET_MS,
                  f"slowest: {worst}; cold first render {cold} ms (+ import {imported} ms)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
