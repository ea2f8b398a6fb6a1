"""Browsing the payment journal for a technician: by day and state, personal data masked, with the steps
recovery took; a manual resolution with a written note.

A flagged record waits for a technician: settled, it becomes RESOLVED (the only state TRANSITIONS allows after
FLAGGED), the event's note starting "technician <id>:"; the money side (a refund, a posting) is done outside the
kiosk and named in the note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.domain.idnumber import mask_id_number
from kiosk.domain.money import format_fen
from kiosk.logs import mask_personal
from kiosk.payments.journal import END_STATES, TRANSITIONS, Journal, JournalEntry, PaymentState

RESOLUTION_PREFIX = "technician "
MIN_NOTE_LENGTH = 10


class ResolutionError(Exception):
    pass


@dataclass(frozen=True)
class JournalRow:
    """One record as the technician sees it (masked)."""

    journal_no: str
    created_at: str
    state: str
    item: str
    pay_method: str
    amount: str
    id_number: str  # masked
    payer_id_number: str  # masked
    payment_no: str
    note: str
    unresolved: bool


def is_unresolved(journal: Journal, entry: JournalEntry) -> bool:
    """Not at an end state yet, or flagged for a technician who has not resolved it."""
    return entry.state not in END_STATES or entry.state is PaymentState.FLAGGED


def _row(entry: JournalEntry, unresolved: bool) -> JournalRow:
    return JournalRow(
        journal_no=entry.journal_no,
        created_at=entry.created_at.isoformat(sep=" ", timespec="seconds"),
        state=entry.state.value,
        item=entry.item.value,
        pay_method=entry.pay_method.value,
        amount=format_fen(entry.amount_fen),
        id_number=mask_id_number(entry.id_number),
        payer_id_number=mask_id_number(entry.payer_id_number),
        payment_no=entry.payment_no or "-",
        note=mask_personal(entry.note or ""),
        unresolved=unresolved,
    )


def browse(
    journal: Journal, day: dt.date | None = None, state: str | None = None, unresolved_only: bool = False
) -> list[JournalRow]:
    """Records of ``day`` (all days when None) in ``state`` (any when None), newest first."""
    rows = []
    for entry in journal.entries():
        if day is not None and entry.created_at.date() != day:
            continue
        if state is not None and entry.state.value != state:
            continue
        unresolved = is_unresolved(journal, entry)
        if unresolved_only and not unresolved:
            continue
        rows.append(_row(entry, unresolved))
    return sorted(rows, key=lambda row: row.created_at, reverse=True)


def steps(journal: Journal, journal_no: str) -> list[str]:
    """The record's history, recovery's steps included: ``time  state  note`` per line, masked."""
    return [
        f"{at}  {state.value}  {mask_personal(note or '')}".rstrip() for at, state, note in journal.events(journal_no)
    ]


def resolution_targets(entry: JournalEntry) -> list[PaymentState]:
    """Where a technician may move the record: TRANSITIONS' next states (a flagged record's: resolved)."""
    return sorted(TRANSITIONS[entry.state], key=lambda state: state.value)


def resolve(journal: Journal, journal_no: str, technician: str, target: PaymentState, note: str) -> JournalEntry:
    """Record a technician's resolution; the note is required (what was checked, what was done outside)."""
    note = note.strip()
    if len(note) < MIN_NOTE_LENGTH:
        raise ResolutionError(f"write a note of at least {MIN_NOTE_LENGTH} characters")
    entry = journal.get(journal_no)
    if target not in resolution_targets(entry):
        raise ResolutionError(f"{entry.state.value} cannot become {target.value}")
    return journal.advance(journal_no, target, note=f"{RESOLUTION_PREFIX}{technician}: {note}")
