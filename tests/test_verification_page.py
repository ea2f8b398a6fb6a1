"""The bureau's public pages in a real browser (issue 20 §3): Debian's headless Chromium, driven by Selenium, opens
the verification page of a genuine receipt and certificate, a tampered code, the electronic copy's download and an
expired link, from the fee-system simulator served on loopback."""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from browser_fixtures import page_text
from conftest import CONFIG_DIR, NOW
from feehttp_fixtures import RESIDENT, own_key, pay_resident_pension
from kiosk.certificates import download_url
from kiosk.domain.periods import Period
from kiosk.feesystem.api import CertificateKind, UnknownRecord
from kiosk.receipts import ReceiptParties
from kiosk.verification import verification_url
from parties.feesystem.embedded import EmbeddedFeeSystem
from parties.feesystem.http_server import FeeSystemHttpServer
from parties.feesystem.public_pages import PublicPages, RateLimit

pytest_plugins = ["browser_fixtures"]

HISTORY = "370102199002140625"  # 赵敏, with a seeded payment history


class MovableClock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[EmbeddedFeeSystem, FeeSystemHttpServer, MovableClock]]:
    clock = MovableClock()
    system = EmbeddedFeeSystem(":memory:", CONFIG_DIR / "policy.toml", CONFIG_DIR / "demo_people.toml", clock=clock)
    pages = PublicPages(system.certificates, RateLimit(per_minute=600))
    with FeeSystemHttpServer(system, controls=True, public_pages=pages) as server:
        yield system, server, clock
    system.close()


@pytest.fixture
def certificate(world):
    system, _, _ = world
    records = system.payment_records(HISTORY, Period.year(2025))
    return system.issue_certificate(CertificateKind.TAX, HISTORY, tuple(r.payment_no for r in records))


def a_pdf(marker: str) -> bytes:
    """A small real PDF (reportlab), different per marker."""
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, invariant=1)
    page.drawString(72, 720, marker)
    page.save()
    return out.getvalue()


def test_a_genuine_receipt_says_genuine_with_its_facts(browser, world) -> None:
    system, server, _ = world
    record = pay_resident_pension(system, own_key("page-receipt-1"))
    browser.get(verification_url(server.url, record.verification_code))
    text = page_text(browser)
    assert "核验通过：真实有效" in text and "社会保险费缴费小票" in text
    assert record.payment_no in text and "李*英" in text
    assert "¥" in text and "人民币" in text and "2026年11月27日" in text and "未补打" in text
    source = browser.page_source
    assert RESIDENT not in source and "李秀英" not in source  # nothing personal beyond the masked name
    assert "<script" not in source.lower()
    assert browser.execute_script("return document.querySelector('meta[name=viewport]') !== null")


def test_a_genuine_certificate_shows_its_kind_and_print_count(browser, world, certificate) -> None:
    system, server, _ = world
    system.record_certificate_print(certificate.number)
    system.record_certificate_print(certificate.number)  # 补打 once
    browser.get(verification_url(server.url, certificate.verification_code))
    text = page_text(browser)
    assert "核验通过：真实有效" in text and "税收完税证明" in text and certificate.number in text
    assert "赵*" in text and "已打印 2 次（含补打 1 次）" in text
    assert HISTORY not in browser.page_source and "赵敏" not in browser.page_source


def test_a_receipts_reprints_are_counted_and_shown(browser, world) -> None:
    system, server, _ = world
    record = system.payment_records(HISTORY, Period.year(2025))[-1]  # a seeded payment's receipt
    assert [system.record_receipt_reprint(record.payment_no) for _ in range(2)] == [1, 2]
    assert system.check_document(record.payment_no).printed == 3  # the first print with the payment, two 补打
    browser.get(verification_url(server.url, record.verification_code))
    text = page_text(browser)
    assert "核验通过：真实有效" in text and "已补打 2 次" in text and "未补打" not in text
    with pytest.raises(UnknownRecord):
        system.record_receipt_reprint("no-such-payment")


