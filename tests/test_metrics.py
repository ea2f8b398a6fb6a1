"""The kiosk's /metrics (kiosk/metrics/): journal figures, timed calls, unclean restarts, and a whole kiosk served."""

from __future__ import annotations

import datetime as dt
import urllib.request

import pytest
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.parser import text_string_to_metric_families

from conftest import NOW, TERMINAL
from drivers.base import DeviceKind
from kiosk.config import ConfigError, load_config
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import Unavailable
from kiosk.metrics import listen_address
from kiosk.metrics.calls import TimedCalls
from kiosk.metrics.journal_figures import JournalFigures
from kiosk.metrics.restarts import RestartCounter
from kiosk.payments.journal import PaymentState as S
from kiosk.service_health import ProblemKind

ID = "11010519491231002X"


def pay(journal, *states, method=PayMethod.WECHAT, amount=12_300):
    entry = journal.create(InsuredItem.RESIDENT_PENSION, ID, ID, "Q1", amount, method)
    for state in states:
        journal.advance(entry.journal_no, state)
    return entry


QR_DONE = (S.ORDER_OPENED, S.PAID, S.POSTED, S.RECEIPT_PRINTED, S.DONE)


def test_journal_figures_by_state_unfinished_and_outcomes_since_start(journal, journal_path):
    pay(journal, *QR_DONE)
    pay(journal, S.AUTH_SENT, S.REVERSAL_PENDING, method=PayMethod.BANK_CARD, amount=500)
    pay(journal, S.ORDER_OPENED, S.FLAGGED)
    figures = JournalFigures(journal_path)
    first = figures.snapshot(NOW + dt.timedelta(minutes=11))
    assert first.by_state["done"] == 1 and first.by_state["flagged"] == 1
    assert first.unfinished == 1 and first.reversals_waiting == 1 and first.flagged == 1
    assert first.oldest_unfinished_seconds == 11 * 60
    assert not first.outcomes.count  # counters start with the process

    pay(journal, *QR_DONE, amount=40_000)
    pay(journal, *QR_DONE, amount=2_000)
    pay(journal, S.AUTH_SENT, S.DECLINED, method=PayMethod.BANK_CARD)
    later = figures.snapshot(NOW)
    assert later.by_state["done"] == 3 and later.by_state["declined"] == 1
    assert later.outcomes.count[("wechat", "done")] == 2
    assert later.outcomes.amount_fen[("wechat", "done")] == 42_000
    assert later.outcomes.count[("bank_card", "declined")] == 1
    assert figures.receipts_printed_since(None) == 3
    assert figures.receipts_printed_since(NOW + dt.timedelta(seconds=1)) == 0
    figures.close()


def test_timed_calls_time_every_method_and_count_errors_by_code():
    registry = CollectorRegistry()
    seconds = Histogram("calls_seconds", "", ["operation"], registry=registry)
    errors = Counter("calls_errors", "", ["operation", "error"], registry=registry)

    class Party:
        host = "127.0.0.1"

        def answer(self):
            return 42

        def fail(self):
            raise Unavailable("down")

    timed = TimedCalls(Party(), seconds, errors)
    assert timed.answer() == 42 and timed.host == "127.0.0.1"
    with pytest.raises(Unavailable):
        timed.fail()
    assert registry.get_sample_value("calls_seconds_count", {"operation": "answer"}) == 1
    assert registry.get_sample_value("calls_errors_total", {"operation": "fail", "error": "unavailable"}) == 1


def test_restart_counter_counts_only_runs_that_did_not_stop(tmp_path):
    first = RestartCounter(tmp_path)
    assert first.started() == 0
    first.stopped()
    assert RestartCounter(tmp_path).started() == 0  # clean stop before: not counted; this run is killed
    assert RestartCounter(tmp_path).started() == 1


def test_listen_address_and_config_refuse_bad_values(tmp_path):
    assert listen_address("127.0.0.1:9464") == ("127.0.0.1", 9464)
    assert listen_address("[::1]:9464") == ("::1", 9464)
    assert listen_address("off") is None
    with pytest.raises(ValueError):
        listen_address("9464")
    config = tmp_path / "kiosk.toml"
    simulated = (load_config().source).read_text(encoding="utf-8")
    config.write_text(simulated.replace('listen = "off"', 'listen = "everywhere"'), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(config)
    assert error.value.key == "metrics.listen"


def scrape(port: int) -> dict[str, list]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    assert "11010519" not in text and "李" not in text  # nothing personal, ever
    return {family.name: family.samples for family in text_string_to_metric_families(text)}


def value(families, name, **labels):
    samples = [sample for family in families.values() for sample in family if sample.name == name]
    for sample in samples:
        if all(sample.labels.get(key) == wanted for key, wanted in labels.items()):
            return sample.value
    raise AssertionError(f"no {name} {labels}")


def test_a_kiosk_serves_its_devices_paper_sessions_and_health(make_kiosk, qtbot):
    kiosk = make_kiosk(**{"metrics.listen": "127.0.0.1:0", "metrics.poll_seconds": 0.2, "metrics.reconcile_minutes": 0})
    from kiosk.metrics import metrics_of

    metrics = metrics_of(kiosk.ctx)
    assert metrics is not None and metrics.port
    assert metrics.poller.wait_polled(30)
    families = scrape(metrics.port)
    assert all(s.labels["terminal"] == TERMINAL for samples in families.values() for s in samples)
    assert value(families, "sifee_kiosk_device_status", device="receipt_printer", status="online") == 1
    assert value(families, "sifee_kiosk_paper", device="receipt_printer", state="ok") == 1
    assert value(families, "sifee_kiosk_out_of_service", kind="journal") == 0

    kiosk.ctx.devices.simulators[DeviceKind.RECEIPT_PRINTER].set_state(paper="out")

    def polled_out():
        return value(scrape(metrics.port), "sifee_kiosk_paper", device="receipt_printer", state="out") == 1

    qtbot.waitUntil(polled_out, timeout=15000)  # a poll asks every device: slow on a busy machine

    kiosk.ctx.health.report(ProblemKind.JOURNAL, "integrity check failed")
    kiosk.ctx.flow.end_session("timeout")  # at Home already: still counted as how a session ended
    from kiosk.flow import FlowEvent

    kiosk.ctx.flow.fire(FlowEvent.CATEGORY_CHOSEN)
    families = scrape(metrics.port)
    assert value(families, "sifee_kiosk_out_of_service", kind="journal") == 1
    assert value(families, "sifee_kiosk_sessions_started_total") == 1
    assert value(families, "sifee_kiosk_sessions_ended_total", reason="timeout") == 1
    assert value(families, "sifee_kiosk_screen_transition_seconds_count") >= 2
    assert value(families, "sifee_kiosk_journal_unfinished") == 0
    assert value(families, "sifee_kiosk_unclean_restarts_total") == 0
