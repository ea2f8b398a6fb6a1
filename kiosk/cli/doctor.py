"""`kiosk doctor [--config FILE] [--json]`: is this machine ready to be a kiosk?

Checks the configuration, every device (a simulated one: its simulator starts and the real driver gets an answer
from it; a real one: its port exists and it answers a status command), pcscd, a CJK font, CUPS and the A4 queue,
the state directory's disk space and permissions, the clock, the secrets. Prints one row per check; exits 1 when
any check fails (warnings do not fail), 0 otherwise. Nothing personal is read or printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from drivers.base import DeviceKind
from kiosk.config import DEFAULT_CONFIG, ConfigError, KioskConfig, device_section, load_config

OK, WARN, FAIL = "ok", "warn", "fail"
EXIT_FAILED = 1
MIN_FREE_BYTES = 200 * 1024 * 1024  # below this the journal may not be able to commit a payment
LOW_FREE_BYTES = 1024 * 1024 * 1024
EARLIEST_SANE_YEAR = 2024
SERIAL_KINDS = (DeviceKind.IDCARD, DeviceKind.PINPAD, DeviceKind.RECEIPT_PRINTER)
PORT_SECTIONS = tuple(device_section(kind) for kind in SERIAL_KINDS)


@dataclass(frozen=True)
class Check:
    name: str
    result: str  # ok | warn | fail
    detail: str


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("doctor", help="check this machine: config, devices, pcscd, fonts, disk, clock")
    parser.add_argument("--config", default=os.environ.get("KIOSK_CONFIG", str(DEFAULT_CONFIG)), help="TOML file")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    parser.set_defaults(func=doctor)


def doctor(args: argparse.Namespace) -> int:
    checks = run_checks(Path(args.config))
    failed = any(check.result == FAIL for check in checks)
    if args.json:
        from kiosk.cli.output import print_json

        print_json({"ok": not failed, "config": str(args.config), "checks": [asdict(c) for c in checks]})
    else:
        print_table(checks)
        print("kiosk doctor: " + ("FAILED" if failed else "all checks passed"))
    return EXIT_FAILED if failed else 0


def print_table(checks: list[Check]) -> None:
    width = max(len(check.name) for check in checks)
    print(f"{'CHECK':<{width}}  RESULT  DETAIL")
    for check in checks:
        print(f"{check.name:<{width}}  {check.result.upper():<6}  {check.detail}")


def run_checks(config_file: Path) -> list[Check]:
    checks: list[Check] = []
    config, missing_ports = _load(config_file, checks)
    if config is not None:
        checks += device_checks(config, missing_ports)
    if config is not None:
        checks.append(_guard("usb devices", lambda: check_usb_devices(config)))
    checks.append(_guard("pcscd", check_pcscd))
    checks.append(_guard("cjk font", check_cjk_font))
    if config is not None:
        checks.append(_guard("cups", lambda: check_cups(config)))
        checks.append(_guard("state dir", lambda: check_state_dir(config)))
        checks.append(_guard("journal", lambda: check_journal(config)))
        checks.append(_guard("secrets", lambda: check_secrets(config)))
        checks.append(_guard("fee-system certificate", lambda: check_fee_certificate(config)))
    checks.append(_guard("clock", check_clock))
    if config is not None:
        checks.append(_guard("audio", lambda: check_audio(config)))
    return checks


def _guard(name: str, check: Callable[[], tuple[str, str]]) -> Check:
    """A check that raises is a failed check with the reason, never a traceback."""
    try:
        result, detail = check()
    except Exception as error:  # the doctor reports every problem as a row
        result, detail = FAIL, f"{type(error).__name__}: {error}"
    return Check(name, result, detail)


# --- configuration -------------------------------------------------------------------------------------------


def _load(config_file: Path, checks: list[Check]) -> tuple[KioskConfig | None, dict[str, str]]:
    """The config, and the real devices whose serial port is missing (section -> port).

    load_config refuses a real device whose port does not exist. That is a fact about this machine, not about the
    file: the doctor reports it on the device's row and still checks everything else, by loading a copy with those
    devices set to simulated and then putting "real" back.
    """
    missing: dict[str, str] = {}
    try:
        config = load_config(config_file)
    except ConfigError as error:
        section = error.key.rpartition(".")[0]
        if section not in PORT_SECTIONS or "does not exist" not in error.problem:
            checks.append(Check("config", FAIL, str(error)))
            return None, missing
        checks.append(Check("config", FAIL, str(error)))
        try:
            config, missing = _load_without_missing_ports(config_file)
        except ConfigError as second:
            checks.append(Check("config", FAIL, str(second)))
            return None, missing
        return config, missing
    checks.append(Check("config", OK, f"{config.source} is valid"))
    return config, missing


def _load_without_missing_ports(config_file: Path) -> tuple[KioskConfig, dict[str, str]]:
    import tomli_w

    with open(config_file, "rb") as handle:
        data = tomllib.load(handle)
    missing: dict[str, str] = {}
    devices = data.get("devices", {})
    for section in PORT_SECTIONS:
        table = devices.get(section.split(".")[1], {})
        port = table.get("port", "")
        if table.get("mode") == "real" and isinstance(port, str) and port and not os.path.exists(port):
            missing[section] = port
            table["mode"] = "simulated"
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / config_file.name
        copy.write_bytes(tomli_w.dumps(data).encode())
        loaded = load_config(copy)
    restored = KioskConfig(config_file.resolve(), loaded.values)
    return restored.with_overrides({f"{section}.mode": "real" for section in missing}), missing


# --- devices -------------------------------------------------------------------------------------------------


def device_checks(config: KioskConfig, missing_ports: dict[str, str]) -> list[Check]:
    checks = []
    for kind, simulated, real in (
        (DeviceKind.IDCARD, _idcard_simulated, _idcard_real),
        (DeviceKind.PINPAD, _pinpad_simulated, _pinpad_real),
        (DeviceKind.RECEIPT_PRINTER, _printer_simulated, _printer_real),
        (DeviceKind.SSCARD, _sscard_simulated, _sscard_real),
        (DeviceKind.A4_PRINTER, _a4_simulated, _a4_real),
    ):
        section, name = device_section(kind), check_name(kind)
        if section in missing_ports:
            port = missing_ports[section]
            detail = f"real device: serial port {port} does not exist (cable, power, udev rule in packaging/?)"
            checks.append(Check(name, FAIL, detail))
            continue
        values = config.section(section)
        check = simulated if values["mode"] == "simulated" else real
        row = _guard(name, partial(check, config, values))
        checks.append(Check(name, row.result, f"{values['mode']}: {row.detail}"))
    return checks


def check_name(kind: DeviceKind) -> str:
    """A device's row name (a key of `kiosk doctor --json`): "idcard", "receipt printer", "a4 printer", ..."""
    return kind.value.replace("_", " ")


