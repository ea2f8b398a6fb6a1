"""The payment query (社保缴费信息查询, 查询导出): what was paid and what is still due, by period, 险种 and status.

The fee system answers for a period (payment_records) and holds the unpaid bills (pending_bills); this module
applies the citizen's 险种 and status filters, names the payer of a proxy payment (masked), and builds the A4 list
(printers/certificates/query_list.py) with the fee system's number, so that its verification code can be checked.
Beside the person's own records it lists what they paid at this terminal for other people (代缴, a household
basket's lines: payments_made_for_others), the payee masked, so that a payer with no record of their own can still
reprint the receipt; the A4 list holds the person's own rows only (its number covers their records).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from drivers.base import QT_TRANSLATE_NOOP
from kiosk.domain.idnumber import mask_id_number
from kiosk.domain.items import InsuredItem
from kiosk.domain.money import format_fen
from kiosk.domain.names import mask_name
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import Bill, FeeSystem, FeeSystemError, PaymentRecord
from printers.certificates.models import QueryList, QueryListRow

log = logging.getLogger(__name__)


class PayStatus(StrEnum):
    PAID = "paid"  # 已缴费: posted by the fee system
    UNPAID = "unpaid"  # 未缴费: a bill the fee system still holds

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def official_name(self) -> str:
        return STATUS_OFFICIAL_NAMES[self]


STATUS_LABELS = {
    PayStatus.PAID: QT_TRANSLATE_NOOP("Domain", "Paid"),
    PayStatus.UNPAID: QT_TRANSLATE_NOOP("Domain", "Not paid"),
}
STATUS_OFFICIAL_NAMES = {PayStatus.PAID: "已缴费", PayStatus.UNPAID: "未缴费"}


@dataclass(frozen=True)
class QueryFilter:
    period: Period
    item: InsuredItem | None = None  # None: every 险种
    status: PayStatus | None = None  # None: paid and unpaid


@dataclass(frozen=True)
class QueryRow:
    """One line of the answer: a posted payment, or an unpaid bill."""

    period: Period
    item: InsuredItem
    amount_fen: int
    status: PayStatus
    record: PaymentRecord | None = None
    bill: Bill | None = None
    payer_masked: str = ""  # the payer's masked name when someone else paid (代缴)
    for_other: bool = False  # a payment the person made for someone else (代缴), not a record of their own
    payee_masked: str = ""  # that someone's masked name

    @property
    def proxy(self) -> bool:
        """Paid for the person by someone else."""
        return self.record is not None and not self.for_other and self.record.payer_id_number != self.record.id_number

    @property
    def grade_number(self) -> int | None:
        """档次 G03 → 3."""
        code = self.record.grade_code if self.record else None
        digits = "".join(ch for ch in code or "" if ch.isdigit())
        return int(digits) if digits else None


def find(fee_system: FeeSystem, id_number: str, wanted: QueryFilter, terminal_id: str | None = None) -> list[QueryRow]:
    """The rows for the filter, newest period first; with ``terminal_id``, also the payments the person made there
    for other people."""
    rows: list[QueryRow] = []
    if terminal_id is not None and wanted.status in (None, PayStatus.PAID):
        rows += _paid_for_others(fee_system, id_number, terminal_id, wanted)
    if wanted.status in (None, PayStatus.PAID):
        payers: dict[str, str] = {}
        for record in fee_system.payment_records(id_number, wanted.period):
            if wanted.item is not None and record.item is not wanted.item:
                continue
            payer = ""
            if record.payer_id_number != record.id_number:
                if record.payer_id_number not in payers:
                    payers[record.payer_id_number] = _masked_name(fee_system, record.payer_id_number)
                payer = payers[record.payer_id_number]
            rows.append(
                QueryRow(
                    record.period, record.item, record.amount_fen, PayStatus.PAID, record=record, payer_masked=payer
                )
            )
    if wanted.status in (None, PayStatus.UNPAID) and wanted.item in (None, InsuredItem.SPECIAL):
        for bill in fee_system.pending_bills(id_number):
            if bill.period.overlaps(wanted.period):
                rows.append(QueryRow(bill.period, InsuredItem.SPECIAL, bill.amount_fen, PayStatus.UNPAID, bill=bill))
    rows.sort(key=lambda row: (row.period.start, row.item.value, row.status.value), reverse=True)
    return rows


def _paid_for_others(fee_system: FeeSystem, payer: str, terminal_id: str, wanted: QueryFilter) -> list[QueryRow]:
    try:
        records = fee_system.payments_made_for_others(payer, terminal_id, wanted.period)
    except FeeSystemError as error:  # the person's own records still answer the query
        log.warning("payments made for others not listed: %s", error.code)
        return []
    names: dict[str, str] = {}
    rows = []
    for record in records:
        if wanted.item is not None and record.item is not wanted.item:
            continue
        if record.id_number not in names:
            names[record.id_number] = _masked_name(fee_system, record.id_number)
        rows.append(
            QueryRow(
                record.period,
                record.item,
                record.amount_fen,
                PayStatus.PAID,
                record=record,
                for_other=True,
                payee_masked=names[record.id_number],
            )
        )
    return rows


def own_rows(rows: Sequence[QueryRow]) -> list[QueryRow]:
    """The person's own rows (what the A4 list and its totals cover)."""
    return [row for row in rows if not row.for_other]


