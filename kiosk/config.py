"""Kiosk configuration from TOML (config/kiosk.toml, config/simulated.toml).

A bad file stops start-up with one clear message naming the file, the key and what was expected: unknown keys,
wrong types, missing values, negative timeouts and absent serial ports of real devices are all refused here,
before any window opens.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drivers.base import DeviceKind

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO_ROOT / "config" / "simulated.toml"


class ConfigError(Exception):
    """One problem in one file, said plainly: ``file: key: problem``."""

    def __init__(self, file: Path | str, key: str, problem: str) -> None:
        self.file, self.key, self.problem = str(file), key, problem
        super().__init__(f"{self.file}: {key}: {problem}" if key else f"{self.file}: {problem}")


@dataclass(frozen=True)
class Field:
    kind: type | tuple[type, ...]
    default: Any = ...  # ... = required
    check: Callable[[Any], str | None] | None = None  # returns a problem or None
    expected: str = ""


def _non_negative(value: Any) -> str | None:
    return None if value >= 0 else "must not be negative"


def _positive(value: Any) -> str | None:
    return None if value > 0 else "must be greater than zero"


def _one_of(*choices: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in choices else f"expected one of {', '.join(repr(c) for c in choices)}"

    return check


def _length(size: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if len(value) == size else f"expected exactly {size} characters"

    return check


def _clock_time(value: Any) -> str | None:
    hours, _, minutes = str(value).partition(":")
    ok = len(hours) == len(minutes) == 2 and hours.isdigit() and minutes.isdigit()
    return None if ok and int(hours) < 24 and int(minutes) < 60 else 'expected a time of day "HH:MM"'


def _baud(value: Any) -> str | None:
    return None if value in (9600, 19200, 38400, 57600, 115200) else "expected a baud rate of 9600-115200"


def _usb_id(value: Any) -> str | None:
    return None if 0 <= value <= 0xFFFF else "expected a USB id from 0x0001 to 0xFFFF (lsusb: ID vendor:product)"


def _paper(value: Any) -> str | None:
    return None if value in (58, 80) else "expected 58 or 80 (mm)"


def _listen(value: Any) -> str | None:
    """``host:port`` or ``off`` (kiosk/metrics: /metrics for the bureau's Prometheus)."""
    host, _, port = value.rpartition(":")
    if value == "off" or (host and port.isdigit() and int(port) <= 65535):
        return None
    return "expected host:port (127.0.0.1:9464) or 'off'"


def _password_hashes(value: Any) -> str | None:
    """Technician id -> slow-KDF hash written by `kiosk passwd` (never a password in clear), at least as costly as
    the floor of kiosk/maintenance/credentials.py."""
    from kiosk.maintenance.credentials import hash_problem

    for technician, hashed in value.items():
        if not isinstance(hashed, str) or not hashed.startswith(("scrypt$", "pbkdf2_sha256$")):
            return f"{technician}: expected a hash written by `kiosk passwd`"
        if problem := hash_problem(hashed):
            return f"technician {technician}: {problem}; set the password again with `kiosk passwd {technician}`"
    return None


MODE = Field(str, "simulated", _one_of("simulated", "real"))


def device_section(kind: DeviceKind) -> str:
    """The configuration table of a device kind: ``devices.idcard``, ``devices.receipt_printer``, ..."""
    return f"devices.{kind.value}"

NUMBER = (int, float)

SCHEMA: dict[str, dict[str, Field]] = {
    "terminal": {
        "id": Field(str),
        "hall_name": Field(str),
        "language": Field(str, "zh_CN", _one_of("zh_CN", "en")),
        # Set by `kiosk sim` in the configuration it writes: every part is "real" there, on the simulators' ports,
        # yet the kiosk is a simulated one (never real mode: 样张, the demo key allowed).
        "simulator_harness": Field(bool, False),
    },
    "timeouts": {
        "screen_seconds": Field(NUMBER, 90, _positive),
        "still_there_seconds": Field(NUMBER, 20, _positive),
        "qr_payment_seconds": Field(NUMBER, 180, _positive),
        # How often the QR screen asks the fee system whether the phone has paid: a hall's gateway is remote.
        "qr_poll_seconds": Field(NUMBER, 1.5, _positive),
        "device_seconds": Field(NUMBER, 5, _positive),
        "result_seconds": Field(NUMBER, 15, _positive),
    },
    "display": {
        "fullscreen": Field(bool, False),
        "width": Field(int, 1280, _positive),
        "height": Field(int, 720, _positive),
        "font_scale": Field(NUMBER, 1.0, _positive),
        "hide_cursor": Field(bool, False),
    },
    "paths": {
        "state_dir": Field(str, "var"),
        "journal": Field(str, "journal.sqlite3"),
        # The journal's second copy (docs/recovery.md): "" = <state dir>-copy/journal.sqlite3, "off" = none, a
        # relative path is under the state directory, an absolute one anywhere (in a hall: a second device).
        "journal_copy": Field(str, ""),
        "logs": Field(str, "log"),
    },
    # Room on the journal's disk for a whole payment, with a margin (kiosk/payments/disk_reserve.py; measured in
    # docs/recovery.md): below it the kiosk takes no payment.
    "payments": {
        "disk_reserve_kb": Field(int, 1024, _positive),
    },
    "fee_system": {
        "kind": Field(str, "embedded", _one_of("embedded", "http")),
        "database": Field(str, "feesystem.sqlite3"),
        "policy": Field(str, "policy.toml"),
        "people": Field(str, "demo_people.toml"),
        "url": Field(str, ""),
        "timeout_seconds": Field(NUMBER, 10, _positive),
        # Mutual TLS (docs/fee-system-http.md): the bureau's CA, this terminal's certificate and key (0600);
        # relative paths are under the state directory. Plain http only with insecure_loopback to a loopback host.
        "ca_file": Field(str, "tls/bureau-ca.pem"),
        "cert_file": Field(str, "tls/terminal.pem"),
        "key_file": Field(str, "tls/terminal-key.pem"),
        "insecure_loopback": Field(bool, False),
    },
    device_section(DeviceKind.IDCARD): {
        "mode": MODE,
        "port": Field(str, ""),
        "baud": Field(int, 115200, _baud),
    },
    device_section(DeviceKind.SSCARD): {
        "mode": MODE,
        "reader": Field(str, "Virtual PCD"),
    },
    device_section(DeviceKind.PINPAD): {
        "mode": MODE,
        "port": Field(str, ""),
        "baud": Field(int, 9600, _baud),
        "algorithm": Field(str, "tdes", _one_of("tdes", "sm4")),
    },
    device_section(DeviceKind.BANKCARD): {
        "mode": MODE,
        "reader": Field(str, "Virtual PCD 00 01"),
    },
    device_section(DeviceKind.RECEIPT_PRINTER): {
        "mode": MODE,
        "transport": Field(str, "serial", _one_of("serial", "tcp", "usb")),
        "port": Field(str, ""),
        "baud": Field(int, 115200, _baud),
        "host": Field(str, "127.0.0.1"),
        "tcp_port": Field(int, 9100, _positive),
        "usb_vendor": Field(int, 0, _usb_id),  # hex in TOML: usb_vendor = 0x0416 (lsusb: ID 0416:5011)
        "usb_product": Field(int, 0, _usb_id),
        "usb_serial": Field(str, ""),  # only where two printers share vendor and product id
        "paper_width_mm": Field(int, 80, _paper),
    },
    device_section(DeviceKind.A4_PRINTER): {
        "mode": MODE,
        "queue": Field(str, "kiosk-a4"),
    },
    # The acquiring bank's host (ISO 8583 over TCP). Field 41 is 8 characters, field 42 is 15.
    "bank": {
        "mode": MODE,
        "host": Field(str, "127.0.0.1"),
        "port": Field(int, 0, _non_negative),
        "timeout_seconds": Field(NUMBER, 30, _positive),
        "terminal_id": Field(str, "37010201", _length(8)),
        "merchant_id": Field(str, "898370193990001", _length(15)),
        # The day-end settlement (0500, kiosk/payments/settlement.py): the first idle moment at Home from this
        # local time on closes the day's batch; `kiosk settle` does it on a stopped kiosk.
        "settle_at": Field(str, "23:30", _clock_time),
    },
    # The fee system signs verification codes (docs/certificates.md): the kiosk keeps the bureau's public key to
    # check them, the base URL of the public verification page its QR codes point to, and (optional) the old HMAC
    # key only to check version-1 codes printed before.
    "verification": {
        "public_key": Field(str, ""),
        "public_key_file": Field(str, ""),
        "page_url": Field(str, "http://127.0.0.1:8765"),
        "hmac_key": Field(str, ""),
    },
    # Prometheus metrics (docs/operations.md): where /metrics is served (loopback, the hall network, or "off"), how
    # often the devices are asked for the metrics, how often the day is reconciled for them (0: never).
    "metrics": {
        "listen": Field(str, "127.0.0.1:9464", _listen),
        "poll_seconds": Field(NUMBER, 5, _positive),
        "reconcile_minutes": Field(NUMBER, 30, _non_negative),
    },
    # Technician maintenance mode (docs/maintenance.md). Paths are under the state directory unless absolute.
    "maintenance": {
        "technicians": Field(dict, {}, _password_hashes),
        "max_failures": Field(int, 5, _positive),
        "lockout_minutes": Field(NUMBER, 15, _positive),
        "audit_log": Field(str, "maintenance_audit.jsonl"),
        "export_dir": Field(str, "export"),
        "paper_roll_receipts": Field(int, 400, _positive),
        "paper_warning_receipts": Field(int, 50, _non_negative),
    },
    # Personal data at rest (docs/maintenance.md, "Retention"): finished journal records keep only masked ID
    # numbers after this many days.
    "privacy": {
        "id_retention_days": Field(int, 90, _positive),
    },
}

# Real serial devices must name a port that exists.
SERIAL_DEVICES = (device_section(DeviceKind.IDCARD), device_section(DeviceKind.PINPAD))


@dataclass(frozen=True)
class KioskConfig:
    """The validated configuration: ``section(name)`` returns the values of one table with defaults filled in."""

    source: Path
    values: dict[str, dict[str, Any]] = field(repr=False)

    def section(self, name: str) -> dict[str, Any]:
        return self.values[name]

    def __getitem__(self, dotted: str) -> Any:
        section, _, key = dotted.rpartition(".")
        return self.values[section][key]

    @property
    def state_dir(self) -> Path:
        path = Path(self["paths.state_dir"])
        return path if path.is_absolute() else (self.source.parent.parent / path).resolve()

    def state_path(self, name: str) -> Path:
        """A file under the state directory (journal, fee-system database, logs)."""
        path = Path(name)
        return path if path.is_absolute() else self.state_dir / path

    def config_path(self, name: str) -> Path:
        """A file next to the configuration (policy figures, demo people)."""
        path = Path(name)
        return path if path.is_absolute() else self.source.parent / path

    def with_overrides(self, overrides: dict[str, Any]) -> KioskConfig:
        """A copy with dotted keys replaced (tests, generated simulator configs)."""
        values = {name: dict(table) for name, table in self.values.items()}
        for dotted, value in overrides.items():
            section, _, key = dotted.rpartition(".")
            values[section][key] = value
        return KioskConfig(self.source, values)


def _type_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false", dict: "a table"}
    if isinstance(kind, tuple):
        return "a number"
    return names.get(kind, kind.__name__)


def _flatten_tables(data: dict[str, Any], file: Path) -> dict[str, dict[str, Any]]:
    """``{"devices": {"idcard": {...}}}`` → ``{"devices.idcard": {...}}``, refusing unknown tables."""
    tables: dict[str, dict[str, Any]] = {}

    def walk(prefix: str, table: dict[str, Any]) -> None:
        for key, value in table.items():
            dotted = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict) and (dotted in SCHEMA or any(s.startswith(dotted + ".") for s in SCHEMA)):
                if dotted in SCHEMA:
                    tables[dotted] = value
                else:
                    walk(dotted, value)
            elif isinstance(value, dict) or not prefix:
                raise ConfigError(file, dotted, "unknown table")
            else:
                raise ConfigError(file, dotted, "unknown key")

    walk("", data)
    return tables


