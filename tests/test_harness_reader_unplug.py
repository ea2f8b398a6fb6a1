"""Unplugging the PC/SC card readers: the simulator's own pcscd drops one reader and keeps the other's card.

The pcscd of our own is picked before a process's first PC/SC call, so the real run is a script in a process of
its own; what needs no pcscd (refusals, the fallback to the shared pcscd) runs here."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app.harness.bench import Bench, BenchError
from app.harness.supervisor import own_pcscd_unavailable
from drivers.pcsc import connection
from drivers.pcsc.errors import PcscError
from drivers.pcsc.private_pcscd import PrivatePcscd, VirtualReader, unavailable_reason
from harness_fixtures import REPO

SCRIPT = r"""
import json, time
from smartcard import scard
from drivers.pcsc.connection import PcscContext
from drivers.pcsc.private_pcscd import PrivatePcscd, VirtualReader, free_port_pair
from drivers.bankcard import VirtualPbocCard
from parties.bankhost.accounts import demo_accounts
from drivers.sscard import demo_sscard
from app.harness.card_slot import VirtualCardSlot
from app.harness.bench import Bench

readers = {"sscard": VirtualReader("Test SSCard", free_port_pair()),
           "bankcard": VirtualReader("Test Bank Card", free_port_pair())}
pcscd = PrivatePcscd(readers).start()
slots = {"sscard": VirtualCardSlot(readers["sscard"].port),
         "bankcard": VirtualCardSlot(readers["bankcard"].port, VirtualPbocCard)}
bench = Bench(simulators=slots, fee_backend=None, people={}, pcscd=pcscd)
context = PcscContext()

def seen():
    # reader slot 00 00 -> card present, after pcscd's poll of the vpcd links (400 ms) has had its turn
    deadline = time.monotonic() + 3
    while True:
        try:
            names = [name for name in context.list_readers() if name.endswith(" 00 00")]
            hresult, states = scard.SCardGetStatusChange(
                context.handle(), 0, [(name, scard.SCARD_STATE_UNAWARE) for name in names])
            result = {name: bool(state & scard.SCARD_STATE_PRESENT) for name, state, _atr in states}
        except Exception:
            context.invalidate()
            result = None
        if (result and all(result.values())) or time.monotonic() > deadline:
            return result

slots["sscard"].insert(demo_sscard({"name": "张三", "id_number": "370102197001011234"}))
slots["bankcard"].insert(demo_accounts()[0])
steps = {"start": seen()}
bench.unplug("sscard")
steps["unplugged"] = seen()
steps["unplugged_set"] = sorted(bench.unplugged)
bench.replug("sscard")
steps["replugged"] = seen()
pcscd.stop()
print(json.dumps(steps))
"""


@pytest.mark.timeout(60)
def test_unplugging_one_reader_keeps_the_other_and_both_cards_stay_in_their_slots():
    if reason := unavailable_reason():
        pytest.skip(f"needs a pcscd of our own: {reason}")  # CI runs as root: it runs there
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=50)
    assert done.returncode == 0, done.stderr
    steps = json.loads(done.stdout.strip().splitlines()[-1])
    both = {"Test SSCard 00 00": True, "Test Bank Card 00 00": True}
    assert steps["start"] == both
    assert steps["unplugged"] == {"Test Bank Card 00 00": True}  # the bank card, back after the restart
    assert steps["unplugged_set"] == ["sscard"]
    assert steps["replugged"] == both  # the card left in the unplugged reader is seen again


def test_a_process_that_spoke_to_the_shared_pcscd_cannot_switch(monkeypatch):
    monkeypatch.setattr(connection, "_socket_in_use", connection.DEFAULT_SOCKET)
    pcscd = PrivatePcscd({"sscard": VirtualReader("Test SSCard", 40000)})
    try:
        with pytest.raises(PcscError, match="cannot switch"):
            pcscd.claim_process()
    finally:
        pcscd.stop()
    assert "already spoke" in own_pcscd_unavailable()


def test_a_bench_on_the_shared_pcscd_says_why_a_reader_cannot_be_unplugged():
    bench = Bench(simulators={}, fee_backend=None, people={}, pcscd_problem="a pcscd of its own needs root")
    with pytest.raises(BenchError, match="shared pcscd: a pcscd of its own needs root"):
        bench.unplug("sscard")
    assert not bench.unplugged


def test_auto_falls_back_to_the_shared_pcscd_in_a_process_already_on_it(monkeypatch, tmp_path, clock):
    from app.harness.supervisor import SimulatorSupervisor, SupervisorOptions
    from conftest import CONFIG_DIR
    from kiosk.config import load_config
    from kiosk.devices import SIMULATED_SSCARD_READER

    monkeypatch.setattr(connection, "_socket_in_use", connection.DEFAULT_SOCKET)
    options = SupervisorOptions(pcscd="auto")
    with SimulatorSupervisor(load_config(CONFIG_DIR / "simulated.toml"), tmp_path, clock=clock, options=options) as sim:
        assert sim.pcscd is None and "already spoke" in sim.pcscd_problem
        assert sim.config["devices.sscard.reader"] == SIMULATED_SSCARD_READER
        assert sim.bench.pcscd is None and "already spoke" in sim.bench.pcscd_problem


def test_a_scenario_that_unplugs_a_reader_says_why_it_cannot_run_in_a_process_on_the_shared_pcscd(monkeypatch):
    from app.harness.runner import run_scenario_file
    from app.harness.scenario import ScenarioError
    from harness_fixtures import OWN_PCSCD_FILES

    monkeypatch.setattr(connection, "_socket_in_use", connection.DEFAULT_SOCKET)
    with pytest.raises(ScenarioError, match="needs the simulator's own pcscd: this process already spoke"):
        run_scenario_file(OWN_PCSCD_FILES[0])
