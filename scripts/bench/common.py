"""What every benchmark script shares: the repository on sys.path, the machine's description, and the one-line
result format the runner collects (``RESULT {json}`` on stdout; everything else a script prints is for people)."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
for path in (REPO, REPO / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

RESULT_PREFIX = "RESULT "


@dataclass
class Figure:
    """One measured figure beside its target. ``ok`` is None when the figure has no target (context only)."""

    figure: str
    value: str
    target: str
    ok: bool | None
    detail: str = ""


def report(figure: Figure) -> None:
    print(RESULT_PREFIX + json.dumps(asdict(figure), ensure_ascii=False), flush=True)


def parse_results(output: str) -> list[Figure]:
    return [Figure(**json.loads(line[len(RESULT_PREFIX) :])) for line in output.splitlines()
            if line.startswith(RESULT_PREFIX)]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, str]:
    """CPU model, cores, Python and Qt versions: the figures mean little without them."""
    info = {
        "cpu": cpu_model(),
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        info["pyside6"] = PySide6.__version__
        info["qt"] = qVersion()
    except ImportError:
        info["qt"] = "not installed"
    return info
