"""What the kiosk asks of the fee system. The kiosk never computes what a person owes: the fee system does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from drivers.base import QT_TRANSLATE_NOOP
from kiosk.domain.items import Category, InsuredItem, PayMethod
from kiosk.domain.periods import Period


class FeeSystemError(Exception):
    """A refusal or failure of the fee system. ``citizen_message`` is an English source string translated under
    the context "FeeSystem"; ``detail`` is for the technician's log (never personal data)."""

    code = "fee_system_error"
    citizen_message = QT_TRANSLATE_NOOP("FeeSystem", "The fee system cannot handle this request now.")

    def __init__(self, detail: str, citizen_message: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if citizen_message:
            self.citizen_message = citizen_message


class NotRegistered(FeeSystemError):
    code = "not_registered"
    citizen_message = QT_TRANSLATE_NOOP(
        "FeeSystem",
        "No social insurance registration was found for this ID. Please ask at the service window.",
    )


class NotAllowed(FeeSystemError):
    code = "not_allowed"
    citizen_message = QT_TRANSLATE_NOOP("FeeSystem", "This payment is not possible for you at present.")


class AlreadyPaid(NotAllowed):
    """A payment already posted covers this period of the person's item (or this bill): a second posting would
    take the money twice. Refused at posting (the channel then gives this payment's money back) and, before any
    money moves, when a QR order is opened."""

    code = "already_paid"
    citizen_message = QT_TRANSLATE_NOOP(
        "FeeSystem", "This period has already been paid. The money of this payment is being returned."
    )


class InvalidRequest(FeeSystemError):
    code = "invalid_request"


class IdempotencyConflict(InvalidRequest):
    """An idempotency key seen before came with a different request (another quote, method, reference or payer):
    the key's stored request does not match, so neither the first record nor a new one is the answer
    (IETF draft-ietf-httpapi-idempotency-key-header: 422)."""

    code = "idempotency_conflict"


class Unavailable(FeeSystemError):
    code = "unavailable"
    citizen_message = QT_TRANSLATE_NOOP(
        "FeeSystem", "The fee system is not reachable at the moment. Please try again later."
    )


class UnknownRecord(FeeSystemError):
    code = "unknown_record"


@dataclass(frozen=True)
class Registration:
    id_number: str
    name: str
    category: Category | None
    items: frozenset[InsuredItem]


@dataclass(frozen=True)
class Grade:
    code: str
    amount_fen: int


@dataclass(frozen=True)
class ResidentOffer:
    """A year a resident can (or soon can) pay for, with its grades and collection window."""

    item: InsuredItem
    year: int
    grades: tuple[Grade, ...]
    window_opens: dt.date
    window_closes: dt.date
    open_now: bool
    already_paid: bool = False


@dataclass(frozen=True)
class FlexibleOffer:
    """What a flexible-employment worker may choose: months and the base range (fen per month)."""

    item: InsuredItem
    first_month: str  # YYYY-MM
    last_month: str
    base_min_fen: int
    base_max_fen: int
    rate_percent: int
    # The bases the bureau lists to choose from (缴费档次, guide 一(二) and 五(一)2), lowest first; empty when any
    # whole-yuan base within the limits is typed.
    base_choices_fen: tuple[int, ...] = ()


@dataclass(frozen=True)
class MedicalItem:
    """One part of a flexible worker's medical insurance (险种绑定): a rate of the base, or a fixed sum a month."""

    code: str  # "basic" (职工基本医疗保险) or "serious_illness" (大额医疗费用补助)
    name: str  # the official name, as documents print it
    required: bool
    rate_percent: int | None = None
    monthly_fen: int | None = None


@dataclass(frozen=True)
class Quote:
    """The fee system's own calculation of an amount due; ``quote_id`` is what a payment refers to."""

    quote_id: str
    id_number: str
    item: InsuredItem
    period: Period
    amount_fen: int
    months: int
    base_fen: int | None = None
    rate_percent: int | None = None
    grade: Grade | None = None
    bill_no: str | None = None


@dataclass(frozen=True)
class Bill:
    """A pending bill (单据) the fee system holds for a person: a special payment (特殊缴费, 补缴)."""

    bill_no: str
    description: str
    period: Period
    amount_fen: int
    agency: str  # the social insurance agency (社保经办机构) that raised it


class QrOrderState(StrEnum):
    OPEN = "open"
    PAID = "paid"
    CLOSED = "closed"
    REFUNDED = "refunded"  # paid after it was closed: the channel gave the money back


@dataclass(frozen=True)
class QrOrder:
    order_no: str
    method: PayMethod
    amount_fen: int
    qr_payload: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class QrOrderStatus:
    order_no: str
    state: QrOrderState
    amount_fen: int
    channel_txn: str | None = None
    refunded_fen: int = 0  # given back in part (a basket line the fee system refused), the order staying paid
    paid_with: str | None = None  # the app that paid an aggregated code: alipay, wechat or unionpay (云闪付)


@dataclass(frozen=True)
class HouseholdDue:
    """What a member of the payer's household (the fee system's register) can pay now, priced: tap to add."""

    name: str
    relation: str  # as the register has it: spouse, parent, child, self
    quote: Quote


@dataclass(frozen=True)
class BasketLine:
    line_no: int  # 1.. in the basket's order
    quote: Quote


@dataclass(frozen=True)
class LineRefusal:
    """A line the fee system will not take into a basket, before any money moves: which, and why."""

    line_no: int
    code: str  # already_paid, window_closed, duplicate, unknown_quote
    detail: str


@dataclass(frozen=True)
class BasketQuote:
    """The fee system's order for a basket: one line per item, the total the sum of the lines (fen). With
    ``refused`` lines there is no order (``basket_id`` empty): the kiosk says which line and why."""

    basket_id: str
    payer_id_number: str
    lines: tuple[BasketLine, ...]
    total_fen: int
    refused: tuple[LineRefusal, ...] = ()


@dataclass(frozen=True)
class BasketSeal:
    """A paid basket's own verification code (issue 22), signed by the fee system over what it posted: the
    basket's order number, the payer (masked in the code), the lines posted (refused ones excluded), their total
    and the day they were paid. The same basket always gets the same seal back."""

    basket_id: str
    payer_id_number: str
    total_fen: int
    lines: int
    paid_on: dt.date
    verification_code: str = ""


@dataclass(frozen=True)
class PaymentRecord:
    """A payment the fee system holds (posted), as the query and the certificates show it."""

    payment_no: str  # 原凭证号 / 电子税票号
    idempotency_key: str
    id_number: str
    payer_id_number: str
    item: InsuredItem
    period: Period
    amount_fen: int
    pay_method: PayMethod
    channel_ref: str
    paid_at: dt.datetime
    base_fen: int | None = None
    grade_code: str | None = None
    months: int = 1
    extra: dict[str, str] = field(default_factory=dict)
    verification_code: str = ""  # the receipt's code, signed by the fee system (docs/certificates.md)
    bill_no: str | None = None  # the bill it paid (special payment, arrears): bills are told apart by number


class CertificateKind(StrEnum):
    TAX = "tax"  # 税收完税证明
    PAYMENT_SUMMARY = "payment_summary"  # 缴费证明（汇总）
    PAYMENT_DETAIL = "payment_detail"  # 缴费证明（明细）
    QUERY_LIST = "query_list"  # 缴费记录查询结果 (查询导出), numbered so that its verification code can be checked


@dataclass(frozen=True)
class CertificateIssue:
    """A certificate number the fee system gave for a set of records; ``printed`` counts finished prints.

    The same kind, person and records always get the same number back: a second print is a reprint (补打).
    """

    number: str
    kind: CertificateKind
    id_number: str
    payment_nos: tuple[str, ...]
    total_fen: int
    printed: int
    issued_at: dt.datetime
    verification_code: str = ""  # signed by the fee system when it numbers the certificate


@dataclass(frozen=True)
class DocumentCheck:
    """The fee system's answer to "is this certificate or receipt number genuine?"."""

    number: str
    kind: str  # "receipt" or a CertificateKind value
    masked_name: str
    total_fen: int
    printed: int
    lines: int = 0  # a basket's lines posted (kind "basket"); 0 for any other document


class FeeSystem(Protocol):
    def registration(self, id_number: str) -> Registration: ...

    def resident_offers(self, id_number: str, item: InsuredItem, today: dt.date) -> list[ResidentOffer]: ...

    def quote_resident(self, id_number: str, item: InsuredItem, year: int, grade_code: str) -> Quote: ...

    def flexible_offer(self, id_number: str, item: InsuredItem, today: dt.date) -> FlexibleOffer: ...

    def medical_items(self, id_number: str, today: dt.date) -> list[MedicalItem]: ...

    def quote_flexible(
        self, id_number: str, item: InsuredItem, period: Period, base_fen: int, serious_illness: bool = True
    ) -> Quote: ...

    def pending_bills(self, id_number: str) -> list[Bill]: ...

    def quote_bill(self, id_number: str, bill_no: str) -> Quote: ...

    def arrears_bills(self, id_number: str) -> list[Bill]:
        """A resident's arrears (社保费补缴, guide 二(四) and 四(三)): the unpaid bills of the resident insurances,
        each naming the 社保经办机构 that raised it, by agency then period. NotAllowed for a person with no
        resident insurance (a flexible worker's bills are the special payment's)."""
        ...

    def may_print_certificates_for(self, payer_id_number: str, id_number: str) -> bool:
        """Whether the person logged in (the payer) may print ``id_number``'s certificates (代打, issue 21 item 9)."""
        ...

    def open_qr_order(self, idempotency_key: str, quote_id: str, method: PayMethod) -> QrOrder: ...

    def qr_order_status(self, order_no: str) -> QrOrderStatus: ...

    def close_qr_order(self, order_no: str) -> QrOrderStatus: ...

    def post_payment(
        self, idempotency_key: str, quote_id: str, pay_method: PayMethod, channel_ref: str, payer_id_number: str
    ) -> PaymentRecord: ...

    def find_payment(self, idempotency_key: str) -> PaymentRecord | None: ...

    def household_dues(self, payer_id_number: str, today: dt.date) -> list[HouseholdDue]:
        """What the payer's household members (the register; not the payer) can pay now, one priced quote each."""
        ...

    def quote_basket(self, payer_id_number: str, quote_ids: tuple[str, ...]) -> BasketQuote:
        """One order for up to 10 quotes (issue 22); lines already paid or out of their window are refused."""
        ...

    def open_basket_qr_order(self, idempotency_key: str, basket_id: str, method: PayMethod) -> QrOrder:
        """The one code for a basket's total (the aggregated code, or one app's)."""
        ...

    def post_basket_line(
        self, idempotency_key: str, basket_id: str, line_no: int, pay_method: PayMethod, channel_ref: str
    ) -> PaymentRecord:
        """Post one line of a paid basket, idempotently by its own key. AlreadyPaid when its period was paid
        meanwhile: on QR the channel then gives back that line's amount alone, in the refusal's transaction."""
        ...

    def seal_basket(self, idempotency_key: str, basket_id: str) -> BasketSeal:
        """The basket's own signed code once every line has ended (posted, or refused as paid elsewhere);
        ``idempotency_key`` is the basket's own (its lines' keys are it with ``-L<n>``). Idempotent. InvalidRequest
        while a line is not yet posted; NotAllowed for a basket paid under another key (another terminal's)."""
        ...

    def payment_records(self, id_number: str, period: Period | None = None) -> list[PaymentRecord]: ...

    def terminal_payments(self, terminal_id: str, day: dt.date) -> list[PaymentRecord]:
        """The payments a kiosk terminal posted on ``day`` (the fee system's date of posting), for reconciliation."""
        ...

    def payments_made_for_others(
        self, payer_id_number: str, terminal_id: str, period: Period | None = None
    ) -> list[PaymentRecord]:
        """The payments ``payer_id_number`` made for other people (代缴, a basket's lines for the household) at the
        terminal ``terminal_id``, by period. Only that terminal's: it took them, so it learns nothing new, and a
        forged payer ID reads no other terminal's payments (the gateway refuses another terminal's id)."""
        ...

    def issue_certificate(
        self, kind: CertificateKind, id_number: str, payment_nos: tuple[str, ...]
    ) -> CertificateIssue: ...

    def record_certificate_print(self, number: str) -> CertificateIssue: ...

    def record_receipt_reprint(self, payment_no: str) -> int:
        """A reprint (补打) of the payment's receipt came out of the printer; the reprints so far (the public
        verification page shows them). At most once: never repeated on a lost answer."""
        ...

    def issued_certificates(self, id_number: str) -> list[CertificateIssue]:
        """The certificates numbered for the person, newest first (首次开具 and 补打 by 开具日期)."""
        ...

    def check_document(self, number: str) -> DocumentCheck | None: ...

    def keep_document_copy(self, number: str, pdf_base64: str) -> str:
        """Keep the certificate's PDF as the kiosk shows and prints it (the electronic copy, 下载); the download
        token of ``/documents/<number>.pdf?t=<token>``, short-lived and tied to the number and these bytes."""
        ...


class ClosableFeeSystem(FeeSystem, Protocol):
    """The fee system as the kiosk holds it (a database, kept-alive connections). close() is local, never a call on
    the wire: FeeSystem's own methods are the gateway's API (wire.protocol_methods)."""

    def close(self) -> None: ...
