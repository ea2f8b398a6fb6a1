"""PYTEST_DONT_REWRITE. Debian's headless Chromium driven by Selenium through Debian's chromedriver (the scenarios'
phone browser, app/harness/browser.py), for the tests that open the bureau's public pages as a phone would.

One browser per test module (``browser`` is module-scoped): starting Chromium costs about a second.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.harness.browser import PhoneBrowser


@pytest.fixture(scope="module")
def browser() -> Iterator:
    phone = PhoneBrowser()
    try:
        yield phone.driver()
    finally:
        phone.close()


def page_text(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text
