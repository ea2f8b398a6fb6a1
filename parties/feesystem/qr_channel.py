"""The QR payment channel (Alipay / WeChat Pay) as the bureau's unified payment platform runs it: orders the
citizen's phone pays, their states (open, paid, closed, refunded), and the simulator's phone that pays them.

A paid order becomes a payment only when the kiosk posts it (payments.py); a posting refused because the period is
paid already refunds the order under the same key, in the posting's transaction (``refund_paid_order``)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid

from drivers.base import QT_TRANSLATE_NOOP
from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import (
    AlreadyPaid,
    IdempotencyConflict,
    InvalidRequest,
    QrOrder,
    QrOrderState,
    QrOrderStatus,
    UnknownRecord,
)
from parties.feesystem.quotes import paid_by, quote_row
from parties.feesystem.store import FeeStore

QR_ORDER_LIFETIME = dt.timedelta(minutes=5)


class QrChannel:
    def __init__(self, store: FeeStore) -> None:
        self.store = store

    def open_order(self, idempotency_key: str, quote_id: str, method: PayMethod) -> QrOrder:
        """Open (or, for a key seen before, return again) the order the citizen's phone pays."""
        if not method.is_qr:
            raise InvalidRequest(f"{method} is not a QR channel")
        with self.store.transaction() as db:
            row = db.execute("SELECT * FROM qr_orders WHERE idempotency_key = ?", (idempotency_key,)).fetchone()
            if row is not None and not _same_order(db, row, quote_id, method):
                raise IdempotencyConflict(
                    f"idempotency key already used for order {row['order_no']} with another request"
                )
            if row is None:
                quote = quote_row(db, quote_id)
                # Checked before any money moves; a payment posted while this order is open is still refused at
                # posting (post_payment), where this order's money is then refunded.
                if paid_by(db, quote) is not None:
                    raise AlreadyPaid(
                        f"{quote['item']} {quote['period_start']}..{quote['period_end']} already paid: no order opened",
                        citizen_message=QT_TRANSLATE_NOOP(
                            "FeeSystem", "This period has already been paid. No money was taken."
                        ),
                    )
                row = self.insert_order(db, idempotency_key, quote_id, method, quote["amount_fen"])
        return order_of(row)

    def insert_order(
        self, db: sqlite3.Connection, idempotency_key: str, reference: str, method: PayMethod, amount_fen: int
    ) -> sqlite3.Row:
        """A new open order (inside the caller's transaction) for a quote or a basket (``reference``)."""
        now = self.store.clock()
        number = self.store.next_number(db, "qr_order")
        prefix = {PayMethod.ALIPAY: "ALI", PayMethod.WECHAT: "WX"}.get(method, "AGG")  # AGG: 聚合支付 (issue 22)
        order_no = f"{prefix}{now:%Y%m%d%H%M%S}{number:06d}"
        db.execute(
            "INSERT INTO qr_orders (order_no, idempotency_key, quote_id, method, amount_fen, state,"
            " created_at, expires_at) VALUES (?,?,?,?,?,?,?,?)",
            (
                order_no,
                idempotency_key,
                reference,
                method.value,
                amount_fen,
                QrOrderState.OPEN.value,
                now.isoformat(),
                (now + QR_ORDER_LIFETIME).isoformat(),
            ),
        )
        return db.execute("SELECT * FROM qr_orders WHERE order_no = ?", (order_no,)).fetchone()

    def status(self, order_no: str) -> QrOrderStatus:
        row = self.store.one(
            "SELECT o.*, x.paid_with, coalesce(x.refunded_fen, 0) AS refunded_fen FROM qr_orders o"
            " LEFT JOIN qr_order_extras x ON x.order_no = o.order_no WHERE o.order_no = ?",
            (order_no,),
        )
        if row is None:
            raise UnknownRecord(f"unknown order {order_no}")
        return _status(row)

    def close(self, order_no: str) -> QrOrderStatus:
        """Close an open order; an order already paid stays paid (the caller must then post it)."""
        with self.store.transaction() as db:
            row = db.execute("SELECT * FROM qr_orders WHERE order_no = ?", (order_no,)).fetchone()
            if row is None:
                raise UnknownRecord(f"unknown order {order_no}")
            if row["state"] == QrOrderState.OPEN:
                db.execute(
                    "UPDATE qr_orders SET state = ?, closed_at = ? WHERE order_no = ?",
                    (QrOrderState.CLOSED.value, self.store.clock().isoformat(), order_no),
                )
                row = db.execute("SELECT * FROM qr_orders WHERE order_no = ?", (order_no,)).fetchone()
        return _status(row)

    def simulate_payment(self, order_no: str) -> QrOrderStatus:
        """The simulator's phone pays the order. Paying a closed order is refunded by the channel at once."""
        with self.store.transaction() as db:
            row = db.execute("SELECT * FROM qr_orders WHERE order_no = ?", (order_no,)).fetchone()
            if row is None:
                raise UnknownRecord(f"unknown order {order_no}")
            now = self.store.clock().isoformat()
            txn = f"{row['method'][:2].upper()}{uuid.uuid4().hex[:20].upper()}"
            if row["state"] == QrOrderState.OPEN:
                db.execute(
                    "UPDATE qr_orders SET state = ?, channel_txn = ?, paid_at = ? WHERE order_no = ?",
                    (QrOrderState.PAID.value, txn, now, order_no),
                )
            elif row["state"] == QrOrderState.CLOSED:
                db.execute(
                    "UPDATE qr_orders SET state = ?, channel_txn = ?, paid_at = ?, refunded_at = ? WHERE order_no = ?",
                    (QrOrderState.REFUNDED.value, txn, now, now, order_no),
                )
            row = db.execute("SELECT * FROM qr_orders WHERE order_no = ?", (order_no,)).fetchone()
        return _status(row)

    def method(self, order_no: str) -> PayMethod:
        """Which app's code the order is (the simulator's phone: an Alipay code cannot be paid with WeChat Pay)."""
        row = self.store.one("SELECT method FROM qr_orders WHERE order_no = ?", (order_no,))
        if row is None:
            raise UnknownRecord(f"unknown order {order_no}")
        return PayMethod(row["method"])

    def open_orders(self) -> list[QrOrderStatus]:
        rows = self.store.all("SELECT * FROM qr_orders WHERE state = 'open' ORDER BY created_at")
        return [_status(row) for row in rows]

    def refund_paid_order(self, db: sqlite3.Connection, idempotency_key: str) -> str | None:
        """Give back the money of the paid QR order under this key (the posting of it was refused). Idempotent:
        an order already refunded stays so. The order number, or None when no paid order has this key."""
        row = db.execute(
            "SELECT order_no, state FROM qr_orders WHERE idempotency_key = ?", (idempotency_key,)
        ).fetchone()
        if row is None or row["state"] not in (QrOrderState.PAID, QrOrderState.REFUNDED):
            return None
        if row["state"] == QrOrderState.PAID:
            db.execute(
                "UPDATE qr_orders SET state = ?, refunded_at = ? WHERE order_no = ?",
                (QrOrderState.REFUNDED.value, self.store.clock().isoformat(), row["order_no"]),
            )
        return row["order_no"]


