"""Driving the kiosk like a person (taps by objectName) and like the simulator panel (cards, the phone)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from drivers.idcard.simulator import demo_card
from drivers.sscard import demo_sscard
from kiosk.demo import demo_people
from kiosk.flow import Step

WAIT_MS = 8000


class Driver:
    def __init__(self, kiosk, qtbot) -> None:
        self.kiosk = kiosk
        self.ctx = kiosk.ctx
        self.qtbot = qtbot
        path = self.ctx.config.config_path(self.ctx.config["fee_system.people"])
        self.people = {person.key: person for person in demo_people(path)}
        self.spoken: list[str] = []
        kiosk.voice.spoken.connect(self.spoken.append)

    @property
    def step(self) -> Step:
        return self.ctx.flow.step

    def tap(self, name: str) -> None:
        screen = self.kiosk.window
        self.qtbot.waitUntil(lambda: self._enabled_button(name) is not None, timeout=WAIT_MS)
        button = self._enabled_button(name)
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert screen is self.kiosk.window

    def _enabled_button(self, name: str) -> QPushButton | None:
        for button in self.kiosk.window.findChildren(QPushButton, name):
            if button.isVisible() and button.isEnabled():
                return button
        return None

    def wait_for(self, step: Step, timeout: int = WAIT_MS) -> None:
        self.qtbot.waitUntil(lambda: self.step is step, timeout=timeout)

    def screen_text(self) -> str:
        """Every visible label and button text of the current screen."""
        screen = self.kiosk.window.current
        widgets = [*screen.findChildren(QLabel), *screen.findChildren(QPushButton)]
        return "\n".join(widget.text() for widget in widgets if widget.isVisible())

    def wait_for_text(self, text: str, timeout: int = WAIT_MS) -> None:
        self.qtbot.waitUntil(lambda: text in self.screen_text(), timeout=timeout)

    # --- the simulator's hands ---------------------------------------------------------------------------

    def place_id_card(self, key: str) -> None:
        self.ctx.devices.simulators["idcard"].place_card(demo_card(self.people[key].id_card_fields()))

    def insert_sscard(self, key: str) -> None:
        self.ctx.devices.simulators["sscard"].insert(demo_sscard(self.people[key].sscard_fields()))

    def pull_sscard(self) -> None:
        self.ctx.devices.simulators["sscard"].remove()

    def pay_open_order(self) -> None:
        self.qtbot.waitUntil(lambda: bool(self.ctx.fee_system.open_qr_orders()), timeout=WAIT_MS)
        self.ctx.fee_system.simulate_qr_payment(self.ctx.fee_system.open_qr_orders()[-1].order_no)

    @property
    def printer(self):
        return self.ctx.devices.simulators["printer"]

    def login(self, key: str, category: str = "resident", module: str = "pay", by: str = "idcard") -> None:
        self.tap(category)
        self.wait_for(Step.MENU)
        self.tap(module)
        self.wait_for(Step.LOGIN)
        if by == "idcard":
            self.place_id_card(key)
        else:
            self.insert_sscard(key)
        self.qtbot.waitUntil(lambda: self.step is not Step.LOGIN, timeout=WAIT_MS)

    def login_resident(self, key: str = "resident", by: str = "idcard") -> None:
        self.login(key, "resident", "pay", by)
        self.wait_for(Step.ITEMS)
