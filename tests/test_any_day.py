"""Any day of the year (issue 17): on whatever date the fee system's clock says, the demo people and the example
policy leave something to pay, a bill pending and a history to certify, and the tests' fixed clock still sees the
very people it always saw.

The example policy itself has gaps each item's flows know: resident pension is collected 01-01..12-25 of its year,
resident medical from 09-01 (autumn, for the next year) to the end of February; on every date at least one is open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import CONFIG_DIR, NOW
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import CertificateKind
from parties.feesystem.demo_dates import anchored
from parties.feesystem.embedded import EmbeddedFeeSystem
from parties.feesystem.policy import MonthDay, load_policy

FLEXIBLE = "37010219850715231X"  # 张三丰
RESIDENT = "370103197003224422"  # 李秀英
HISTORY = "370102199002140625"  # 赵敏
SPECIAL = "370104197809091530"  # 王建国
FOREIGNER = "911840198205120011"  # 约翰
ARREARS = "370103197203150026"  # 韩淑珍
HOUSEHOLD = "370102197503083519"  # 王志刚, who pays for his wife (pension, medical) and his mother (medical)

# The issue's dates (New Year's Day, the end of a common and of a leap February, the pension window's last day and
# the year's last day) and one mid-year.
DATES = [
    dt.date(2027, 1, 1),
    dt.date(2027, 2, 28),
    dt.date(2026, 12, 25),
    dt.date(2026, 12, 31),
    dt.date(2028, 2, 29),
    dt.date(2027, 6, 15),
]


def fee_system_on(day: dt.date, people: Path = CONFIG_DIR / "demo_people.toml") -> EmbeddedFeeSystem:
    """The embedded fee system as the conftest fixture builds it, its clock (and so its seed) on ``day``."""
    at = dt.datetime.combine(day, dt.time(10, 0))
    return EmbeddedFeeSystem(":memory:", CONFIG_DIR / "policy.toml", people, clock=lambda: at)


@pytest.fixture(params=DATES, ids=str)
def on_day(request) -> Iterator[tuple[EmbeddedFeeSystem, dt.date]]:
    system = fee_system_on(request.param)
    yield system, request.param
    system.close()


def pay_flexible_month(system: EmbeddedFeeSystem, day: dt.date, key: str) -> YearMonth:
    """The first month the fee system offers, quoted at the lowest base and posted as a bank-card payment."""
    offer = system.flexible_offer(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, day)
    month = YearMonth.parse(offer.first_month)
    quote = system.quote_flexible(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, Period(month, month), offer.base_min_fen)
    system.post_payment(key, quote.quote_id, PayMethod.BANK_CARD, f"ref-{key}", FLEXIBLE)
    return month


def open_resident_items(system: EmbeddedFeeSystem, day: dt.date) -> set[InsuredItem]:
    """The resident items with a year open now and not paid yet."""
    return {
        item
        for item in (InsuredItem.RESIDENT_PENSION, InsuredItem.RESIDENT_MEDICAL)
        if any(o.open_now and not o.already_paid for o in system.resident_offers(RESIDENT, item, day))
    }


def pension_open(day: dt.date) -> bool:
    return day <= dt.date(day.year, 12, 25)


def medical_open(day: dt.date) -> bool:
    return day.month >= 9 or day.month <= 2


def test_the_flexible_worker_has_two_months_or_more_to_pay_one_after_the_other(on_day):
    system, day = on_day
    offer = system.flexible_offer(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, day)
    due = Period(YearMonth.parse(offer.first_month), YearMonth.parse(offer.last_month))
    assert due.months >= 2 and YearMonth.of(day) in due
    first = pay_flexible_month(system, day, "first")
    second = pay_flexible_month(system, day, "second")  # what a benchmark paying twice does
    assert second == first.plus(1)


def test_the_resident_has_pension_and_medical_whenever_their_windows_are_open(on_day):
    system, day = on_day
    expected = {InsuredItem.RESIDENT_PENSION} if pension_open(day) else set()
    expected |= {InsuredItem.RESIDENT_MEDICAL} if medical_open(day) else set()
    assert expected  # something to pay on every one of these dates
    assert open_resident_items(system, day) == expected
    for item in expected:
        [offer] = [o for o in system.resident_offers(RESIDENT, item, day) if o.open_now]
        quote = system.quote_resident(RESIDENT, item, offer.year, offer.grades[0].code)
        assert quote.amount_fen > 0 and quote.period == Period.year(offer.year)


def test_zhao_min_has_two_full_years_to_certify(on_day):
    system, day = on_day
    records = system.payment_records(HISTORY)
    years = {record.period.start.year for record in records}
    assert years == {day.year - 2, day.year - 1}
    assert len(records) == 2 * 12 * 2  # pension and medical, every month of both years
    issue = system.issue_certificate(CertificateKind.TAX, HISTORY, tuple(r.payment_no for r in records))
    assert issue.number.startswith(f"({day.year})鲁税证") and issue.total_fen == sum(r.amount_fen for r in records)
    offer = system.flexible_offer(HISTORY, InsuredItem.FLEXIBLE_PENSION, day)  # and the months since are due
    assert YearMonth.parse(offer.first_month) == max(YearMonth.of(day).plus(-3), YearMonth(day.year, 1))


def test_wang_jianguos_bill_is_pending(on_day):
    system, _ = on_day
    [bill] = system.pending_bills(SPECIAL)
    assert system.quote_bill(SPECIAL, bill.bill_no).amount_fen == bill.amount_fen == 436800


def test_the_arrears_residents_five_bills_cover_the_years_before_and_fill_a_basket(on_day):
    """The kill sweep's baskets of 1, 2 and 5 lines and the arrears scenario: two agencies, periods before today."""
    system, day = on_day
    bills = system.arrears_bills(ARREARS)
    assert len(bills) == 5 and len({bill.agency for bill in bills}) == 2
    assert {bill.period.start.year for bill in bills} == {day.year - 3, day.year - 2, day.year - 1}
    assert all(bill.period == Period.year(bill.period.start.year) for bill in bills)
    quotes = tuple(system.quote_bill(ARREARS, bill.bill_no).quote_id for bill in bills)
    basket = system.quote_basket(ARREARS, quotes)
    assert not basket.refused and basket.total_fen == sum(bill.amount_fen for bill in bills)