def test_the_kiosks_reprint_from_query_is_counted_by_the_fee_system(make_kiosk) -> None:
    """ReceiptService.reprint (Query's 补打) tells the fee system, as the composition root connects it."""
    kiosk = make_kiosk()
    record = pay_resident_pension(kiosk.ctx.fee_system, own_key("kiosk-reprint"))
    parties = ReceiptParties(payer_name="李秀英", payer_id=RESIDENT)
    kiosk.ctx.receipts.reprint(record, parties, None, kiosk.ctx.clock())
    assert kiosk.ctx.fee_system.check_document(record.payment_no).printed == 2


def test_a_tampered_code_says_not_genuine(browser, world, certificate) -> None:
    _, server, _ = world
    code = certificate.verification_code.replace("-", "")
    position = len(code) // 2
    tampered = code[:position] + ("B" if code[position] == "A" else "A") + code[position + 1 :]
    browser.get(verification_url(server.url, tampered))
    text = page_text(browser)
    assert "核验未通过" in text and "核验通过：真实有效" not in text
    assert certificate.number not in text


def test_the_electronic_copy_downloads_byte_for_byte(browser, world, certificate) -> None:
    import base64

    system, server, _ = world
    pdf = a_pdf("copy-1")
    token = system.keep_document_copy(certificate.number, base64.b64encode(pdf).decode("ascii"))
    url = download_url(server.url, certificate.number, token)
    browser.get(url)
    # Fetched again from the browser's own session (same origin as the PDF it shows): type and bytes.
    fetched = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch(arguments[0]).then(async (answer) => {
            const bytes = new Uint8Array(await answer.arrayBuffer());
            let binary = "";
            for (const byte of bytes) binary += String.fromCharCode(byte);
            done({status: answer.status, type: answer.headers.get("content-type"), body: btoa(binary)});
        }).catch((error) => done({error: String(error)}));
        """,
        url,
    )
    assert fetched.get("error") is None, fetched
    assert fetched["status"] == 200 and fetched["type"] == "application/pdf"
    assert base64.b64decode(fetched["body"]) == pdf


def test_an_expired_or_wrong_token_gets_a_page_in_words(browser, world, certificate) -> None:
    import base64

    system, server, clock = world
    token = system.keep_document_copy(certificate.number, base64.b64encode(a_pdf("copy-2")).decode("ascii"))
    url = download_url(server.url, certificate.number, token)
    try:
        clock.now = NOW + dt.timedelta(minutes=31)
        browser.get(url)
        assert "下载链接已过期" in page_text(browser)
        with pytest.raises(urllib.error.HTTPError) as expired:
            urllib.request.urlopen(url, timeout=5)
        assert expired.value.code == 410 and "text/html" in expired.value.headers["Content-Type"]
    finally:
        clock.now = NOW
    wrong = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    browser.get(download_url(server.url, certificate.number, wrong))
    assert "下载链接无效" in page_text(browser)
    # A new copy (a reprint) replaces the old one: the old link, tied to the old bytes, no longer fetches it.
    system.keep_document_copy(certificate.number, base64.b64encode(a_pdf("copy-3")).decode("ascii"))
    browser.get(url)
    assert "下载链接无效" in page_text(browser)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/verify/NOT-A-CODE-0189", 400),
        ("/verify/AAAA", 400),  # the alphabet, but far too short to be a code
        ("/verify/", 400),
        ("/verify/" + "A" * 2000, 400),
        ("/verify/../../etc/passwd", 400),
        ("/verify/%2e%2e%2fetc", 400),
        ("/documents/..%2F..%2Fetc%2Fpasswd.pdf?t=AAAA", 400),
        ("/documents/(2026)%E9%B2%81%E7%A8%8E%E8%AF%81%2099999999.pdf?t=AAAAAAAA", 404),
        ("/documents/whatever.txt", 404),
        ("/documents/(2026)x.pdf", 400),
        ("/documents/(2026)x.pdf?t=AAAA&t=BBBB", 400),
        ("/verify/AAAA?" + "x=1&" * 400, 400),
    ],
)
def test_bad_input_gets_a_page_with_400_or_404(world, path: str, status: int) -> None:
    _, server, _ = world
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server.url + path, timeout=5)
    assert refused.value.code == status
    assert refused.value.headers["Content-Type"] == "text/html; charset=utf-8"
    body = refused.value.read().decode("utf-8")
    assert "<html" in body and "Traceback" not in body
