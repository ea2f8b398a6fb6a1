"""The kiosk's Prometheus metrics (issue 24, DESIGN.md §10; docs/operations.md): /metrics on ``[metrics] listen``.

The application composes them in two steps (kiosk/application.py): ``build_metrics`` before the services are
built, so that the fee-system and bank-host clients can be wrapped (``timed_fee_system``, ``timed_bank``), then
``start_metrics(metrics, ctx)`` once the context exists: it listens to the flow (sessions, screen transitions),
starts the background poller of device states and serves the registry; ``stop_metrics(ctx)`` ends both. With
``listen = "off"`` nothing is built and prometheus_client is not even imported (it costs ~70 ms of start-up).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.config import KioskConfig

if TYPE_CHECKING:
    from kiosk.context import KioskContext
    from kiosk.metrics.service import KioskMetrics

OFF = "off"


def listen_address(value: str) -> tuple[str, int] | None:
    """``"host:port"`` (``[::1]:9464`` for IPv6) -> (host, port); ``"off"`` -> None. Raises ValueError."""
    if value == OFF:
        return None
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"expected host:port or {OFF!r}, got {value!r}")
    return host.strip("[]"), int(port)


def build_metrics(config: KioskConfig, clock: Callable[[], dt.datetime]) -> KioskMetrics | None:
    """The kiosk's metrics as configured, not yet started; None when they are off."""
    address = listen_address(config["metrics.listen"])
    if address is None:
        return None
    from kiosk.metrics.service import KioskMetrics

    return KioskMetrics(config, address, clock)


# The metrics of each running context (KioskContext has no field for them), for the application's shutdown.
_RUNNING: dict[int, KioskMetrics] = {}


def start_metrics(metrics: KioskMetrics | None, ctx: KioskContext) -> None:
    if metrics is not None:
        _RUNNING[id(ctx)] = metrics.start(ctx)


def metrics_of(ctx: KioskContext) -> KioskMetrics | None:
    return _RUNNING.get(id(ctx))


def stop_metrics(ctx: KioskContext) -> None:
    metrics = _RUNNING.pop(id(ctx), None)
    if metrics is not None:
        metrics.stop()
