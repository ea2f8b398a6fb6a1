"""The simulated world is started in one place (app/harness/world.py) and handed to the kiosk: DeviceHub opens the
devices at the stand-ins' addresses and starts nothing; kiosk/ reaches the world only through kiosk/simulated.py."""

from __future__ import annotations

import pytest

from app.harness.world import SIMULATION, World
from drivers.base import DeviceKind
from kiosk import simulated
from kiosk.devices import DeviceHub, NotStarted
from kiosk.payments.reconcile import BANK_LEDGER_FILE
from kiosk.simulated import NoSimulatedWorld, simulated_parts
from parties.bankhost.simulator import STATE_FILE


def test_reconciliation_reads_the_ledger_file_the_bank_host_simulator_writes():
    assert BANK_LEDGER_FILE == STATE_FILE


def test_the_hub_starts_no_simulator_of_a_simulated_device(kiosk_config):
    hub = DeviceHub(kiosk_config)
    with pytest.raises(NotStarted, match=r"devices\.idcard is simulated"):
        hub.start()
    assert hub.simulators == {}


def test_without_a_provided_world_the_kiosk_says_who_provides_it(monkeypatch):
    monkeypatch.setattr(simulated, "_provided", None)
    with pytest.raises(NoSimulatedWorld, match="composition root"):
        simulated.simulated_world()
    simulated.provide_simulated_world(SIMULATION)
    assert simulated.simulated_world() is SIMULATION


def test_the_world_points_each_simulated_part_at_its_simulator_in_real_mode(kiosk_config):
    config = kiosk_config.with_overrides({"devices.a4_printer.mode": "real", "devices.sscard.mode": "real"})
    parts = simulated_parts(config)
    assert parts == ["devices.idcard", "devices.receipt_printer", "devices.pinpad", "devices.bankcard", "bank"]
    with SIMULATION.start_stand_ins(config) as world:
        assert isinstance(world, World) and set(world.sections) == set(parts)
        assert all(section["mode"] == "real" for section in world.sections.values())
        assert set(world.simulators) == {"idcard", DeviceKind.RECEIPT_PRINTER, "pinpad", "bankcard", "bank"}
        assert world.config.state_dir == kiosk_config.state_dir  # the pad's keys and the bank's ledger
        hub = DeviceHub(config, world)
        client = hub.start_bank_connection()
        try:
            assert (client.host, client.port) == world.simulators["bank"].address
            assert hub.simulators is world.simulators and "pinpad" not in hub.problems  # the test key is in
        finally:
            hub.stop()
    assert world.simulators == {}
