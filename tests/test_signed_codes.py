"""Verification codes the bureau signs (issue 20 §2): the fee system signs when it numbers a document, the kiosk
holds no signing key and checks with the public key alone, old v1 (HMAC) codes still verify where their key is
kept, every changed character fails, and the code stays short enough for a receipt's QR code."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CONFIG_DIR, NOW
from feehttp_fixtures import RESIDENT, pay_resident_pension
from kiosk.certificates import CertificateContext, CertificateService
from kiosk.config import DEFAULT_CONFIG, load_config
from kiosk.domain.periods import Period
from kiosk.feesystem.api import CertificateKind, InvalidRequest, UnknownRecord
from kiosk.receipts import ReceiptParties, ReceiptService
from kiosk.verification import (
    DEMO_PUBLIC_KEY,
    DocumentKind,
    MalformedCodeError,
    PublicKey,
    SignatureAlgorithm,
    configured_public_keys,
    make_code,
    normalize_code,
    verification_url,
    verify_any,
    verify_signed_code,
)
from parties.feesystem.embedded import EmbeddedFeeSystem
from parties.feesystem.public_pages import PublicPages, RateLimit
from parties.feesystem.signing import BureauSigner, DownloadTokens

HISTORY = "370102199002140625"  # 赵敏
PAGE = "https://fee.example"
OLD_KEY = "9b1f0e7c5a3d28e4c6b0a9f1d7e35c2b8a4f6d0e1c9b7a5f3e2d1c0b9a8f7e6d"


@pytest.fixture
def signer() -> BureauSigner:
    return BureauSigner.generate()


@pytest.fixture
def bureau(signer, clock):
    system = EmbeddedFeeSystem(
        ":memory:",
        CONFIG_DIR / "policy.toml",
        CONFIG_DIR / "demo_people.toml",
        clock=clock,
        signer=signer,
        old_hmac_key=OLD_KEY,
    )
    yield system
    system.close()


def tax_issue(system):
    records = system.payment_records(HISTORY, Period.year(2025))
    return system.issue_certificate(CertificateKind.TAX, HISTORY, tuple(r.payment_no for r in records)), records


def test_the_fee_system_signs_a_certificate_when_it_numbers_it(bureau, signer) -> None:
    issue, records = tax_issue(bureau)
    document = verify_signed_code([signer.public_key], issue.verification_code)  # the public key alone
    assert document is not None and document.kind is DocumentKind.TAX and document.number == issue.number
    assert document.masked_name == "赵*" and document.total_fen == sum(r.amount_fen for r in records)
    assert document.issued_on == NOW.date() and document.version == 2
    # The same records again (a reprint) and the list of issued certificates carry the same code.
    again, _ = tax_issue(bureau)
    assert again.verification_code == issue.verification_code
    assert bureau.issued_certificates(HISTORY)[0].verification_code == issue.verification_code
    # Another bureau's key (or the demo key) does not make it genuine.
    assert verify_signed_code([BureauSigner.generate().public_key], issue.verification_code) is None


def test_a_receipt_code_comes_with_the_posted_payment(bureau, signer) -> None:
    record = pay_resident_pension(bureau, "signed-receipt-1")
    document = verify_signed_code([signer.public_key], record.verification_code)
    assert document is not None and document.kind is DocumentKind.RECEIPT
    assert (document.number, document.masked_name) == (record.payment_no, "李*英")
    assert document.total_fen == record.amount_fen
    assert bureau.find_payment("signed-receipt-1").verification_code == record.verification_code
    assert bureau.verify_document_code(record.verification_code).kind == "receipt"


def test_every_changed_character_fails(bureau, signer) -> None:
    issue, _ = tax_issue(bureau)
    compact = normalize_code(issue.verification_code)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    for position, original in enumerate(compact):
        for replacement in alphabet:
            if replacement == original:
                continue
            changed = compact[:position] + replacement + compact[position + 1 :]
            with contextlib.suppress(MalformedCodeError):  # a length or spelling base32 never makes
                assert verify_signed_code([signer.public_key], changed) is None, (position, replacement)


def test_old_hmac_codes_still_verify_where_the_old_key_is_kept(bureau, signer) -> None:
    issue, _ = tax_issue(bureau)
    old = make_code(OLD_KEY, issue.number, HISTORY, "赵敏", issue.total_fen)
    assert verify_any(old, [signer.public_key], OLD_KEY).number == issue.number
    assert verify_any(old, [signer.public_key], None) is None  # no old key kept: it cannot be checked
    assert bureau.verify_document_code(old) is not None
    assert bureau.verify_document_code(make_code("another-key", issue.number, HISTORY, "赵敏", 1)) is None


def test_the_algorithm_is_a_named_choice_and_keys_parse() -> None:
    assert SignatureAlgorithm.named("ed25519") is SignatureAlgorithm.ED25519
    with pytest.raises(ValueError, match="unknown signature algorithm"):
        SignatureAlgorithm.named("sm2")  # to be added when the bureau asks for 国密
    key = PublicKey.parse(DEMO_PUBLIC_KEY)
    assert str(key) == DEMO_PUBLIC_KEY and key == BureauSigner.demo().public_key  # the simulator's demo key
    for bad in ("ed25519:AAAA", "rsa:AAAA", "ed25519:not base64!"):
        with pytest.raises(ValueError):
            PublicKey.parse(bad)


def test_the_kiosk_needs_no_signing_key(bureau, signer) -> None:
    """Receipts and certificates print the fee system's code; their QR is the public page's URL."""
    record = pay_resident_pension(bureau, "signed-receipt-2")
    receipts = ReceiptService(None, "测试办税服务厅", "SD370102-ZZ01", PAGE, 80)
    document = receipts.document(record, ReceiptParties("李秀英", RESIDENT), "J1", NOW)
    assert document.qr_payload == verification_url(PAGE, record.verification_code)
    assert document.qr_caption == f"验证码 {record.verification_code}"
    context = CertificateContext(PAGE, "国家税务总局济南市历下区税务局", "T-01", NOW.date())
    service = CertificateService(bureau, lambda: context)
    records = bureau.payment_records(HISTORY, Period.year(2025))
    prepared = service.rendered(service.prepare(CertificateKind.PAYMENT_SUMMARY, "赵敏", HISTORY, records))
    assert prepared.document.verification_url == verification_url(PAGE, prepared.issue.verification_code)
    assert prepared.pdf.startswith(b"%PDF-") and prepared.download_url.startswith(PAGE + "/documents/(2026)")
    pdf, problem = bureau.certificates.copy(prepared.issue.number, prepared.download_url.rsplit("t=", 1)[1])
    assert problem is None and pdf == prepared.pdf  # the fee system keeps the bytes the kiosk shows and prints


def test_the_code_is_short_enough_for_a_receipt_qr(bureau) -> None:
    """Measured: a 完税证明's code is 170 base32 characters (102 bytes: 38 of payload, 64 of signature), a receipt's
    157; the page URL QR is version 8 (49 modules) in mixed modes and at most version 10 (57 modules) when a
    printer encodes it all as bytes: 57 × 6 dots = 342 dots = 43 mm at 203 dpi on 80 mm paper, 0.75 mm modules."""
    import qrcode
    from qrcode.util import MODE_8BIT_BYTE, QRData

    issue, _ = tax_issue(bureau)
    record = pay_resident_pension(bureau, "signed-receipt-3")
    assert len(normalize_code(issue.verification_code)) <= 172 and len(normalize_code(record.verification_code)) <= 160
    for code in (issue.verification_code, record.verification_code):
        url = verification_url("http://127.0.0.1:8765", code)
        code_qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
        code_qr.add_data(QRData(url.encode("ascii"), mode=MODE_8BIT_BYTE))
        code_qr.make(fit=True)
        assert code_qr.version <= 10
        assert (17 + 4 * code_qr.version) * 6 <= 576  # 6 dots a module fit the 80 mm printer's 576 dots


def test_keep_copy_refuses_what_is_not_a_pdf_of_an_issued_certificate(bureau) -> None:
    issue, _ = tax_issue(bureau)
    with pytest.raises(InvalidRequest):
        bureau.keep_document_copy(issue.number, base64.b64encode(b"<html>").decode())
    with pytest.raises(InvalidRequest):
        bureau.keep_document_copy(issue.number, "not base64!")
    with pytest.raises(UnknownRecord):
        bureau.keep_document_copy("(2026)鲁税证 99999999", base64.b64encode(b"%PDF-1.4").decode())


def test_download_tokens_are_tied_to_the_number_and_bytes_and_expire() -> None:
    now = [NOW]
    tokens = DownloadTokens(b"k" * 32, lambda: now[0], dt.timedelta(minutes=30))
    token = tokens.issue("N1", b"d" * 32)
    assert len(token) == 26 and tokens.check(token, "N1", b"d" * 32) is None
    assert tokens.check(token, "N2", b"d" * 32) == "wrong" and tokens.check(token, "N1", b"e" * 32) == "wrong"
    assert tokens.check("!!", "N1", b"d" * 32) == "wrong"
    now[0] = NOW + dt.timedelta(minutes=29)
    assert tokens.check(token, "N1", b"d" * 32) is None
    now[0] = NOW + dt.timedelta(minutes=32)
    assert tokens.check(token, "N1", b"d" * 32) == "expired"


def test_verify_is_rate_limited_per_client_address(bureau) -> None:
    issue, _ = tax_issue(bureau)
    moment = [0.0]
    pages = PublicPages(bureau.certificates, RateLimit(per_minute=5, clock=lambda: moment[0]))
    target = "/verify/" + normalize_code(issue.verification_code)
    assert [pages.answer(target, "10.0.0.1").status for _ in range(6)] == [200] * 5 + [429]
    assert pages.answer(target, "10.0.0.2").status == 200  # another address has its own allowance
    moment[0] = 12.0  # one more request a 12 s
    assert pages.answer(target, "10.0.0.1").status == 200
    page = pages.answer(target, "10.0.0.1")
    assert page.status == 429 and "请一分钟后再试" in page.body.decode() and page.headers["Retry-After"] == "60"


def kiosk_verify(code: str, config: Path) -> subprocess.CompletedProcess[str]:
    run = "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", run, "verify", code, "--config", str(config)], capture_output=True, text=True, timeout=60
    )


def test_kiosk_verify_works_with_no_secret_key_configured(tmp_path: Path, bureau, signer) -> None:
    issue, _ = tax_issue(bureau)
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    hmac_line = next(line for line in text.splitlines() if line.startswith("hmac_key"))
    key_line = next(line for line in text.splitlines() if line.startswith("public_key"))
    (tmp_path / "bureau.pub").write_text(str(signer.public_key) + "\n", encoding="utf-8")
    config = tmp_path / "office.toml"
    config.write_text(
        text.replace(hmac_line, 'hmac_key = ""').replace(key_line, 'public_key_file = "bureau.pub"'), encoding="utf-8"
    )
    loaded = load_config(config)
    assert loaded["verification.hmac_key"] == "" and configured_public_keys(loaded) == [signer.public_key]
    genuine = kiosk_verify(issue.verification_code, config)
    assert genuine.returncode == 0, genuine.stdout + genuine.stderr
    shown = json.loads(genuine.stdout)
    assert shown["genuine"] is True and shown["number"] == issue.number and shown["kind"] == "tax"
    assert shown["issued_on"] == NOW.date().isoformat() and "demo_key" not in shown
    compact = normalize_code(issue.verification_code)
    tampered = compact[:40] + ("A" if compact[40] != "A" else "B") + compact[41:]
    assert kiosk_verify(tampered, config).returncode == 1
    old = kiosk_verify(make_code(OLD_KEY, issue.number, HISTORY, "赵敏", issue.total_fen), config)
    assert old.returncode == 3 and json.loads(old.stdout)["error"] == "no_key"  # a v1 code needs the old key


def test_new_key_makes_the_bureau_key_file_and_prints_its_public_key(tmp_path: Path, clock) -> None:
    out = tmp_path / "bureau-signing-key.pem"
    command = [sys.executable, "-m", "parties.feesystem.signing", "new-key", "--out", str(out)]
    made = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    public = PublicKey.parse(made.stdout.strip())
    assert out.stat().st_mode & 0o777 == 0o600 and public.algorithm is SignatureAlgorithm.ED25519
    assert str(public) != DEMO_PUBLIC_KEY
    # The simulator with that file in its state directory signs with it: codes verify with the printed key only.
    signer = BureauSigner.for_state(tmp_path)
    assert signer.public_key == public
    system = EmbeddedFeeSystem(
        ":memory:", CONFIG_DIR / "policy.toml", CONFIG_DIR / "demo_people.toml", clock=clock, signer=signer
    )
    with contextlib.closing(system):
        issue, _ = tax_issue(system)
    assert verify_signed_code([public], issue.verification_code) is not None
    assert verify_signed_code([BureauSigner.demo().public_key], issue.verification_code) is None
    before = out.read_bytes()
    again = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "never overwritten" in again.stderr and again.stdout == ""
    assert out.read_bytes() == before
