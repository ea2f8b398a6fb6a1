"""The citizen's session: who logged in, for whom they pay, what they chose. Wiped when it ends."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from kiosk.basket import Basket
from kiosk.domain.idnumber import mask_id_number
from kiosk.domain.items import Category, InsuredItem, PayMethod
from kiosk.domain.names import mask_name


@dataclass
class Person:
    id_number: str
    name: str
    # The fee system's registration: what the person may pay (a payee's own, whatever was chosen on Home).
    category: Category | None = None
    items: frozenset[InsuredItem] = frozenset()

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    def __repr__(self) -> str:  # never a full ID number in a log line
        return f"Person({self.masked_name}, {self.masked_id})"


@dataclass
class Session:
    category: Category | None = None
    module: str | None = None  # pay, proxy, certificates, query
    login_method: str | None = None  # idcard, sscard
    person: Person | None = None  # who is logged in (the payer)
    payee: Person | None = None  # for a proxy payment; else the person
    item: InsuredItem | None = None
    year: int | None = None
    period: Any = None  # the months chosen (flexible employment)
    base_fen: int | None = None  # the contribution base chosen (flexible employment)
    medical_items: list[Any] = field(default_factory=list)  # the flexible worker's medical binding
    pay_method: PayMethod | None = None
    offers: list[Any] = field(default_factory=list)
    agency: str | None = None  # the 社保经办机构 whose arrears are shown (residents' arrears)
    bills: list[Any] = field(default_factory=list)  # the arrears bills looked up (all agencies)
    bill: Any = None  # the bill being paid (special payment, arrears), for the review
    quote: Any = None
    payment: Any = None  # the open payment (journal entry and order)
    record: Any = None  # the posted payment record
    receipt_error: str | None = None
    printer: Any = None  # the receipt printer's readiness, asked before money is taken
    certificate: Any = None  # the prepared certificate (number, document) being previewed and printed
    certificate_pdf: bytes = b""
    basket: Basket = field(default_factory=Basket)  # the household basket (issue 22): items gathered to pay at once
    basket_quote: Any = None  # the fee system's order for the basket, once priced
    basket_outcome: Any = None  # what the basket's payment did (posted and refunded lines)

    @property
    def subject(self) -> Person | None:
        """The person the payment is for."""
        return self.payee or self.person

    @property
    def subject_category(self) -> Category | None:
        """Whose insurances are offered: a payee's own registration; for oneself, the choice made on Home."""
        if self.payee is not None:
            return self.payee.category or self.category
        return self.category

    def wipe(self) -> None:
        """Forget everything personal: the next citizen starts from nothing."""
        for each in fields(self):
            default = each.default_factory() if callable(each.default_factory) else each.default  # type: ignore[misc]
            setattr(self, each.name, default)
