"""Insured items (险种), pay methods and person categories.

Each has an English label for the screens (translated through Qt; marked with QT_TRANSLATE_NOOP) and, where a
document needs it, the official Chinese name that tax documents print whatever the screen language.
"""

from __future__ import annotations

from enum import StrEnum

from drivers.base import QT_TRANSLATE_NOOP


class Category(StrEnum):
    FLEXIBLE = "flexible"  # 灵活就业人员
    RESIDENT = "resident"  # 城乡居民


class InsuredItem(StrEnum):
    FLEXIBLE_PENSION = "flexible_pension"
    FLEXIBLE_MEDICAL = "flexible_medical"
    RESIDENT_PENSION = "resident_pension"
    RESIDENT_MEDICAL = "resident_medical"
    SPECIAL = "special"

    @property
    def category(self) -> Category | None:
        if self in (InsuredItem.FLEXIBLE_PENSION, InsuredItem.FLEXIBLE_MEDICAL):
            return Category.FLEXIBLE
        if self in (InsuredItem.RESIDENT_PENSION, InsuredItem.RESIDENT_MEDICAL):
            return Category.RESIDENT
        return None

    @property
    def label(self) -> str:
        return ITEM_LABELS[self]

    @property
    def official_name(self) -> str:
        return ITEM_OFFICIAL_NAMES[self]


ITEM_LABELS = {
    InsuredItem.FLEXIBLE_PENSION: QT_TRANSLATE_NOOP("Domain", "Flexible employment pension insurance"),
    InsuredItem.FLEXIBLE_MEDICAL: QT_TRANSLATE_NOOP("Domain", "Flexible employment medical insurance"),
    InsuredItem.RESIDENT_PENSION: QT_TRANSLATE_NOOP("Domain", "Resident basic pension insurance"),
    InsuredItem.RESIDENT_MEDICAL: QT_TRANSLATE_NOOP("Domain", "Resident basic medical insurance"),
    InsuredItem.SPECIAL: QT_TRANSLATE_NOOP("Domain", "Special payment"),
}

# Names as the tax bureau's documents print them (品目名称 / 险种).
ITEM_OFFICIAL_NAMES = {
    InsuredItem.FLEXIBLE_PENSION: "企业职工基本养老保险费（灵活就业）",
    InsuredItem.FLEXIBLE_MEDICAL: "职工基本医疗保险费（灵活就业）",
    InsuredItem.RESIDENT_PENSION: "城乡居民基本养老保险费",
    InsuredItem.RESIDENT_MEDICAL: "城乡居民基本医疗保险费",
    InsuredItem.SPECIAL: "社会保险费（特殊缴费）",
}


class PayMethod(StrEnum):
    BANK_CARD = "bank_card"
    ALIPAY = "alipay"
    WECHAT = "wechat"
    # 聚合支付 (issue 22): one code that Alipay, WeChat Pay and UnionPay's 云闪付 can all pay; a household basket's.
    AGGREGATED = "aggregated"

    @property
    def is_qr(self) -> bool:
        return self in (PayMethod.ALIPAY, PayMethod.WECHAT, PayMethod.AGGREGATED)

    @property
    def label(self) -> str:
        return PAY_METHOD_LABELS[self]

    @property
    def official_name(self) -> str:
        return PAY_METHOD_OFFICIAL_NAMES[self]


PAY_METHOD_LABELS = {
    PayMethod.BANK_CARD: QT_TRANSLATE_NOOP("Domain", "Bank card"),
    PayMethod.ALIPAY: QT_TRANSLATE_NOOP("Domain", "Alipay"),
    PayMethod.WECHAT: QT_TRANSLATE_NOOP("Domain", "WeChat Pay"),
    PayMethod.AGGREGATED: QT_TRANSLATE_NOOP("Domain", "One QR code (Alipay, WeChat Pay, UnionPay)"),
}
PAY_METHOD_OFFICIAL_NAMES = {
    PayMethod.BANK_CARD: "银行卡",
    PayMethod.ALIPAY: "支付宝",
    PayMethod.WECHAT: "微信支付",
    PayMethod.AGGREGATED: "聚合支付",
}
