"""The simulator's control window beside the kiosk: lay an ID card, pay the open QR order, set the printer.

Only on simulated hardware. It acts on the device simulators and the fee-system simulator, never on the
kiosk's screens: what the kiosk shows follows from the devices, as it would in a hall.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from drivers.idcard.simulator import demo_card
from drivers.sscard import demo_sscard
from kiosk.context import KioskContext
from kiosk.demo import demo_people

PANEL_STYLE = "QWidget { font-size: 15px; } QPushButton { min-height: 30px; min-width: 0; font-size: 15px; }"


class SimulatorPanel(QWidget):
    def __init__(self, ctx: KioskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(self.tr("Kiosk simulator"))
        self.setStyleSheet(PANEL_STYLE)
        self.people = demo_people(ctx.config.config_path(ctx.config["fee_system.people"]))
        layout = QVBoxLayout(self)

        cards = QGroupBox(self.tr("Cards"))
        box = QVBoxLayout(cards)
        self.person = QComboBox()
        self.person.setObjectName("sim_person")
        for person in self.people:
            self.person.addItem(f"{person.name} — {person.note}", person.key)
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

        phone = QGroupBox(self.tr("Citizen's phone (QR payment)"))
        box = QVBoxLayout(phone)
        self.order = QLabel(self.tr("No open order"))
        box.addWidget(self.order)
        pay = QPushButton(self.tr("Pay this order"))
        pay.setObjectName("sim_pay_order")
        pay.clicked.connect(self.pay_order)
        box.addWidget(pay)
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
        layout.addStretch(1)

        self.refresh_timer = QTimer(self)
        self.refresh_timer.timeout.connect(self.refresh)
        self.refresh_timer.start(1000)
        self.refresh()

    def place_card(self) -> None:
        person = self.people[self.person.currentIndex()]
        if not person.has_id_card:
            self.card_note.setText(self.tr("This person has no ID card in the demo data."))
            return
        self.card_note.setText("")
        self.ctx.devices.simulators["idcard"].place_card(demo_card(person.id_card_fields()))

    def insert_sscard(self) -> None:
        person = self.people[self.person.currentIndex()]
        if not person.has_sscard:
            self.card_note.setText(self.tr("This person has no social security card in the demo data."))
            return
        try:
            self.ctx.devices.simulators["sscard"].insert(demo_sscard(person.sscard_fields()))
        except (ConnectionError, OSError) as error:
            self.card_note.setText(self.tr("The virtual card slot is not available: {error}").format(error=error))
        else:
            self.card_note.setText("")

    def pull_sscard(self) -> None:
        self.ctx.devices.simulators["sscard"].remove()

    def remove_card(self) -> None:
        self.ctx.devices.simulators["idcard"].place_card(None)

    def open_orders(self) -> list:
        lister = getattr(self.ctx.fee_system, "open_qr_orders", None)
        return lister() if lister else []

    def pay_order(self) -> None:
        orders = self.open_orders()
        if orders:
            self.ctx.fee_system.simulate_qr_payment(orders[-1].order_no)
        self.refresh()

    def set_printer_state(self) -> None:
        key = self.paper.currentData()
        simulator = self.ctx.devices.simulators["printer"]
        simulator.set_state(
            paper=key if key in ("ok", "low", "out") else "ok",
            cover_open=key == "cover",
            online=key != "offline",
        )

    def refresh(self) -> None:
        orders = self.open_orders()
        if orders:
            last = orders[-1]
            self.order.setText(
                self.tr("Open order {order}: {fen} fen").format(order=last.order_no, fen=last.amount_fen)
            )
        else:
            self.order.setText(self.tr("No open order"))
        simulator = self.ctx.devices.simulators.get("printer")
        if simulator is not None:
            self.printed.setText(self.tr("Receipts printed: {count}").format(count=len(simulator.receipts)))
