"""Demo people (config/demo_people.toml): the file as read, and each person turned into the cards the device
simulators hold. The fee system's simulator seeds its people from the same file (parties/feesystem/seed.py)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def load_people(path: Path) -> list[dict[str, Any]]:
    """The ``[[person]]`` tables of a demo people file, as written (relative dates not yet anchored)."""
    with open(path, "rb") as handle:
        return tomllib.load(handle)["person"]


@dataclass(frozen=True)
class DemoPerson:
    key: str
    note: str
    fields: dict[str, Any]

    @property
    def name(self) -> str:
        return self.fields["name"]

    @property
    def has_id_card(self) -> bool:
        return "card" in self.fields

    @property
    def has_sscard(self) -> bool:
        return "sscard" in self.fields

    def id_card_fields(self) -> dict[str, Any]:
        """Person and card fields merged, as drivers.idcard.simulator.demo_card expects them."""
        return {**self.fields, **self.fields.get("card", {})}

    def sscard_fields(self) -> dict[str, Any]:
        return {**self.fields, **self.fields.get("sscard", {})}


def demo_people(path: Path) -> list[DemoPerson]:
    return [DemoPerson(p["key"], p.get("note", ""), p) for p in load_people(path)]
