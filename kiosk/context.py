"""Everything a screen may use, in one object: configuration, services, the session and the flow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.config import KioskConfig
from kiosk.countdown import Countdown
from kiosk.feesystem.api import ClosableFeeSystem
from kiosk.flow import Flow
from kiosk.payments.journal import Journal
from kiosk.payments.qr import QrPayments
from kiosk.service_health import ServiceHealth
from kiosk.session import Session
from kiosk.tasks import TaskRunner

if TYPE_CHECKING:
    from kiosk.card_checkout import CardCheckout
    from kiosk.certificates import CertificateService
    from kiosk.checkout import Checkout
    from kiosk.devices import DeviceHub
    from kiosk.identity import IdentityWatcher
    from kiosk.receipts import ReceiptService


@dataclass
class KioskContext:
    config: KioskConfig
    fee_system: ClosableFeeSystem
    journal: Journal
    qr_payments: QrPayments
    devices: DeviceHub
    receipts: ReceiptService
    checkout: Checkout
    identity: IdentityWatcher
    certificates: CertificateService
    card_checkout: CardCheckout
    tasks: TaskRunner
    flow: Flow
    countdown: Countdown
    session: Session = field(default_factory=Session)
    health: ServiceHealth = field(default_factory=ServiceHealth)  # out of service: no money, Home says so
    clock: Callable[[], dt.datetime] = dt.datetime.now
    scale: float = 1.0
    speak: Callable[[str], None] = lambda text: None

    def today(self) -> dt.date:
        return self.clock().date()
