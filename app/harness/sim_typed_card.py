"""The simulator panel's typed ID card: a card with fields a tester types, for people who are not in the demo
data (an unregistered person, a wrong check digit, an expired card, a long name).

Empty fields take the simulator's defaults (drivers/idcard/simulator.py ``demo_card``: sex and birth date from the
ID number, nation 01, ten years of validity). The card is laid exactly as typed: judging it is the kiosk's job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton


class TypedIdCardBox(QGroupBox):
    """``place(fields)`` lays the card (the bench's place_id_card); a ValueError or KeyError is shown in words."""

    def __init__(self, place: Callable[[dict[str, Any]], None]) -> None:
        super().__init__(self.tr("Type an ID card"))
        self.place = place
        form = QFormLayout(self)
        self.fields: dict[str, QLineEdit] = {}
        for key, text, hint in (
            ("name", self.tr("Name"), "王小明"),
            ("id_number", self.tr("ID number"), "370102199001011231"),  # a number that can be right
            ("sex", self.tr("Sex"), self.tr("男 / 女 (empty: from the ID number)")),
            ("nation", self.tr("Nation"), self.tr("汉 or 01 (empty: 01)")),
            ("birth_date", self.tr("Birth date"), self.tr("YYYY-MM-DD (empty: from the ID number)")),
            ("address", self.tr("Address"), "山东省济南市历下区"),
            ("valid_from", self.tr("Valid from"), "2020-01-01"),
            ("valid_to", self.tr("Valid to"), self.tr("YYYY-MM-DD or 长期")),
        ):
            edit = QLineEdit()
            edit.setObjectName(f"sim_typed_{key}")
            edit.setPlaceholderText(hint)
            self.fields[key] = edit
            form.addRow(text, edit)
        button = QPushButton(self.tr("Place this card"))
        button.setObjectName("sim_place_typed_card")
        button.clicked.connect(self.place_typed)
        form.addRow(button)
        self.note = QLabel("")
        self.note.setObjectName("sim_typed_note")
        self.note.setWordWrap(True)
        form.addRow(self.note)

    def typed(self) -> dict[str, Any]:
        return {key: edit.text().strip() for key, edit in self.fields.items() if edit.text().strip()}

    def place_typed(self) -> None:
        fields = self.typed()
        if not fields.get("name") or not fields.get("id_number"):
            self.note.setText(self.tr("A card needs at least a name and an ID number."))
            return
        try:
            self.place(fields)
        except (ValueError, KeyError) as error:
            self.note.setText(self.tr("The simulator cannot make this card: {error}").format(error=error))
        else:
            self.note.setText(self.tr("Card placed on the reader."))
