"""A phone's browser for the scenarios: Debian's headless Chromium, driven by Selenium through Debian's
chromedriver, opens a receipt's verification QR code the way a citizen's phone would (issue 20 §3).

Started on the first step that needs it and quit when the run ends: one browser per run.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Headless, no sandbox (root in a container), and nothing that reaches the network by itself.
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=412,915",  # a phone's viewport
)


class BrowserUnavailable(RuntimeError):
    """Chromium or its driver is missing, or would not start (said in words)."""


class PhoneBrowser:
    def __init__(self) -> None:
        self._driver: Any = None
        self._profile: Path | None = None

    def open(self, url: str) -> str:
        """Load ``url`` and give the page's visible text."""
        from selenium.webdriver.common.by import By

        driver = self.driver()
        driver.get(url)
        return str(driver.find_element(By.TAG_NAME, "body").text)

    def driver(self) -> Any:
        """The Selenium WebDriver, Chromium started on first use."""
        if self._driver is not None:
            return self._driver
        if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
            raise BrowserUnavailable("Debian's chromium and chromium-driver are not installed (scripts/setup.sh)")
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service

        self._profile = Path(tempfile.mkdtemp(prefix="sifee-phone-"))
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in (*FLAGS, f"--user-data-dir={self._profile}"):
            options.add_argument(flag)
        try:
            self._driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
        except WebDriverException as error:
            raise BrowserUnavailable(f"Chromium did not start: {error.msg}") from None
        self._driver.set_page_load_timeout(20)
        return self._driver

    def close(self) -> None:
        driver, self._driver = self._driver, None
        if driver is not None:
            driver.quit()
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None