def _timeout(config: KioskConfig) -> float:
    return float(config["timeouts.device_seconds"])


def _serial_port_problem(port: str) -> str | None:
    if not port:
        return "no serial port configured"
    if not os.path.exists(port):
        return f"serial port {port} does not exist"
    if not os.access(port, os.R_OK | os.W_OK):
        return f"serial port {port} exists but this user may not open it (group sifee-kiosk/dialout?)"
    return None


def _idcard_status(port: str, baud: int, timeout: float) -> tuple[str, str]:
    from drivers.base import DeviceStatus
    from drivers.idcard import SerialIdCardReader

    reader = SerialIdCardReader(port, baud=baud, timeout=timeout)
    try:
        status = reader.state().status
    finally:
        reader.close()
    return (OK if status == DeviceStatus.ONLINE else FAIL), f"SAM status: {status.value}"


def _idcard_simulated(config: KioskConfig, values: dict[str, Any]) -> tuple[str, str]:
    from drivers.idcard.simulator import IdCardReaderSimulator

    simulator = IdCardReaderSimulator().start()
    try:
        return _idcard_status(simulator.port, values["baud"], _timeout(config))
    finally:
        simulator.stop()


def _idcard_real(config: KioskConfig, values: dict[str, Any]) -> tuple[str, str]:
    if problem := _serial_port_problem(values["port"]):
        return FAIL, problem
    result, detail = _idcard_status(values["port"], values["baud"], _timeout(config))
    return result, f"{values['port']}: {detail}"


