#!/usr/bin/env python3
"""Run every benchmark and print one table: figure, measured value, target, pass/miss, and the machine.

    .venv/bin/python scripts/bench/run.py [--only cold_start,memory] [--quick] [--markdown]

Each benchmark runs in its own interpreter (QT_QPA_PLATFORM=offscreen) and reports ``RESULT {json}`` lines
(scripts/bench/common.py). --quick runs tiny sizes (a smoke run: the figures mean nothing). Benchmarks report;
the exit code is non-zero only when a benchmark could not run, never because a figure misses its target.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from common import Figure, machine, parse_results

HERE = Path(__file__).resolve().parent
# name -> (arguments for a full run, arguments for a quick run)
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "cold_start": (["--repeat", "7"], ["--repeat", "1"]),
    "transitions": (["--passes", "3"], ["--passes", "1", "--flows", "resident_pension"]),
    "idcard": (["--reads", "100"], ["--reads", "3"]),
    "sscard": (["--reads", "50"], ["--reads", "3"]),
    "receipt": (["--min-rounds", "100"], ["--min-rounds", "3"]),
    "certificates": (["--repeat", "20"], ["--repeat", "1"]),
    "memory": (
        ["--sessions", "1000", "--full-every", "250"],
        ["--sessions", "4", "--full-every", "2", "--warmup", "1"],
    ),
    "feehttp": (["--clients", "20", "--seconds", "5"], ["--clients", "2", "--seconds", "0.5"]),
    "scale": (["--finished", "1000000"], ["--finished", "2000", "--day", "50", "--months", "24"]),
    "card_chip": (["--payments", "4"], ["--payments", "1"]),
    "basket": (["--rounds", "30"], ["--rounds", "3"]),
}


def run_one(name: str, quick: bool) -> tuple[list[Figure], float, str]:
    full_args, quick_args = BENCHMARKS[name]
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(HERE / f"{name}.py"), *(quick_args if quick else full_args)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True, text=True, check=False,
    )
    figures = parse_results(done.stdout)
    error = "" if done.returncode == 0 and figures else (done.stderr.strip().splitlines() or ["no result"])[-1]
    return figures, time.monotonic() - started, error


def verdict(figure: Figure) -> str:
    return "" if figure.ok is None else "pass" if figure.ok else "MISS"


def print_table(rows: list[Figure], markdown: bool) -> None:
    if markdown:
        print("| figure | measured | target | | detail |")
        print("| --- | --- | --- | --- | --- |")
        for f in rows:
            print(f"| {f.figure.strip()} | {f.value} | {f.target} | {verdict(f)} | {f.detail} |")
        return
    width = max(len(f.figure) for f in rows)
    value_width = max(len(f.value) for f in rows)
    print(f"{'figure':<{width}}  {'measured':<{value_width}}  {'target':<12} result")
    for f in rows:
        print(f"{f.figure:<{width}}  {f.value:<{value_width}}  {f.target:<12} {verdict(f)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated: " + ", ".join(BENCHMARKS))
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks that every benchmark runs")
    parser.add_argument("--markdown", action="store_true", help="the table as Markdown, details included")
    args = parser.parse_args(argv)
    names = [name for name in args.only.split(",") if name]
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    rows: list[Figure] = []
    failed = []
    for name in names:
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        figures, seconds, error = run_one(name, args.quick)
        print(f"bench: {name} done in {seconds:.0f} s{': ' + error if error else ''}", file=sys.stderr, flush=True)
        if error:
            failed.append(name)
            rows.append(Figure(name, "did not run", "", False, error))
        rows.extend(figures)
    info = machine()
    print()
    print_table(rows, args.markdown)
    print()
    print(f"machine: {info['cpu']}, {info['cores']} cores, {info['os']}, Python {info['python']}, "
          f"PySide6 {info.get('pyside6', '?')} (Qt {info['qt']})" + (" [--quick: tiny sizes]" if args.quick else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
