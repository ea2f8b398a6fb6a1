"""`kiosk diag sscard read` as a technician runs it: a subprocess, JSON on stdout, exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from drivers.sscard import CardFaults, VirtualSsCard
from sscard_fixtures import READER

pytestmark = pytest.mark.pcsc
pytest_plugins = ["sscard_fixtures"]  # pcscd, demo_data, insert_card, reader


def run_diag(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict]:
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())", "diag", "sscard", *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env=env,
    )
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout + done.stderr
    return done.returncode, json.loads(lines[0])


def test_diag_prints_the_card(insert_card, demo_data) -> None:
    insert_card(VirtualSsCard(demo_data))
    code, out = run_diag("read", "--reader", READER, "--timeout", "5")
    assert code == 0
    assert out == {
        "card_number": "N37000001",
        "id_number": "37010219800101002X",
        "name": "欧阳娜娜",
        "sex": "female",
        "nation": "03",
        "birthplace": "370102",
        "birth_date": "1980-01-01",
        "issue_date": "2020-05-01",
        "expiry_date": "2030-05-01",
        "spec_version": "3.00",
        "card_id_code": demo_data.card_id_code.hex().upper(),
        "issuer_org": "370102000000000000000000",
    }


def test_diag_no_card(pcscd) -> None:
    code, out = run_diag("read", "--reader", READER, "--timeout", "1")
    assert code != 0 and out["error"] == "no_card" and out["message"]


def test_diag_no_reader(pcscd) -> None:
    code, out = run_diag("read", "--reader", "No Such Reader")
    assert code != 0 and out["error"] == "no_reader"


def test_diag_card_removed(insert_card, demo_data) -> None:
    insert_card(VirtualSsCard(demo_data, faults=CardFaults(pull_after=6)))
    code, out = run_diag("read", "--reader", READER)
    assert code != 0 and out["error"] == "card_removed"


def test_diag_card_error(insert_card, demo_data) -> None:
    insert_card(VirtualSsCard(demo_data, faults=CardFaults(forced_sw={(0xB2, 0x08): 0x6F00})))
    code, out = run_diag("read", "--reader", READER)
    assert code != 0 and out["error"] == "card_error" and "6F00" in out["message"]


def test_diag_pcsc_unavailable(tmp_path) -> None:
    # No pcscd behind the socket the diag's libpcsclite is pointed at: the machine's pcscd keeps running for
    # whatever else uses it (stopping it used to break any other test run on the machine).
    nobody_there = {**os.environ, "PCSCLITE_CSOCK_NAME": str(tmp_path / "no-pcscd.comm")}
    code, out = run_diag("read", "--reader", READER, env=nobody_there)
    assert code != 0 and out["error"] == "pcsc_unavailable" and "pcscd" in out["message"]
