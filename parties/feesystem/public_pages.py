"""The bureau's public pages, served by the fee-system simulator beside its API (issue 20 §3):

- ``GET /verify/<code>``: is a certificate or receipt genuine? The page a verification QR code opens on a phone.
- ``GET /documents/<number>.pdf?t=<token>``: the electronic copy (下载) of a certificate, as the kiosk showed and
  printed it, while its short-lived token is good.

Plain HTML in Chinese, readable on a phone, no JavaScript (the Content-Security-Policy forbids scripts). A page
shows only what the document's code carries and the print count: kind, number, masked name, amount in figures and in
uppercase, issue date (a basket's receipt: its number of lines instead of the print count). Bad input (a malformed
code, an oversized path or query, a traversal, an unknown document) gets a page in words with 400 or 404, never a
traceback; every client address gets a bounded number of requests a minute (429 past it). These routes need no
client certificate: the server dispatches ``GET`` requests for them here, whatever the API's transport asks of its
callers.
"""

from __future__ import annotations

import html
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from kiosk.domain.money import fen_to_chinese_uppercase, format_fen
from kiosk.verification import DocumentKind, MalformedCodeError, code_version, normalize_code
from parties.feesystem.certificates import Certificates, VerifiedIssue

VERIFY_PREFIX = "/verify/"
DOCUMENTS_PREFIX = "/documents/"
MAX_TARGET_CHARS = 1024  # the longest code's URL is about 200 characters; a copy's about 110
MAX_CODE_CHARS = 400  # a signed code with hyphens is about 205 characters
MAX_NUMBER_CHARS = 64
_CODE = re.compile(r"^[A-Za-z2-7\-]+$")
_TOKEN = re.compile(r"^[A-Za-z2-7]{1,64}$")
# A number as the fee system writes them: (年度)字别 号码 or a payment number; nothing that could climb a path.
_NUMBER = re.compile(r"^[\w()（） \-]+$")


@dataclass(frozen=True)
class Page:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class RateLimit:
    """At most ``per_minute`` requests a minute for each client address (a token bucket); a bounded table of
    addresses, the longest idle forgotten first, so that many addresses cannot grow it without end."""

    def __init__(
        self, per_minute: int = 30, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000
    ) -> None:
        self.capacity, self.per_second = float(per_minute), per_minute / 60.0
        self.clock, self.max_clients = clock, max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = self.clock()
        with self._lock:
            tokens, since = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - since) * self.per_second)
            allowed = tokens >= 1.0
            self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return allowed