def _pinpad_status(port: str, baud: int, timeout: float) -> tuple[str, str]:
    from drivers.base import DeviceError, DeviceStatus
    from drivers.pinpad import SerialPinPad

    try:
        with SerialPinPad(port, baud=baud, timeout=timeout) as pad:
            state = pad.pad_state()
    except DeviceError as error:
        return FAIL, f"no status: {error}"
    keys = "keys loaded" if state.master_key else "no master key loaded yet (key ceremony)"
    result = OK if state.status == DeviceStatus.ONLINE else FAIL
    return result, f"{state.status.value}, {state.algorithm.value}, {keys}"


def _pinpad_simulated(config: KioskConfig, values: dict[str, Any]) -> tuple[str, str]:
    from drivers.pinpad.simulator import PinPadSimulator

    simulator = PinPadSimulator().start()
    try:
        return _pinpad_status(simulator.port, values["baud"], _timeout(config))
    finally:
        simulator.stop()


def _pinpad_real(config: KioskConfig, values: dict[str, Any]) -> tuple[str, str]:
    if problem := _serial_port_problem(values["port"]):
        return FAIL, problem
    result, detail = _pinpad_status(values["port"], values["baud"], _timeout(config))
    return result, f"{values['port']}: {detail}"


def _printer_status(printer_config: Any) -> tuple[str, str]:
    from printers.escpos import PrinterError, ReceiptPrinter

    try:
        with ReceiptPrinter(printer_config) as printer:
            status = printer.printer_status()
    except PrinterError as error:
        return FAIL, f"{printer_config.describe()}: no status: {error}"
    blocking = status.blocking_reason
    detail = f"{printer_config.describe()}: {status.as_json()}"
    return (FAIL, f"cannot print ({blocking}); {detail}") if blocking else (OK, detail)


def _printer_config(values: dict[str, Any], timeout: float, port: str | None = None) -> Any:
    from printers.escpos.config import ReceiptPrinterConfig

    return ReceiptPrinterConfig(
        transport="serial" if port else values["transport"],
        port=port or values["port"],
        baud=values["baud"],
        host=values["host"],
        tcp_port=values["tcp_port"],
        usb_vendor_id=values["usb_vendor"],
        usb_product_id=values["usb_product"],
        usb_serial=values["usb_serial"],
        paper_width_mm=values["paper_width_mm"],
        timeout=min(2.0, timeout),
    )


def _printer_simulated(config: KioskConfig, values: dict[str, Any]) -> tuple[str, str]:
    from printers.escpos.simulator import EscPosPrinterSimulator

    simulator = EscPosPrinterSimulator("pty").start()
    try:
        return _printer_status(_printer_config(values, _timeout(config), port=simulator.port))
    finally:
        simulator.stop()


def _printer_real(config: KioskConfig, values: dict[str, Any]) -> tuple[str, str]:
    if values["transport"] == "serial" and (problem := _serial_port_problem(values["port"])):
        return FAIL, problem
    return _printer_status(_printer_config(values, _timeout(config)))


def _sscard_status(fragment: str, timeout: float) -> tuple[str, str]:
    from drivers.base import DeviceStatus
    from drivers.sscard import PcscSsCardReader

    reader = PcscSsCardReader(fragment, timeout=timeout)
    try:
        status = reader.state().status
    finally:
        reader.close()
    return (OK if status == DeviceStatus.ONLINE else FAIL), f"reader {fragment!r}: {status.value}"


def _sscard_simulated(config: KioskConfig, values: dict[str, Any]) -> tuple[str, str]:
    from drivers.pcsc.daemon import ensure_pcscd
    from kiosk.devices import SIMULATED_SSCARD_READER

    ensure_pcscd()  # the simulated card slot is pcscd's vpcd reader (started here when we are root)
    return _sscard_status(SIMULATED_SSCARD_READER, _timeout(config))


def _sscard_real(config: KioskConfig, values: dict[str, Any]) -> tuple[str, str]:
    return _sscard_status(values["reader"], _timeout(config))


def _a4_simulated(config: KioskConfig, values: dict[str, Any]) -> tuple[str, str]:
    return OK, "certificates are rendered to PDF only; no CUPS queue needed"


def _a4_real(config: KioskConfig, values: dict[str, Any]) -> tuple[str, str]:
    from printers.a4.cups import A4PrinterError, CupsA4Printer

    try:
        status = CupsA4Printer(values["queue"], timeout=_timeout(config)).a4_status()
    except A4PrinterError as error:
        return FAIL, f"queue {values['queue']}: {error}"
    blocking = status.blocking_reason
    detail = f"queue {values['queue']}: {status.state}, paper {status.paper.value}"
    return (FAIL, f"cannot print ({blocking}); {detail}") if blocking else (OK, detail)