def test_the_household_has_what_is_open_to_pay_for_the_wife_and_the_mother(on_day):
    system, day = on_day
    dues = system.household_dues(HOUSEHOLD, day)
    expected = {("spouse", InsuredItem.RESIDENT_PENSION)} if pension_open(day) else set()
    if medical_open(day):
        expected |= {("spouse", InsuredItem.RESIDENT_MEDICAL), ("parent", InsuredItem.RESIDENT_MEDICAL)}
    assert {(due.relation, due.quote.item) for due in dues} == expected
    basket = system.quote_basket(HOUSEHOLD, tuple(due.quote.quote_id for due in dues))
    assert not basket.refused and basket.total_fen == sum(due.quote.amount_fen for due in dues) > 0


def test_every_day_of_a_year_has_something_to_do():
    """2028: a leap year (every month-day there is) past the policy's listed years; about 2 s."""
    day = dt.date(2028, 1, 1)
    while day.year == 2028:
        system = fee_system_on(day)
        try:
            offer = system.flexible_offer(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, day)
            due = Period(YearMonth.parse(offer.first_month), YearMonth.parse(offer.last_month))
            assert due.months >= 2, day
            assert open_resident_items(system, day), day
            assert system.pending_bills(SPECIAL), day
            assert len(system.payment_records(HISTORY)) == 48, day
        finally:
            system.close()
        day += dt.timedelta(days=1)


def test_the_tests_clock_sees_the_people_it_always_saw(fee_system):
    """At conftest's NOW the relative keys give the absolute values the file had (the scenarios rely on them)."""
    assert NOW.date() == dt.date(2026, 11, 27)
    today = NOW.date()
    assert fee_system.flexible_offer(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, today).first_month == "2026-09"
    assert fee_system.flexible_offer(FOREIGNER, InsuredItem.FLEXIBLE_PENSION, today).first_month == "2026-08"
    assert fee_system.flexible_offer(SPECIAL, InsuredItem.FLEXIBLE_PENSION, today).first_month == "2026-08"
    assert {r.period.start.year for r in fee_system.payment_records(HISTORY)} == {2024, 2025}


def test_absolute_keys_still_load_and_mean_what_they_did(tmp_path):
    people = tmp_path / "people.toml"
    people.write_text(
        (CONFIG_DIR / "demo_people.toml")
        .read_text(encoding="utf-8")
        .replace("paid_through_months_ago = 3", 'paid_through = "2026-08"')
        .replace("history_years_ago = [2, 1]", "history = [2024, 2025]"),
        encoding="utf-8",
    )
    system = fee_system_on(dt.date(2027, 1, 1), people)
    try:  # the dates stay where the file put them, whatever today is
        assert len(system.payment_records(HISTORY, Period.year(2024))) == 24
        offer = system.flexible_offer(FLEXIBLE, InsuredItem.FLEXIBLE_PENSION, dt.date(2027, 1, 1))
        assert offer.first_month == "2026-10"  # 2026-08 paid; three months back from 2027-01 is 2026-10
    finally:
        system.close()


