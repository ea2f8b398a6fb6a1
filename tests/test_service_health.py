"""Out of service: a problem reported anywhere takes the kiosk out of service, and Home says so in words."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.flow import Step
from kiosk.service_health import ProblemKind, ServiceHealth
from kiosk_driving import Driver


def test_a_reported_problem_is_kept_once_per_kind_with_its_first_time():
    times = iter([dt.datetime(2026, 11, 27, 10, 0), dt.datetime(2026, 11, 27, 10, 5)])
    health = ServiceHealth(clock=lambda: next(times))
    seen: list[int] = []
    health.subscribe(lambda: seen.append(len(health.problems())))
    assert health.in_service()
    health.report(ProblemKind.DISK_RESERVE, "12 kB free, 512 kB needed")
    health.report(ProblemKind.DISK_RESERVE, "8 kB free, 512 kB needed")
    [problem] = health.problems()
    assert problem.detail == "8 kB free, 512 kB needed"
    assert problem.since == dt.datetime(2026, 11, 27, 10, 0)
    assert not health.in_service() and health.has(ProblemKind.DISK_RESERVE)
    health.clear(ProblemKind.DISK_RESERVE)
    health.clear(ProblemKind.DISK_RESERVE)  # clearing twice says nothing more
    assert health.in_service()
    assert seen == [1, 1, 0]


def test_a_failing_listener_does_not_stop_the_report():
    health = ServiceHealth()
    health.subscribe(lambda: 1 / 0)
    health.report(ProblemKind.JOURNAL, "integrity check failed")
    assert not health.in_service()


@pytest.fixture
def driver(make_kiosk, qtbot):
    return Driver(make_kiosk(), qtbot)


def test_home_shows_out_of_service_in_words_and_offers_no_choice(driver):
    driver.wait_for(Step.HOME)
    driver.ctx.health.report(ProblemKind.JOURNAL, "integrity check failed")
    driver.wait_for_text("暂停服务")
    assert "工作人员" in driver.screen_text()
    assert driver.named_button("flexible") is None and driver.named_button("resident") is None
    driver.ctx.health.clear(ProblemKind.JOURNAL)
    driver.qtbot.waitUntil(lambda: driver.named_button("resident") is not None, timeout=3000)
    assert "暂停服务" not in driver.screen_text()
