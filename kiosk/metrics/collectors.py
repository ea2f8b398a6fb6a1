"""The kiosk's metrics and the scrape-time collectors that read them (names in docs/operations.md).

Every series carries the kiosk's ``terminal`` label (the alerts name the terminal; Prometheus keeps the kiosk's own
with ``honor_labels: true``). Nothing personal and no amount of one person: states, kinds, counts and sums.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from drivers.base import CardStatus, DeviceStatus, PaperStatus
from kiosk.metrics.journal_figures import JournalFigures
from kiosk.metrics.poller import Poller
from kiosk.service_health import ProblemKind, ServiceHealth

PREFIX = "sifee_kiosk"
PAPER_STATES = {
    PaperStatus.FULL.value: "ok",
    PaperStatus.LOW.value: "low",
    PaperStatus.OUT.value: "out",
    PaperStatus.JAMMED.value: "jammed",
}
PAPER_LABELS = ("ok", "low", "out", "jammed", "unknown")
TRANSITION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
CALL_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Instruments:
    """The metrics the kiosk's parts add to as things happen (sessions, screens, calls)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.sessions_started = Counter(
            f"{PREFIX}_sessions_started", "Sessions begun (a citizen left Home)", registry=registry
        )
        self.sessions_ended = Counter(
            f"{PREFIX}_sessions_ended",
            "Sessions ended, by how (finished, timeout, card_removed, home)",
            ["reason"],
            registry=registry,
        )
        self.transition_seconds = Histogram(
            f"{PREFIX}_screen_transition_seconds",
            "Time to handle a step change (the screens switched)",
            buckets=TRANSITION_BUCKETS,
            registry=registry,
        )
        self.fee_system_seconds = Histogram(
            f"{PREFIX}_fee_system_call_seconds",
            "Fee-system calls, by operation",
            ["operation"],
            buckets=CALL_BUCKETS,
            registry=registry,
        )
        self.fee_system_errors = Counter(
            f"{PREFIX}_fee_system_call_errors",
            "Fee-system calls that failed, by operation and error code",
            ["operation", "error"],
            registry=registry,
        )
        self.bank_host_seconds = Histogram(
            f"{PREFIX}_bank_host_call_seconds",
            "Bank host calls, by operation",
            ["operation"],
            buckets=CALL_BUCKETS,
            registry=registry,
        )
        self.bank_host_errors = Counter(
            f"{PREFIX}_bank_host_call_errors",
            "Bank host calls that failed, by operation and error code",
            ["operation", "error"],
            registry=registry,
        )


