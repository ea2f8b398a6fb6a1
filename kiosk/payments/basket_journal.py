"""A household basket in the journal (issue 22): one basket record and one payments row per line.

The basket record is the money (one QR order or one card payment for the total); each line is an ordinary
payments row (its own journal number and idempotency key, ``basket_no`` and ``line_no`` set), posted to the fee
system on its own key, so that Query, reprints and reconciliation of the fee system's postings see every line.
The basket and the lines a step changes are committed together, before the outside call that step leads to
(DESIGN.md §5). States and transitions are the journal's own (kiosk/payments/journal.py).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from dataclasses import dataclass

from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import BasketQuote
from kiosk.payments.journal import (
    END_STATES,
    Journal,
    JournalEntry,
    JournalError,
    PaymentState,
    _entry,
    check_transition,
)

BASKET_FIELDS = ("order_no", "channel_ref", "receipt_error", "note", "verification_code")
LINE_FIELDS = ("order_no", "channel_ref", "payment_no", "receipt_error", "note")


@dataclass(frozen=True)
class BasketEntry:
    basket_no: str
    idempotency_key: str
    state: PaymentState
    payer_id_number: str
    basket_id: str  # the fee system's order
    amount_fen: int
    pay_method: PayMethod
    order_no: str | None
    channel_ref: str | None
    receipt_error: str | None
    note: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    verification_code: str | None = None  # the basket's own code, signed by the fee system (seal_basket)

    @property
    def finished(self) -> bool:
        return self.state in END_STATES


@dataclass(frozen=True)
class BasketLineEntry:
    line_no: int
    entry: JournalEntry

    @property
    def state(self) -> PaymentState:
        return self.entry.state


class BasketJournal:
    """Baskets on a journal's connection: created with their lines, advanced with them in one transaction."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def create(self, quote: BasketQuote, pay_method: PayMethod) -> BasketEntry:
        if quote.refused or not quote.basket_id or not quote.lines:
            raise JournalError("only a basket the fee system quoted without refusals can be paid")
        if quote.total_fen != sum(line.quote.amount_fen for line in quote.lines) or quote.total_fen <= 0:
            raise JournalError("the basket's total is not the sum of its lines")
        now = self.journal.clock()
        basket_no = f"{self.journal.terminal_id}-{now:%Y%m%d%H%M%S}-{uuid.uuid4().hex[:6].upper()}"
        stamp = now.isoformat(timespec="seconds")
        created = PaymentState.CREATED.value

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO baskets (basket_no, idempotency_key, state, payer_id_number, basket_id, amount_fen,"
                " pay_method, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    basket_no,
                    f"kiosk-{basket_no}",
                    created,
                    quote.payer_id_number,
                    quote.basket_id,
                    quote.total_fen,
                    pay_method.value,
                    stamp,
                    stamp,
                ),
            )
            db.execute("INSERT INTO basket_events (basket_no, at, state) VALUES (?,?,?)", (basket_no, stamp, created))
            for line in quote.lines:
                journal_no = f"{basket_no}-L{line.line_no}"
                db.execute(
                    "INSERT INTO payments (journal_no, idempotency_key, state, item, id_number, payer_id_number,"
                    " quote_id, amount_fen, pay_method, created_at, updated_at, basket_no, line_no)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        journal_no,
                        f"kiosk-{journal_no}",
                        created,
                        line.quote.item.value,
                        line.quote.id_number,
                        quote.payer_id_number,
                        line.quote.quote_id,
                        line.quote.amount_fen,
                        pay_method.value,
                        stamp,
                        stamp,
                        basket_no,
                        line.line_no,
                    ),
                )
                db.execute("INSERT INTO events (journal_no, at, state) VALUES (?,?,?)", (journal_no, stamp, created))

        self.journal.write_together(write, new_payment=True)
        return self.get(basket_no)

    def advance(
        self,
        basket_no: str,
        state: PaymentState | None,
        note: str | None = None,
        lines: dict[int, PaymentState] | None = None,
        line_fields: dict[str, str | None] | None = None,
        **fields: str | None,
    ) -> BasketEntry:
        """Move the basket to ``state`` (None: leave it) and the ``lines`` given (line no -> state) in one commit;
        ``fields`` go to the basket and ``line_fields`` to each line moved. Transitions are the journal's."""
        line_fields = line_fields or {}
        if set(fields) - set(BASKET_FIELDS) or set(line_fields) - set(LINE_FIELDS):
            raise JournalError(f"cannot update {sorted(set(fields) | set(line_fields))}")
        stamp = self.journal.clock().isoformat(timespec="seconds")

        def write(db: sqlite3.Connection) -> None:
            if state is not None:
                row = db.execute("SELECT state FROM baskets WHERE basket_no = ?", (basket_no,)).fetchone()
                if row is None:
                    raise JournalError(f"no basket {basket_no}")
                check_transition(basket_no, PaymentState(row["state"]), state)
                sets = "".join(f", {name} = ?" for name in fields)
                db.execute(
                    f"UPDATE baskets SET state = ?, updated_at = ?{sets} WHERE basket_no = ?",
                    (state.value, stamp, *fields.values(), basket_no),
                )
                db.execute(
                    "INSERT INTO basket_events (basket_no, at, state, note) VALUES (?,?,?,?)",
                    (basket_no, stamp, state.value, note),
                )
            for line_no, line_state in (lines or {}).items():
                journal_no = f"{basket_no}-L{line_no}"
                row = db.execute("SELECT state FROM payments WHERE journal_no = ?", (journal_no,)).fetchone()
                if row is None:
                    raise JournalError(f"no line {journal_no}")
                check_transition(journal_no, PaymentState(row["state"]), line_state)
                sets = "".join(f", {name} = ?" for name in line_fields)
                db.execute(
                    f"UPDATE payments SET state = ?, updated_at = ?{sets} WHERE journal_no = ?",
                    (line_state.value, stamp, *line_fields.values(), journal_no),
                )
                db.execute(
                    "INSERT INTO events (journal_no, at, state, note) VALUES (?,?,?,?)",
                    (journal_no, stamp, line_state.value, note),
                )

        self.journal.write_together(write)
        return self.get(basket_no)

    def advance_all(
        self, basket_no: str, state: PaymentState, note: str | None = None, **fields: str | None
    ) -> BasketEntry:
        """The basket and every line not yet ended to ``state`` (order opened, paid, closed, declined)."""
        open_lines = {line.line_no: state for line in self.lines(basket_no) if not line.entry.finished}
        line_fields = {name: value for name, value in fields.items() if name in LINE_FIELDS}
        return self.advance(basket_no, state, note, lines=open_lines, line_fields=line_fields, **fields)

    def get(self, basket_no: str) -> BasketEntry:
        rows = self.journal.execute_read("SELECT * FROM baskets WHERE basket_no = ?", (basket_no,))
        if not rows:
            raise JournalError(f"no basket {basket_no}")
        return _basket(rows[0])

    def lines(self, basket_no: str) -> list[BasketLineEntry]:
        rows = self.journal.execute_read("SELECT * FROM payments WHERE basket_no = ? ORDER BY line_no", (basket_no,))
        return [BasketLineEntry(int(row["line_no"]), _entry(row)) for row in rows]

    def of_payment(self, payment_no: str) -> BasketEntry | None:
        """The basket whose line the fee system posted as ``payment_no`` (None: not a basket's line here)."""
        rows = self.journal.execute_read(
            "SELECT basket_no FROM payments WHERE payment_no = ? AND basket_no IS NOT NULL", (payment_no,)
        )
        return self.get(rows[0]["basket_no"]) if rows else None

    def unfinished(self) -> list[BasketEntry]:
        states = [state.value for state in PaymentState if state not in END_STATES]
        rows = self.journal.execute_read(
            f"SELECT * FROM baskets WHERE state IN ({','.join('?' for _ in states)}) ORDER BY created_at", tuple(states)
        )
        return [_basket(row) for row in rows]

    def created_on(self, day: dt.date) -> list[BasketEntry]:
        start = dt.datetime.combine(day, dt.time())
        rows = self.journal.execute_read(
            "SELECT * FROM baskets WHERE created_at >= ? AND created_at < ? ORDER BY created_at",
            (start.isoformat(timespec="seconds"), (start + dt.timedelta(days=1)).isoformat(timespec="seconds")),
        )
        return [_basket(row) for row in rows]

    def line_journal_nos(self) -> frozenset[str]:
        """The journal numbers of unfinished basket lines: single-payment recovery leaves them to the basket's."""
        states = [state.value for state in PaymentState if state not in END_STATES]
        rows = self.journal.execute_read(
            "SELECT journal_no FROM payments WHERE basket_no IS NOT NULL"
            f" AND state IN ({','.join('?' for _ in states)})",
            tuple(states),
        )
        return frozenset(row["journal_no"] for row in rows)

    def lines_awaiting_refund(self) -> list[tuple[BasketEntry, BasketLineEntry]]:
        """Card basket lines refused after the approval (reversal_pending while their basket stands): each waits
        for its refund message (kiosk/payments/basket_card.py), whatever its basket's state."""
        rows = self.journal.execute_read(
            "SELECT p.* FROM payments p JOIN baskets b ON b.basket_no = p.basket_no"
            " WHERE p.state = ? AND b.pay_method = ? AND b.state NOT IN (?, ?, ?) ORDER BY p.created_at, p.line_no",
            (
                PaymentState.REVERSAL_PENDING.value,
                PayMethod.BANK_CARD.value,
                PaymentState.AUTH_SENT.value,
                PaymentState.REVERSAL_PENDING.value,
                PaymentState.REVERSED.value,
            ),
        )
        return [(self.get(row["basket_no"]), BasketLineEntry(int(row["line_no"]), _entry(row))) for row in rows]

    def events(self, basket_no: str) -> list[tuple[str, PaymentState, str | None]]:
        rows = self.journal.execute_read(
            "SELECT at, state, note FROM basket_events WHERE basket_no = ? ORDER BY id", (basket_no,)
        )
        return [(row["at"], PaymentState(row["state"]), row["note"]) for row in rows]


def _basket(row: sqlite3.Row) -> BasketEntry:
    return BasketEntry(
        basket_no=row["basket_no"],
        idempotency_key=row["idempotency_key"],
        state=PaymentState(row["state"]),
        payer_id_number=row["payer_id_number"],
        basket_id=row["basket_id"],
        amount_fen=row["amount_fen"],
        pay_method=PayMethod(row["pay_method"]),
        order_no=row["order_no"],
        channel_ref=row["channel_ref"],
        receipt_error=row["receipt_error"],
        note=row["note"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
        updated_at=dt.datetime.fromisoformat(row["updated_at"]),
        verification_code=row["verification_code"],
    )
