"""The household basket (issue 22): items for oneself and for others, gathered before one payment.

One line per person and item, each a quote the fee system priced; at most ten lines, one payer, one pay method.
Names and ID numbers are kept for the receipt and shown masked only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.domain.idnumber import mask_id_number
from kiosk.domain.names import mask_name
from kiosk.feesystem.api import Quote

MAX_LINES = 10


class BasketFull(Exception):
    """The eleventh line: a basket holds ten."""


class AlreadyInBasket(Exception):
    """The same person's same item and period is in the basket already."""


@dataclass(frozen=True)
class BasketItem:
    quote: Quote
    name: str  # the payee's name as the fee system registers it

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.quote.id_number)

    @property
    def same_as(self) -> tuple[str, str, str, str]:
        quote = self.quote
        return (quote.id_number, quote.item.value, str(quote.period.start), quote.bill_no or "")


@dataclass
class Basket:
    items: list[BasketItem] = field(default_factory=list)

    def add(self, quote: Quote, name: str) -> BasketItem:
        item = BasketItem(quote, name)
        if any(other.same_as == item.same_as for other in self.items):
            raise AlreadyInBasket(f"{item.masked_id} {quote.item} {quote.period} is in the basket already")
        if len(self.items) >= MAX_LINES:
            raise BasketFull(f"a basket holds {MAX_LINES} lines")
        self.items.append(item)
        return item

    def remove(self, index: int) -> None:
        del self.items[index]

    def holds(self, quote: Quote) -> bool:
        return any(other.same_as == BasketItem(quote, "").same_as for other in self.items)

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_LINES

    @property
    def total_fen(self) -> int:
        return sum(item.quote.amount_fen for item in self.items)

    @property
    def quote_ids(self) -> tuple[str, ...]:
        return tuple(item.quote.quote_id for item in self.items)

    def name_of(self, id_number: str) -> str:
        return next((item.name for item in self.items if item.quote.id_number == id_number), "")

    def __len__(self) -> int:
        return len(self.items)
