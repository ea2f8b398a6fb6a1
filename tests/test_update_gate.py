# ruff: noqa: F811 (pytest fixtures imported from maintenance_fixtures)
"""A new version waits for an idle kiosk (kiosk/update_gate.py): the gate's decisions on an injected clock, the
idle checks on a real flow, session and journal, and the running kiosk that restarts itself (exit 75) only at an
idle Home, shows the pending update in maintenance mode and in /metrics."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.flow import Flow, FlowEvent, Step
from kiosk.payments.journal import PaymentState
from kiosk.session import Person, Session
from kiosk.update_gate import (
    MARKER_NAME,
    SETTLE,
    Blocker,
    UpdateGate,
    Verdict,
    discard_applied,
    idle_blockers,
    pending_update,
)
from maintenance_fixtures import (  # noqa: F401 (fixtures)
    Clock,
    config_copy,
    enter,
    maintenance_kiosk,
    maintenance_window,
)

NOW = dt.datetime(2026, 11, 27, 10, 0, 0)
RUNNING = "0.1.0"
RESIDENT = "370103197003224422"


def mark(state_dir, version: str) -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / MARKER_NAME).write_text(version + "\n", encoding="utf-8")


@pytest.fixture
def gate(tmp_path):
    return UpdateGate(tmp_path, Clock(NOW), running=RUNNING)


def test_no_marker_no_update_and_the_kiosk_is_not_even_asked(gate):
    asked = []
    assert gate.poll(lambda: asked.append(True) or []).verdict is Verdict.NONE
    assert asked == []


def test_a_marker_naming_the_running_version_is_stale_and_removed_at_start(tmp_path, gate):
    mark(tmp_path, RUNNING)  # the restart already happened, or dpkg-reconfigure wrote it
    assert pending_update(tmp_path, RUNNING) is None
    assert gate.poll(lambda: []).verdict is Verdict.NONE
    discard_applied(tmp_path, RUNNING)
    assert not (tmp_path / MARKER_NAME).exists()
    mark(tmp_path, "0.2.0")
    discard_applied(tmp_path, RUNNING)  # a newer version still waits
    assert pending_update(tmp_path, RUNNING) == "0.2.0"


def test_busy_waits_idle_restarts_after_settling(tmp_path, gate):
    mark(tmp_path, "0.2.0")
    busy = gate.poll(lambda: [Blocker.SESSION])
    assert (busy.verdict, busy.version, busy.blockers) == (Verdict.WAIT, "0.2.0", (Blocker.SESSION,))
    assert gate.poll(lambda: []).verdict is Verdict.WAIT  # idle from now: not yet settled
    gate.clock.advance(seconds=SETTLE.total_seconds() - 1)
    assert gate.poll(lambda: []).verdict is Verdict.WAIT
    gate.clock.advance(seconds=1)
    restart = gate.poll(lambda: [])
    assert (restart.verdict, restart.version) == (Verdict.RESTART, "0.2.0")


def test_a_citizen_arriving_while_settling_starts_the_wait_again(tmp_path, gate):
    mark(tmp_path, "0.2.0")
    assert gate.poll(lambda: []).verdict is Verdict.WAIT
    gate.clock.advance(seconds=20)
    assert gate.poll(lambda: [Blocker.SESSION]).verdict is Verdict.WAIT
    gate.clock.advance(seconds=20)  # 40 s since first idle, but only now idle again
    assert gate.poll(lambda: []).verdict is Verdict.WAIT
    gate.clock.advance(seconds=SETTLE.total_seconds())
    assert gate.poll(lambda: []).verdict is Verdict.RESTART


def test_an_unreadable_marker_is_no_update(tmp_path, gate):
    (tmp_path / MARKER_NAME).write_bytes(b"\xff\xfe")
    assert gate.poll(lambda: []).verdict is Verdict.NONE


def blockers(flow, session, journal, recovering=False, maintenance=False):
    return idle_blockers(flow, session, journal, recovering=recovering, maintenance=maintenance)


def test_idle_means_home_no_person_no_unfinished_record(journal, qapp):
    flow, session = Flow(), Session()
    assert blockers(flow, session, journal) == []
    assert blockers(flow, session, journal, maintenance=True) == [Blocker.MAINTENANCE]
    assert blockers(flow, session, journal, recovering=True) == [Blocker.RECOVERY]
    flow.fire(FlowEvent.CATEGORY_CHOSEN)
    assert flow.step is Step.MENU and blockers(flow, session, journal) == [Blocker.SESSION]
    flow.end_session("home")
    session.person = Person(RESIDENT, "李四")  # logged in, whatever the screen
    assert blockers(flow, session, journal) == [Blocker.SESSION]
    session.wipe()

    entry = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "Q-1", 80000, PayMethod.WECHAT)
    assert blockers(flow, session, journal) == [Blocker.UNFINISHED]
    journal.advance(entry.journal_no, PaymentState.ORDER_OPENED)
    journal.advance(entry.journal_no, PaymentState.ORDER_CLOSED)
    assert blockers(flow, session, journal) == []


def test_a_reversal_waiting_to_be_sent_keeps_the_update_waiting(journal, qapp):
    entry = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "Q-2", 80000, PayMethod.BANK_CARD)
    journal.advance(entry.journal_no, PaymentState.AUTH_SENT)
    journal.advance(entry.journal_no, PaymentState.REVERSAL_PENDING)
    assert blockers(Flow(), Session(), journal) == [Blocker.UNFINISHED]
    journal.advance(entry.journal_no, PaymentState.REVERSED)
    assert blockers(Flow(), Session(), journal) == []


def test_a_journal_that_cannot_be_read_keeps_the_update_waiting(journal, qapp):
    journal.close()  # reads now fail with sqlite3.ProgrammingError
    assert blockers(Flow(), Session(), journal) == [Blocker.JOURNAL]


def test_the_running_kiosk_restarts_itself_only_at_an_idle_home(make_kiosk, monkeypatch, qtbot):
    from app.kiosk_app import EXIT_RESTART
    from kiosk.metrics import metrics_of
    from test_metrics import scrape, value

    kiosk = make_kiosk(**{"metrics.listen": "127.0.0.1:0", "metrics.reconcile_minutes": 0})
    port = metrics_of(kiosk.ctx).port
    qtbot.waitUntil(lambda: not kiosk.recovery.running, timeout=10000)  # the start-up pass holds a restart too
    assert value(scrape(port), "sifee_kiosk_update_pending") == 0
    exits = []
    monkeypatch.setattr(kiosk.app, "exit", exits.append)
    clock = kiosk.update_gate.clock = Clock(NOW)
    assert kiosk.update_timer.isActive()

    kiosk.ctx.flow.fire(FlowEvent.CATEGORY_CHOSEN)  # a citizen at the menu
    mark(kiosk.config.state_dir, "9.9.9")
    assert value(scrape(port), "sifee_kiosk_update_pending") == 1
    for _ in range(3):
        kiosk.restart_if_update_waits()
        clock.advance(minutes=5)
    assert exits == []

    kiosk.ctx.flow.end_session("finished")
    kiosk.restart_if_update_waits()
    clock.advance(seconds=SETTLE.total_seconds())
    assert exits == []
    kiosk.restart_if_update_waits()
    assert exits == [EXIT_RESTART] and not kiosk.update_timer.isActive()


def test_maintenance_shows_the_pending_update_and_holds_the_restart(
    maintenance_kiosk, maintenance_window, qtbot, monkeypatch
):
    kiosk = maintenance_kiosk
    kiosk.maintenance = maintenance_window  # as KioskApp.open_maintenance keeps it
    exits = []
    monkeypatch.setattr(kiosk.app, "exit", exits.append)
    kiosk.update_gate.settle = dt.timedelta(0)
    mark(kiosk.config.state_dir, "9.9.9")
    enter(qtbot, maintenance_window)
    qtbot.waitUntil(lambda: "9.9.9" in maintenance_window.problems.text(), timeout=5000)
    kiosk.restart_if_update_waits()
    assert exits == [] and kiosk.update_gate.last.blockers == (Blocker.MAINTENANCE,)
