"""Document models of the A4 certificates: display strings only.

The kiosk fills these with text already formatted (dates, periods, amounts in figures and in Chinese
uppercase); the renderers lay them out and never compute or reformat a value, so what the kiosk checked is
exactly what prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class TaxRow:
    """One line of the 税收完税证明: one original payment voucher."""

    voucher_number: str  # 原凭证号
    tax_type: str  # 税种
    item_name: str  # 品目名称
    tax_period: str  # 税款所属时期, e.g. "2025-01-01至2025-01-31"
    entry_date: str  # 入(退)库日期
    amount: str  # 实缴(退)金额 in figures, e.g. "854.40"


@dataclass(frozen=True)
class TaxCertificate:
    """税收完税证明 (文书式).

    ``number`` is the fee system's certificate number, 年度字别 + 号码, e.g. ``(2026)鲁税证 00012345``.
    ``taxpayer_id`` is the full ID number: this document names the person, so it is not masked.
    """

    number: str
    issue_date: str  # 填发日期, e.g. "2026年05月12日"
    tax_authority: str  # 税务机关
    taxpayer_id: str  # 纳税人识别号
    taxpayer_name: str  # 纳税人名称
    rows: Sequence[TaxRow]
    total_uppercase: str  # 金额合计 (大写), e.g. "人民币壹仟肆佰零玖元伍角"
    total_figures: str  # 金额合计 (小写), e.g. "¥1,409.50"
    issuer: str  # 填票人
    verification_code: str
    verification_url: str = ""  # the bureau's public page for the code: the QR (the code itself when empty)
    remarks: str = ""  # 备注
    print_count: int = 1  # >1 is a reprint: 补打 and the count go into 备注
    seal_text: str = ""  # text around the seal; the tax authority when empty
    sample: bool = False  # 样张: watermarked, for printer tests only
    specimen: bool = False  # 样张 of a demo kiosk (simulated parts or the embedded fee system)


class PaymentForm(StrEnum):
    SUMMARY = "summary"  # 汇总: per insured item and period
    DETAIL = "detail"  # 明细: one row per month


@dataclass(frozen=True)
class PaymentSummaryRow:
    item: str  # 险种
    period: str  # 费款所属期, e.g. "2024年01月至2024年12月"
    months: str  # 月数
    base: str  # 缴费基数 (元/月)
    amount: str  # 缴费金额 (元)


@dataclass(frozen=True)
class PaymentDetailRow:
    month: str  # 费款所属期, e.g. "2024年01月"
    item: str  # 险种
    base: str  # 缴费基数
    amount: str  # 缴费金额
    paid_date: str  # 缴费日期


@dataclass(frozen=True)
class PaymentCertificate:
    """社会保险费缴费证明, summary (汇总) or detail (明细) form."""

    form: PaymentForm
    number: str  # 证明编号
    issue_date: str  # 开具日期
    issuing_office: str  # 开具单位 (the tax authority)
    person_name: str  # 姓名
    id_number: str  # 公民身份号码 (not masked: the document names the person)
    period: str  # 证明期间, e.g. "2024年01月至2025年12月"
    rows: Sequence[PaymentSummaryRow] | Sequence[PaymentDetailRow]
    total_months: str  # 缴费月数合计 (months with any payment)
    total_uppercase: str
    total_figures: str
    verification_code: str
    verification_url: str = ""  # the bureau's public page for the code: the QR (the code itself when empty)
    category: str = ""  # 参保身份, e.g. "灵活就业人员"
    remarks: str = ""
    print_count: int = 1
    seal_text: str = ""
    sample: bool = False
    specimen: bool = False

    def __post_init__(self) -> None:
        expected = PaymentSummaryRow if self.form is PaymentForm.SUMMARY else PaymentDetailRow
        if any(not isinstance(row, expected) for row in self.rows):
            raise TypeError(f"a {self.form.value} certificate takes {expected.__name__} rows")


# The smallest text in the tables of these documents (the voucher numbers), in points: the preview on screen
# scales the pages so that it is at least 24 px high.
SMALLEST_TABLE_TEXT_PT = 8.5


@dataclass(frozen=True)
class QueryListRow:
    """One line of the printed query result (查询导出)."""

    period: str  # 费款所属期, e.g. "2025年12月"
    item: str  # 险种 (official name)
    amount: str  # 缴费金额 in figures, e.g. "882.60"
    base_or_grade: str  # 缴费基数 or 档次, e.g. "4,413.00" or "第3档"
    pay_method: str  # 缴费方式
    payer: str  # 缴费人: "本人" or "代缴：张*"
    status: str  # 缴费状态: 已缴费 / 未缴费
    paid_date: str  # 缴费日期, "" when unpaid


@dataclass(frozen=True)
class QueryList:
    """社会保险费缴费记录查询结果: the kiosk's 查询导出 on A4, numbered by the fee system so its code can be checked."""

    number: str
    print_date: str  # 打印日期, e.g. "2026年11月27日"
    person_name: str
    id_number: str  # masked: a list printed at a kiosk may be left behind
    conditions: str  # the filters, as the citizen chose them
    rows: Sequence[QueryListRow]
    paid_count: str
    total_figures: str  # the paid records' total
    verification_code: str
    issuer: str
    verification_url: str = ""  # the bureau's public page for the code: the QR (the code itself when empty)
    print_count: int = 1
    sample: bool = False
    specimen: bool = False
