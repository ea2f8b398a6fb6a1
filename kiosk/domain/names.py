"""Masking of personal names for screens, receipts and logs (张*三, 李*)."""

from __future__ import annotations

import re


def mask_name(name: str) -> str:
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# Names inside free text: only where a known field names them, since a name has no shape of its own. The field
# (name=, 'name': , 姓名：, 户名 …) is matched as a whole word, so hostname=, filename= or journal_no= are left
# alone. The value is a quoted string; or else a run of CJK characters and middle dots (阿卜杜·热合曼); or Latin
# words where each word after the first starts with a capital (ZHANG SAN, Zhang San-Feng), so that the words of
# the message after the name stay.
NAME_FIELDS = (
    "name",
    "full_name",
    "display_name",
    "holder_name",
    "cardholder_name",
    "payer_name",
    "payee_name",
    "subject_name",
    "姓名",
    "户名",
    "持卡人",
    "缴费人",
    "参保人",
)
_FIELD = "|".join(sorted((re.escape(field) for field in NAME_FIELDS), key=len, reverse=True))
_CJK_NAME = r"[\u3400-\u9fff\uf900-\ufaff][\u3400-\u9fff\uf900-\ufaff·•]*"
_LATIN_NAME = r"[A-Za-z][A-Za-z-]*(?: [A-Z][A-Za-z-]*)*"
_NAME_IN_TEXT = re.compile(
    rf"""(?<![\w.])(?P<key>['"]?(?:{_FIELD})['"]?\s*[=:：]\s*)"""
    rf"""(?:(?P<quote>['"])(?P<quoted>[^'"\n]*)(?P=quote)|(?P<bare>{_CJK_NAME}|{_LATIN_NAME}))"""
)


def _mask_field(match: re.Match[str]) -> str:
    if match.group("quote"):
        quote = match.group("quote")
        return f"{match.group('key')}{quote}{mask_name(match.group('quoted'))}{quote}"
    return match.group("key") + mask_name(match.group("bare"))


def mask_names_in(text: str) -> str:
    """Names given in a known field of ``text`` (``name=张三``, ``'name': 'ZHANG SAN'``, ``姓名：李四``) masked."""
    return _NAME_IN_TEXT.sub(_mask_field, text)
