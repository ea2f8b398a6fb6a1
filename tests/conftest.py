"""Shared fixtures: a kiosk configuration in a temporary state directory, a fixed clock, the fee system."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
CONFIG_DIR = REPO / "config"


def pytest_configure(config: pytest.Config) -> None:
    """Each process that runs tests (every xdist worker, or the only one) gets a pcscd of its own, before any test
    module imports drivers.pcsc. An xdist controller runs no test and needs none."""
    if getattr(config, "workerinput", None) is not None or not _xdist_controller(config):
        import worker_pcscd

        worker_pcscd.start()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The few long tests first, one at the head of each xdist process's share (tests/slow_first.py)."""
    from slow_first import deal_long_first, xdist_processes

    items[:] = deal_long_first(items, [item.nodeid for item in items], xdist_processes())


def pytest_unconfigure(config: pytest.Config) -> None:
    import worker_pcscd

    worker_pcscd.stop()


def _xdist_controller(config: pytest.Config) -> bool:
    workers = getattr(config.option, "numprocesses", None)
    return bool(workers) and config.getoption("dist", "no") != "no"


@pytest.fixture(scope="session")
def own_pcscd():
    """This test process's pcscd (tests/worker_pcscd.py), to stop and start; skips where there is none (not root)."""
    import worker_pcscd

    pcscd = worker_pcscd.own()
    if pcscd is None:
        pytest.skip(worker_pcscd.problem())
    return pcscd


# A fixed "now" inside both collection windows of the example policy (resident pension 2026, medical 2027).
NOW = dt.datetime(2026, 11, 27, 10, 0, 0)
# The terminal the `journal` fixture numbers its records for: config/simulated.toml's terminal.id.
TERMINAL = "SD370102-ZZ01"


@pytest.fixture
def clock():
    return lambda: NOW


@pytest.fixture
def journal_path(tmp_path) -> Path:
    return tmp_path / "journal.sqlite3"


@pytest.fixture
def journal(journal_path, clock):
    """A payment journal on disk (``journal_path``) of TERMINAL, on the suite's clock. A test may close it itself (a
    kiosk restart) and reopen ``journal_path``."""
    from kiosk.payments.journal import Journal

    journal = Journal(journal_path, TERMINAL, clock=clock)
    yield journal
    journal.close()


@pytest.fixture
def kiosk_config(tmp_path):
    from kiosk.config import load_config

    return load_config(CONFIG_DIR / "simulated.toml").with_overrides({"paths.state_dir": str(tmp_path / "state")})


@pytest.fixture
def fee_system(clock):
    from parties.feesystem.embedded import EmbeddedFeeSystem

    system = EmbeddedFeeSystem(":memory:", CONFIG_DIR / "policy.toml", CONFIG_DIR / "demo_people.toml", clock=clock)
    yield system
    system.close()


@pytest.fixture
def make_kiosk(qapp, tmp_path, clock):
    """Start the whole kiosk (window, simulators on their real transports) with optional config overrides."""
    from app.kiosk_app import KioskApp
    from kiosk.config import load_config

    started = []

    def start(**overrides):
        values = {"paths.state_dir": str(tmp_path / "state"), **overrides}
        config = load_config(CONFIG_DIR / "simulated.toml").with_overrides(values)
        kiosk = KioskApp(config, qapp, clock=clock)
        kiosk.show(with_panel=False)
        kiosk.ctx.devices.wait_until_started()  # tests reach into the simulators (the A4 printer's cupsd) at once
        started.append(kiosk)
        return kiosk

    yield start
    for kiosk in started:
        kiosk.close()