# --- the machine ---------------------------------------------------------------------------------------------


def check_usb_devices(config: KioskConfig) -> tuple[str, str]:
    """Every USB device sysfs shows, and which configured device it is: the USB receipt printer by its ids (and
    serial), a serial device by its port (a /dev/sifee-* link resolves to the bridge's ttyUSB/ttyACM)."""
    from drivers.usb_sysfs import list_usb_devices

    printer = config.section(device_section(DeviceKind.RECEIPT_PRINTER))
    ports = {
        kind: os.path.basename(os.path.realpath(values["port"]))
        for kind in SERIAL_KINDS
        if (values := config.section(device_section(kind))).get("port")
    }
    rows, printer_seen = [], False
    for device in (d for d in list_usb_devices() if d.vendor_id != 0x1D6B):  # 1d6b: the kernel's root hubs
        names = [check_name(kind) for kind, tty in ports.items() if tty in device.ttys]
        ids_match = (device.vendor_id, device.product_id) == (printer["usb_vendor"], printer["usb_product"])
        if printer["transport"] == "usb" and ids_match and printer["usb_serial"] in ("", device.serial):
            names.append(check_name(DeviceKind.RECEIPT_PRINTER))
            printer_seen = True
        rows.append(device.describe() + (f" = {', '.join(names)}" if names else ""))
    missing = printer["mode"] == "real" and printer["transport"] == "usb" and not printer_seen
    note = f"; the configured USB receipt printer {printer['usb_vendor']:04x}:{printer['usb_product']:04x} is not seen"
    return (WARN if missing else OK), ("; ".join(rows) or "no USB devices") + (note if missing else "")


def check_pcscd() -> tuple[str, str]:
    from drivers.base import DeviceError
    from drivers.pcsc.connection import readers_now

    try:
        readers = readers_now()
    except DeviceError as error:
        return FAIL, f"pcscd does not answer: {error} (systemctl start pcscd.socket)"
    return OK, f"pcscd answers; readers: {', '.join(readers) or 'none'}"


def check_cjk_font() -> tuple[str, str]:
    """fc-list rather than Qt (kiosk.fonts needs a QGuiApplication, and the doctor runs from a shell)."""
    from printers.certificates.fonts import FONT_PACKAGE, FONT_PATH

    fc_list = shutil.which("fc-list")
    if not fc_list:
        return FAIL, "fc-list missing: apt-get install fontconfig"
    done = subprocess.run([fc_list, ":lang=zh-cn", "family"], capture_output=True, text=True, timeout=20, check=False)
    families = sorted({line.split(",")[0].strip() for line in done.stdout.splitlines() if line.strip()})
    if not families:
        return FAIL, f"no font can show Chinese: apt-get install {FONT_PACKAGE}"
    if not FONT_PATH.exists():
        return FAIL, f"screens have {families[0]}, but certificates need {FONT_PATH} ({FONT_PACKAGE})"
    return OK, f"{', '.join(families[:3])}; certificates: {FONT_PATH.name}"


def check_cups(config: KioskConfig) -> tuple[str, str]:
    lpstat = shutil.which("lpstat")
    needed = config[f"{device_section(DeviceKind.A4_PRINTER)}.mode"] == "real"
    bad = FAIL if needed else WARN
    if not lpstat:
        return bad, "lpstat missing: apt-get install cups-client"
    env = {**os.environ, "LANG": "C", "LC_ALL": "C"}
    running = subprocess.run([lpstat, "-r"], capture_output=True, text=True, timeout=10, env=env, check=False)
    if "is running" not in running.stdout or "not running" in running.stdout:
        return bad, "the CUPS scheduler is not running (systemctl start cups)"
    queues = subprocess.run([lpstat, "-a"], capture_output=True, text=True, timeout=10, env=env, check=False)
    names = [line.split()[0] for line in queues.stdout.splitlines() if line.strip()]
    return OK, f"scheduler running; queues: {', '.join(names) or 'none'}"


