"""Code tables of the card: sex (GB/T 2261.1-2003) and nation (GB/T 3304-1991, plus 97 and 98)."""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    """GB/T 2261.1-2003 人的性别代码: 0 unknown, 1 male, 2 female, 9 unstated."""

    UNKNOWN = "unknown"
    MALE = "male"
    FEMALE = "female"
    UNSTATED = "unstated"

    @property
    def code(self) -> str:
        return _SEX_TO_CODE[self]

    @classmethod
    def from_code(cls, code: str) -> Sex | None:
        return _CODE_TO_SEX.get(code)


_SEX_TO_CODE = {Sex.UNKNOWN: "0", Sex.MALE: "1", Sex.FEMALE: "2", Sex.UNSTATED: "9"}
_CODE_TO_SEX = {code: sex for sex, code in _SEX_TO_CODE.items()}

# GB/T 3304-1991 中国各民族名称的罗马字母拼写法和代码 (the 56 nations, codes 01-56), plus the
# codes the card uses for 97 其他 (other) and 98 外国血统中国籍人士 (naturalised Chinese of foreign descent).
NATION_NAMES: dict[str, str] = {
    "01": "汉族",
    "02": "蒙古族",
    "03": "回族",
    "04": "藏族",
    "05": "维吾尔族",
    "06": "苗族",
    "07": "彝族",
    "08": "壮族",
    "09": "布依族",
    "10": "朝鲜族",
    "11": "满族",
    "12": "侗族",
    "13": "瑶族",
    "14": "白族",
    "15": "土家族",
    "16": "哈尼族",
    "17": "哈萨克族",
    "18": "傣族",
    "19": "黎族",
    "20": "傈僳族",
    "21": "佤族",
    "22": "畲族",
    "23": "高山族",
    "24": "拉祜族",
    "25": "水族",
    "26": "东乡族",
    "27": "纳西族",
    "28": "景颇族",
    "29": "柯尔克孜族",
    "30": "土族",
    "31": "达斡尔族",
    "32": "仫佬族",
    "33": "羌族",
    "34": "布朗族",
    "35": "撒拉族",
    "36": "毛南族",
    "37": "仡佬族",
    "38": "锡伯族",
    "39": "阿昌族",
    "40": "普米族",
    "41": "塔吉克族",
    "42": "怒族",
    "43": "乌孜别克族",
    "44": "俄罗斯族",
    "45": "鄂温克族",
    "46": "德昂族",
    "47": "保安族",
    "48": "裕固族",
    "49": "京族",
    "50": "塔塔尔族",
    "51": "独龙族",
    "52": "鄂伦春族",
    "53": "赫哲族",
    "54": "门巴族",
    "55": "珞巴族",
    "56": "基诺族",
    "97": "其他",
    "98": "外国血统中国籍人士",
}


def nation_name(code: str) -> str:
    """The GB/T 3304 name of a two-digit code; "" for an empty or unknown code."""
    return NATION_NAMES.get(code, "")


def nation_code(name_or_code: str) -> str:
    """A two-digit code from a code ("1", "01") or a name ("汉族", or "汉" as the card prints it)."""
    text = name_or_code.strip()
    if text.isdigit():
        code = text.zfill(2)
        if code in NATION_NAMES:
            return code
    for code, name in NATION_NAMES.items():
        if text in (name, name.removesuffix("族")):
            return code
    raise ValueError(f"unknown nation {name_or_code!r}")
