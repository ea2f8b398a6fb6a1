"""Everything the kiosk and its simulators create is the kiosk user's alone: directories 0700, files 0600
(issue 25 §4), even when the shell's umask is the usual 022."""

from __future__ import annotations

import datetime as dt
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from harness_fixtures import REPO, SCENARIOS
from kiosk.logs import setup_logging
from parties.bankhost.accounts import demo_accounts
from parties.bankhost.simulator import BankHostSimulator
from parties.feesystem.store import FeeStore


@pytest.fixture
def usual_umask():
    before = os.umask(0o022)
    yield
    os.umask(before)


def modes_under(root: Path) -> dict[str, str]:
    """Every path under ``root`` that others could read or enter, with its mode."""
    loose = {}
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        wanted = 0o700 if path.is_dir() else 0o600
        if not path.is_symlink() and mode != wanted:
            loose[str(path.relative_to(root))] = oct(mode)
    return loose


def kiosk_sim_with_umask_022(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "sim", *arguments],
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=90,
        preexec_fn=lambda: os.umask(0o022),
    )


def test_every_path_a_sim_run_creates_is_private(tmp_path):
    root = tmp_path / "hall"
    # Each state dir has two missing parents, created on the way (and the journal's second copy beside it).
    for scenario, state in (("card_approved.toml", "a/x/state"), ("maintenance_reconciliation_export.toml", "b/y/s")):
        arguments = ("--headless", "--scenario", str(SCENARIOS / scenario), "--state", str(root / state))
        result = kiosk_sim_with_umask_022(*arguments)
        assert result.returncode == 0, result.stderr[-2000:]
    created = {str(path.relative_to(root)) for path in root.rglob("*")}
    # What the issue found readable: the simulator's database, the export folder, the bank's files; and the rest.
    for expected in (
        "a/x/state/feesystem.sqlite3",
        "b/y/s/var/export",
        "a/x/state/bank/bankhost.json",
        "a/x/state/log",
    ):
        assert expected in created, sorted(created)
    assert modes_under(root) == {}


def test_logging_creates_its_missing_parents_private(tmp_path, usual_umask):
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = setup_logging(tmp_path / "var" / "state" / "log", environ={})
        logging.getLogger("test").info("hello")
        assert path is not None and path.exists()
        assert modes_under(tmp_path / "var") == {}
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()


def test_the_fee_system_database_and_its_wal_are_private_without_the_umask(tmp_path, usual_umask):
    store = FeeStore(tmp_path / "sim" / "feesystem.sqlite3", lambda: dt.datetime(2026, 11, 27, 10))
    try:
        store.db.execute("CREATE TABLE t (x)")  # a write: -wal and -shm exist while the database is open
        assert {"feesystem.sqlite3-wal", "feesystem.sqlite3-shm"} <= {p.name for p in (tmp_path / "sim").iterdir()}
        assert modes_under(tmp_path / "sim") == {}
    finally:
        store.db.close()


def test_the_bank_hosts_state_file_is_private_without_the_umask(tmp_path, usual_umask):
    bank = BankHostSimulator(demo_accounts(), state_dir=tmp_path / "bank" / "host")
    bank.add_account(demo_accounts()[0])  # a change: the simulator writes its state file
    assert (tmp_path / "bank" / "host" / "bankhost.json").exists()
    assert modes_under(tmp_path / "bank") == {}
