"""The household register's screen (家庭成员, issue 22) with a household too big for one screen: a page at a time,
上一页 / 下一页 and "第 n 页，共 m 页", the rows keeping their tap-to-add and their ticks across pages."""

from __future__ import annotations

from dataclasses import replace

from kiosk.domain.periods import Period
from kiosk.feesystem.api import HouseholdDue
from kiosk.flow import Step
from kiosk_driving import Driver
from screens.household import ROWS_PER_PAGE
from test_gui_basket import add_own


def big_household(real: list[HouseholdDue]) -> list[HouseholdDue]:
    """The demo household's three real dues and five earlier years of the spouse's pension: eight rows."""
    spouse = real[0]
    earlier = [
        replace(spouse, quote=replace(spouse.quote, quote_id=f"Q-EARLIER-{year}", period=Period.year(year)))
        for year in range(2021, 2026)
    ]
    return [*real, *earlier]


def test_a_household_of_more_than_one_page_is_paged_and_a_row_of_the_second_page_goes_into_the_basket(
    make_kiosk, qtbot, monkeypatch
):
    driver = Driver(make_kiosk(), qtbot)
    fee_system = driver.ctx.fee_system
    real_dues = fee_system.household_dues
    monkeypatch.setattr(fee_system, "household_dues", lambda payer, today: big_household(real_dues(payer, today)))
    driver.login("household")
    driver.wait_for(Step.ITEMS)
    add_own(driver, "resident_pension", 2026)
    driver.tap("basket_household")
    driver.wait_for(Step.HOUSEHOLD)
    driver.wait_for_text("第 1 页，共 2 页")
    assert ROWS_PER_PAGE == 6
    assert driver.named_button(f"household_add_{ROWS_PER_PAGE - 1}")
    assert not driver.named_button(f"household_add_{ROWS_PER_PAGE}")  # on the next page
    assert driver.named_button("previous_page") is None  # disabled on the first page
    driver.tap("household_add_0")

    driver.tap("next_page")
    driver.wait_for_text("第 2 页，共 2 页")
    assert not driver.named_button("household_add_0")
    assert driver.named_button("next_page") is None
    driver.tap("household_add_7")  # the spouse's pension of 2025, last row of the last page
    assert "☑" in driver.named_button("household_add_7").text() and "刘*" in driver.screen_text()
    assert [item.quote.period for item in driver.ctx.session.basket.items][1:] == [
        Period.year(2026),
        Period.year(2025),
    ]

    driver.tap("previous_page")
    driver.wait_for_text("第 1 页，共 2 页")
    assert "☑" in driver.named_button("household_add_0").text()  # the tick of page 1 is kept
    assert "☐" in driver.named_button("household_add_1").text()
    driver.tap("household_done")
    driver.wait_for(Step.BASKET)
    assert len(driver.ctx.session.basket) == 3
