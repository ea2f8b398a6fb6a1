"""`kiosk verify CODE` and `kiosk cert sample` as subprocesses: output, exit codes, the sample PDFs."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cert_fixtures import decode_qr, figures_to_fen, page_count, pdf_text
from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.domain.money import fen_to_chinese_uppercase
from kiosk.verification import make_code, verification_url


def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)


def demo_key() -> str:
    return load_config(DEFAULT_CONFIG)["verification.hmac_key"]


def test_verify_a_genuine_code() -> None:
    code = make_code(demo_key(), "(2026)鲁税证 00012345", "370102199002140625", "赵敏", 140950)
    result = kiosk("verify", code, "--config", str(DEFAULT_CONFIG))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["genuine"] is True
    assert out["number"] == "(2026)鲁税证 00012345"
    assert out["masked_name"] == "赵*"
    assert out["total"] == "¥1,409.50" and out["total_uppercase"] == "人民币壹仟肆佰零玖元伍角"


def test_verify_refuses_a_tampered_code() -> None:
    code = make_code(demo_key(), "(2026)鲁税证 00012345", "370102199002140625", "赵敏", 140950)
    tampered = code[:5] + ("B" if code[5] == "A" else "A") + code[6:]
    result = kiosk("verify", tampered, "--config", str(DEFAULT_CONFIG))
    assert result.returncode != 0
    assert json.loads(result.stdout)["genuine"] is False


def test_verify_refuses_garbage_and_a_code_of_another_key(tmp_path: Path) -> None:
    assert kiosk("verify", "not-a-code!").returncode != 0
    other = tmp_path / "other.toml"
    other.write_text(DEFAULT_CONFIG.read_text().replace(demo_key(), "another-hall-key"))
    code = make_code(demo_key(), "N1", "370102199002140625", "赵敏", 1)
    assert kiosk("verify", code, "--config", str(other)).returncode != 0
    assert kiosk("verify", code, "--config", str(DEFAULT_CONFIG)).returncode == 0


def test_verify_with_a_missing_config_fails() -> None:
    result = kiosk("verify", "AAAA", "--config", "/nonexistent.toml")
    assert result.returncode != 0 and "nonexistent" in result.stdout


@pytest.mark.parametrize("kind", ["tax", "payment-summary", "payment-detail"])
def test_cert_sample_renders_a_watermarked_certificate_that_verifies(tmp_path: Path, kind: str) -> None:
    output = tmp_path / f"{kind}.pdf"
    result = kiosk("cert", "sample", "--kind", kind, "--output", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    out = json.loads(result.stdout)
    assert "样张" in out["number"]
    text = pdf_text(output)
    assert "样张" in text and "赵敏" in text and "370102199002140625" in text
    # 赵敏's flexible pension and medical of the two years before this one (2024-2025 in 2026), from the simulator's
    # records, seeded as of today.
    assert "企业职工基本养老保险费（灵活就业）" in text and "职工基本医疗保险费（灵活就业）" in text
    this_year = dt.date.today().year
    assert str(this_year - 2) in text and str(this_year - 1) in text
    pages = page_count(output)
    urls = decode_qr(output, pages)  # the QR is the bureau's verification page for the code
    assert urls == [verification_url(load_config(DEFAULT_CONFIG)["verification.page_url"], out["verification_code"])]
    verified = kiosk("verify", out["verification_code"], "--config", str(DEFAULT_CONFIG))  # the demo public key
    assert verified.returncode == 0, verified.stdout
    shown = json.loads(verified.stdout)
    assert shown["masked_name"] == "赵*" and "样张" in shown["number"] and shown["demo_key"] is True
    assert shown["version"] == 2 and shown["kind"] == kind.replace("-", "_")
    assert f"{shown['total']}" in text
    assert fen_to_chinese_uppercase(figures_to_fen(shown["total"]), prefix=True) in text


def test_cert_sample_needs_a_known_kind(tmp_path: Path) -> None:
    result = kiosk("cert", "sample", "--kind", "receipt", "--output", str(tmp_path / "x.pdf"))
    assert result.returncode != 0
    assert not (tmp_path / "x.pdf").exists()
