"""Forgeable codes (issue 25 §5): `kiosk verify` never falls back to the demo key, and a kiosk in real mode with a
demo or placeholder key does not serve (out-of-service panel, doctor line)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.flow import Step
from kiosk.service_health import ProblemKind
from kiosk.verification import is_demo_key, key_problem, make_code, serves_for_real, signing_key_problem
from kiosk_driving import Driver

REPO = Path(__file__).resolve().parent.parent
DEMO_KEY = load_config(DEFAULT_CONFIG)["verification.hmac_key"]
HALL_KEY = "9b1f0e7c5a3d28e4c6b0a9f1d7e35c2b8a4f6d0e1c9b7a5f3e2d1c0b9a8f7e6d"
PLACEHOLDER = "REPLACE-WITH-THE-HALL-SECRET"  # config/kiosk.toml's


def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60, cwd=REPO)


def config_with_key(tmp_path: Path, key: str) -> Path:
    path = tmp_path / "hall.toml"
    path.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace(DEMO_KEY, key), encoding="utf-8")
    return path


def a_code(key: str) -> str:
    return make_code(key, "(2026)鲁税证 00099999", "370102199002140625", "赵敏", 99_999_900)


@pytest.mark.parametrize(
    "key",
    [
        DEMO_KEY,
        "0f4c2a9e7b1d4e8a9c3f5b7d2e6a8c10",  # the demo key without its prefix: still public
        "REPLACE-WITH-THE-HALL-SECRET",
        "change-me-please-0123456789abcdef",
        " ",
        "0123456789abcdef",  # 16 characters: too short
        "ab" * 20,  # long, but two characters over and over
    ],
)
def test_public_placeholder_and_weak_keys_are_named(key: str) -> None:
    assert key_problem(key) is not None


def test_a_hall_key_passes_and_the_demo_key_is_known_as_such() -> None:
    assert key_problem(HALL_KEY) is None
    assert is_demo_key(DEMO_KEY) and not is_demo_key(HALL_KEY) and not is_demo_key(PLACEHOLDER)


def test_an_empty_key_is_no_key_the_kiosk_needs(tmp_path: Path) -> None:
    """The fee system signs the codes (issue 20 §2): the old HMAC key is kept only to check version-1 codes, so a
    hall without one loads, and a real kiosk without one serves."""
    config = load_config(config_with_key(tmp_path, ""))
    assert config["verification.hmac_key"] == ""
    assert signing_key_problem(real_mode(config)) is None


def test_verify_without_a_configuration_refuses_in_one_line_instead_of_using_the_demo_key() -> None:
    forged = a_code(DEMO_KEY)  # anybody can make this: the demo key is in the repository
    result = kiosk("verify", forged)
    assert result.returncode == 3
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["error"] == "no_key"
    assert "genuine" not in result.stdout and "Traceback" not in result.stderr


@pytest.mark.parametrize("key", ["REPLACE-WITH-THE-HALL-SECRET", "short-key"])
def test_verify_refuses_a_placeholder_or_short_key(tmp_path: Path, key: str) -> None:
    result = kiosk("verify", a_code(key), "--config", str(config_with_key(tmp_path, key)))
    assert result.returncode == 3
    answer = json.loads(result.stdout)
    assert answer["error"] == "no_key" and "genuine" not in answer


def test_verify_with_the_named_demo_configuration_says_the_key_is_the_demo_one() -> None:
    result = kiosk("verify", a_code(DEMO_KEY), "--config", str(DEFAULT_CONFIG))
    assert result.returncode == 0
    answer = json.loads(result.stdout)
    assert answer["genuine"] is True and answer["demo_key"] is True and "不能证明真伪" in answer["warning"]


def test_verify_with_a_hall_key(tmp_path: Path) -> None:
    config = str(config_with_key(tmp_path, HALL_KEY))
    genuine = kiosk("verify", a_code(HALL_KEY), "--config", config)
    assert genuine.returncode == 0 and "demo_key" not in json.loads(genuine.stdout)
    forged = kiosk("verify", a_code(DEMO_KEY), "--config", config)
    assert forged.returncode == 1 and json.loads(forged.stdout)["genuine"] is False


def real_mode(config):
    """The simulated configuration as a hall's would be: every part real, the bureau's fee system over http."""
    from kiosk.simulated import SIMULATED_PARTS

    return config.with_overrides(
        {f"{part}.mode": "real" for part in SIMULATED_PARTS}
        | {"fee_system.kind": "http", "fee_system.url": "https://fee.example:8443"}
    )


def test_real_mode_is_every_part_real_and_the_bureaus_fee_system() -> None:
    simulated = load_config(DEFAULT_CONFIG)
    assert not serves_for_real(simulated) and signing_key_problem(simulated) is None  # the demo is fine on a demo
    real = real_mode(simulated)
    assert serves_for_real(real)
    assert not serves_for_real(real.with_overrides({"fee_system.kind": "embedded"}))
    assert not serves_for_real(real.with_overrides({"devices.receipt_printer.mode": "simulated"}))
    for key in (DEMO_KEY, PLACEHOLDER, "too-short"):
        assert signing_key_problem(real.with_overrides({"verification.hmac_key": key})) is not None
    assert signing_key_problem(real.with_overrides({"verification.hmac_key": HALL_KEY})) is None


def test_doctor_fails_a_real_kiosk_with_the_demo_key_and_warns_on_the_simulator() -> None:
    from kiosk.cli.doctor import check_secrets

    simulated = load_config(DEFAULT_CONFIG)
    assert check_secrets(simulated)[0] == "warn"
    status, detail = check_secrets(real_mode(simulated))
    assert status == "fail" and "out of service" in detail and "demo key" in detail
    assert check_secrets(real_mode(simulated).with_overrides({"verification.hmac_key": HALL_KEY}))[0] == "ok"


def test_a_real_kiosk_with_a_placeholder_key_starts_out_of_service(make_kiosk, qtbot, monkeypatch) -> None:
    """Start-up reports SIGNING_KEY and Home shows the out-of-service panel. Real mode needs real devices, so the
    kiosk here runs on the simulators and only the mode test says 'real'."""
    import kiosk.verification

    monkeypatch.setattr(kiosk.verification, "serves_for_real", lambda config: True)
    started = make_kiosk(**{"verification.hmac_key": PLACEHOLDER})
    assert started.ctx.health.has(ProblemKind.SIGNING_KEY)
    (problem,) = [p for p in started.ctx.health.problems() if p.kind is ProblemKind.SIGNING_KEY]
    assert "placeholder" in problem.detail and PLACEHOLDER not in problem.detail  # the key itself is not logged
    driver = Driver(started, qtbot)
    driver.wait_for(Step.HOME)
    driver.wait_for_text("暂停服务")
    assert driver.named_button("resident") is None and driver.named_button("flexible") is None


def test_a_simulated_kiosk_with_the_demo_key_serves(make_kiosk) -> None:
    started = make_kiosk()
    assert not started.ctx.health.has(ProblemKind.SIGNING_KEY)
