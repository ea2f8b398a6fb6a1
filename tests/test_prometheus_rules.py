"""The shipped alert rules, checked and unit-tested by Prometheus's own promtool (packaging/prometheus/)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

RULES_DIR = Path(__file__).resolve().parent.parent / "packaging" / "prometheus"
RULES = RULES_DIR / "sifee-kiosk.rules.yml"
PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"
# What issue 24 asks an alert for, by the rule that answers it.
REQUIRED = {
    "KioskReceiptPaperLow",
    "KioskPaperOut",
    "KioskDeviceOffline",
    "KioskPaymentFlagged",
    "KioskPaymentUnfinished",
    "KioskReconciliationDifferences",
    "KioskFeeSystemUnreachable",
    "KioskBankHostUnreachable",
    "KioskWatchdogRestarts",
    "KioskDown",
}


def promtool(*args: str) -> subprocess.CompletedProcess:
    if not Path(PROMTOOL).exists():
        pytest.fail("promtool is not installed: bash scripts/setup.sh installs Debian's prometheus")
    return subprocess.run([PROMTOOL, *args], cwd=RULES_DIR, capture_output=True, text=True, timeout=60)


def rules() -> list[dict]:
    return [rule for group in yaml.safe_load(RULES.read_text(encoding="utf-8"))["groups"] for rule in group["rules"]]


def test_rules_pass_promtool_check():
    result = promtool("check", "rules", RULES.name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(REQUIRED)} rules found" in result.stdout


def test_every_rule_has_a_chinese_summary_a_terminal_label_and_a_unit_test():
    names = {rule["alert"] for rule in rules()}
    assert names == REQUIRED
    for rule in rules():
        assert rule["labels"]["terminal"] == "{{ $labels.terminal }}", rule["alert"]
        summary = rule["annotations"]["summary"]
        assert any("\u4e00" <= char <= "\u9fff" for char in summary), rule["alert"]
    tests = yaml.safe_load((RULES_DIR / "tests.yml").read_text(encoding="utf-8"))["tests"]
    tested = {case["alertname"] for test in tests for case in test["alert_rule_test"] if case["exp_alerts"]}
    assert tested == REQUIRED


def test_promtool_unit_tests_pass():
    result = promtool("test", "rules", "tests.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout
