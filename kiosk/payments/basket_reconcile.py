"""Reconciliation of household baskets (issue 22): a basket matched to its lines in the three ledgers.

The channel holds one order (or one card payment) for the basket, under the basket's key; the fee system one
posting per line, under each line's key; the journal the basket and its lines. A basket agrees when it has ended,
its order's amount is the basket's and the sum of its lines, every line the journal holds as posted is posted in
the fee system (and no other), and the money the channel kept is what was posted plus what the lines refunded
alone gave back. Each line is also checked for duplicates with every other payment (reconcile.py).
"""

from __future__ import annotations

from kiosk.payments.basket_journal import BasketEntry, BasketJournal
from kiosk.payments.journal import END_STATES, Journal, PaymentState
from kiosk.payments.reconcile import POSTED_STATES, ChannelState, Difference, _Key

REFUNDED_LINE_STATES = frozenset({PaymentState.REFUNDED, PaymentState.REVERSED})


def basket_differences(journal: Journal, keys: dict[str, _Key], prefix: str) -> tuple[set[str], list[Difference]]:
    """The keys baskets account for (their order's and their lines'), and each basket's differences."""
    baskets = BasketJournal(journal)
    handled: set[str] = set()
    differences: list[Difference] = []
    days = {key.day for key in keys.values()}
    for day in sorted(days):
        for basket in baskets.created_on(day):
            if not basket.idempotency_key.startswith(prefix):
                continue
            handled.add(basket.idempotency_key)
            lines = baskets.lines(basket.basket_no)
            line_keys = [keys.get(line.entry.idempotency_key) or _Key(journal=line.entry) for line in lines]
            handled |= {line.entry.idempotency_key for line in lines}
            problem = _check(basket, lines, line_keys, keys.get(basket.idempotency_key))
            if problem is not None:
                kind, explanation = problem
                differences.append(_difference(basket, keys.get(basket.idempotency_key), kind, explanation))
    return handled, differences


def _check(basket: BasketEntry, lines, line_keys: list[_Key], order: _Key | None) -> tuple[str, str] | None:
    channel = order.channel if order is not None else None
    if basket.state not in END_STATES:
        return "unfinished", f"basket still {basket.state}: run `kiosk recover`"
    if sum(line.entry.amount_fen for line in lines) != basket.amount_fen:
        return "amount_mismatch", "the basket's total is not the sum of its lines"
    if channel is not None and channel.amount_fen != basket.amount_fen:
        return "amount_mismatch", "the channel's order is for another amount than the basket"
    posted_fen = refunded_fen = 0
    for line, key in zip(lines, line_keys, strict=True):
        posted = key.fee is not None
        if line.state in POSTED_STATES:
            if not posted:
                return "not_posted", f"line {line.line_no} posted in the journal, not in the fee system"
            if key.fee is not None and key.fee.amount_fen != line.entry.amount_fen:
                return "amount_mismatch", f"line {line.line_no}: the fee system posted another amount"
            posted_fen += line.entry.amount_fen
        elif posted:
            return "posted_but_not_kept", f"line {line.line_no} is {line.state}, yet the fee system posted it"
        elif line.state in REFUNDED_LINE_STATES:
            refunded_fen += line.entry.amount_fen
    kept = channel is not None and channel.state == ChannelState.PAID
    if channel is not None and kept and posted_fen + refunded_fen != basket.amount_fen:
        return "basket_money_unaccounted", "the channel kept the basket's money, its lines do not account for it all"
    if channel is not None and not kept and posted_fen:
        return "posted_without_channel_money", f"lines posted, but the channel says {channel.state}"
    if basket.state is PaymentState.FLAGGED:
        return "flagged", "basket flagged for a technician"
    return None


def _difference(basket: BasketEntry, order: _Key | None, kind: str, explanation: str) -> Difference:
    channel = order.channel if order is not None else None
    return Difference(
        journal_no=basket.basket_no,
        pay_method=basket.pay_method.value,
        amount_fen=basket.amount_fen,
        kind=kind,
        explained=False,
        explanation=explanation,
        journal_state=basket.state.value,
        fee_system_payment_no=None,
        fee_system_fen=None,
        channel_reference=channel.reference if channel else None,
        channel_state=channel.state if channel else None,
        channel_fen=channel.amount_fen if channel else None,
    )
