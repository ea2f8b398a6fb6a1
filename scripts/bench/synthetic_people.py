"""Synthetic flexible-employment workers for benchmarks that pay many times.

A month paid once is refused after (AlreadyPaid), and a demo person has only a few months due (in December, the
policy's 3 months back and the current one), so a benchmark that pays more than that pays for fresh people: the
demo people, then ``count`` workers keyed ``bench0``, ``bench1``, ... with nothing paid for years. Whatever the
date, each has at least the policy's months back and the current month due (4 with config/policy.toml).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from common import REPO

from kiosk.domain.idnumber import check_character

DEMO_PEOPLE = REPO / "config" / "demo_people.toml"


def synthetic_id(number: int) -> str:
    """A valid GB 11643 number of Jinan's Lixia district (370102), born 1980-01-01 plus ``number // 900`` days."""
    birth = dt.date(1980, 1, 1) + dt.timedelta(days=number // 900)
    first17 = f"370102{birth:%Y%m%d}{number % 900 + 100:03d}"
    return first17 + check_character(first17)


def worker_key(number: int) -> str:
    return f"bench{number}"


def write_people(path: Path, count: int, id_cards: bool = False) -> Path:
    """config/demo_people.toml plus ``count`` workers registered for flexible pension; ``id_cards``: each with an
    ID card that never expires, so a benchmark can log them in at the kiosk."""
    lines = [DEMO_PEOPLE.read_text(encoding="utf-8"), ""]
    for number in range(count):
        lines += [
            "[[person]]", f'key = "{worker_key(number)}"', f'name = "测试{number}"',
            f'id_number = "{synthetic_id(number)}"', 'category = "flexible"', 'registrations = ["flexible_pension"]',
            'paid_through = "2000-12"',  # long ago: every month the policy lets one pay now is due
        ]
        if id_cards:
            lines.append('card = { issuer = "济南市公安局历下分局", valid_from = "2020-01-01", valid_to = "长期" }')
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
