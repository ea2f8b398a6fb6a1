"""Driving the kiosk like a person (taps by objectName) and like the simulator panel (cards, the phone), for the
pytest GUI tests: the harness's one GUI driver (app/harness/gui_driver.py) with the tests' helpers on top."""

from __future__ import annotations

from collections.abc import Callable

from app.harness.gui_driver import KioskGuiDriver
from drivers.base import DeviceKind
from drivers.idcard.simulator import demo_card
from drivers.sscard import demo_sscard
from kiosk.demo import demo_people
from kiosk.flow import Step

WAIT_MS = 8000


class Driver(KioskGuiDriver):
    def __init__(self, kiosk, qtbot) -> None:
        super().__init__(kiosk)
        self.qtbot = qtbot
        path = self.ctx.config.config_path(self.ctx.config["fee_system.people"])
        self.people = {person.key: person for person in demo_people(path)}
        self.spoken: list[str] = []
        kiosk.voice.spoken.connect(self.spoken.append)

    @property
    def step(self) -> Step:
        return self.ctx.flow.step

    def wait(self, condition: Callable[[], bool], what: str, timeout: int = WAIT_MS) -> None:
        """Until ``condition`` holds, the kiosk running meanwhile; fails the test with ``what`` when it does not."""
        assert self.wait_until(condition, timeout / 1000), f"{what} within {timeout} ms; on {self.step.value}: " + (
            " | ".join(self.visible_texts(current_screen_only=True))
        )

    def tap(self, name: str) -> None:
        assert self.tap_named(name, WAIT_MS / 1000), f"no enabled button {name!r}; {self.buttons_shown()}"

    def wait_for(self, step: Step, timeout: int = WAIT_MS) -> None:
        self.wait(lambda: self.step is step, f"the screen {step.value}", timeout)

    def screen_text(self) -> str:
        """Every visible label and button text of the current screen."""
        return "\n".join(self.visible_texts(current_screen_only=True))

    def wait_for_text(self, text: str, timeout: int = WAIT_MS) -> None:
        self.wait(lambda: text in self.screen_text(), repr(text), timeout)

    # --- the simulator's hands ---------------------------------------------------------------------------

    def place_id_card(self, key: str) -> None:
        self.ctx.devices.simulators["idcard"].place_card(demo_card(self.people[key].id_card_fields()))

    def insert_sscard(self, key: str) -> None:
        self.ctx.devices.simulators["sscard"].insert(demo_sscard(self.people[key].sscard_fields()))

    def pull_sscard(self) -> None:
        self.ctx.devices.simulators["sscard"].remove()

    def pay_open_order(self) -> None:
        self.wait(lambda: bool(self.ctx.fee_system.open_qr_orders()), "an open QR order")
        self.ctx.fee_system.simulate_qr_payment(self.ctx.fee_system.open_qr_orders()[-1].order_no)

    @property
    def printer(self):
        return self.ctx.devices.simulators[DeviceKind.RECEIPT_PRINTER]

    def login(self, key: str, category: str = "resident", module: str = "pay", by: str = "idcard") -> None:
        self.tap(category)
        self.wait_for(Step.MENU)
        self.tap(module)
        self.wait_for(Step.LOGIN)
        if by == "idcard":
            self.place_id_card(key)
        else:
            self.insert_sscard(key)
        self.wait(lambda: self.step is not Step.LOGIN, "the login to end")

    def login_resident(self, key: str = "resident", by: str = "idcard") -> None:
        self.login(key, "resident", "pay", by)
        self.wait_for(Step.ITEMS)

    def to_resident_pension_grades(self, method: str, year: int = 2026) -> None:
        """From the items screen: residents' pension of ``year``, paid by ``method`` (alipay, wechat, bank_card),
        up to the grade screen."""
        self.tap("resident_pension")
        self.wait_for(Step.RESIDENT_YEAR)
        self.tap(f"year_{year}")
        self.wait_for(Step.PAY_METHOD)
        self.tap(method)
        self.wait_for(Step.GRADE)
