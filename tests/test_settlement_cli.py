"""`kiosk settle --state DIR` (kiosk/cli/settle.py) through the command line: the PIN pad and bank host simulators
of the state directory (as `kiosk recover` reaches them), one JSON answer, exit codes, never a traceback."""

from __future__ import annotations

import json

import pytest

from app.cli import main

pytestmark = pytest.mark.filterwarnings("ignore:.*TripleDES")


def settle(capsys, *arguments: str) -> tuple[int, dict]:
    code = main(["settle", *arguments, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_settle_closes_the_open_batch_and_the_next_run_settles_the_next(tmp_path, capsys):
    state = tmp_path / "state"
    code, first = settle(capsys, "--state", str(state))
    assert code == 0 and first["outcome"] == "balanced" and first["batch"] == "000001"
    assert first["kiosk"] == first["host"] == {"count": 0, "amount_fen": 0}
    code, second = settle(capsys, "--state", str(state))
    assert code == 0 and second["batch"] == "000002"
    assert (state / "settlement.sqlite3").exists() and (state / "bank" / "bankhost.json").exists()


def test_a_bad_configuration_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "bad.toml").write_text("[bank]\nsettle_at = '25:00'\n", encoding="utf-8")
    code = main(["settle", "--config", str(tmp_path / "bad.toml"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 2 and out["error"] == "config_error"
