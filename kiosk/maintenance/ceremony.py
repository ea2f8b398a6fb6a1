"""The PIN pad's master key ceremony: two technicians, each signed in, each keys one component.

Each component's check value is shown to the person who keyed it; after both, the pad combines them and the
final check value is shown. Components never leave this object except to the pad, are never logged, and are
dropped (the pad reset) if the ceremony is abandoned half way.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Protocol

from drivers.pinpad.crypto import Algorithm

COMPONENT_HEX_LENGTH = 32  # a double-length TDES key or an SM4 key: 16 bytes


class CeremonyPad(Protocol):
    def select_algorithm(self, algorithm: Algorithm | str) -> None: ...

    def load_master_key_component(self, index: int, component: bytes) -> bytes: ...

    def combine_master_key(self) -> bytes: ...

    def reset(self) -> None: ...


class CeremonyError(Exception):
    pass


def parse_component(text: str) -> bytes:
    """32 hex digits (spaces allowed between groups); raises CeremonyError saying what is wrong."""
    digits = "".join(text.split()).upper()
    if len(digits) != COMPONENT_HEX_LENGTH or any(c not in string.hexdigits for c in digits):
        raise CeremonyError(f"a component is {COMPONENT_HEX_LENGTH} hexadecimal digits")
    return bytes.fromhex(digits)


@dataclass
class KeyCeremony:
    pad: CeremonyPad
    algorithm: Algorithm
    custodians: dict[int, str] = field(default_factory=dict)  # component index -> technician id
    check_values: dict[int, str] = field(default_factory=dict)
    final_check_value: str | None = None

    def load(self, index: int, technician: str, component_text: str) -> str:
        """Load component ``index`` (1 or 2) keyed by ``technician``; returns its check value (hex)."""
        if index not in (1, 2):
            raise CeremonyError("component 1 or 2")
        if index == 2 and 1 not in self.check_values:
            raise CeremonyError("component 1 first")
        other = self.custodians.get(1 if index == 2 else 2)
        if other == technician:
            raise CeremonyError("the two components are keyed by two different technicians")
        component = parse_component(component_text)
        if index == 1:
            self.pad.select_algorithm(self.algorithm)
        kcv = self.pad.load_master_key_component(index, component).hex().upper()
        self.custodians[index] = technician
        self.check_values[index] = kcv
        return kcv

    def combine(self) -> str:
        if set(self.check_values) != {1, 2}:
            raise CeremonyError("both components first")
        self.final_check_value = self.pad.combine_master_key().hex().upper()
        return self.final_check_value

    def abandon(self) -> None:
        """Drop uncombined components in the pad."""
        if self.final_check_value is None and self.check_values:
            self.pad.reset()