class PublicPages:
    def __init__(self, certificates: Certificates, rate_limit: RateLimit | None = None) -> None:
        self.certificates = certificates
        self.rate_limit = rate_limit or RateLimit()

    @staticmethod
    def handles(target: str) -> bool:
        """Whether a GET request target is one of these pages (the server's dispatch)."""
        path = target.split("?", 1)[0].lower()
        return path.startswith((VERIFY_PREFIX, DOCUMENTS_PREFIX)) or path == VERIFY_PREFIX.rstrip("/")

    def answer(self, target: str, client: str) -> Page:
        if len(target) > MAX_TARGET_CHARS:
            return _message(400, "地址过长", "请求的地址过长，不是有效的核验或下载地址。")
        if not self.rate_limit.allow(client):
            page = _message(429, "请求过于频繁", "您查询得太频繁了，请一分钟后再试。")
            page.headers["Retry-After"] = "60"
            return page
        parts = urlsplit(target)
        try:
            path = unquote(parts.path, errors="strict")
        except UnicodeDecodeError:
            return _message(400, "地址无效", "地址中有无法识别的字符。")
        if ".." in path or "\\" in path or "\x00" in path or "//" in path:
            return _message(400, "地址无效", "地址无效。")
        lowered = path.lower()
        if lowered.startswith(VERIFY_PREFIX) or lowered == VERIFY_PREFIX.rstrip("/"):
            return self._verify(path[len(VERIFY_PREFIX) :], parts.query)
        return self._document(path[len(DOCUMENTS_PREFIX) :], parts.query)

    # --- /verify/<code> ----------------------------------------------------------------------------------------

    def _verify(self, code: str, query: str) -> Page:
        if query or not code or len(code) > MAX_CODE_CHARS or not _CODE.match(code) or not _code_shaped(code):
            return _message(400, "核验码无效", "这不是有效的核验码：请核对二维码下方印的核验码。")
        verified = self.certificates.verify(code)
        if verified is None:
            return _page(
                200,
                "核验未通过",
                '<p class="verdict bad">✗ 核验未通过：不是真实有效的文书</p>'
                "<p>该核验码不是税务机关开具的，或已被改动。请向出具文书的人核实，或到办税服务厅查询。</p>",
            )
        return _page(200, "核验通过", _genuine(verified))

    # --- /documents/<number>.pdf?t=<token> ---------------------------------------------------------------------

    def _document(self, name: str, query: str) -> Page:
        if not name.lower().endswith(".pdf"):
            return _message(404, "找不到文书", "没有这份文书。")
        number = name[: -len(".pdf")]
        try:
            tokens = parse_qs(query, strict_parsing=True, max_num_fields=2).get("t", [])
        except ValueError:
            tokens = []
        if not number or len(number) > MAX_NUMBER_CHARS or not _NUMBER.match(number):
            return _message(400, "地址无效", "文书编号无效。")
        if len(tokens) != 1 or not _TOKEN.match(tokens[0]):
            return _message(400, "下载链接无效", "下载链接不完整：请在自助终端重新扫描下载二维码。")
        pdf, problem = self.certificates.copy(number, tokens[0])
        if problem == "unknown":
            return _message(404, "找不到文书", "没有这份文书的电子件。")
        if problem == "expired":
            return _message(410, "下载链接已过期", "下载链接已过期：请在自助终端重新打开证明，扫描新的下载二维码。")
        if pdf is None:
            return _message(403, "下载链接无效", "下载链接无效：请在自助终端重新扫描下载二维码。")
        return Page(
            200,
            "application/pdf",
            pdf,
            {
                "Content-Disposition": "inline; filename=\"certificate.pdf\"; filename*=UTF-8''" + _ascii_name(number),
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )


def _ascii_name(number: str) -> str:
    from urllib.parse import quote

    return quote(number + ".pdf", safe="")


def _genuine(verified: VerifiedIssue) -> str:
    claimed, issued = verified.claimed, verified.issued
    kind = claimed.kind or DocumentKind.of(issued.kind)
    rows = [
        ("文书种类", kind.official_name),
        ("编号", claimed.number),
        ("缴费人" if kind is DocumentKind.BASKET else "姓名", claimed.masked_name),
        ("金额", format_fen(claimed.total_fen)),
        ("金额（大写）", fen_to_chinese_uppercase(claimed.total_fen, prefix=True)),
        ("开具日期", f"{claimed.issued_on.year}年{claimed.issued_on.month}月{claimed.issued_on.day}日")
        if claimed.issued_on
        else ("开具日期", "—"),
    ]
    if kind is DocumentKind.BASKET:  # one receipt for the lines posted (refunded lines are not in its total)
        rows.append(("缴费项数", f"{issued.lines} 项"))
    elif kind is DocumentKind.RECEIPT:  # printed with the payment; the kiosk tells the fee system of each 补打
        rows.append(("补打", f"已补打 {issued.printed - 1} 次" if issued.printed > 1 else "未补打"))
    else:
        rows.append(("打印次数", _print_count(issued.printed)))
    table = "".join(f"<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>" for label, value in rows)
    return (
        '<p class="verdict good">✓ 核验通过：真实有效</p>'
        f"<table>{table}</table>"
        '<p class="note">请核对纸质文书上的编号、姓名和金额与本页一致。本页不显示证件号码。</p>'
    )


def _print_count(printed: int) -> str:
    if printed <= 0:
        return "尚未打印"
    if printed == 1:
        return "已打印 1 次"
    return f"已打印 {printed} 次（含补打 {printed - 1} 次）"


_STYLE = (
    "body{font-family:sans-serif;font-size:20px;line-height:1.5;margin:0;padding:16px;color:#111;background:#fff}"
    "h1{font-size:24px;margin:0 0 12px}"
    ".verdict{font-size:26px;font-weight:bold;padding:12px;border:3px solid}"
    ".good{color:#0a5a0a;border-color:#0a5a0a}.bad{color:#9a0000;border-color:#9a0000}"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:8px 4px;border-bottom:1px solid #ccc;"
    "vertical-align:top}th{width:7em;font-weight:normal;color:#444}td{word-break:break-all}.note{color:#444}"
)
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


# Shorter than any code the bureau issues (the shortest, a v1 code, is over 30 characters): not a code at all, as
# against a code with a changed character, which is answered "not genuine".
MIN_CODE_CHARS = 26


def _code_shaped(code: str) -> bool:
    """Whether the text can be a verification code: the alphabet, a length base32 produces, long enough."""
    try:
        code_version(code)
        return len(normalize_code(code)) >= MIN_CODE_CHARS
    except MalformedCodeError:
        return False


def _page(status: int, title: str, body: str) -> Page:
    document = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} · 社会保险费文书核验</title><style>{_STYLE}</style></head>"
        f"<body><h1>社会保险费文书核验</h1>{body}</body></html>"
    )
    return Page(status, "text/html; charset=utf-8", document.encode("utf-8"), dict(_HEADERS))


def _message(status: int, title: str, words: str) -> Page:
    return _page(status, title, f'<p class="verdict bad">{html.escape(title)}</p><p>{html.escape(words)}</p>')
