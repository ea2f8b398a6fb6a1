"""Smoke test of the benchmarks (scripts/bench/): each runs to completion on tiny sizes and reports its figures.
No timing is asserted: benchmarks report, they do not fail CI (`make bench` gives the figures)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "scripts" / "bench"
sys.path.insert(0, str(BENCH))

from common import Figure, machine, parse_results, percentile  # noqa: E402
from run import BENCHMARKS, print_table  # noqa: E402


def run_script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH / f"{name}.py"), *args],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True, text=True, timeout=110, check=False,
    )


@pytest.mark.parametrize(
    "name",
    [pytest.param(name, marks=[pytest.mark.pcsc] if name == "sscard" else []) for name in BENCHMARKS],
)
def test_each_benchmark_runs_on_tiny_sizes(name):
    done = run_script(name, *BENCHMARKS[name][1])
    assert done.returncode == 0, done.stderr[-2000:]
    figures = parse_results(done.stdout)
    assert figures and all(figure.figure and figure.value for figure in figures)
    assert any(figure.ok is not None and figure.target for figure in figures)  # at least one figure has a target
    if name == "feehttp":  # a benchmark whose calls fail measures refusals, not the gateway
        assert " 0 errors" in done.stdout, done.stdout[-2000:]


def test_runner_prints_the_table_and_the_machine():
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--only", "receipt"],
        capture_output=True, text=True, timeout=110, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "receipt to ESC/POS bytes" in done.stdout and "< 20 ms" in done.stdout
    assert "machine:" in done.stdout and "cores" in done.stdout and "Qt" in done.stdout


def test_runner_refuses_an_unknown_benchmark():
    done = subprocess.run([sys.executable, str(BENCH / "run.py"), "--only", "nope"], capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 2 and "unknown benchmark" in done.stderr


def test_table_marks_pass_miss_and_context(capsys):
    print_table([Figure("a", "1 ms", "< 2 ms", True), Figure("b", "3x", "<= 2x", False), Figure("c", "5", "", None)],
                markdown=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].endswith("| pass |  |") and "| MISS |" in lines[3] and lines[4].startswith("| c | 5 |  |  |")


def test_percentile_and_machine():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50 and percentile(values, 95) == 95 and percentile(values, 100) == 100
    assert percentile([7.0], 95) == 7.0
    info = machine()
    assert info["cpu"] and int(info["cores"]) >= 1 and info["python"].count(".") == 2
