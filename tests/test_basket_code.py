"""The basket's own verification code (issue 22): the fee system signs one code for a paid basket over the lines it
posted (a refunded line excluded); the one receipt's QR carries it, `kiosk verify`'s check and the public page read
it as the basket kind; the gateway refuses another terminal's basket; recovery gets the code of a basket stopped
after its postings."""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit

import pytest

from conftest import NOW, TERMINAL
from feehttp_fixtures import OTHER_TERMINAL, own_key
from kiosk.basket_receipt import basket_document
from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import NotAllowed, Quote, Unavailable
from kiosk.payments import crashpoint
from kiosk.payments.basket_journal import BasketJournal
from kiosk.payments.basket_payments import BasketPayments
from kiosk.payments.journal import Journal, PaymentState
from kiosk.payments.recovery import Recovery
from kiosk.receipts import ReceiptService
from kiosk.verification import DocumentKind, verify_signed_code
from parties.feesystem.public_pages import PublicPages

pytest_plugins = ["feehttp_fixtures"]
PAYER = "370102197503083519"  # 王志刚, household HH370102000001 (config/demo_people.toml)
PAGE_URL = "https://verify.example/"


def dues(fee_system) -> list[Quote]:
    """The household's three lines: the spouse's pension and medical, the mother's medical."""
    return [due.quote for due in fee_system.household_dues(PAYER, NOW.date())]


def open_paid(fee_system, journal, quotes: list[Quote]):
    payments = BasketPayments(journal, fee_system)
    quote = fee_system.quote_basket(PAYER, tuple(q.quote_id for q in quotes))
    opened = payments.open_qr(quote, PayMethod.AGGREGATED)
    fee_system.simulate_qr_payment(opened.order.order_no, "unionpay")
    return payments, opened


def pay_elsewhere(fee_system, clock, quote: Quote) -> None:
    """The same period paid meanwhile at another kiosk (a fresh quote, a basket of one)."""
    assert quote.grade is not None
    fresh = fee_system.quote_resident(quote.id_number, quote.item, quote.period.start.year, quote.grade.code)
    payments, opened = open_paid(fee_system, Journal(":memory:", "T-OTHER", clock=clock), [fresh])
    payments.settle_paid(opened.basket)


def test_the_receipt_qr_carries_the_basket_code_signed_over_the_lines_posted(fee_system, journal, clock):
    quotes = dues(fee_system)
    payments, opened = open_paid(fee_system, journal, quotes)
    pay_elsewhere(fee_system, clock, quotes[2])  # the mother's medical: refunded alone at settling
    outcome = payments.settle_paid(opened.basket)
    assert [r.line_no for r in outcome.refunded] == [3]
    posted_fen = quotes[0].amount_fen + quotes[1].amount_fen
    assert outcome.paid_fen == posted_fen

    document = basket_document(
        ReceiptService(None, "测试办税服务厅", TERMINAL, PAGE_URL, 80), outcome, "王志刚", {}, NOW
    )
    assert document.qr_payload is not None
    url = urlsplit(document.qr_payload)
    assert (url.netloc, url.path.rsplit("/", 1)[0]) == ("verify.example", "/verify")
    code = url.path.rsplit("/", 1)[1]
    assert document.qr_caption == f"验证码 {outcome.verification_code}"
    # Each line keeps its own code as a row; the QR's is none of them.
    line_codes = [value for label, value in document.rows if label == "验证码"]
    assert len(line_codes) == 2 and outcome.verification_code not in line_codes

    verified = verify_signed_code([fee_system.certificates.signer.public_key], code)
    assert verified is not None
    assert (verified.kind, verified.number, verified.masked_name, verified.total_fen, verified.issued_on) == (
        DocumentKind.BASKET,
        opened.basket.basket_id,
        "王*刚",
        posted_fen,
        NOW.date(),
    )
    # Journaled with the posted basket (a reprint prints the same), and asked again: the same code.
    assert BasketJournal(journal).get(opened.basket.basket_no).verification_code == outcome.verification_code
    again = fee_system.seal_basket(opened.basket.idempotency_key, opened.basket.basket_id)
    assert (again.verification_code, again.lines, again.total_fen) == (outcome.verification_code, 2, posted_fen)

    # The public page names the basket, its payer masked, its lines; one changed character is refused.
    pages = PublicPages(fee_system.certificates)
    page = pages.answer(f"/verify/{code}", "10.0.0.1").body.decode()
    assert "核验通过" in page and "家庭缴费凭证" in page and "王*刚" in page and "2 项" in page
    forged = code[:10] + ("A" if code[10] != "A" else "B") + code[11:]
    assert "核验未通过" in pages.answer(f"/verify/{forged}", "10.0.0.1").body.decode()
    assert verify_signed_code([fee_system.certificates.signer.public_key], forged) is None


