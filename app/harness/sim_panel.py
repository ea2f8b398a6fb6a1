"""The simulator's control window beside the kiosk: lay an ID card (a demo person's or a typed one), pay the
open QR order, set the receipt and certificate printers, choose the bank host's answer, inject the devices' faults,
unplug them, press the PIN pad, slow or cut the fee system, and watch each device's traffic.

Only on simulated hardware. It acts through the harness bench (app/harness/bench.py) on the device simulators
and the fee-system simulator, never on the kiosk's screens: what the kiosk shows follows from the devices.
``show_simulator_panel`` is the one place that sets it up beside a kiosk (`kiosk run` on simulated devices,
`kiosk sim`, a scenario run with windows shown).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.harness.bench import PCSC_READERS, Bench, BenchError, bench_for_device_hub, device_word
from app.harness.sim_typed_card import TypedIdCardBox
from app.harness.traffic import TrafficLog
from drivers.base import DeviceKind
from kiosk.context import KioskContext
from kiosk.demo import demo_people
from kiosk.devices import BANK_HOST
from kiosk.domain.money import format_fen

PANEL_GAP = 20  # pixels between the kiosk's window and the panel, to its right


def show_simulator_panel(kiosk: Any, bench: Bench | None = None, traffic: TrafficLog | None = None) -> SimulatorPanel:
    """The simulator's control panel beside ``kiosk``'s window (an app.kiosk_app.KioskApp, which closes it with
    itself). ``bench``/``traffic``: the supervisor's (`kiosk sim`); none: a bench on the simulators of the kiosk's
    own stand-ins (`kiosk run` on config/simulated.toml), without a traffic log."""
    panel = SimulatorPanel(kiosk.ctx, bench, traffic)
    panel.move(kiosk.window.x() + kiosk.window.width() + PANEL_GAP, kiosk.window.y())
    panel.show()
    kiosk.panel = panel
    return panel


PANEL_STYLE = "QWidget { font-size: 15px; } QPushButton { min-height: 30px; min-width: 0; font-size: 15px; }"


class SimulatorPanel(QWidget):
    def __init__(self, ctx: KioskContext, bench: Bench | None = None, traffic: TrafficLog | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(self.tr("Kiosk simulator"))
        self.setStyleSheet(PANEL_STYLE)
        self.people = demo_people(ctx.config.config_path(ctx.config["fee_system.people"]))
        self.bench = bench or bench_for_device_hub(ctx, {person.key: person for person in self.people})
        if self.bench.a4_printer is None:  # the certificate printer is the kiosk's own simulator, not the bench's
            self.bench.a4_printer = ctx.devices.simulators.get(DeviceKind.A4_PRINTER)
        self.traffic = traffic
        self.traffic_seen = 0
        outer = QHBoxLayout(self)
        # The controls are taller than many screens: they scroll, so the PIN pad's keys stay reachable.
        controls = QWidget()
        layout = QVBoxLayout(controls)
        scroll = QScrollArea()
        scroll.setObjectName("sim_controls")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(controls)
        outer.addWidget(scroll)

        cards = QGroupBox(self.tr("Cards"))
        box = QVBoxLayout(cards)
        self.person = QComboBox()
        self.person.setObjectName("sim_person")
        for person in self.people:
            # The demo key is what scenario files name (place_id_card = "flexible"); the note says who it is.
            self.person.addItem(f"{person.name}（{person.key}）", person.key)
            self.person.setItemData(self.person.count() - 1, person.note, Qt.ItemDataRole.ToolTipRole)
        box.addWidget(self.person)
        place = QPushButton(self.tr("Place ID card"))
        place.setObjectName("sim_place_card")
        place.clicked.connect(self.place_card)
        remove = QPushButton(self.tr("Remove ID card"))
        remove.setObjectName("sim_remove_card")
        remove.clicked.connect(self.remove_card)
        box.addWidget(place)
        box.addWidget(remove)
        insert = QPushButton(self.tr("Insert social security card"))
        insert.setObjectName("sim_insert_sscard")
        insert.clicked.connect(self.insert_sscard)
        pull = QPushButton(self.tr("Pull social security card"))
        pull.setObjectName("sim_pull_sscard")
        pull.clicked.connect(self.pull_sscard)
        box.addWidget(insert)
        box.addWidget(pull)
        self.card_note = QLabel("")
        self.card_note.setWordWrap(True)
        box.addWidget(self.card_note)
        layout.addWidget(cards)
        layout.addWidget(TypedIdCardBox(self.bench.place_id_card))

        phone = QGroupBox(self.tr("Citizen's phone (QR payment)"))
        box = QVBoxLayout(phone)
        self.order = QLabel(self.tr("No open order"))
        box.addWidget(self.order)
        apps = QHBoxLayout()
        for app, text in (
            ("alipay", self.tr("Pay with Alipay")),
            ("wechat", self.tr("Pay with WeChat Pay")),
            ("unionpay", self.tr("Pay with UnionPay QuickPass")),  # 云闪付: the aggregated code only (issue 22)
        ):
            pay = QPushButton(text)
            pay.setObjectName(f"sim_pay_{app}")
            pay.clicked.connect(lambda _checked=False, a=app: self.pay_order(a))
            apps.addWidget(pay)
        box.addLayout(apps)
        walk_away = QPushButton(self.tr("Walk away without paying"))
        walk_away.setObjectName("sim_abandon_order")
        walk_away.clicked.connect(self.abandon_order)
        box.addWidget(walk_away)
        self.phone_note = QLabel("")
        self.phone_note.setWordWrap(True)
        box.addWidget(self.phone_note)
        layout.addWidget(phone)

        printer = QGroupBox(self.tr("Receipt printer"))
        box = QVBoxLayout(printer)
        self.paper = QComboBox()
        self.paper.setObjectName("sim_printer_state")
        for key, text in (
            ("ok", self.tr("Paper OK")),
            ("low", self.tr("Paper low")),
            ("out", self.tr("Paper out")),
            ("cover", self.tr("Cover open")),
            ("offline", self.tr("Offline")),
        ):
            self.paper.addItem(text, key)
        self.paper.currentIndexChanged.connect(self.set_printer_state)
        box.addWidget(self.paper)
        self.printed = QLabel("")
        box.addWidget(self.printed)
        layout.addWidget(printer)
        layout.addWidget(self._a4_box())
        layout.addWidget(self._bank_box())
        layout.addWidget(self._faults_box())
        layout.addWidget(self._pinpad_box())
        layout.addStretch(1)
        if traffic is not None:
            self.log = QPlainTextEdit()
            self.log.setObjectName("sim_traffic_log")
            self.log.setReadOnly(True)
            self.log.setMaximumBlockCount(1000)
            self.log.setMinimumWidth(520)
            logs = QGroupBox(self.tr("Device traffic (hex and decoded)"))
            QVBoxLayout(logs).addWidget(self.log)
            outer.addWidget(logs, 1)

        scroll.setMinimumWidth(controls.sizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 4)
        screen = QGuiApplication.primaryScreen()
        if screen is not None:  # as tall as the screen allows, the controls scrolling within
            fitting = min(controls.sizeHint().height() + 40, screen.availableGeometry().height() - 80)
            self.resize(self.sizeHint().width(), fitting)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.timeout.connect(self.refresh)
        self.refresh_timer.start(500)
        self.refresh()

    def _faults_box(self) -> QGroupBox:
        faults = QGroupBox(self.tr("Faults"))
        grid = QGridLayout(faults)
        self.idcard_fault = QComboBox()
        self.idcard_fault.setObjectName("sim_idcard_fault")
        for key, text in (
            ("none", self.tr("ID card reader: no fault")),
            ("checksum_once", self.tr("ID card reader: one garbled answer")),
            ("checksum_always", self.tr("ID card reader: every answer garbled")),
            ("noise", self.tr("ID card reader: noise before answers")),
            ("pulled_mid_read", self.tr("ID card reader: card pulled halfway")),
        ):
            self.idcard_fault.addItem(text, key)
        self.idcard_fault.currentIndexChanged.connect(
            lambda: self.act(self.bench.idcard_fault, self.idcard_fault.currentData())
        )
        grid.addWidget(self.idcard_fault, 0, 0, 1, 3)
        for index, (device, text) in enumerate(
            ((DeviceKind.IDCARD, self.tr("Unplug ID card reader")),
             (DeviceKind.RECEIPT_PRINTER, self.tr("Unplug printer")),
             (DeviceKind.PINPAD, self.tr("Unplug PIN pad")),
             (DeviceKind.SSCARD, self.tr("Unplug social security card reader")),
             (DeviceKind.BANKCARD, self.tr("Unplug bank card reader")))
        ):
            word = device_word(device)  # the panel's, as the scenarios': the bench unplugs by it
            box = QCheckBox(text)
            box.setObjectName(f"sim_unplug_{word}")
            box.toggled.connect(lambda unplugged, d=word: self.act(
                self.bench.unplug if unplugged else self.bench.replug, d))
            if device in PCSC_READERS and self.bench.pcscd is None:
                box.setEnabled(False)  # the machine's pcscd cannot drop a vpcd reader: say why on hover
                box.setToolTip(self.bench.pcscd_problem)
            grid.addWidget(box, 1 + index // 3, index % 3)
        self.fee_mode = QComboBox()
        self.fee_mode.setObjectName("sim_fee_system")
        for key, text in (
            ("ok", self.tr("Fee system: normal")),
            ("slow", self.tr("Fee system: slow (3 s)")),
            ("unreachable", self.tr("Fee system: unreachable")),
            ("fail", self.tr("Fee system: answers errors")),
        ):
            self.fee_mode.addItem(text, key)
        self.fee_mode.setEnabled(self.bench.fee_server is not None)  # the embedded one has no network to cut
        self.fee_mode.currentIndexChanged.connect(lambda: self.act(self.bench.fee_system, self.fee_mode.currentData()))
        grid.addWidget(self.fee_mode, 3, 0, 1, 3)
        self.fault_note = QLabel("")
        self.fault_note.setWordWrap(True)
        grid.addWidget(self.fault_note, 4, 0, 1, 3)
        return faults

    def _a4_box(self) -> QGroupBox:
        """The certificate printer (CUPS): what CUPS reports when a job meets it (printers/a4/sim_backend.py)."""
        a4 = QGroupBox(self.tr("Certificate printer (A4)"))
        box = QVBoxLayout(a4)
        self.a4_state = QComboBox()
        self.a4_state.setObjectName("sim_a4_printer")
        for key, text in (
            ("ok", self.tr("Ready")),
            ("out", self.tr("Paper out")),
            ("jammed", self.tr("Paper jam")),
            ("offline", self.tr("Queue stopped (offline)")),
            ("unplugged", self.tr("Unplugged")),
        ):
            self.a4_state.addItem(text, key)
        self.a4_state.currentIndexChanged.connect(
            lambda: self.act(self.bench.set_a4_printer, self.a4_state.currentData())
        )
        box.addWidget(self.a4_state)
        self.a4_printed = QLabel("")
        box.addWidget(self.a4_printed)
        a4.setEnabled(self.bench.a4_printer is not None)
        return a4

    def _bank_box(self) -> QGroupBox:
        """Bank card by account (the bank host simulator's accounts) and the bank host's faults."""
        bank = QGroupBox(self.tr("Bank card and bank host"))
        box = QVBoxLayout(bank)
        self.account = QComboBox()
        self.account.setObjectName("sim_bank_account")
        host = self.bench.simulators.get(BANK_HOST)
        for account in host.accounts() if host is not None else []:
            self.account.addItem(
                self.tr("{name} ···{last4} — {yuan} yuan").format(
                    name=account.name or "?", last4=account.pan[-4:], yuan=account.balance_fen // 100
                ),
                account.pan,
            )
        box.addWidget(self.account)
        row = QHBoxLayout()
        insert = QPushButton(self.tr("Insert bank card"))
        insert.setObjectName("sim_insert_bankcard")
        insert.clicked.connect(lambda: self.act(self.bench.insert_bankcard, self.account.currentData() or ""))
        remove = QPushButton(self.tr("Remove bank card"))
        remove.setObjectName("sim_remove_bankcard")
        remove.clicked.connect(lambda: self.act(self.bench.remove_bankcard))
        row.addWidget(insert)
        row.addWidget(remove)
        box.addLayout(row)
        self.bank_mode = QComboBox()
        self.bank_mode.setObjectName("sim_bank_host")
        for key, text in (
            ("ok", self.tr("Bank host: normal")),
            ("slow", self.tr("Bank host: slow (3 s)")),
            ("unreachable", self.tr("Bank host: unreachable")),
            ("drop", self.tr("Bank host: drops the next purchase")),
            ("no_answer", self.tr("Bank host: never answers the next purchase")),
            ("late", self.tr("Bank host: answers the next purchase 3 s late")),
            ("code", self.tr("Bank host: answers the next purchase with the code below")),
            ("arpc_wrong", self.tr("Bank host: a wrong ARPC in the next approval")),
            ("totals_differ", self.tr("Bank host: the next settlement's totals leave out a purchase")),
        ):
            self.bank_mode.addItem(text, key)
        self.bank_mode.currentIndexChanged.connect(self.set_bank_host)
        box.addWidget(self.bank_mode)
        self.bank_code = QComboBox()
        self.bank_code.setObjectName("sim_bank_code")
        for code, text in (
            ("96", self.tr("96 system malfunction")),
            ("51", self.tr("51 insufficient funds")),
            ("55", self.tr("55 incorrect PIN")),
            ("75", self.tr("75 PIN tries exceeded")),
            ("54", self.tr("54 expired card")),
            ("14", self.tr("14 invalid card number")),
            ("A0", self.tr("A0 MAC verification failed")),
            ("00", self.tr("00 approved (without booking it)")),
        ):
            self.bank_code.addItem(text, code)
        self.bank_code.setEnabled(False)  # only with the mode "code"
        self.bank_code.currentIndexChanged.connect(
            lambda: self.set_bank_host() if self.bank_mode.currentData() == "code" else None
        )
        box.addWidget(self.bank_code)
        box.addWidget(self._card_fault_box())
        bank.setEnabled(host is not None and DeviceKind.BANKCARD in self.bench.simulators)
        return bank

    def _card_fault_box(self) -> QComboBox:
        """The chip of the card in the slot, from its next GENERATE AC on (Bench.bankcard_fault)."""
        self.card_fault = QComboBox()
        self.card_fault.setObjectName("sim_bankcard_fault")
        for key, text in (
            ("", self.tr("Bank card chip: normal")),
            ("wrong_arqc", self.tr("Bank card chip: a wrong ARQC (the host declines)")),
            ("aac_second", self.tr("Bank card chip: AAC at the second GENERATE AC")),
            ("pulled_between", self.tr("Bank card chip: pulled between the two GENERATE ACs")),
        ):
            self.card_fault.addItem(text, key)
        self.card_fault.currentIndexChanged.connect(
            lambda: self.act(self.bench.bankcard_fault, key) if (key := self.card_fault.currentData()) else None
        )
        return self.card_fault

    def set_bank_host(self) -> None:
        """The chosen mode; a response code applies to the next purchase, so choosing another one re-arms it."""
        mode = self.bank_mode.currentData()
        self.bank_code.setEnabled(mode == "code")
        self.act(self.bench.bank_host, mode, 3.0, self.bank_code.currentData())

    def _pinpad_box(self) -> QGroupBox:
        pad = QGroupBox(self.tr("PIN pad"))
        grid = QGridLayout(pad)
        keys = [*"123456789", "clear", "0", "enter", "cancel"]
        for index, key in enumerate(keys):
            button = QPushButton(key if len(key) == 1 else {"clear": self.tr("Clear"), "enter": self.tr("Enter"),
                                                             "cancel": self.tr("Cancel")}[key])
            button.setObjectName(f"sim_pinpad_{key}")
            button.clicked.connect(lambda _=False, k=key: self.act(self.bench.press_pinpad, [k]))
            grid.addWidget(button, index // 3, index % 3)
        pad.setEnabled(DeviceKind.PINPAD in self.bench.simulators)
        return pad

    def closeEvent(self, event) -> None:
        self.refresh_timer.stop()  # the kiosk closes its fee system next: no refresh may reach it
        super().closeEvent(event)

    def act(self, action, *arguments) -> None:
        """Run a bench action; what cannot be done is said in the panel, never raised into Qt."""
        try:
            action(*arguments)
        except (BenchError, ValueError) as error:
            self.fault_note.setText(str(error))
        else:
            self.fault_note.setText("")

    def place_card(self) -> None:
        person = self.people[self.person.currentIndex()]
        if not person.has_id_card:
            self.card_note.setText(self.tr("This person has no ID card in the demo data."))
            return
        self.card_note.setText("")
        self.bench.place_id_card(person.key)

    def insert_sscard(self) -> None:
        person = self.people[self.person.currentIndex()]
        if not person.has_sscard:
            self.card_note.setText(self.tr("This person has no social security card in the demo data."))
            return
        try:
            self.bench.insert_sscard(person.key)
        except BenchError as error:
            self.card_note.setText(self.tr("The virtual card slot is not available: {error}").format(error=error))
        else:
            self.card_note.setText("")

    def pull_sscard(self) -> None:
        self.bench.remove_sscard()

    def remove_card(self) -> None:
        self.bench.remove_id_card()

    def open_orders(self) -> list:
        return self.bench.open_orders()

    def pay_order(self, app: str) -> None:
        """The phone's app scans the code and pays; the other channel's app cannot."""
        orders = self.open_orders()
        if not orders:
            self.phone_note.setText(self.tr("There is no open order to pay."))
            return
        try:
            self.bench.pay_open_order(app)
        except BenchError:
            self.phone_note.setText(self.tr("This code is not for this app: the order is not paid."))
        else:
            self.phone_note.setText("")
        self.refresh()

    def abandon_order(self) -> None:
        """The citizen looks at the code and walks away: nothing reaches the channel, the order stays open."""
        if not self.open_orders():
            self.phone_note.setText(self.tr("There is no open order."))
            return
        self.phone_note.setText(self.tr("Nobody pays: the kiosk closes the order when its countdown ends."))

    def set_printer_state(self) -> None:
        key = self.paper.currentData()
        self.bench.set_printer("ok" if key in ("cover", "offline") else key)
        self.bench.set_printer("cover_open" if key == "cover" else "cover_closed")
        self.bench.set_printer("offline" if key == "offline" else "online")

    def refresh(self) -> None:
        orders = self.open_orders()
        if orders:
            last = orders[-1]
            apps = {
                "alipay": self.tr("Alipay"),
                "wechat": self.tr("WeChat Pay"),
                "aggregated": self.tr("one code for Alipay, WeChat Pay, UnionPay"),
            }
            app = apps.get(self.bench.order_method(last.order_no), "")
            self.order.setText(
                self.tr("Open order {order} ({app}): {amount}").format(
                    order=last.order_no, app=app, amount=format_fen(last.amount_fen)
                )
            )
        else:
            self.order.setText(self.tr("No open order"))
        if DeviceKind.RECEIPT_PRINTER in self.bench.simulators:
            self.printed.setText(self.tr("Receipts printed: {count}").format(count=len(self.bench.receipts)))
        if self.bench.a4_printer is not None:
            count = len(self.bench.a4_printer.printed)
            self.a4_printed.setText(self.tr("Certificates printed: {count}").format(count=count))
        if self.traffic is not None:
            for entry in self.traffic.since(self.traffic_seen):
                self.log.appendPlainText(entry.line())
                self.traffic_seen = entry.number