def _validate_value(file: Path, dotted: str, spec: Field, value: Any) -> Any:
    kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
    # bool is an int in Python: refuse true/false where a number is expected, and vice versa.
    if isinstance(value, bool) != (bool in kinds) or not isinstance(value, kinds):
        raise ConfigError(file, dotted, f"expected {_type_name(spec.kind)}, got {value!r}")
    if spec.check and (problem := spec.check(value)):
        raise ConfigError(file, dotted, f"{problem}, got {value!r}")
    return value


def load_config(path: Path | str | None = None, *, check_devices: bool = True) -> KioskConfig:
    """``check_devices=False``: skip what only running the kiosk's parts needs (serial ports present, ports and
    URLs named), for commands that read other settings on another machine (`kiosk verify`: the key alone)."""
    file = Path(path) if path else DEFAULT_CONFIG
    try:
        with open(file, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(file, "", "the configuration file does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(file, "", f"not valid TOML: {error}") from None
    tables = _flatten_tables(data, file)
    values: dict[str, dict[str, Any]] = {}
    for section, fields in SCHEMA.items():
        given = tables.get(section, {})
        for key in given:
            if key not in fields:
                raise ConfigError(file, f"{section}.{key}", f"unknown key (known: {', '.join(fields)})")
        table: dict[str, Any] = {}
        for key, spec in fields.items():
            dotted = f"{section}.{key}"
            if key in given:
                table[key] = _validate_value(file, dotted, spec, given[key])
            elif spec.default is ...:
                raise ConfigError(file, dotted, f"missing value: expected {_type_name(spec.kind)}")
            else:
                table[key] = spec.default
        values[section] = table
    if check_devices:
        _check_real_devices(file, values)
    return KioskConfig(file.resolve(), values)


def _check_real_devices(file: Path, values: dict[str, dict[str, Any]]) -> None:
    printer_section = device_section(DeviceKind.RECEIPT_PRINTER)
    printer = values[printer_section]
    serial_sections = [*SERIAL_DEVICES]
    if printer["transport"] == "serial":
        serial_sections.append(printer_section)
    for section in serial_sections:
        table = values[section]
        if table["mode"] != "real":
            continue
        port = table["port"]
        if not port:
            raise ConfigError(file, f"{section}.port", "missing value: a real device needs its serial port")
        if not os.path.exists(port):
            raise ConfigError(file, f"{section}.port", f"the serial port {port} does not exist")
    if printer["mode"] == "real" and printer["transport"] == "usb":
        for key in ("usb_vendor", "usb_product"):
            if not printer[key]:
                problem = "missing value: a real USB printer needs it (lsusb: ID vendor:product)"
                raise ConfigError(file, f"{printer_section}.{key}", problem)
    if values["bank"]["mode"] == "real" and not values["bank"]["port"]:
        raise ConfigError(file, "bank.port", "missing value: the bank host's TCP port")
    if values["fee_system"]["kind"] == "http" and not values["fee_system"]["url"]:
        raise ConfigError(file, "fee_system.url", "missing value: the http fee system needs its URL")
    if values["fee_system"]["kind"] == "http" and (plain := _plain_http_problem(values["fee_system"])):
        raise ConfigError(file, "fee_system.url", plain)


def _plain_http_problem(section: dict[str, Any]) -> str | None:
    """Plain http to the fee system only when asked for (``insecure_loopback = true``) and only to this machine."""
    from ipaddress import ip_address
    from urllib.parse import urlsplit

    parts = urlsplit(section["url"])
    if parts.scheme != "http":
        return None
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        return f"plain http to {host or 'nowhere'} is refused: use https (mutual TLS, docs/fee-system-http.md)"
    if not section["insecure_loopback"]:
        return "plain http needs insecure_loopback = true (for a loopback address only); else use https"
    return None
