"""The scenario file format (TOML, docs/harness.md): a header table and a list of steps, one action each.

    [scenario]
    name = "Resident pension by Alipay with a receipt"
    now = 2026-11-27T10:00:00        # the kiosk's and the fee system's clock (optional: the real time)
    within = 8                       # default seconds a wait or a tap may take
    [scenario.config]                # kiosk configuration overrides (dotted keys)
    "timeouts.screen_seconds" = 2

    [[step]]
    tap = "resident"
    [[step]]
    wait_screen = "menu"
    within = 5
    [[step]]
    include = "steps/resident_pension_to_card.toml"   # a shared step set, relative to this file

A step set (tests/scenarios/steps/) holds only [[step]] tables (and an optional [steps] description); its steps
take the place of the include step, numbered on in the scenario, each reported at its own file and line. Sets may
include sets; a set that includes itself, directly or not, is refused. Parsing checks every action name and the
type of its value, so a typo fails before the kiosk starts.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.harness.maintenance_steps import MAINTENANCE_ACTIONS

TEXT = (str,)
FLAG = (bool,)
WHO = (str, dict)  # a demo person's key or a table of typed card fields
TEXTS = (str, list)
TABLE = (dict,)
NUMBER = (int, float)

# action -> accepted value types. Device actions, UI actions, waits, assertions (docs/harness.md lists them).
ACTIONS: dict[str, tuple[type, ...]] = {
    # devices
    "place_id_card": WHO,
    "remove_id_card": FLAG,
    "insert_sscard": WHO,
    "remove_sscard": FLAG,
    "idcard_fault": TEXT,
    "pay_qr": TEXT,
    "abandon_qr": FLAG,
    "printer": TEXT,
    "a4_printer": TEXT,
    "unplug": TEXT,
    "replug": TEXT,
    "fee_system": TEXT,
    "pinpad_keys": TEXTS,
    "type_pin": TEXT,
    "insert_bankcard": TEXT,
    "remove_bankcard": FLAG,
    "bank_host": TEXT,
    "bankcard_fault": TEXT,
    "settle": FLAG,
    "paid_elsewhere": TABLE,  # the fee system books a period as paid at another channel meanwhile (issue 22)
    # the screen
    "tap": TEXT,
    "tap_text": TEXT,
    "type_keypad": TEXT,
    # waits
    "wait_screen": TEXT,
    "wait_text": TEXT,
    "wait_no_text": TEXT,
    "sleep": NUMBER,
    # assertions
    "expect_screen": TEXT,
    "expect_text": TEXTS,
    "expect_no_text": TEXTS,
    "expect_receipt": TEXTS,
    "expect_receipt_count": (int,),
    "expect_no_receipt_text": TEXTS,
    "expect_journal": TABLE,
    "expect_fee_record": TABLE,
    "expect_no_fee_record": TEXT,
    "expect_amount": (int,),
    "expect_open_orders": (int,),
    "expect_qr_order": TABLE,  # the order the last pay_qr paid: state, amount_fen, refunded_fen, paid_with
    "expect_session_wiped": FLAG,
    "expect_bank": TABLE,
    "expect_settlement": TABLE,
    "expect_certificate": TEXTS,
    "expect_certificate_count": (int,),
    "expect_no_certificate_text": TEXTS,
    "verify_receipt": TEXT,  # the last receipt's QR code in Chromium: "genuine" or "tampered"
}
ACTIONS.update(MAINTENANCE_ACTIONS)
# Keys a step may carry besides its action.
OPTIONS: dict[str, tuple[type, ...]] = {"within": NUMBER, "seconds": NUMBER, "note": TEXT, "code": TEXT}
HEADER_KEYS = {"name", "description", "now", "within", "config", "printer_transport", "tap_traffic", "pcscd"}
PCSCD_MODES = ("shared", "own", "auto")  # SupervisorOptions.pcscd


class ScenarioError(Exception):
    """A scenario file that cannot be run, said with the file and the step."""


@dataclass(frozen=True)
class ScenarioStep:
    number: int  # 1-based, as the report says it
    line: int  # line of its [[step]] header in the file (0 when unknown)
    action: str
    value: Any
    options: dict[str, Any] = field(default_factory=dict)
    source: Path | None = None  # the step set it came from, when included (None: the scenario file itself)

    def describe(self) -> str:
        extra = "".join(f", {key} = {value!r}" for key, value in self.options.items() if key != "note")
        return f"{self.action} = {self.value!r}{extra}"


@dataclass(frozen=True)
class Scenario:
    source: Path
    name: str
    description: str
    now: dt.datetime | None
    within: float
    config: dict[str, Any]
    printer_transport: str
    tap_traffic: bool
    steps: list[ScenarioStep]
    pcscd: str | None = None  # "own" when a step unplugs a card reader (None: the caller's choice)


def load_scenario(path: Path | str) -> Scenario:
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError(f"{source}: cannot read the scenario: {error.strerror or error}") from None
    return parse_scenario(text, source)


def parse_scenario(text: str, source: Path = Path("<scenario>")) -> Scenario:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{source}: not valid TOML: {error}") from None
    unknown = set(data) - {"scenario", "step"}
    if unknown:
        raise ScenarioError(f"{source}: unknown top-level keys {sorted(unknown)} (expected [scenario] and [[step]])")
    header = data.get("scenario", {})
    if set(header) - HEADER_KEYS:
        raise ScenarioError(f"{source}: [scenario]: unknown keys {sorted(set(header) - HEADER_KEYS)}")
    now = header.get("now")
    if now is not None and not isinstance(now, dt.datetime):
        raise ScenarioError(f"{source}: [scenario] now: expected a TOML local date-time like 2026-11-27T10:00:00")
    if isinstance(now, dt.datetime) and now.tzinfo is not None:
        now = now.replace(tzinfo=None)  # the kiosk's clock is local time
    transport = header.get("printer_transport", "pty")
    if transport not in ("pty", "tcp"):
        raise ScenarioError(f"{source}: [scenario] printer_transport: expected \"pty\" or \"tcp\", got {transport!r}")
    pcscd = header.get("pcscd")
    if pcscd is not None and pcscd not in PCSCD_MODES:
        raise ScenarioError(f"{source}: [scenario] pcscd: expected one of {', '.join(PCSCD_MODES)}, got {pcscd!r}")
    if not data.get("step"):
        raise ScenarioError(f"{source}: no [[step]] tables")
    steps = [
        _parse_step(origin, number, line, raw, included=origin != source)
        for number, (origin, line, raw) in enumerate(_expanded_steps(source, text, data, (source.resolve(),)), 1)
    ]
    return Scenario(
        source=source,
        name=str(header.get("name", source.stem)),
        description=str(header.get("description", "")),
        now=now,
        within=float(header.get("within", 8)),
        config=dict(header.get("config", {})),
        printer_transport=transport,
        tap_traffic=bool(header.get("tap_traffic", True)),
        steps=steps,
        pcscd=pcscd,
    )


def _step_lines(text: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), 1) if re.match(r"\s*\[\[step\]\]", line)]


def _expanded_steps(
    source: Path, text: str, data: dict[str, Any], chain: tuple[Path, ...]
) -> list[tuple[Path, int, dict[str, Any]]]:
    """(file, line, raw step) for every step, the step sets of include steps spliced in where they stand."""
    lines = _step_lines(text)
    expanded: list[tuple[Path, int, dict[str, Any]]] = []
    for index, raw in enumerate(data.get("step", [])):
        line = lines[index] if index < len(lines) else 0
        if "include" not in raw:
            expanded.append((source, line, raw))
            continue
        expanded += _included_steps(source, line, raw, chain)
    return expanded


def _included_steps(
    source: Path, line: int, raw: dict[str, Any], chain: tuple[Path, ...]
) -> list[tuple[Path, int, dict[str, Any]]]:
    where = f"{source}:{line}" if line else str(source)
    extra = set(raw) - {"include", "note"}
    if extra or not isinstance(raw["include"], str):
        raise ScenarioError(f"{where}: include: a step with include names one step set file (and a note), only")
    target = (source.parent / raw["include"]).resolve()
    if target in chain:
        raise ScenarioError(f"{where}: include {raw['include']!r}: the step set includes itself")
    try:
        text = target.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as error:
        raise ScenarioError(f"{where}: include {raw['include']!r}: cannot read {target}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{target}: not valid TOML: {error}") from None
    if set(data) - {"steps", "step"} or not data.get("step"):
        raise ScenarioError(f"{target}: a step set holds [[step]] tables (and an optional [steps] description) only")
    return _expanded_steps(target, text, data, (*chain, target))


def _parse_step(source: Path, number: int, line: int, raw: dict[str, Any], included: bool = False) -> ScenarioStep:
    where = f"{source}:{line} step {number}" if line else f"{source} step {number}"
    actions = [key for key in raw if key in ACTIONS]
    unknown = [key for key in raw if key not in ACTIONS and key not in OPTIONS]
    if unknown:
        raise ScenarioError(f"{where}: unknown key(s) {unknown} (actions: {', '.join(ACTIONS)})")
    if len(actions) != 1:
        raise ScenarioError(f"{where}: a step has exactly one action, found {actions or 'none'}")
    action = actions[0]
    value = raw[action]
    if not isinstance(value, ACTIONS[action]) or (bool in (type(value),) and bool not in ACTIONS[action]):
        expected = " or ".join(kind.__name__ for kind in ACTIONS[action])
        raise ScenarioError(f"{where}: {action}: expected {expected}, got {value!r}")
    options = {key: raw[key] for key in raw if key in OPTIONS}
    for key, kinds in OPTIONS.items():
        if key in options and (not isinstance(options[key], kinds) or isinstance(options[key], bool)):
            raise ScenarioError(f"{where}: {key}: expected {kinds[0].__name__}, got {options[key]!r}")
    return ScenarioStep(number, line, action, value, options, source if included else None)