def test_the_gateway_refuses_the_basket_of_another_terminal(client, fee_system, clock):
    quote = fee_system.quote_basket(PAYER, tuple(q.quote_id for q in dues(fee_system)[:1]))
    theirs = f"kiosk-{OTHER_TERMINAL}-20261127100000-ABCDEF"
    order = fee_system.open_basket_qr_order(theirs, quote.basket_id, PayMethod.ALIPAY)
    paid = fee_system.simulate_qr_payment(order.order_no, "alipay")
    fee_system.post_basket_line(f"{theirs}-L1", quote.basket_id, 1, PayMethod.ALIPAY, paid.channel_txn or "")
    with pytest.raises(NotAllowed):  # under our own key: not the key the basket was paid under
        client.seal_basket(own_key("not ours"), quote.basket_id)
    with pytest.raises(NotAllowed):  # under their key: refused by the gateway before the fee system sees it
        client.seal_basket(theirs, quote.basket_id)
    assert fee_system.seal_basket(theirs, quote.basket_id).total_fen == quote.total_fen  # theirs to ask


class SealDown:
    """The fee system, away for the basket's seal alone (the postings went through)."""

    def __init__(self, inner) -> None:
        self.inner = inner

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def seal_basket(self, idempotency_key: str, basket_id: str):
        raise Unavailable("injected: seal_basket unavailable")


class Killed(BaseException):
    """The process stops at a journal commit (in-process stand-in for SIGKILL)."""


def test_recovery_gets_the_code_of_a_basket_stopped_after_its_postings(fee_system, journal_path, clock, monkeypatch):
    baskets: list[str] = []
    # Stopped before the basket's posted commit (every line posted): recovery posts nothing again and seals.
    journal = Journal(journal_path, TERMINAL, clock=clock)
    payments, opened = open_paid(fee_system, journal, dues(fee_system)[:2])
    commits = 0

    def stop_at_posted() -> None:
        nonlocal commits
        commits += 1
        if commits == 4:  # paid, line 1 posted, line 2 posted, basket posted
            raise Killed

    monkeypatch.setattr(crashpoint, "before_commit", stop_at_posted)
    with contextlib.suppress(Killed):
        payments.settle_paid(opened.basket)
    monkeypatch.setattr(crashpoint, "before_commit", lambda: None)
    assert BasketJournal(journal).get(opened.basket.basket_no).state is PaymentState.PAID
    baskets.append(opened.basket.basket_no)
    # Posted while the fee system could not seal: journaled without a code, then stopped before the receipt.
    payments, opened = open_paid(SealDown(fee_system), journal, dues(fee_system))  # the mother's, left
    outcome = payments.settle_paid(opened.basket)
    assert (outcome.basket.state, outcome.verification_code) == (PaymentState.POSTED, None)
    baskets.append(opened.basket.basket_no)
    journal.close()

    restarted = Journal(journal_path, TERMINAL, clock=clock)
    try:
        assert Recovery(restarted, fee_system, clock=clock).run().ok
        for basket_no in baskets:
            basket = BasketJournal(restarted).get(basket_no)
            assert basket.state is PaymentState.DONE and basket.verification_code
            verified = verify_signed_code([fee_system.certificates.signer.public_key], basket.verification_code)
            assert verified is not None and verified.kind is DocumentKind.BASKET
            assert verified.total_fen == basket.amount_fen
    finally:
        restarted.close()