def _existing_parent(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_state_dir(config: KioskConfig) -> tuple[str, str]:
    state_dir = config.state_dir
    usage = shutil.disk_usage(_existing_parent(state_dir))
    free = f"{usage.free / 1024**3:.1f} GiB free"
    if usage.free < MIN_FREE_BYTES:
        return FAIL, f"{state_dir}: only {free}; the payment journal needs room"
    notes = []
    if not state_dir.exists():
        notes.append("not created yet (the kiosk creates it)")
    else:
        if not os.access(state_dir, os.W_OK | os.X_OK):
            return FAIL, f"{state_dir}: this user cannot write it; {free}"
        mode = state_dir.stat().st_mode & 0o777
        if mode & 0o077:
            notes.append(f"mode {mode:o}, should be 700")
    if usage.free < LOW_FREE_BYTES:
        notes.append("less than 1 GiB free")
    config_mode = config.source.stat().st_mode & 0o777
    if config_mode & 0o077:
        notes.append(f"{config.source.name} mode {config_mode:o}, should be 600")
    return (WARN if notes else OK), f"{state_dir}: {free}" + (f"; {'; '.join(notes)}" if notes else "")


def check_journal(config: KioskConfig) -> tuple[str, str]:
    """Integrity, schema, watermark and second copy of the payment journal (kiosk/payments/journal_open.py)."""
    from kiosk.payments.journal_open import doctor_check

    return doctor_check(config)


def check_secrets(config: KioskConfig) -> tuple[str, str]:
    from kiosk.verification import is_demo_key, key_problem, serves_for_real

    key = config["verification.hmac_key"]
    if not key.strip():  # the fee system signs the codes: the old key only checks version-1 codes printed before
        return OK, "no verification.hmac_key kept (codes are signed by the fee system)"
    problem = key_problem(key)
    if problem and serves_for_real(config):
        return FAIL, f"verification.hmac_key: {problem}; the kiosk is out of service until it is set"
    if problem and is_demo_key(key):
        return WARN, "verification.hmac_key is the demo key (fine for simulation, not for a hall)"
    if problem:
        return FAIL, f"verification.hmac_key: {problem}"
    return OK, "verification.hmac_key is set"


def check_fee_certificate(config: KioskConfig, now: dt.datetime | None = None) -> tuple[str, str]:
    """The terminal's certificate for mutual TLS to the fee system (kiosk/feesystem/tls.py)."""
    from kiosk.feesystem.tls import doctor_check

    return doctor_check(config, now or dt.datetime.now())


def check_clock(now: dt.datetime | None = None) -> tuple[str, str]:
    now = now or dt.datetime.now()
    if now.year < EARLIEST_SANE_YEAR:
        return FAIL, f"the clock says {now:%Y-%m-%d %H:%M}: set the date (receipts and certificates carry it)"
    timedatectl = shutil.which("timedatectl")
    if not timedatectl:
        return OK, f"{now:%Y-%m-%d %H:%M}; timedatectl not installed, NTP not checked"
    done = subprocess.run(
        [timedatectl, "show", "--property=NTPSynchronized", "--value"],
        capture_output=True, text=True, timeout=10, check=False,
    )
    synced = done.stdout.strip()
    if done.returncode != 0 or synced not in ("yes", "no"):
        return OK, f"{now:%Y-%m-%d %H:%M}; NTP state unknown (no systemd-timedated here)"
    if synced == "no":
        return WARN, f"{now:%Y-%m-%d %H:%M}; not synchronised by NTP (check systemd-timesyncd and the network)"
    return OK, f"{now:%Y-%m-%d %H:%M}; NTP synchronised"


def check_audio(config: KioskConfig) -> tuple[str, str]:
    """The voice prompt pack, the audio output, the hall's volume and a test sound played on it (docs/voice.md).
    No output is a warning: the kiosk works silently, with subtitles."""
    from kiosk.voice import VolumeStore, audio_output
    from kiosk.voice_pack import clip_file
    from kiosk.voice_pack.check import missing_files, play_test_sound

    override = config.state_dir / "voice"
    missing = missing_files(override)
    if missing:
        return FAIL, f"voice pack lacks {len(missing)} files ({missing[0]}, ...): run scripts/render_prompts.py"
    volume = VolumeStore(config.state_dir / "voice_volume.json").load()
    output = audio_output()
    if not output.present:
        return WARN, "no audio output (no sound server or sound card): voice prompts are silent, subtitles only"
    sound = play_test_sound(clip_file("test_sound", config["terminal.language"], override), volume)
    return (OK if sound.played else FAIL), f"{output.name}; volume {round(volume * 100)} %; {sound.detail}"
