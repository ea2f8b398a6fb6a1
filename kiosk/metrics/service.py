"""The running metrics of one kiosk: registry, instruments, poller and HTTP server (see kiosk/metrics/__init__.py)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from importlib import metadata
from typing import TYPE_CHECKING, Any, cast

from prometheus_client import CollectorRegistry, start_http_server

from kiosk.config import KioskConfig
from kiosk.metrics.calls import TimedCalls
from kiosk.metrics.collectors import Instruments, KioskCollector, WithTerminal
from kiosk.metrics.journal_figures import JournalFigures
from kiosk.metrics.poller import Poller, Reconciled
from kiosk.metrics.restarts import RestartCounter
from kiosk.update_gate import pending_update

if TYPE_CHECKING:
    from drivers.bankhost import BankHostClient
    from kiosk.context import KioskContext
    from kiosk.feesystem.api import ClosableFeeSystem

log = logging.getLogger(__name__)


def version() -> str:
    try:
        return metadata.version("sifee-kiosk")
    except metadata.PackageNotFoundError:
        return "unknown"


class KioskMetrics:
    def __init__(self, config: KioskConfig, address: tuple[str, int], clock: Callable[[], dt.datetime]) -> None:
        self.config = config
        self.address = address
        self.clock = clock
        self.instruments_registry = CollectorRegistry(auto_describe=True)
        self.instruments = Instruments(self.instruments_registry)
        self.registry = CollectorRegistry(auto_describe=False)
        self.restarts = RestartCounter(config.state_dir)
        self.poller: Poller | None = None
        self.figures: JournalFigures | None = None
        self.server: Any = None
        self.port: int | None = None  # the port served on (the configured one, or the one picked for port 0)

    def timed_fee_system(self, fee_system: ClosableFeeSystem) -> ClosableFeeSystem:
        timed = TimedCalls(fee_system, self.instruments.fee_system_seconds, self.instruments.fee_system_errors)
        return cast("ClosableFeeSystem", timed)

    def timed_bank(self, bank: BankHostClient | None) -> BankHostClient | None:
        if bank is None:
            return None
        timed = TimedCalls(bank, self.instruments.bank_host_seconds, self.instruments.bank_host_errors)
        return cast("BankHostClient", timed)

    def start(self, ctx: KioskContext) -> KioskMetrics:
        from kiosk.flow import Step
        from kiosk.maintenance.devices import device_statuses
        from kiosk.maintenance.paper import paper_counter

        self.restarts.started()
        ctx.flow.changed.connect(self._step_changed)
        ctx.flow.session_ended.connect(lambda reason: self.instruments.sessions_ended.labels(reason).inc())
        ctx.flow.step_handled.connect(lambda _step, seconds: self.instruments.transition_seconds.observe(seconds))
        journal_path = ctx.journal.path
        self.figures = JournalFigures(journal_path) if str(journal_path) != ":memory:" else None
        section = self.config.section("metrics")
        self.poller = Poller(
            devices=lambda: device_statuses(ctx.devices),
            paper=paper_counter(self.config, ctx.journal, ctx.clock),
            figures=self.figures or JournalFigures(journal_path),
            reconcile=lambda: _reconcile(ctx),
            may_reconcile=lambda: ctx.flow.step is Step.HOME,
            poll_seconds=section["poll_seconds"],
            reconcile_seconds=section["reconcile_minutes"] * 60,
        )
        info = {"version": version(), "hall": self.config["terminal.hall_name"]}
        self.registry.register(
            KioskCollector(
                self.figures,
                self.poller,
                ctx.health,
                info,
                lambda: self.restarts.count,
                ctx.clock,
                update_pending=lambda: pending_update(self.config.state_dir),
            )
        )
        self.registry.register(_Instruments(self.instruments_registry))
        served = CollectorRegistry(auto_describe=False)
        served.register(WithTerminal(self.registry, self.config["terminal.id"]))
        self.poller.start()
        host, port = self.address
        try:
            self.server, _thread = start_http_server(port, addr=host, registry=served)
            self.port = self.server.server_port
            log.info("metrics on http://%s:%d/metrics", host, self.port)
        except OSError as error:  # the kiosk serves citizens all the same; the fleet sees it as down
            log.error("metrics: cannot listen on %s:%d: %s", host, port, error)
        return self

    def _step_changed(self, step: str, previous: str) -> None:
        if previous == "home" and step != "home":
            self.instruments.sessions_started.inc()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.poller is not None:
            self.poller.stop()
        if self.figures is not None:
            self.figures.close()
        self.restarts.stopped()


class _Instruments:
    """The instruments' registry as one collector of the served registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Any:
        return self.registry.collect()


def _reconcile(ctx: KioskContext) -> Reconciled:
    from kiosk.payments.reconcile import reconcile_stores

    report = reconcile_stores(ctx.config, ctx.journal, ctx.fee_system, ctx.today())
    return Reconciled(report.date, report.unexplained, len(report.differences) - report.unexplained)