def test_relative_keys_resolve_and_refuse_a_value_given_twice():
    day = dt.date(2027, 1, 1)
    person = {"key": "p", "paid_through_months_ago": 3, "history_years_ago": [1, 2]}
    assert anchored(person, day) == {"key": "p", "paid_through": "2026-10", "history": [2025, 2026]}
    assert anchored({"paid_through_years_ago": 1}, day) == {"paid_through": "2026-12"}
    assert anchored({"paid_through": "2020-01"}, day) == {"paid_through": "2020-01"}
    for clash in (
        {"paid_through": "2026-01", "paid_through_months_ago": 1},
        {"paid_through_months_ago": 1, "paid_through_years_ago": 1},
        {"history": [2024], "history_years_ago": [1]},
    ):
        with pytest.raises(ValueError, match="given twice"):
            anchored(clash, day)
    for bad in ({"paid_through_months_ago": -1}, {"history_years_ago": [0]}, {"history_years_ago": 2}):
        with pytest.raises(ValueError):
            anchored(bad, day)


def test_unlisted_years_carry_the_nearest_listed_figures_and_windows_follow_the_calendar():
    policy = load_policy(CONFIG_DIR / "policy.toml")
    latest = max(policy.years)
    later = policy.year(latest + 3)
    assert later.year == latest + 3 and later.figures_of == latest and later.carried_over
    assert later.average_monthly_wage_fen == policy.year(latest).average_monthly_wage_fen
    assert policy.year(min(policy.years) - 1).figures_of == min(policy.years)
    assert not policy.year(latest).carried_over
    assert policy.resident_medical_window(2028) == (dt.date(2027, 9, 1), dt.date(2028, 2, 29))
    assert policy.resident_medical_window(2027) == (dt.date(2026, 9, 1), dt.date(2027, 2, 28))
    assert MonthDay.parse("02-29").of(2027) == dt.date(2027, 2, 28)  # clamped, not an error on some dates
    assert MonthDay.parse("12-25").of(2030) == dt.date(2030, 12, 25)
    for bad in ("13-01", "02-30", "04-31"):
        with pytest.raises(ValueError):
            MonthDay.parse(bad)


def test_the_sample_certificate_finds_the_history_on_any_date():
    from app.harness.world import SIMULATION
    from kiosk.config import load_config
    from kiosk.maintenance.samples import sample_document
    from kiosk.simulated import provide_simulated_world

    provide_simulated_world(SIMULATION)  # as the composition root does: the sample is the simulated fee system's
    config = load_config(CONFIG_DIR / "simulated.toml")
    for day in (dt.date(2028, 2, 29), dt.date(2026, 12, 31)):
        document = sample_document(config, "tax", day)
        assert document.number.startswith(f"({day.year})") and document.rows
        assert str(day.year - 1) in repr(document.rows) and str(day.year - 2) in repr(document.rows)


def test_a_policy_named_in_a_scenario_is_the_fee_systems_under_kiosk_sim(qapp, tmp_path):
    """The kill sweep's policy copy keeps the pension window open all year (scripts/kill_sweep.py): on 28 December,
    past the example's 12-25, the fee system behind `kiosk sim` must offer this year's pension by that window."""
    from app.harness.runner import run_scenario_file

    policy = tmp_path / "policy.toml"
    example = (CONFIG_DIR / "policy.toml").read_text(encoding="utf-8")
    policy.write_text(example.replace('resident_pension_closes = "12-25"', 'resident_pension_closes = "12-last"'))
    assert policy.read_text() != example
    scenario = tmp_path / "late_december.toml"
    scenario.write_text(
        f"""
[scenario]
now = 2026-12-28T10:00:00
within = 5
[scenario.config]
"fee_system.policy" = "{policy}"
[[step]]
tap = "resident"
[[step]]
tap = "pay"
[[step]]
place_id_card = "resident"
[[step]]
wait_screen = "items"
[[step]]
tap = "resident_pension"
[[step]]
wait_text = "2026年度"
[[step]]
expect_no_text = "2027年度的缴费时间"
[[step]]
tap = "year_2026"
[[step]]
wait_screen = "pay_method"
""",
        encoding="utf-8",
    )
    report = run_scenario_file(scenario, state_dir=tmp_path / "state", app=qapp)
    assert report.passed, report.text()


def test_a_scenario_naming_a_policy_file_that_is_not_there_is_refused_in_words(tmp_path):
    from app.harness.runner import run_scenario_file
    from app.harness.scenario import ScenarioError

    scenario = tmp_path / "no_policy.toml"
    scenario.write_text(
        f'[scenario]\n[scenario.config]\n"fee_system.policy" = "{tmp_path / "gone.toml"}"\n'
        '[[step]]\nwait_screen = "home"\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match=r"no_policy.toml: \[scenario.config\] fee_system.policy: no such file"):
        run_scenario_file(scenario, state_dir=tmp_path / "state")
    assert not (tmp_path / "state").exists()  # refused before anything started
