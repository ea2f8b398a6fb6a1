"""Every action a person at the simulator can take on the devices: the control panel's and the scenarios' hands.

A Bench holds the running device simulators and the fee-system simulator's back end (the QR channel's phone),
whoever started them (both through the simulated world, world.py): the harness supervisor (`kiosk sim`) or the
kiosk's own composition root for the parts its configuration simulates (`make run`).
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from drivers.base import DeviceKind
from drivers.idcard.simulator import demo_card
from drivers.sscard import demo_sscard
from kiosk.demo import DemoPerson
from kiosk.devices import BANK_HOST
from parties.bankhost.accounts import Account
from printers.a4.sim_backend import FAULTS as A4_FAULTS

PRINTER_STATES = ("ok", "low", "out", "cover_open", "cover_closed", "offline", "online")
A4_PRINTER_STATES = A4_FAULTS  # ok, out, jammed, unplugged, offline (printers/a4/sim_backend.py)
IDCARD_FAULTS = ("none", "checksum_once", "checksum_always", "noise", "pulled_mid_read", "silent")
FEE_SYSTEM_MODES = ("ok", "slow", "unreachable", "fail")
# The scenarios' and the simulator panel's word for a device where it is not the DeviceKind's value (`unplug =
# "printer"`, `printer = "out"`, the panel's "sim_unplug_printer"): the one place they are translated. Inside the
# harness every device is keyed by its DeviceKind (the bank host, a party on the network, by BANK_HOST).
DEVICE_WORDS: dict[str, str] = {DeviceKind.RECEIPT_PRINTER: "printer"}


def device_word(device: str) -> str:
    """What the scenarios and the panel call a device (a DeviceKind, or BANK_HOST)."""
    return DEVICE_WORDS.get(device, str(device))


UNPLUGGABLE_KINDS = (DeviceKind.IDCARD, DeviceKind.RECEIPT_PRINTER, DeviceKind.PINPAD, DeviceKind.SSCARD,
                     DeviceKind.BANKCARD)
UNPLUGGABLE = tuple(device_word(kind) for kind in UNPLUGGABLE_KINDS)  # the scenarios' words: `unplug = "printer"`
PCSC_READERS = (DeviceKind.SSCARD, DeviceKind.BANKCARD)  # unplugged by restarting our own pcscd without them
# ok; the next purchase meets drop / no_answer / late / code; slow: every message late; unreachable: no listener.
# totals_differ: the next day-end settlement's host totals leave out one purchase (the kiosk then uploads the batch).
BANK_HOST_MODES = ("ok", "drop", "no_answer", "late", "code", "slow", "unreachable", "arpc_wrong", "totals_differ")
# Faults of the bank card in the slot (issue 19): its ARQC spoiled, AAC at the second GENERATE AC, pulled between
CARD_CHIP_FAULTS = {"wrong_arqc": "wrong_arqc", "aac_second": "second_ac", "pulled_between": "pull_at_second_ac"}


class BenchError(Exception):
    """An action that cannot be done here (no such person, device not simulated, nothing to pay...)."""


@dataclass
class Bench:
    simulators: Mapping[str, Any]  # DeviceKind (and BANK_HOST) -> simulator
    fee_backend: Any  # the embedded fee-system simulator (simulate_qr_payment, open_qr_orders)
    people: dict[str, DemoPerson]
    fee_server: Any = None  # FeeSystemHttpServer when the kiosk reaches the fee system over HTTP
    unplugged: set[str] = field(default_factory=set)  # DeviceKinds, and BANK_HOST
    # The certificate printer is the kiosk's own simulator (a private cupsd of its stand-ins), not the supervisor's:
    # whoever holds the kiosk (runner, panel) puts it here.
    a4_printer: Any = None
    # The simulator's own pcscd (drivers/pcsc/private_pcscd.py), whose readers can be unplugged; None on the
    # machine's shared pcscd, and then ``pcscd_problem`` says why.
    pcscd: Any = None
    pcscd_problem: str = "these card slots are on the machine's pcscd: `kiosk sim` (make sim) unplugs them"

    def simulator(self, device: str) -> Any:
        simulator = self.simulators.get(device)
        if simulator is None:
            raise BenchError(f"the {device_word(device)} is not simulated in this run")
        return simulator

    def person(self, key: str) -> DemoPerson:
        if key not in self.people:
            raise BenchError(f"no demo person {key!r} (config/demo_people.toml keys: {', '.join(self.people)})")
        return self.people[key]

    # --- cards ---------------------------------------------------------------------------------------------

    def place_id_card(self, who: str | Mapping[str, Any]) -> None:
        """A demo person's card (by key) or a card of typed fields (name, id_number, sex, valid_to, ...)."""
        if isinstance(who, str):
            person = self.person(who)
            if not person.has_id_card:
                raise BenchError(f"demo person {who!r} has no ID card")
            fields = person.id_card_fields()
        else:
            fields = dict(who)
        self.simulator(DeviceKind.IDCARD).place_card(demo_card(fields))

    def remove_id_card(self) -> None:
        self.simulator(DeviceKind.IDCARD).place_card(None)

    def insert_sscard(self, who: str | Mapping[str, Any]) -> None:
        if isinstance(who, str):
            person = self.person(who)
            if not person.has_sscard:
                raise BenchError(f"demo person {who!r} has no social security card")
            fields = person.sscard_fields()
        else:
            fields = dict(who)
        try:
            self.simulator(DeviceKind.SSCARD).insert(demo_sscard(fields))
        except (ConnectionError, OSError) as error:
            raise BenchError(f"the virtual card slot (pcscd vpcd) is not available: {error}") from None

    def remove_sscard(self) -> None:
        self.simulator(DeviceKind.SSCARD).remove()

    def idcard_fault(self, fault: str) -> None:
        if fault not in IDCARD_FAULTS:
            raise BenchError(f"ID card reader fault must be one of {', '.join(IDCARD_FAULTS)}, not {fault!r}")
        faults = self.simulator(DeviceKind.IDCARD).faults
        faults.corrupt_checksum = None
        faults.noise = b""
        faults.pull_card_mid_read = None
        faults.silent = DeviceKind.IDCARD in self.unplugged
        if fault == "checksum_once":
            faults.corrupt_checksum = "once"
        elif fault == "checksum_always":
            faults.corrupt_checksum = "always"
        elif fault == "noise":
            faults.noise = b"\x00\xff\x13"
        elif fault == "pulled_mid_read":
            faults.pull_card_mid_read = "halfway"
        elif fault == "silent":
            faults.silent = True

    # --- bank card ------------------------------------------------------------------------------------------

    def bank_account(self, who: str) -> Account:
        """A bank host simulator account by holder name (case-insensitive, "ZHANG SAN") or PAN."""
        accounts = self.simulator(BANK_HOST).accounts()
        wanted = who.strip().upper()
        for account in accounts:
            if wanted in (account.pan, account.name.upper()):
                return account
        names = ", ".join(account.name or account.pan[-4:] for account in accounts)
        raise BenchError(f"no bank account {who!r} (accounts: {names})")

    def insert_bankcard(self, who: str) -> None:
        account = self.bank_account(who)
        try:
            self.simulator(DeviceKind.BANKCARD).insert(account)
        except (ConnectionError, OSError) as error:
            raise BenchError(f"the virtual bank card slot (pcscd vpcd) is not available: {error}") from None

    def remove_bankcard(self) -> None:
        self.simulator(DeviceKind.BANKCARD).remove()

    def bank_host(self, mode: str, seconds: float = 3.0, code: str = "96") -> None:
        """ok / drop, no_answer, late (after ``seconds``), code (answers ``code``): the next purchase (booked by
        the host all the same, so the kiosk must reverse it) / slow: every message late / unreachable."""
        if mode not in BANK_HOST_MODES:
            raise BenchError(f"bank host mode must be one of {', '.join(BANK_HOST_MODES)}, not {mode!r}")
        bank = self.simulator(BANK_HOST)
        bank.clear_faults()
        if mode != "unreachable" and BANK_HOST in self.unplugged:
            bank.start()  # listens again on the same port
            self.unplugged.discard(BANK_HOST)
        if mode in ("drop", "no_answer"):
            bank.fault_next(mode)
        elif mode == "late":
            bank.fault_next("late", delay=seconds)
        elif mode == "code":
            bank.fault_next("code", code=code, process=False)
        elif mode == "slow":
            for mti in ("0800", "0200", "0400"):
                bank.fault_next("late", mti, delay=seconds, count=1_000_000)
        elif mode == "unreachable":
            bank.stop()
            self.unplugged.add(BANK_HOST)
        elif mode == "arpc_wrong":
            bank.fault_next("bad_arpc")
        elif mode == "totals_differ":
            bank.fault_next("totals")

    def bankcard_fault(self, fault: str) -> None:
        """The card in the slot misbehaves from its next GENERATE AC on (CARD_CHIP_FAULTS)."""
        if fault not in CARD_CHIP_FAULTS:
            raise BenchError(f"bank card fault must be one of {', '.join(CARD_CHIP_FAULTS)}, not {fault!r}")
        client = self.simulator(DeviceKind.BANKCARD).client
        if client is None:
            raise BenchError("no bank card in the slot")
        setattr(client.card.faults, CARD_CHIP_FAULTS[fault], "AAC" if fault == "aac_second" else True)

    # --- the citizen's phone -------------------------------------------------------------------------------

    def open_orders(self) -> list[Any]:
        lister = getattr(self.fee_backend, "open_qr_orders", None)
        return lister() if lister else []

    def pay_open_order(self, app: str = "any") -> str:
        """The citizen's phone pays the newest open QR order with ``app`` ("alipay", "wechat", "unionpay" (云闪付),
        or "any": the order's own); its order number. An app cannot pay another channel's code; the aggregated code
        (聚合支付, issue 22) takes any of the three, and the channel records which paid."""
        orders = self.open_orders()
        if not orders:
            raise BenchError("no open QR order to pay")
        order_no = orders[-1].order_no
        method = self.fee_backend.qr_order_method(order_no).value
        if app != "any" and method != "aggregated" and method != app:
            raise BenchError(f"order {order_no} is a {method} code: the {app} app cannot pay it")
        if method == "aggregated":
            self.fee_backend.simulate_qr_payment(order_no, None if app == "any" else app)
        else:
            self.fee_backend.simulate_qr_payment(order_no)
        return order_no

    def order_method(self, order_no: str) -> str:
        return self.fee_backend.qr_order_method(order_no).value

    # --- printer -------------------------------------------------------------------------------------------

    def set_printer(self, state: str) -> None:
        if state not in PRINTER_STATES:
            raise BenchError(f"printer state must be one of {', '.join(PRINTER_STATES)}, not {state!r}")
        printer = self.simulator(DeviceKind.RECEIPT_PRINTER)
        if state in ("ok", "low", "out"):
            printer.set_state(paper=state)
        elif state in ("cover_open", "cover_closed"):
            printer.set_state(cover_open=state == "cover_open")
        else:
            printer.set_state(online=state == "online")

    def set_a4_printer(self, state: str) -> None:
        """The certificate printer: ok, out (paper), jammed, unplugged (CUPS hears it from the backend when a job
        is sent), offline (the queue stopped). ok loads paper, clears the jam, plugs in and starts the queue."""
        if state not in A4_PRINTER_STATES:
            raise BenchError(f"A4 printer state must be one of {', '.join(A4_PRINTER_STATES)}, not {state!r}")
        simulator = self.a4_printer or self.simulators.get(DeviceKind.A4_PRINTER)
        if simulator is None:
            raise BenchError("the A4 printer is not simulated in this run (devices.a4_printer.mode, or no CUPS)")
        try:
            simulator.set_fault(state)
        except (OSError, subprocess.SubprocessError) as error:
            raise BenchError(f"the A4 printer simulator's cupsd did not take it: {error}") from None

    @property
    def receipts(self) -> list[Any]:
        printer = self.simulators.get(DeviceKind.RECEIPT_PRINTER)
        return list(printer.receipts) if printer is not None else []

    # --- plugs ---------------------------------------------------------------------------------------------

    def unplug(self, word: str) -> None:
        """Unplug a device by the scenarios' and the panel's word for it (UNPLUGGABLE: "printer", "idcard", ...)."""
        self._plug(self._unpluggable(word), plugged=False)

    def replug(self, word: str) -> None:
        self._plug(self._unpluggable(word), plugged=True)

    @staticmethod
    def _unpluggable(word: str) -> DeviceKind:
        for kind in UNPLUGGABLE_KINDS:
            if device_word(kind) == word:
                return kind
        raise BenchError(f"only {', '.join(UNPLUGGABLE)} can be unplugged here, not {word!r}")

    def _plug(self, device: DeviceKind, plugged: bool) -> None:
        if device in PCSC_READERS:
            self._plug_reader(device, plugged)
            return
        simulator = self.simulator(device)
        (self.unplugged.discard if plugged else self.unplugged.add)(device)
        if device is DeviceKind.RECEIPT_PRINTER:
            simulator.plug_in() if plugged else simulator.unplug()
        elif device is DeviceKind.IDCARD:
            simulator.faults.silent = not plugged  # a reader without power answers nothing
        else:
            simulator.set_offline(not plugged)

    def _plug_reader(self, device: DeviceKind, plugged: bool) -> None:
        """pcscd restarts with the readers now plugged: every card slot loses its link for those milliseconds,
        and a card left in a slot is seen again when its reader is back."""
        if self.pcscd is None:
            raise BenchError(f"the {device} reader cannot be unplugged on a shared pcscd: {self.pcscd_problem}")
        slots = {name: self.simulators[name] for name in PCSC_READERS if name in self.simulators}
        (self.unplugged.discard if plugged else self.unplugged.add)(device)
        for slot in slots.values():
            slot.detach()
        try:
            self.pcscd.set_plugged(device, plugged)
        except Exception as error:  # PcscError and OSError alike: the panel and the scenario say it in words
            raise BenchError(f"the simulator's pcscd did not restart: {error}") from None
        for name, slot in slots.items():
            if name not in self.unplugged:
                slot.attach()

    # --- PIN pad -------------------------------------------------------------------------------------------

    def press_pinpad(self, keys: str | list[str]) -> None:
        pad = self.simulator(DeviceKind.PINPAD)
        for key in list(keys) if isinstance(keys, str) else keys:
            pad.press(key)

    def type_pin(self, pin: str, wait: float = 5.0, enter: bool = True) -> None:
        """The citizen types a PIN once the pad asks for one (waits up to ``wait`` seconds), then enter."""
        pad = self.simulator(DeviceKind.PINPAD)
        if not pad.wait_for_pin_entry(wait):
            raise BenchError(f"the PIN pad did not ask for a PIN within {wait:g} s")
        pad.type_pin(pin, enter=enter)

    # --- fee system ----------------------------------------------------------------------------------------

    def fee_system(self, mode: str, seconds: float = 3.0) -> None:
        """ok / slow (answers after ``seconds``) / unreachable (connections refused) / fail (503 answers)."""
        if mode not in FEE_SYSTEM_MODES:
            raise BenchError(f"fee system mode must be one of {', '.join(FEE_SYSTEM_MODES)}, not {mode!r}")
        if self.fee_server is None:
            raise BenchError("the fee system is embedded in this run: only the HTTP gateway can be slowed or cut")
        controls = self.fee_server.controls
        controls.clear()
        if mode == "slow":
            controls.delay(int(seconds * 1000))
        elif mode == "unreachable":
            controls.refuse()
        elif mode == "fail":
            controls.fail(503, calls=None)


def bench_for_device_hub(ctx: Any, people: dict[str, DemoPerson]) -> Bench:
    """The bench of a kiosk that started its own simulators (`make run`: devices in mode "simulated")."""
    return Bench(simulators=ctx.devices.simulators, fee_backend=ctx.fee_system, people=people)
