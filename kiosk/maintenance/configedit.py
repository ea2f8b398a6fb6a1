"""Editing what a technician may change in the configuration file: ports, timeouts, the hall name.

A change is written to a temporary file next to the configuration, validated by load_config (the same checks as
at start-up: types, ranges, serial ports that exist), and only then moved over the file. It takes effect when the
application restarts.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from kiosk.config import NUMBER, SCHEMA, ConfigError, KioskConfig, load_config
from kiosk.maintenance.tomledit import set_value

EDITABLE: tuple[str, ...] = (
    "terminal.hall_name",
    "timeouts.screen_seconds",
    "timeouts.still_there_seconds",
    "timeouts.qr_payment_seconds",
    "timeouts.device_seconds",
    "timeouts.result_seconds",
    "fee_system.url",
    "fee_system.timeout_seconds",
    "devices.idcard.port",
    "devices.idcard.baud",
    "devices.sscard.reader",
    "devices.pinpad.port",
    "devices.pinpad.baud",
    "devices.bankcard.reader",
    "devices.receipt_printer.port",
    "devices.receipt_printer.baud",
    "devices.receipt_printer.host",
    "devices.receipt_printer.tcp_port",
    "devices.a4_printer.queue",
    "bank.host",
    "bank.port",
    "bank.timeout_seconds",
)

HIDDEN = frozenset({"verification.hmac_key"})  # shown as *** in the configuration view


def parse_value(dotted: str, text: str) -> Any:
    """A technician's typed text as the value the schema expects; raises ValueError saying what was expected."""
    section, _, key = dotted.rpartition(".")
    kind = SCHEMA[section][key].kind
    text = text.strip()
    if kind is str:
        return text
    if kind is int:
        try:
            return int(text)
        except ValueError:
            raise ValueError("expected a whole number") from None
    if kind == NUMBER:
        try:
            number = float(text)
        except ValueError:
            raise ValueError("expected a number") from None
        return int(number) if number.is_integer() else number
    raise ValueError(f"{dotted} cannot be edited here")


def config_rows(config: KioskConfig) -> list[tuple[str, str]]:
    """Every setting as (dotted key, shown value), secrets hidden and password hashes left out."""
    rows = []
    for section, table in config.values.items():
        for key, value in table.items():
            dotted = f"{section}.{key}"
            if dotted == "maintenance.technicians":
                rows.append((dotted, ", ".join(sorted(value)) or "-"))
            elif dotted in HIDDEN:
                rows.append((dotted, "***"))
            else:
                rows.append((dotted, str(value)))
    return rows


class ConfigEditor:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def load(self) -> KioskConfig:
        return load_config(self.path)

    def apply(self, changes: dict[str, Any], editable_only: bool = True) -> KioskConfig:
        """Write ``changes`` (dotted key -> value) if the whole file still validates; raises ConfigError if not."""
        text = self.path.read_text(encoding="utf-8")
        for dotted, value in changes.items():
            if editable_only and dotted not in EDITABLE:
                raise ConfigError(self.path, dotted, "not editable in maintenance mode")
            section, _, key = dotted.rpartition(".")
            text = set_value(text, section, key, value)
        return self.replace_text(text)

    def set_technician_hash(self, technician_id: str, hashed: str) -> KioskConfig:
        text = set_value(self.path.read_text(encoding="utf-8"), "maintenance.technicians", technician_id, hashed)
        return self.replace_text(text)

    def replace_text(self, text: str) -> KioskConfig:
        mode = self.path.stat().st_mode & 0o777
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        temporary = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, mode)
            try:
                config = load_config(temporary)
            except ConfigError as error:  # name the real file, not the temporary one
                raise ConfigError(self.path, error.key, error.problem) from None
            os.replace(temporary, self.path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return KioskConfig(self.path.resolve(), config.values)
