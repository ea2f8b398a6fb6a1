"""Payments: the postings of money a channel confirmed (bank card, QR), each once by its idempotency key, and the
records the kiosk lists, certifies and reconciles."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import AlreadyPaid, IdempotencyConflict, InvalidRequest, PaymentRecord, UnknownRecord
from parties.feesystem.qr_channel import QrChannel, paid_order_of
from parties.feesystem.quotes import paid_by, quote_row
from parties.feesystem.seed import TAX_OFFICE_CODE
from parties.feesystem.store import FeeStore

# A bank's reference for a card payment: the retrieval reference number (ISO 8583 field 37: 12 characters, letters,
# digits and spaces, which a host may use as padding; the kiosk posts it as received) or an acquirer's own token.
# At least one letter or digit, no control characters, bounded.
BANK_REFERENCE = re.compile(r"(?=[^A-Za-z0-9]*[A-Za-z0-9])[A-Za-z0-9 ._-]{1,64}")
# What a posting's key stands for (its request fingerprint): the same key must come with the same request.
_FINGERPRINT_OF_QUOTE = ("id_number", "item", "period_start", "period_end", "amount_fen", "bill_no")


class Payments:
    def __init__(self, store: FeeStore, qr: QrChannel) -> None:
        self.store = store
        self.qr = qr

    def post(
        self, idempotency_key: str, quote_id: str, pay_method: PayMethod, channel_ref: str, payer_id_number: str
    ) -> PaymentRecord:
        """Record a payment the channel confirmed. Posting the same key twice posts it once.

        A new key for a period (or bill) another posting already holds is refused with AlreadyPaid. When the money
        came through this simulator's own QR channel (an order paid under the same key), that order is refunded in
        the same transaction as the refusal, as a bureau's unified payment platform gives back a payment it cannot
        book: there is no moment at which the refusal is known and the refund not yet due (docs/recovery.md).

        A key seen before with another request (quote, method, reference, payer) is an IdempotencyConflict, never
        the first record. The money must be real: a QR posting names a paid order of its channel for this amount
        and person that no other posting holds; a card posting names a well-formed bank reference.
        """
        refused: str | None = None
        with self.store.transaction() as db:
            existing = db.execute("SELECT * FROM payments WHERE idempotency_key = ?", (idempotency_key,)).fetchone()
            if existing is not None:
                _check_same_request(db, existing, quote_id, pay_method, channel_ref, payer_id_number)
            else:
                quote = quote_row(db, quote_id)
                holder = paid_by(db, quote)
                if holder is not None:
                    refunded = self.qr.refund_paid_order(db, idempotency_key) if pay_method.is_qr else None
                    refused = (
                        f"{quote['item']} {quote['period_start']}..{quote['period_end']} already posted as"
                        f" {holder['payment_no']}" + (f"; order {refunded} refunded" if refunded else "")
                    )
                else:
                    _check_money(db, quote, pay_method, channel_ref)
            if refused is None and existing is None:
                existing = self.insert(db, idempotency_key, quote, pay_method, channel_ref, payer_id_number)
        if refused is not None:  # raised after the commit: the refund must not roll back with the refusal
            raise AlreadyPaid(refused)
        return payment_from_row(existing)

    def insert(
        self,
        db: sqlite3.Connection,
        idempotency_key: str,
        quote: sqlite3.Row,
        pay_method: PayMethod,
        channel_ref: str,
        payer_id_number: str,
    ) -> sqlite3.Row:
        """Book a checked posting of ``quote`` (inside the caller's transaction): its payment number, its row."""
        now = self.store.clock()
        number = self.store.next_number(db, "payment")
        payment_no = f"3{TAX_OFFICE_CODE}{now:%y%m%d}{number:05d}"
        db.execute(
            "INSERT INTO payments VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                payment_no,
                idempotency_key,
                quote["id_number"],
                payer_id_number,
                quote["item"],
                quote["period_start"],
                quote["period_end"],
                quote["months"],
                quote["amount_fen"],
                quote["base_fen"],
                quote["grade_code"],
                quote["bill_no"],
                pay_method.value,
                channel_ref,
                now.isoformat(timespec="seconds"),
            ),
        )
        if quote["bill_no"]:
            db.execute("UPDATE bills SET paid_by = ? WHERE bill_no = ?", (payment_no, quote["bill_no"]))
        return db.execute("SELECT * FROM payments WHERE payment_no = ?", (payment_no,)).fetchone()

    def find(self, idempotency_key: str) -> PaymentRecord | None:
        row = self.store.one("SELECT * FROM payments WHERE idempotency_key = ?", (idempotency_key,))
        return payment_from_row(row) if row else None

    def records(self, id_number: str, period: Period | None = None) -> list[PaymentRecord]:
        rows = self.store.all("SELECT * FROM payments WHERE id_number = ? ORDER BY period_start, paid_at", (id_number,))
        records = [payment_from_row(row) for row in rows]
        if period is not None:
            records = [record for record in records if record.period.overlaps(period)]
        return records

    def of_terminal(self, terminal_id: str, day: dt.date) -> list[PaymentRecord]:
        """A terminal's payments are those whose idempotency key it made (``kiosk-<terminal id>-...``, the journal's
        keys); a real gateway knows the terminal that called it."""
        rows = self.store.all(
            "SELECT * FROM payments WHERE idempotency_key LIKE ? ESCAPE '\\' AND substr(paid_at, 1, 10) = ?"
            " ORDER BY paid_at, payment_no",
            (_keys_of(terminal_id), day.isoformat()),
        )
        return [payment_from_row(row) for row in rows]

    def made_for_others(self, payer_id_number: str, terminal_id: str, period: Period | None) -> list[PaymentRecord]:
        """What the payer paid for other people at this terminal (its keys), by period."""
        rows = self.store.all(
            "SELECT * FROM payments WHERE payer_id_number = ? AND id_number != payer_id_number"
            " AND idempotency_key LIKE ? ESCAPE '\\' ORDER BY period_start, paid_at",
            (payer_id_number, _keys_of(terminal_id)),
        )
        records = [payment_from_row(row) for row in rows]
        return [record for record in records if period is None or record.period.overlaps(period)]