def _same_order(db: sqlite3.Connection, order: sqlite3.Row, quote_id: str, method: PayMethod) -> bool:
    """The order under a key was opened by this request: the same app, and the same quote (or one that prices
    the same thing for the same person)."""
    if order["method"] != method.value:
        return False
    if order["quote_id"] == quote_id:
        return True
    fields = "id_number, item, period_start, period_end, amount_fen, bill_no"
    first, asked = (
        db.execute(f"SELECT {fields} FROM quotes WHERE quote_id = ?", (key,)).fetchone()
        for key in (order["quote_id"], quote_id)
    )
    return first is not None and asked is not None and tuple(first) == tuple(asked)


def paid_order_of(db: sqlite3.Connection, method: PayMethod, channel_txn: str) -> sqlite3.Row:
    """The paid order of ``method`` whose channel transaction is ``channel_txn``, with the person its quote is
    for (``id_number``); UnknownRecord when no such order is paid (open, closed, refunded or none at all)."""
    row = db.execute(
        "SELECT o.*, q.id_number FROM qr_orders o JOIN quotes q ON q.quote_id = o.quote_id"
        " WHERE o.method = ? AND o.channel_txn = ? AND o.state = ?",
        (method.value, channel_txn, QrOrderState.PAID.value),
    ).fetchone()
    if row is None:
        raise UnknownRecord(f"no paid {method.value} order with this transaction")
    return row


def order_of(row: sqlite3.Row) -> QrOrder:
    return QrOrder(
        order_no=row["order_no"],
        method=PayMethod(row["method"]),
        amount_fen=row["amount_fen"],
        qr_payload=f"sifee-sim://pay/{row['method']}/{row['order_no']}?amount_fen={row['amount_fen']}",
        expires_at=dt.datetime.fromisoformat(row["expires_at"]),
    )


def _status(row: sqlite3.Row) -> QrOrderStatus:
    extras = row.keys()  # a basket's order (parties/feesystem/baskets.py): partly refunded, paid with which app
    return QrOrderStatus(
        row["order_no"],
        QrOrderState(row["state"]),
        row["amount_fen"],
        row["channel_txn"],
        refunded_fen=row["refunded_fen"] if "refunded_fen" in extras else 0,
        paid_with=row["paid_with"] if "paid_with" in extras else None,
    )
