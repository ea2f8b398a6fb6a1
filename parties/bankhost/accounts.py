"""Accounts of the bank host simulator: PAN, PIN, balance in fen; from code or a small TOML/JSON file."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.bankcard.data import UNIONPAY_CREDIT, UNIONPAY_DEBIT, check_pan, luhn_complete
from drivers.bankcard.emv_crypto import IccKeys


@dataclass
class Account:
    pan: str
    pin: str
    balance_fen: int
    expiry: dt.date
    pan_sequence: int = 1
    name: str = ""
    kind: str = "debit"  # debit or credit: which UnionPay application its card carries
    pin_tries_left: int | None = None  # None: the host's full allowance

    def __post_init__(self) -> None:
        check_pan(self.pan)
        if not self.pin.isdigit() or not 4 <= len(self.pin) <= 12:
            raise ValueError("a PIN is 4 to 12 digits")
        if not isinstance(self.balance_fen, int) or self.balance_fen < 0:
            raise ValueError("balance is a non-negative integer of fen")
        if self.kind not in ("debit", "credit"):
            raise ValueError("kind is debit or credit")

    @property
    def aid(self) -> bytes:  # what VirtualPbocCard puts on the card
        return UNIONPAY_CREDIT if self.kind == "credit" else UNIONPAY_DEBIT

    @property
    def icc_keys(self) -> IccKeys:  # what VirtualPbocCard computes its cryptograms with
        from parties.bankhost.testkeys import simulated_icc_keys

        return simulated_icc_keys(self.pan, self.pan_sequence)

    @property
    def label(self) -> str:
        return "UnionPay Credit" if self.kind == "credit" else "UnionPay Debit"

    def to_json(self) -> dict[str, Any]:
        return {
            "pan": self.pan,
            "pin": self.pin,
            "balance_fen": self.balance_fen,
            "expiry": self.expiry.isoformat(),
            "pan_sequence": self.pan_sequence,
            "name": self.name,
            "kind": self.kind,
            "pin_tries_left": self.pin_tries_left,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Account:
        expiry = data["expiry"]
        return cls(
            pan=str(data["pan"]),
            pin=str(data["pin"]),
            balance_fen=int(data["balance_fen"]),
            expiry=expiry if isinstance(expiry, dt.date) else dt.date.fromisoformat(str(expiry)),
            pan_sequence=int(data.get("pan_sequence", 1)),
            name=str(data.get("name", "")),
            kind=str(data.get("kind", "debit")),
            pin_tries_left=data.get("pin_tries_left"),
        )

    def __repr__(self) -> str:
        return f"Account(pan={self.pan[:6]}...{self.pan[-4:]}, balance_fen={self.balance_fen}, kind={self.kind})"


def load_accounts(path: str | Path) -> list[Account]:
    """``[[accounts]]`` tables of a TOML file, or a JSON list (or {"accounts": [...]})."""
    path = Path(path)
    if path.suffix == ".toml":
        data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
    else:
        data = json.loads(path.read_text(encoding="utf-8"))
    rows = data["accounts"] if isinstance(data, dict) else data
    return [Account.from_json(row) for row in rows]


def demo_accounts() -> list[Account]:
    """The simulator's demo cards (all test data). PIN 123456 unless said otherwise."""
    return [
        # DESIGN.md §3.3's PIN block test vector: PIN 123654, PAN 6230606601007726888.
        Account("6230606601007726888", "123654", 5_000_000, dt.date(2031, 6, 30), name="ZHANG SAN"),
        Account(luhn_complete("621700123456789"), "123456", 2_000_000, dt.date(2030, 12, 31), name="LI SI"),
        Account(luhn_complete("622848000011112"), "123456", 1_000, dt.date(2030, 12, 31), name="WANG WU"),  # ¥10
        Account(luhn_complete("622202000099998"), "123456", 900_000, dt.date(2024, 3, 31), name="ZHAO LIU"),
        Account(
            luhn_complete("625807000077776"), "123456", 3_000_000, dt.date(2029, 9, 30), name="SUN QI", kind="credit"
        ),
    ]
