"""The application's services, built from the configuration (no widgets here: app/kiosk_app.py shows them)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject

from drivers.base import DeviceKind
from kiosk.card_checkout import CardCheckout
from kiosk.certificates import CertificateContext, CertificateService, tax_authority_of
from kiosk.checkout import Checkout
from kiosk.config import ConfigError, KioskConfig
from kiosk.context import KioskContext
from kiosk.countdown import Countdown
from kiosk.devices import DeviceHub
from kiosk.feesystem.api import ClosableFeeSystem
from kiosk.flow import Flow, Step
from kiosk.identity import IdentityWatcher
from kiosk.maintenance.paper import listen_for_paper
from kiosk.metrics import build_metrics, start_metrics, stop_metrics
from kiosk.payments.disk_reserve import DiskReserve
from kiosk.payments.journal_open import open_kiosk_journal
from kiosk.payments.qr import QrPayments
from kiosk.receipts import ReceiptService
from kiosk.service_health import ServiceHealth
from kiosk.simulated import SimulatedWorld, StandIns, simulated_world
from kiosk.tasks import TaskRunner
from kiosk.verification import serves_for_real

log = logging.getLogger(__name__)


def build_fee_system(
    config: KioskConfig, clock: Callable[[], dt.datetime], world: SimulatedWorld | None = None
) -> ClosableFeeSystem:
    """The configuration's fee system: the client of the bureau's gateway (``kind = "http"``), or the embedded
    simulator, which the simulated world builds (``world``, by default the one the composition root provided)."""
    section = config.section("fee_system")
    if section["kind"] == "http":
        from kiosk.feesystem.http_client import HttpFeeSystem  # http.client and ssl only where it is used
        from kiosk.feesystem.tls import ClientTls, tls_files

        tls = None
        if section["url"].startswith("https://"):  # mutual TLS: the terminal's certificate (docs/fee-system-http.md)
            try:
                tls = ClientTls(tls_files(config), config["terminal.id"])
            except ValueError as error:  # a private key others can read: the kiosk does not start
                raise ConfigError(config.source, "fee_system.key_file", str(error)) from None
        try:
            return HttpFeeSystem(section["url"], timeout_seconds=section["timeout_seconds"], tls=tls)
        except ValueError as error:  # e.g. a URL that is not http(s)
            raise ConfigError(config.source, "fee_system.url", str(error)) from None
    return (world or simulated_world()).fee_system(config, clock)


def build_context(
    config: KioskConfig,
    parent: QObject | None = None,
    clock: Callable[[], dt.datetime] = dt.datetime.now,
    scale: float = 1.0,
    *,
    fee_system: ClosableFeeSystem,
    stand_ins: StandIns | None = None,
) -> KioskContext:
    """The kiosk's services on the fee system and the devices' stand-ins the composition root hands it (app/); the
    devices the configuration calls real are opened as configured."""
    # A damaged journal, a full disk or an unwritable state directory: the kiosk still comes up, out of service
    # (ctx.health, Home's panel in words, the log), and takes no money.
    health = ServiceHealth(clock)
    if config["fee_system.kind"] == "http":  # the terminal's certificate puts the kiosk out of service when bad
        from kiosk.feesystem.http_client import watch_certificate

        watch_certificate(fee_system, health, clock())
    journal = open_kiosk_journal(config, clock, health).journal
    devices = DeviceHub(config, stand_ins).start()
    metrics = build_metrics(config, clock)  # None when [metrics] listen = "off"
    if metrics is not None:  # the other parties' calls are timed for the metrics
        fee_system = metrics.timed_fee_system(fee_system)
        devices.bank = metrics.timed_bank(devices.bank)
    receipts = ReceiptService(
        devices.printer,
        hall_name=config["terminal.hall_name"],
        terminal_id=config["terminal.id"],
        page_url=config["verification.page_url"],
        paper_width_mm=devices.paper_width_mm,
    )
    receipts.specimen = not serves_for_real(config)  # a demo kiosk's receipts and certificates say 样张
    # No payment starts without room on the journal's disk for all its records (issue 25 §1).
    reserve = DiskReserve.for_journal(journal.path, config["payments.disk_reserve_kb"])
    qr_payments = QrPayments(journal, fee_system, reserve=reserve)
    ctx = KioskContext(
        config=config,
        fee_system=fee_system,
        journal=journal,
        qr_payments=qr_payments,
        devices=devices,
        receipts=receipts,
        checkout=Checkout(qr_payments, receipts, clock),
        identity=IdentityWatcher(devices.idcard, devices.sscard, parent),
        card_checkout=CardCheckout(journal, fee_system, devices, receipts, clock, reserve=reserve),
        certificates=CertificateService(
            fee_system,
            lambda: CertificateContext(
                page_url=config["verification.page_url"],
                authority=tax_authority_of(config["terminal.hall_name"]),
                terminal_id=config["terminal.id"],
                issue_date=clock().date(),
            ),
        ),
        tasks=TaskRunner(parent),
        flow=Flow(parent),
        countdown=Countdown(parent),
        health=health,
        clock=clock,
        scale=scale,
    )
    ctx.certificates.specimen = receipts.specimen
    ctx.flow.session_ended.connect(lambda reason: end_session(ctx, reason))
    ctx.identity.sscard_removed.connect(lambda: card_removed(ctx))
    ctx.identity.start()
    listen_for_paper(ctx)  # every receipt cut from start-up on counts against the roll (maintenance mode shows it)
    start_metrics(metrics, ctx)
    return ctx


def card_removed(ctx: KioskContext) -> None:
    """The social security card is the login: pulling it out ends the session."""
    if ctx.session.login_method == DeviceKind.SSCARD and ctx.flow.step is not Step.HOME:
        ctx.flow.end_session("card_removed")


def end_session(ctx: KioskContext, reason: str) -> None:
    """Logout, card removal, timeout, finish: the session's personal data is gone."""
    ctx.tasks.invalidate()
    ctx.session.wipe()
    log.info("session ended: %s", reason)


def shutdown(ctx: KioskContext) -> None:
    stop_metrics(ctx)
    ctx.countdown.stop()
    ctx.identity.stop()
    ctx.tasks.wait(5000)
    ctx.devices.stop()
    ctx.journal.close()
    ctx.fee_system.close()
