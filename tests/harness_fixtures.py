"""Shared by the harness tests: where the scenarios live, and running `kiosk sim` as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "tests" / "scenarios"
SCENARIO_FILES = sorted(SCENARIOS.glob("*.toml"))
# Scenarios that unplug a card reader need the simulator's own pcscd, which a process picks before its first PC/SC
# call: they run as `kiosk sim --headless` in a process of their own, the others in the test process.
OWN_PCSCD_FILES = [path for path in SCENARIO_FILES if 'pcscd = "own"' in path.read_text(encoding="utf-8")]
IN_PROCESS_FILES = [path for path in SCENARIO_FILES if path not in OWN_PCSCD_FILES]


def kiosk_sim(*arguments: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "sim", *arguments],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout,
    )


def kiosk_sim_process(*arguments: str, tmpdir: Path | None = None) -> subprocess.Popen[str]:
    """`kiosk sim` started and left running (the caller kills it). ``tmpdir``: its TMPDIR, where a SIGKILLed run
    leaves its temporary folders (inside the test's own tmp_path, not in /tmp)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if tmpdir is not None:
        tmpdir.mkdir(parents=True, exist_ok=True)
        env["TMPDIR"] = str(tmpdir)
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sim", *arguments],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def kiosk_cli(*arguments: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *arguments],
        cwd=REPO, capture_output=True, text=True, timeout=timeout,
    )
