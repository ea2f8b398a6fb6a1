"""The embedded fee-system simulator: the tax bureau's back end and its QR payment channel, so that the kiosk runs
anywhere. SQLite (stdlib), policy figures and demo people from config/.

``EmbeddedFeeSystem`` is the one object that implements kiosk/feesystem's ``FeeSystem`` interface (and the
simulator's extras: the phone that pays a QR order, the open orders). It holds no logic of its own: each concern is
a part with one job, on one shared database (store.py: schema, lock, transactions, counters):

    people.py        people and what they may pay: registrations, offers (resident years and grades, flexible
                     months and base limits), the medical binding, pending bills
    quotes.py        what a choice costs, priced and kept
    qr_channel.py    the QR payment channel: orders, their states, the simulator's phone, refunds
    payments.py      postings (once per idempotency key) and the payment records
    certificates.py  certificate numbers, prints and reprints, signed verification codes (signing.py), the
                     verification question, electronic copies

Every call is short and guarded by the store's one lock, so the GUI's worker threads can share one instance.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.domain.periods import Period
from kiosk.feesystem.api import (
    BasketQuote,
    BasketSeal,
    Bill,
    CertificateIssue,
    CertificateKind,
    DocumentCheck,
    FlexibleOffer,
    HouseholdDue,
    InvalidRequest,
    MedicalItem,
    PaymentRecord,
    QrOrder,
    QrOrderStatus,
    Quote,
    Registration,
    ResidentOffer,
)
from parties.feesystem.baskets import Baskets
from parties.feesystem.certificates import CERTIFICATE_WORDS, Certificates
from parties.feesystem.payments import Payments
from parties.feesystem.people import People
from parties.feesystem.policy import Policy, load_policy
from parties.feesystem.qr_channel import QR_ORDER_LIFETIME, QrChannel
from parties.feesystem.quotes import Quotes
from parties.feesystem.seed import seed_database
from parties.feesystem.signing import BureauSigner
from parties.feesystem.store import SCHEMA, SCHEMA_VERSION, FeeStore

if TYPE_CHECKING:
    from kiosk.config import KioskConfig

# How far a caller's "today" may be from the bureau's own date. The offers are computed from it (windows, months
# owed); a day far off (year 1 or 9999, as the fuzz test sent) is a broken clock or a hostile caller, and its
# arithmetic would leave the year-months the domain has (kiosk.domain.periods: 1900-9999).
MAX_CLOCK_DIFFERENCE = dt.timedelta(days=366)

__all__ = [
    "CERTIFICATE_WORDS",
    "QR_ORDER_LIFETIME",
    "SCHEMA",
    "SCHEMA_VERSION",
    "EmbeddedFeeSystem",
    "open_embedded",
]


class EmbeddedFeeSystem:
    def __init__(
        self,
        database: Path | str,
        policy: Policy | Path,
        people_file: Path | None = None,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        signer: BureauSigner | None = None,
        old_hmac_key: str | None = None,
    ) -> None:
        """``signer``: the bureau's signing key (the demo key when None); ``old_hmac_key``: to check version-1
        codes printed before the bureau signed them."""
        self.policy = policy if isinstance(policy, Policy) else load_policy(policy)
        self.store = FeeStore(database, clock)
        if people_file and self.store.empty:
            with self.store.transaction() as db:
                seed_database(db, people_file, self.policy, clock())
                self.store.mark_seeded(db)
        self.people = People(self.store, self.policy)
        self.quotes = Quotes(self.store, self.policy, self.people)
        self.qr = QrChannel(self.store)
        self.payments = Payments(self.store, self.qr)
        self.baskets = Baskets(self.store, self.people, self.quotes, self.qr, self.payments)
        self.certificates = Certificates(self.store, signer or BureauSigner.demo(), old_hmac_key)

    @property
    def clock(self) -> Callable[[], dt.datetime]:
        return self.store.clock

    # The store under the names the tests reach for (a channel that misbehaves, a row read back).
    @property
    def _db(self) -> sqlite3.Connection:
        return self.store.db

    @property
    def _lock(self) -> AbstractContextManager[bool]:
        return self.store.lock

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return self.store.transaction()

    def close(self) -> None:
        self.store.close()

    # --- people and offers --------------------------------------------------------------------------------

    def registration(self, id_number: str) -> Registration:
        return self.people.registration(id_number)

    def resident_offers(self, id_number: str, item: InsuredItem, today: dt.date) -> list[ResidentOffer]:
        return self.people.resident_offers(id_number, item, self._near_today(today))

    def flexible_offer(self, id_number: str, item: InsuredItem, today: dt.date) -> FlexibleOffer:
        return self.people.flexible_offer(id_number, item, self._near_today(today))

    def medical_items(self, id_number: str, today: dt.date) -> list[MedicalItem]:
        return self.people.medical_items(id_number, self._near_today(today))

    def _near_today(self, today: dt.date) -> dt.date:
        if abs(today - self.clock().date()) > MAX_CLOCK_DIFFERENCE:
            raise InvalidRequest(f"the caller's date {today} is more than a year from the fee system's")
        return today

    def pending_bills(self, id_number: str) -> list[Bill]:
        return self.people.pending_bills(id_number)

    def arrears_bills(self, id_number: str) -> list[Bill]:
        return self.people.arrears_bills(id_number)

    def may_print_certificates_for(self, payer_id_number: str, id_number: str) -> bool:
        return self.people.may_print_certificates_for(payer_id_number, id_number)

    # --- quotes -------------------------------------------------------------------------------------------

    def quote_resident(self, id_number: str, item: InsuredItem, year: int, grade_code: str) -> Quote:
        return self.quotes.quote_resident(id_number, item, year, grade_code)

    def quote_flexible(
        self, id_number: str, item: InsuredItem, period: Period, base_fen: int, serious_illness: bool = True
    ) -> Quote:
        return self.quotes.quote_flexible(id_number, item, period, base_fen, serious_illness)

    def quote_bill(self, id_number: str, bill_no: str) -> Quote:
        return self.quotes.quote_bill(id_number, bill_no)

    # --- the QR channel (Alipay / WeChat Pay) -------------------------------------------------------------

    def open_qr_order(self, idempotency_key: str, quote_id: str, method: PayMethod) -> QrOrder:
        return self.qr.open_order(idempotency_key, quote_id, method)

    def qr_order_status(self, order_no: str) -> QrOrderStatus:
        return self.qr.status(order_no)

    def close_qr_order(self, order_no: str) -> QrOrderStatus:
        return self.qr.close(order_no)

    def simulate_qr_payment(self, order_no: str, app: str | None = None) -> QrOrderStatus:
        """The simulator's phone pays; ``app`` pays an aggregated code as alipay, wechat or unionpay (云闪付)."""
        return self.baskets.simulate_payment(order_no, app)

    def qr_order_method(self, order_no: str) -> PayMethod:
        return self.qr.method(order_no)

    def open_qr_orders(self) -> list[QrOrderStatus]:
        return self.qr.open_orders()

    # --- a household's basket (issue 22) -------------------------------------------------------------------

    def household_dues(self, payer_id_number: str, today: dt.date) -> list[HouseholdDue]:
        return self.baskets.household_dues(payer_id_number, self._near_today(today))

    def quote_basket(self, payer_id_number: str, quote_ids: tuple[str, ...]) -> BasketQuote:
        return self.baskets.quote_basket(payer_id_number, tuple(quote_ids))

    def open_basket_qr_order(self, idempotency_key: str, basket_id: str, method: PayMethod) -> QrOrder:
        return self.baskets.open_qr_order(idempotency_key, basket_id, method)

    def post_basket_line(
        self, idempotency_key: str, basket_id: str, line_no: int, pay_method: PayMethod, channel_ref: str
    ) -> PaymentRecord:
        return self.certificates.signed_record(
            self.baskets.post_line(idempotency_key, basket_id, line_no, pay_method, channel_ref)
        )

    def seal_basket(self, idempotency_key: str, basket_id: str) -> BasketSeal:
        return self.certificates.signed_seal(self.baskets.seal(idempotency_key, basket_id))

    # --- payments -----------------------------------------------------------------------------------------

    def post_payment(
        self, idempotency_key: str, quote_id: str, pay_method: PayMethod, channel_ref: str, payer_id_number: str
    ) -> PaymentRecord:
        return self.certificates.signed_record(
            self.payments.post(idempotency_key, quote_id, pay_method, channel_ref, payer_id_number)
        )

    def find_payment(self, idempotency_key: str) -> PaymentRecord | None:
        record = self.payments.find(idempotency_key)
        return self.certificates.signed_record(record) if record else None

    def payment_records(self, id_number: str, period: Period | None = None) -> list[PaymentRecord]:
        return [self.certificates.signed_record(r) for r in self.payments.records(id_number, period)]

    def terminal_payments(self, terminal_id: str, day: dt.date) -> list[PaymentRecord]:
        return [self.certificates.signed_record(r) for r in self.payments.of_terminal(terminal_id, day)]

    def payments_made_for_others(
        self, payer_id_number: str, terminal_id: str, period: Period | None = None
    ) -> list[PaymentRecord]:
        records = self.payments.made_for_others(payer_id_number, terminal_id, period)
        return [self.certificates.signed_record(r) for r in records]

    # --- certificates -------------------------------------------------------------------------------------

    def issue_certificate(
        self, kind: CertificateKind, id_number: str, payment_nos: tuple[str, ...]
    ) -> CertificateIssue:
        return self.certificates.issue(kind, id_number, payment_nos)

    def record_certificate_print(self, number: str) -> CertificateIssue:
        return self.certificates.record_print(number)

    def record_receipt_reprint(self, payment_no: str) -> int:
        return self.certificates.record_receipt_reprint(payment_no)

    def issued_certificates(self, id_number: str) -> list[CertificateIssue]:
        return self.certificates.issued(id_number)

    def check_document(self, number: str) -> DocumentCheck | None:
        return self.certificates.check_document(number)

    def verify_document_code(self, code: str) -> DocumentCheck | None:
        return self.certificates.verify_document_code(code)

    def keep_document_copy(self, number: str, pdf_base64: str) -> str:
        return self.certificates.keep_copy(number, pdf_base64)

    def number_specimen(self, kind: CertificateKind, id_number: str, payment_nos: tuple[str, ...]) -> CertificateIssue:
        """The simulator's extra for `kiosk cert sample`: a 样张 number and its signed code, not stored."""
        return self.certificates.number_specimen(kind, id_number, payment_nos)


def open_embedded(
    config: KioskConfig,
    clock: Callable[[], dt.datetime] = dt.datetime.now,
    database: Path | str | None = None,
) -> EmbeddedFeeSystem:
    """The simulator of a kiosk configuration: its ``[fee_system]`` database (under the state directory; or
    ``database``, e.g. ":memory:"), policy figures and demo people (beside the configuration), and its
    signing key (the state directory's, else the demo key) and the old HMAC key of version-1 codes."""
    section = config.section("fee_system")
    return EmbeddedFeeSystem(
        config.state_path(section["database"]) if database is None else database,
        config.config_path(section["policy"]),
        config.config_path(section["people"]),
        clock=clock,
        signer=BureauSigner.for_state(config.state_dir),
        old_hmac_key=config["verification.hmac_key"],
    )
