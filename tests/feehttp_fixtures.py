"""PYTEST_DONT_REWRITE. Fixtures of the fee-system-over-HTTP tests: the simulator served on loopback, a client.

Test modules load them with `pytest_plugins = ["feehttp_fixtures"]` (tests/ is on sys.path: no __init__.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import PaymentRecord
from kiosk.feesystem.http_client import HttpFeeSystem
from parties.feesystem.http_server import FeeSystemHttpServer

RESIDENT = "370103197003224422"  # 李秀英
ELDERLY = "370102194805060028"  # 孙桂兰, 78: no resident pension
UNREGISTERED = "37010519951111351X"
FLEXIBLE = "37010219850715231X"  # 张三丰, paid through 2026-08


@pytest.fixture
def served(fee_system) -> Iterator[FeeSystemHttpServer]:
    """The embedded simulator (conftest's ``fee_system``, fixed clock) on an ephemeral loopback port."""
    with FeeSystemHttpServer(fee_system, controls=True) as server:  # the tests pay QR orders over HTTP
        yield server


@pytest.fixture
def client(served) -> HttpFeeSystem:
    # Short backoff keeps retries fast; the timeout is generous so a slow CI machine never fails a good call.
    return HttpFeeSystem(served.url, timeout_seconds=5, retries=2, backoff_seconds=0.01, max_backoff_seconds=0.05)


def pay_resident_pension(fee_system, key: str, method: PayMethod = PayMethod.WECHAT) -> PaymentRecord:
    """Quote, open a QR order, let the simulator's phone pay, post: the whole QR path through ``fee_system``."""
    quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    order = fee_system.open_qr_order(key, quote.quote_id, method)
    paid = fee_system.simulate_qr_payment(order.order_no)
    return fee_system.post_payment(key, quote.quote_id, method, paid.channel_txn, RESIDENT)
