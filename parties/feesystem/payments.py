"""Payments: the postings of money a channel confirmed (bank card, QR), each once by its idempotency key, and the
records the kiosk lists, certifies and reconciles."""

from __future__ import annotations

import datetime as dt
import sqlite3

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import AlreadyPaid, PaymentRecord
from parties.feesystem.qr_channel import QrChannel
from parties.feesystem.quotes import paid_by, quote_row
from parties.feesystem.seed import TAX_OFFICE_CODE
from parties.feesystem.store import FeeStore


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
        """
        refused: str | None = None
        with self.store.transaction() as db:
            existing = db.execute("SELECT * FROM payments WHERE idempotency_key = ?", (idempotency_key,)).fetchone()
            if existing is None:
                quote = quote_row(db, quote_id)
                holder = paid_by(db, quote)
                if holder is not None:
                    refunded = self.qr.refund_paid_order(db, idempotency_key) if pay_method.is_qr else None
                    refused = (
                        f"{quote['item']} {quote['period_start']}..{quote['period_end']} already posted as"
                        f" {holder['payment_no']}" + (f"; order {refunded} refunded" if refunded else "")
                    )
            if refused is None and existing is None:
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
                existing = db.execute("SELECT * FROM payments WHERE payment_no = ?", (payment_no,)).fetchone()
        if refused is not None:  # raised after the commit: the refund must not roll back with the refusal
            raise AlreadyPaid(refused)
        return payment_from_row(existing)

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
        prefix = f"kiosk-{terminal_id}-".replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.store.all(
            "SELECT * FROM payments WHERE idempotency_key LIKE ? ESCAPE '\\' AND substr(paid_at, 1, 10) = ?"
            " ORDER BY paid_at, payment_no",
            (prefix + "%", day.isoformat()),
        )
        return [payment_from_row(row) for row in rows]


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
    )