def _masked_name(fee_system: FeeSystem, id_number: str) -> str:
    try:
        return mask_name(fee_system.registration(id_number).name)
    except FeeSystemError:  # the payer is not registered here: the row still says 代缴
        return ""


def paid_records(rows: Sequence[QueryRow]) -> list[PaymentRecord]:
    return [row.record for row in rows if row.record is not None]


# --- how documents write dates (Chinese whatever the screen language) -----------------------------------------


def month_text(month: YearMonth) -> str:
    return f"{month.year}年{month.month}月"


def period_text(period: Period) -> str:
    if period.start == period.end:
        return month_text(period.start)
    return f"{month_text(period.start)}至{month_text(period.end)}"


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def conditions_text(wanted: QueryFilter) -> str:
    item = wanted.item.official_name if wanted.item else "全部险种"
    status = wanted.status.official_name if wanted.status else "全部状态"
    return f"{period_text(wanted.period)}，{item}，{status}"


def query_list(
    number: str,
    verification_code: str,
    terminal_id: str,
    today: dt.date,
    name: str,
    id_number: str,
    wanted: QueryFilter,
    rows: Sequence[QueryRow],
    print_count: int = 1,
) -> QueryList:
    """The A4 list of ``rows``; its verification code covers the paid ones (the records the number was given for)."""
    total = sum(row.amount_fen for row in rows if row.status is PayStatus.PAID)
    return QueryList(
        number=number,
        print_date=date_text(today),
        person_name=mask_name(name),
        id_number=mask_id_number(id_number),
        conditions=conditions_text(wanted),
        rows=[_list_row(row) for row in rows],
        paid_count=str(sum(1 for row in rows if row.status is PayStatus.PAID)),
        total_figures=format_fen(total),
        verification_code=verification_code,  # the fee system's, signed when it numbered the list
        issuer=f"自助终端{terminal_id}",
        print_count=print_count,
    )


def _list_row(row: QueryRow) -> QueryListRow:
    record = row.record
    if record is None:
        base_or_grade = pay_method = payer = paid = ""
    else:
        grade = row.grade_number
        if record.base_fen is not None:
            base_or_grade = format_fen(record.base_fen, symbol=False)
        else:
            base_or_grade = f"第{grade}档" if grade is not None else "—"
        pay_method = record.pay_method.official_name
        payer = f"代缴：{row.payer_masked}" if row.proxy else "本人"
        paid = date_text(record.paid_at.date())
    return QueryListRow(
        period=period_text(row.period),
        item=row.item.official_name,
        amount=format_fen(row.amount_fen, symbol=False),
        base_or_grade=base_or_grade,
        pay_method=pay_method,
        payer=payer,
        status=row.status.official_name,
        paid_date=paid,
    )
