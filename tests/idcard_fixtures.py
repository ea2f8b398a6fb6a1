"""Shared data and helpers of the ID card reader tests (imported by tests/test_idcard_*.py)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from drivers.idcard.reader import SerialIdCardReader
from drivers.idcard.simulator import IdCardReaderSimulator, demo_card
from drivers.idcard.text import CardType, IdCardData

# One person per card type. Numbers are made up; the resident one is the GB 11643 example number.
RESIDENT_PERSON = {
    "name": "张三丰",
    "sex": "male",
    "nation": "汉",
    "birth_date": "1949-12-31",
    "address": "山东省济南市历下区泺源大街 100号 3单元",  # an inner space must survive
    "id_number": "11010519491231002X",
    "issuer": "济南市公安局历下分局",
    "valid_from": "2016-05-01",
    "valid_to": "长期",
}
PERMIT_PERSON = {
    "card_type": "hk_mo_tw_permit",
    "name": "陈大文",
    "sex": "female",
    "birth_date": "1990-01-01",
    "address": "山东省青岛市市南区香港中路 8号",
    "id_number": "810000199001010028",
    "issuer": "青岛市公安局市南分局",
    "valid_from": "2021-03-15",
    "valid_to": "2026-03-15",
    "pass_number": "H12345678",
    "issue_count": 2,
}
FOREIGN_PERSON = {
    "card_type": "foreign_permanent",
    "name": "史密斯",
    "sex": "male",
    "birth_date": "1980-07-04",
    # Longer than the 35 characters of 52/70, so it continues at 220/22.
    "english_name": "SMITH JOHN WILLIAM ALEXANDER BARTHOLOMEW",
    "id_number": "936137198007040015",
    "issuer": "国家移民管理局",
    "valid_from": "2023-12-01",
    "valid_to": "2033-12-01",
    "nationality": "GBR",
    "renewal_count": 0,
}
FOREIGN_OLD_PERSON = {
    "card_type": "foreign_permanent_old",
    "name": "",
    "sex": "female",
    "birth_date": "1975-02-28",
    "english_name": "DOE, JANE MARY",
    "id_number": "USA370075022810",
    "issuer": "1500",
    "valid_from": "2015-06-01",
    "valid_to": "2025-06-01",
    "nationality": "USA",
    "card_version": "10",
}
PEOPLE = {
    CardType.RESIDENT: RESIDENT_PERSON,
    CardType.HK_MO_TW_PERMIT: PERMIT_PERSON,
    CardType.FOREIGN_PERMANENT: FOREIGN_PERSON,
    CardType.FOREIGN_PERMANENT_OLD: FOREIGN_OLD_PERSON,
}


def card_of(card_type: CardType) -> IdCardData:
    return demo_card(PEOPLE[card_type])


def resident_card() -> IdCardData:
    return card_of(CardType.RESIDENT)


def date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@contextlib.contextmanager
def simulated_reader(
    card: IdCardData | None = None, timeout: float = 1.0, pace_baud: int | None = None
) -> Iterator[tuple[IdCardReaderSimulator, SerialIdCardReader]]:
    """A running simulator and an open real driver on its pty."""
    with IdCardReaderSimulator(card, pace_baud=pace_baud) as simulator:
        reader = SerialIdCardReader(simulator.port, timeout=timeout)
        with reader:
            yield simulator, reader
