"""A payment the fee system records from another channel meanwhile (the scenario step ``paid_elsewhere``).

While a citizen stands at the kiosk, the same period may be paid elsewhere: at a bank counter, in the tax app, by a
relative at another kiosk. The fee-system simulator books it as such a counter would: a fresh quote of that period
(a resident item at its lowest grade, or a bill), posted as a bank-card payment under a key of its own. A basket
line of that period is then refused when the kiosk posts it, and its money given back (issue 22).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import PaymentRecord, Quote

KEYS = ("person", "id_number", "item", "year", "bill")
_postings = itertools.count(1)


class OtherChannelError(Exception):
    """The step does not name something the fee system can take a payment for now."""


@dataclass(frozen=True)
class ElsewhereRequest:
    id_number: str
    item: InsuredItem | None = None  # a resident item and its year
    year: int | None = None
    bill: str | None = None  # or a pending bill's number

    @classmethod
    def parse(cls, id_number: str, table: dict[str, Any]) -> ElsewhereRequest:
        unknown = set(table) - set(KEYS)
        if unknown:
            raise OtherChannelError(f"paid_elsewhere keys {', '.join(KEYS)}; not {sorted(unknown)}")
        bill = table.get("bill")
        if bill is not None:
            if not isinstance(bill, str) or {"item", "year"} & set(table):
                raise OtherChannelError("paid_elsewhere: a bill number (text) alone, or an item with its year")
            return cls(id_number, bill=bill)
        item, year = table.get("item"), table.get("year")
        if item not in {i.value for i in InsuredItem} or not isinstance(year, int) or isinstance(year, bool):
            raise OtherChannelError("paid_elsewhere: item (e.g. resident_medical) and year (e.g. 2027), or bill")
        return cls(id_number, InsuredItem(item), year)


def pay_elsewhere(fee_system: Any, request: ElsewhereRequest) -> PaymentRecord:
    """Book ``request``'s period as paid at a bank counter; the fee system's record of it."""
    quote = _quote(fee_system, request)
    key = f"counter-{next(_postings)}-{quote.quote_id}"  # not a kiosk's key: no kiosk will ever ask for it
    return fee_system.post_payment(
        key, quote.quote_id, PayMethod.BANK_CARD, f"COUNTER{quote.quote_id}", quote.id_number
    )


def _quote(fee_system: Any, request: ElsewhereRequest) -> Quote:
    if request.bill is not None:
        return fee_system.quote_bill(request.id_number, request.bill)
    assert request.item is not None and request.year is not None
    today = fee_system.clock().date()
    offer = next(
        (o for o in fee_system.resident_offers(request.id_number, request.item, today) if o.year == request.year), None
    )
    if offer is None or not offer.grades:
        raise OtherChannelError(f"the fee system offers no {request.item.value} for {request.year} to this person")
    return fee_system.quote_resident(request.id_number, request.item, request.year, offer.grades[0].code)
