"""`python -m kiosk` is the `kiosk` command."""

from __future__ import annotations

import subprocess
import sys


def test_python_dash_m_kiosk_is_the_kiosk_command() -> None:
    done = subprocess.run([sys.executable, "-m", "kiosk", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "usage: kiosk" in done.stdout
    for subcommand in ("run", "sim", "diag", "verify", "recover", "reconcile", "doctor"):
        assert subcommand in done.stdout


def test_python_dash_m_kiosk_says_a_wrong_subcommand_plainly() -> None:
    done = subprocess.run([sys.executable, "-m", "kiosk", "no-such"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "invalid choice" in done.stderr