class KioskCollector(Collector):
    """What is read at scrape time: the journal (indexed queries), the poller's device states, paper counter and
    reconciliation, the out-of-service problems, build info and unclean restarts."""

    def __init__(
        self,
        figures: JournalFigures | None,
        poller: Poller,
        health: ServiceHealth,
        info: dict[str, str],
        restarts: Callable[[], int],
        clock: Callable[[], dt.datetime],
        update_pending: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.figures = figures
        self.poller = poller
        self.health = health
        self.info = info
        self.restarts = restarts
        self.clock = clock
        self.update_pending = update_pending

    def collect(self) -> Iterator[Metric]:
        info = GaugeMetricFamily(f"{PREFIX}_info", "Version and hall of this kiosk", labels=list(self.info))
        info.add_metric(list(self.info.values()), 1)
        yield info
        yield from self._devices()
        yield from self._journal()
        yield from self._reconciliation()
        problems = {problem.kind for problem in self.health.problems()}
        out = GaugeMetricFamily(
            f"{PREFIX}_out_of_service", "1 while a problem of this kind keeps the kiosk out of service", labels=["kind"]
        )
        for kind in ProblemKind:
            out.add_metric([kind.value], 1 if kind in problems else 0)
        yield out
        yield CounterMetricFamily(
            f"{PREFIX}_unclean_restarts",
            "Starts after a run that did not stop cleanly (watchdog, crash)",
            value=self.restarts(),
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_update_pending",
            "1 while an installed new version waits for the kiosk to be idle to restart into it",
            value=1 if self.update_pending() else 0,
        )

    def _devices(self) -> Iterable[Metric]:
        polled = self.poller.latest
        status = GaugeMetricFamily(
            f"{PREFIX}_device_status",
            "1 for the device's current status (the device contract's DeviceState)",
            labels=["device", "status"],
        )
        paper = GaugeMetricFamily(
            f"{PREFIX}_paper", "1 for the printer's paper state as its sensor reports it", labels=["device", "state"]
        )
        card = GaugeMetricFamily(f"{PREFIX}_card_present", "1 while a card is in the reader", labels=["device"])
        for report in polled.devices:
            for value in DeviceStatus:
                status.add_metric([report.device, value.value], 1 if report.status == value.value else 0)
            if "paper" in report.details or report.device.endswith("printer"):
                state = PAPER_STATES.get(report.details.get("paper", ""), "unknown")
                for label in PAPER_LABELS:
                    paper.add_metric([report.device, label], 1 if label == state else 0)
            if "card" in report.details:
                card.add_metric([report.device], 1 if report.details["card"] == CardStatus.PRESENT.value else 0)
        yield from (status, paper, card)
        if polled.paper is not None:
            roll = polled.paper
            yield GaugeMetricFamily(
                f"{PREFIX}_receipt_paper_used", "Receipts cut since the roll was last refilled", value=roll.used
            )
            yield GaugeMetricFamily(
                f"{PREFIX}_receipt_paper_left",
                "Receipts the roll still holds (counted)",
                value=max(0, roll.roll - roll.used),
            )
            yield GaugeMetricFamily(
                f"{PREFIX}_receipt_paper_warning",
                "Receipts left at which the technician is warned",
                value=roll.warning_at,
            )

    def _journal(self) -> Iterable[Metric]:
        if self.figures is None:
            return
        snapshot = self.figures.snapshot(self.clock())
        records = GaugeMetricFamily(f"{PREFIX}_journal_records", "Journal records by state", labels=["state"])
        for state, count in sorted(snapshot.by_state.items()):
            records.add_metric([state], count)
        yield records
        yield GaugeMetricFamily(
            f"{PREFIX}_journal_unfinished", "Payments not yet in an end state", value=snapshot.unfinished
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_journal_flagged", "Payments recovery could not settle: a technician must", value=snapshot.flagged
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_journal_oldest_unfinished_seconds",
            "Age of the oldest unfinished payment (0: none)",
            value=snapshot.oldest_unfinished_seconds,
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_reversals_waiting",
            "Card reversals stored and not yet acknowledged by the bank",
            value=snapshot.reversals_waiting,
        )
        payments = CounterMetricFamily(
            f"{PREFIX}_payments",
            "Payments that reached an end state since start, by method and outcome",
            labels=["method", "outcome"],
        )
        amounts = CounterMetricFamily(
            f"{PREFIX}_payment_amount_fen", "Their amounts in fen, by method and outcome", labels=["method", "outcome"]
        )
        for (method, outcome), count in sorted(snapshot.outcomes.count.items()):
            payments.add_metric([method, outcome], count)
            amounts.add_metric([method, outcome], snapshot.outcomes.amount_fen[(method, outcome)])
        yield payments
        yield amounts

    def _reconciliation(self) -> Iterable[Metric]:
        polled = self.poller.latest
        yield CounterMetricFamily(
            f"{PREFIX}_reconciliation_failures",
            "Reconciliation runs that could not finish (fee system down)",
            value=polled.reconcile_failures,
        )
        if polled.reconciled is None:
            return
        differences = GaugeMetricFamily(
            f"{PREFIX}_reconciliation_differences", "Differences in today's reconciliation", labels=["explained"]
        )
        differences.add_metric(["false"], polled.reconciled.unexplained)
        differences.add_metric(["true"], polled.reconciled.explained)
        yield differences


class WithTerminal(Collector):
    """Another registry's metrics with the ``terminal`` label added to every sample."""

    def __init__(self, inner: CollectorRegistry, terminal: str) -> None:
        self.inner = inner
        self.terminal = terminal

    def collect(self) -> Iterator[Metric]:
        for family in self.inner.collect():
            labelled = Metric(family.name, family.documentation, family.type, family.unit)
            for sample in family.samples:
                labelled.add_sample(
                    sample.name,
                    {**sample.labels, "terminal": self.terminal},
                    sample.value,
                    sample.timestamp,
                    sample.exemplar,
                )
            yield labelled