def _keys_of(terminal_id: str) -> str:
    """The LIKE pattern of the idempotency keys a terminal's journal makes, its id's wildcards escaped."""
    return f"kiosk-{terminal_id}-".replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _check_same_request(
    db: sqlite3.Connection,
    posted: sqlite3.Row,
    quote_id: str,
    pay_method: PayMethod,
    channel_ref: str,
    payer_id_number: str,
) -> None:
    """The posting under this key was asked for with this request (a quote for the same thing counts as the
    same: a retry may carry a fresh quote of the same price), else IdempotencyConflict."""
    quote = db.execute("SELECT * FROM quotes WHERE quote_id = ?", (quote_id,)).fetchone()
    same = (
        quote is not None
        and all(quote[name] == posted[name] for name in _FINGERPRINT_OF_QUOTE)
        and (pay_method.value, channel_ref, payer_id_number)
        == (posted["pay_method"], posted["channel_ref"], posted["payer_id_number"])
    )
    if not same:
        raise IdempotencyConflict(
            f"idempotency key already used for payment {posted['payment_no']} with another request"
        )


def _check_money(db: sqlite3.Connection, quote: sqlite3.Row, pay_method: PayMethod, channel_ref: str) -> None:
    """The channel's money behind a new posting exists (InvalidRequest otherwise): nothing is posted on a word."""
    if not pay_method.is_qr:
        if not BANK_REFERENCE.fullmatch(channel_ref):
            raise InvalidRequest("a card payment needs its bank reference")
        return
    try:
        order = paid_order_of(db, pay_method, channel_ref)
    except UnknownRecord:
        raise InvalidRequest(f"no paid {pay_method.value} order has this channel reference") from None
    holder = db.execute(
        "SELECT payment_no FROM payments WHERE pay_method = ? AND channel_ref = ?", (pay_method.value, channel_ref)
    ).fetchone()
    if holder is not None:
        raise InvalidRequest(f"order {order['order_no']} is already posted as {holder['payment_no']}")
    if order["amount_fen"] != quote["amount_fen"] or order["id_number"] != quote["id_number"]:
        raise InvalidRequest(f"order {order['order_no']} paid another amount or for another person")


def payment_from_row(row: sqlite3.Row) -> PaymentRecord:
    return PaymentRecord(
        payment_no=row["payment_no"],
        idempotency_key=row["idempotency_key"],
        id_number=row["id_number"],
        payer_id_number=row["payer_id_number"],
        item=InsuredItem(row["item"]),
        period=Period(YearMonth.parse(row["period_start"]), YearMonth.parse(row["period_end"])),
        amount_fen=row["amount_fen"],
        pay_method=PayMethod(row["pay_method"]),
        channel_ref=row["channel_ref"],
        paid_at=dt.datetime.fromisoformat(row["paid_at"]),
        base_fen=row["base_fen"],
        grade_code=row["grade_code"],
        months=row["months"],
        bill_no=row["bill_no"],
    )
