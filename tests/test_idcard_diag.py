"""`kiosk diag idcard read` run as a subprocess against the simulator: the exact JSON contract."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from drivers.idcard.protocol import Command
from drivers.idcard.simulator import IdCardReaderSimulator
from drivers.idcard.text import CardType
from idcard_fixtures import FOREIGN_OLD_PERSON, FOREIGN_PERSON, PERMIT_PERSON, card_of, resident_card

COMMON_KEYS = {
    "card_type", "name", "sex", "nation", "nation_name", "birth_date", "address", "id_number", "issuer",
    "valid_from", "valid_to", "photo_bytes",
}


def run_diag(*args: str) -> tuple[int, dict[str, Any]]:
    command = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]
    result = subprocess.run(
        [*command, "diag", "idcard", "read", *args], capture_output=True, text=True, timeout=60, check=False
    )
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, (result.stdout, result.stderr)
    return result.returncode, json.loads(lines[0])


def test_resident_card_json_is_exactly_the_contract() -> None:
    with IdCardReaderSimulator(resident_card()) as simulator:
        code, out = run_diag("--port", simulator.port)
    assert code == 0
    assert out == {
        "card_type": "resident",
        "name": "张三丰",
        "sex": "male",
        "nation": "01",
        "nation_name": "汉族",
        "birth_date": "1949-12-31",
        "address": "山东省济南市历下区泺源大街 100号 3单元",
        "id_number": "11010519491231002X",
        "issuer": "济南市公安局历下分局",
        "valid_from": "2016-05-01",
        "valid_to": "长期",
        "photo_bytes": 1024,
    }


def test_permit_json_has_pass_number_and_issue_count() -> None:
    with IdCardReaderSimulator(card_of(CardType.HK_MO_TW_PERMIT)) as simulator:
        code, out = run_diag("--port", simulator.port, "--baud", "115200", "--timeout", "2")
    assert code == 0
    assert set(out) == COMMON_KEYS | {"pass_number", "issue_count"}
    assert out["card_type"] == "hk_mo_tw_permit"
    assert (out["nation"], out["nation_name"]) == ("", "")
    assert (out["pass_number"], out["issue_count"]) == (PERMIT_PERSON["pass_number"], 2)
    assert (out["sex"], out["valid_to"]) == ("female", "2026-03-15")


@pytest.mark.parametrize(
    ("card_type", "person"),
    [(CardType.FOREIGN_PERMANENT, FOREIGN_PERSON), (CardType.FOREIGN_PERMANENT_OLD, FOREIGN_OLD_PERSON)],
)
def test_foreigner_json_has_english_name_and_nationality(card_type: CardType, person: dict[str, Any]) -> None:
    with IdCardReaderSimulator(card_of(card_type)) as simulator:
        code, out = run_diag("--port", simulator.port)
    assert code == 0
    assert set(out) == COMMON_KEYS | {"english_name", "nationality"}
    assert out["card_type"] == card_type.value
    assert out["english_name"] == person["english_name"]
    assert out["nationality"] == person["nationality"]
    assert out["id_number"] == person["id_number"]
    assert out["birth_date"] == person["birth_date"]
    assert out["nation"] == "" and out["address"] == ""


def expect_error(out: dict[str, Any], code: int, error: str) -> None:
    assert code != 0
    assert set(out) == {"error", "message"}
    assert out["error"] == error
    assert isinstance(out["message"], str) and out["message"]


def test_empty_reader_is_a_no_card_error() -> None:
    with IdCardReaderSimulator(None) as simulator:
        expect_error(*reversed(run_diag("--port", simulator.port)), "no_card")


def test_silent_reader_times_out() -> None:
    with IdCardReaderSimulator(resident_card()) as simulator:
        simulator.faults.silent = True
        expect_error(*reversed(run_diag("--port", simulator.port, "--timeout", "0.3")), "timeout")


def test_always_corrupted_answers_are_a_checksum_error() -> None:
    with IdCardReaderSimulator(resident_card()) as simulator:
        simulator.faults.corrupt_checksum = "always"
        expect_error(*reversed(run_diag("--port", simulator.port)), "checksum")


def test_unknown_card_type_is_unsupported() -> None:
    with IdCardReaderSimulator(resident_card()) as simulator:
        simulator.faults.type_flag = "Q"
        expect_error(*reversed(run_diag("--port", simulator.port)), "unsupported_card")


def test_sam_failure_is_a_device_error() -> None:
    with IdCardReaderSimulator(resident_card()) as simulator:
        simulator.faults.status_override = {Command.READ_TEXT_PHOTO: 0x60}
        expect_error(*reversed(run_diag("--port", simulator.port)), "device_error")


def test_missing_port_is_no_device() -> None:
    expect_error(*reversed(run_diag("--port", "/dev/ttyNOSUCHREADER")), "no_device")
