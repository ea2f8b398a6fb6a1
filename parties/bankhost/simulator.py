"""A bank host on loopback that speaks the kiosk's ISO 8583 (drivers.bankhost.messages) from the host's side.

It keeps accounts (PAN, PIN, balance in fen), its own copy of the terminal master key (the same test key as the
simulated PIN pad: parties.bankhost.testkeys), issues working keys at sign-on, verifies MACs and PIN blocks,
answers with real response codes (00, 14, 30, 51, 54, 55, 75, 77, 94, 96, 97, 99, A0), keeps a ledger in which a
reversal restores the balance (a reversal of an unknown or already reversed transaction is acknowledged, and a
purchase arriving after its own reversal is refused), and can be told to not answer, answer late, drop the
connection after receiving, answer with a forced code, or spoil its answer's MAC. Optionally it keeps accounts,
ledger and keys in a state directory.

Run it alone: ``python -m parties.bankhost.simulator [--port N] [--state DIR] [--accounts FILE]``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import itertools
import json
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType

from drivers.bankcard import emv, emv_crypto
from drivers.bankcard.data import mask_pan
from drivers.bankcard.errors import TlvError
from drivers.bankhost import messages as m
from drivers.bankhost.client import Totals
from drivers.bankhost.errors import MessageFormatError
from drivers.bankhost.transport import FrameTooLarge, receive_frame
from drivers.pinpad import crypto
from drivers.pinpad.crypto import Algorithm, CryptoInputError
from drivers.process import serve_until_terminated
from kiosk.private_files import make_private_dirs
from parties.bankhost.accounts import Account, demo_accounts
from parties.bankhost.testkeys import TEST_ISSUER_MASTER_KEYS, shared_master_key

log = logging.getLogger(__name__)

STATE_FILE = "bankhost.json"
PIN_TRY_LIMIT = 3


class Fault(StrEnum):
    NO_ANSWER = "no_answer"  # keep the connection, never answer
    LATE = "late"  # answer after ``delay`` seconds
    DROP = "drop"  # close the connection right after receiving
    CODE = "code"  # answer with ``code`` without processing (96 system malfunction, ...)
    BAD_MAC = "bad_mac"  # process and answer, with a wrong MAC
    BAD_ARPC = "bad_arpc"  # approve, with an ARPC the card cannot verify (0200)
    TOTALS = "totals"  # the host's settlement totals differ from the kiosk's by one purchase it lost (0500)


ARQC_FAILED = "05"  # do not honour: the ARQC did not verify (the acquirer names its own code: docs/bank.md)


@dataclass
class PlannedFault:
    kind: Fault
    mti: str
    process: bool = True  # NO_ANSWER / LATE / DROP: book the request anyway (money moves, the kiosk can't know)
    delay: float = 0.0
    code: str = "96"
    remaining: int = 1


@dataclass
class LedgerEntry:
    terminal_id: str
    stan: str
    local_date: str  # MMDD of field 13
    local_time: str  # hhmmss of field 12
    pan: str
    amount_fen: int
    response_code: str
    status: str  # approved, declined, reversed
    rrn: str = ""
    auth_code: str = ""
    reversal_reason: str = ""
    batch: str = ""
    # Contract for outside checks: {"arqc_ok": true/false, "final": "TC" | "AAC" | null (the card never answered)}
    ic: dict[str, object] | None = None
    uploaded: str = ""  # "", "tc" (0320 203 right after), "batch" (0320 201 at settlement)
    lost: bool = False  # Fault.TOTALS: left out of the host's totals until the batch upload brings it back
    tc_ok: bool | None = None  # a 0320's field 55 held the card's TC and it checked; None: no TC uploaded yet
    original: str = ""  # a refund (status "refund"): its purchase's RRN; the purchase's key is in ``original_key``
    original_key: tuple[str, str, str] | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.terminal_id, self.stan, self.local_date)

    def __repr__(self) -> str:
        return (
            f"LedgerEntry({self.terminal_id} {self.stan} {self.local_date} {mask_pan(self.pan)} "
            f"{self.amount_fen} {self.response_code} {self.status})"
        )


@dataclass
class TerminalKeys:
    pin_key: bytes
    mac_key: bytes
    batch: str = "000001"


@dataclass
class Received:
    mti: str
    stan: str
    response_code: str = ""  # what the host answered (or would have), "" when it did not get that far


class BankHostSimulator:
    def __init__(
        self,
        accounts: Iterable[Account] | None = None,
        *,
        algorithm: Algorithm | str = Algorithm.TDES,
        master_key: bytes | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        state_dir: str | os.PathLike[str] | None = None,
        pin_try_limit: int = PIN_TRY_LIMIT,
        terminals: Iterable[str] | None = None,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        issuer_keys: tuple[bytes, bytes] = TEST_ISSUER_MASTER_KEYS,
        require_ic: bool = False,
    ) -> None:
        self.algorithm = Algorithm(str(algorithm).lower())
        self.issuer_keys = issuer_keys  # the issuer master keys for ACs and script MACs (the bank's HSM holds them)
        # A chip purchase (entry mode 05x) without field 55 is declined (30) when set; the kiosk's world sets it.
        # Off for the tests of the journal steps that pass card data without a chip.
        self.require_ic = require_ic
        self._scripts: list[tuple[int, bytes, bytes]] = []  # (71 or 72, header, data) for the next approval
        self.settlements: list[dict[str, object]] = []  # every 0500 and what the host answered (tests look)
        self.master_key = master_key or shared_master_key(self.algorithm)
        crypto.check_key(self.algorithm, self.master_key)
        self.host = host
        self.port = port
        self.state_file = Path(state_dir) / STATE_FILE if state_dir else None
        self.pin_try_limit = pin_try_limit
        self.terminals = set(terminals) if terminals is not None else None
        self.clock = clock
        self.received: list[Received] = []  # every decoded request, in arrival order (tests look at it)
        self.on_request: Callable[[m.Fields], None] | None = None  # called with each request before processing
        self._lock = threading.RLock()
        self._accounts: dict[str, Account] = {}
        self._ledger: list[LedgerEntry] = []
        self._reversed_unknown: set[tuple[str, str, str]] = set()  # reversals that came before their purchase
        self._keys: dict[str, TerminalKeys] = {}
        self._faults: list[PlannedFault] = []
        self._counter = itertools.count(1)
        self._stop = threading.Event()
        self._server: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._connections: set[socket.socket] = set()
        self._load()
        for account in demo_accounts() if accounts is None else accounts:
            self._accounts.setdefault(account.pan, account)

    # -- life cycle ------
    def start(self) -> BankHostSimulator:
        if self._server is not None:
            return self
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((self.host, self.port))
        server.listen(16)
        self.port = server.getsockname()[1]
        self._server = server
        self._stop.clear()
        thread = threading.Thread(target=self._accept_loop, name="bankhost-accept", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        server, self._server = self._server, None
        if server is not None:
            with contextlib.suppress(OSError):
                server.shutdown(socket.SHUT_RDWR)
            server.close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            _close(conn)
        for thread in self._threads:
            thread.join(timeout=2.0)
        self._threads.clear()

    def __enter__(self) -> BankHostSimulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    # -- accounts and ledger ------
    def add_account(self, account: Account) -> None:
        with self._lock:
            self._accounts[account.pan] = account
            self._save()

    def account(self, pan: str) -> Account:
        with self._lock:
            return self._accounts[pan]

    def accounts(self) -> list[Account]:
        with self._lock:
            return list(self._accounts.values())

    def balance(self, pan: str) -> int:
        with self._lock:
            return self._accounts[pan].balance_fen

    def ledger(self) -> list[LedgerEntry]:
        with self._lock:
            return [LedgerEntry(**asdict(entry)) for entry in self._ledger]

    def net_debits(self, terminal_id: str | None = None) -> int:
        """Fen taken and not given back (approved, not reversed, less what refunds gave back)."""
        with self._lock:
            return sum(
                entry.amount_fen * {"approved": 1, "refund": -1}.get(entry.status, 0)
                for entry in self._ledger
                if terminal_id in (None, entry.terminal_id)
            )

    def refunds_of(self, rrn: str) -> list[LedgerEntry]:
        """The refunds booked against the purchase of RRN ``rrn``."""
        with self._lock:
            return [LedgerEntry(**asdict(e)) for e in self._ledger if e.status == "refund" and e.original == rrn]

    def terminal_keys(self, terminal_id: str) -> TerminalKeys | None:
        with self._lock:
            return self._keys.get(terminal_id)

    # -- fault injection ------
    def fault_next(
        self,
        kind: Fault | str,
        mti: str = m.PURCHASE,
        *,
        process: bool = True,
        delay: float = 0.0,
        code: str = "96",
        count: int = 1,
    ) -> None:
        """The next ``count`` requests of type ``mti`` meet ``kind``. BAD_ARPC (purchases) and TOTALS (settlements)
        act while the request is processed."""
        kind = Fault(kind)
        if kind in (Fault.BAD_ARPC, Fault.TOTALS):
            mti = f"{m.SETTLEMENT if kind is Fault.TOTALS else m.PURCHASE}/{kind.value}"
        with self._lock:
            self._faults.append(PlannedFault(Fault(kind), mti, process, delay, code, count))

    def script_next(
        self, template: int = 0x72, header: bytes = bytes.fromhex("84DA9F79"), data: bytes = bytes(6)
    ) -> None:
        """The next approval carries an issuer script: 71 (run before the second GENERATE AC) or 72 (after). The
        default command is PUT DATA of a 6-byte value; the host MACs it for the card's ATC."""
        with self._lock:
            self._scripts.append((template, header, data))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, mti: str) -> PlannedFault | None:
        with self._lock:
            for fault in self._faults:
                if fault.mti == mti and fault.remaining > 0:
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    # -- the network side ------
    def _accept_loop(self) -> None:
        server = self._server
        while server is not None and not self._stop.is_set():
            try:
                conn, _peer = server.accept()
            except OSError:
                break
            with self._lock:
                self._connections.add(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), name="bankhost-conn", daemon=True)
            thread.start()
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            while not self._stop.is_set():
                try:
                    raw = receive_frame(conn, None)
                except (OSError, FrameTooLarge) as exc:
                    log.debug("bank host: connection ended: %s", exc)
                    return
                if raw is None:
                    return
                if not self._one_message(conn, raw):
                    return
        finally:
            with self._lock:
                self._connections.discard(conn)
            _close(conn)

    def _one_message(self, conn: socket.socket, raw: bytes) -> bool:
        """Handle one framed request; False closes the connection."""
        try:
            request = m.decode(raw, self.algorithm)
        except MessageFormatError as exc:
            log.info("bank host: undecodable request dropped: %s", exc.detail)
            return False  # nothing we can answer to: the terminal sees the connection close
        mti = request["t"]
        if self.on_request is not None:
            self.on_request(request)
        fault = self._take_fault(mti)
        record = Received(mti, request.get("11", ""))
        with self._lock:
            self.received.append(record)
        if fault is not None and fault.kind is Fault.DROP:
            if fault.process:
                record.response_code = _code_of(self._process(request, raw), self.algorithm)
            return False
        if fault is not None and fault.kind is Fault.CODE:
            answer = self._answer(request, fault.code, mac=fault.code not in ("A0", "77"))
        elif fault is not None and not fault.process:
            answer = b""
        else:
            answer = self._process(request, raw)
        record.response_code = _code_of(answer, self.algorithm)
        if fault is not None and fault.kind is Fault.NO_ANSWER:
            return True  # read on: the terminal gives up and closes
        if fault is not None and fault.kind is Fault.LATE and self._stop.wait(fault.delay):
            return False
        if fault is not None and fault.kind is Fault.BAD_MAC and answer:
            answer = answer[:-1] + bytes([answer[-1] ^ 0x01])
        if not answer:
            return True
        try:
            conn.sendall(m.frame(answer))
        except OSError as exc:
            log.debug("bank host: answer not delivered: %s", exc)
            return False
        return True

    # -- processing ------
    def _process(self, request: m.Fields, raw: bytes) -> bytes:
        mti = request["t"]
        with self._lock:
            if mti == m.SIGN_ON:
                return self._sign_on(request)
            if mti == m.PURCHASE:
                return self._purchase(request, raw)
            if mti == m.REVERSAL:
                return self._reversal(request, raw)
            if mti == m.REFUND:
                return self._refund(request, raw)
            if mti == m.BATCH_UPLOAD:
                return self._upload(request, raw)
            if mti == m.SETTLEMENT:
                return self._settle(request, raw)
            return self._answer(request, "12", mac=False)

    def _answer(self, request: m.Fields, code: str, extra: m.Fields | None = None, mac: bool = True) -> bytes:
        mti = m.RESPONSE_OF.get(request["t"], f"{int(request['t']) + 10:04d}")
        now = self.clock()
        answer: m.Fields = {"h": m.TPDU_TO_TERMINAL, "t": mti}
        for name in ("2", "3", "4", "11", "22", "25", "41", "42", "49", "60"):
            if name in request:
                answer[name] = request[name]
        answer |= {"12": now.strftime("%H%M%S"), "13": now.strftime("%m%d"), "39": code}
        answer |= extra or {}
        keys = self._keys.get(request.get("41", ""))
        if not mac or keys is None or request["t"] == m.SIGN_ON:
            return m.encode(answer, self.algorithm)
        raw = m.encode({**answer, "64": "00" * m.MAC_BYTES}, self.algorithm)
        return m.with_mac(raw, crypto.compute_mac(self.algorithm, keys.mac_key, m.mac_data(raw)))

    def _sign_on(self, request: m.Fields) -> bytes:
        terminal = request.get("41", "")
        if self.terminals is not None and terminal not in self.terminals:
            return self._answer(request, "97", mac=False)
        pin_key, mac_key = os.urandom(16), os.urandom(16)
        batch = request.get("60", "00000001")[2:8] or "000001"
        self._keys[terminal] = TerminalKeys(pin_key, mac_key, batch)
        self._save()
        field62 = b"".join(
            crypto.encrypt_ecb(self.algorithm, self.master_key, key) + crypto.check_value(self.algorithm, key)
            for key in (pin_key, mac_key)
        )
        extra = {"37": self._rrn(), "60": m.TYPE_SIGN_ON + batch + m.MANAGEMENT_SIGN_ON, "62": field62.hex().upper()}
        return self._answer(request, "00", extra, mac=False)

    def _mac_ok(self, keys: TerminalKeys, request: m.Fields, raw: bytes) -> bool:
        if "64" not in request:
            return False
        expected = crypto.compute_mac(self.algorithm, keys.mac_key, m.mac_data(raw))[: m.MAC_BYTES]
        return hmac.compare_digest(expected, raw[-m.MAC_BYTES :])

    def _purchase(self, request: m.Fields, raw: bytes) -> bytes:
        keys = self._keys.get(request.get("41", ""))
        if keys is None:
            return self._answer(request, "77", mac=False)
        if not self._mac_ok(keys, request, raw):
            return self._answer(request, "A0", mac=False)
        if any(name not in request for name in ("2", "4", "11", "13", "35", "41")):
            return self._answer(request, "30")
        key = (request["41"], request["11"], request["13"])
        if key in self._reversed_unknown or any(entry.key == key for entry in self._ledger):
            return self._answer(request, "94")
        pan, amount = request["2"], int(request["4"])
        icc = self._icc_values(request)
        arqc_ok = icc is not None and self._arqc_ok(pan, icc)
        code = self._authorise(request, keys, pan, amount)
        if code == "00" and "55" not in request and self.require_ic and request.get("22", "").startswith("05"):
            code = "30"  # a chip purchase without its IC data: UnionPay acquirers refuse it
        elif code == "00" and icc is not None and not arqc_ok:
            code = ARQC_FAILED
        entry = LedgerEntry(
            terminal_id=request["41"],
            stan=request["11"],
            local_date=request["13"],
            local_time=request.get("12", ""),
            pan=pan,
            amount_fen=amount,
            response_code=code,
            status="declined",
            batch=request.get("60", "")[2:8],
            ic={"arqc_ok": arqc_ok, "final": None},
        )
        extra: m.Fields = {"37": self._rrn()}
        if code == "00":
            self._accounts[pan].balance_fen -= amount
            entry.status, entry.rrn, entry.auth_code = "approved", extra["37"], f"{next(self._counter) % 10**6:06d}"
            extra["38"] = entry.auth_code
            if icc is not None:
                extra["55"] = self._issuer_answer(pan, icc, code).hex().upper()
        self._ledger.append(entry)
        self._save()
        return self._answer(request, code, extra)

    # -- the chip ------
    @staticmethod
    def _icc_values(request: m.Fields) -> dict[int, bytes] | None:
        if "55" not in request:
            return None
        try:
            return emv.field55_values(bytes.fromhex(request["55"]))
        except (TlvError, ValueError):
            return {}

    def _card_keys(self, pan: str) -> emv_crypto.IccKeys | None:
        account = self._accounts.get(pan)
        if account is None:
            return None
        return emv_crypto.icc_keys(*self.issuer_keys, pan, account.pan_sequence)

    def _arqc_ok(self, pan: str, icc: dict[int, bytes]) -> bool:
        """Recompute the ARQC from field 55 with the card's key derived from the issuer master key."""
        return self._cryptogram_ok(pan, icc, 0x80)

    def _tc_ok(self, pan: str, icc: dict[int, bytes]) -> bool:
        """A TC in an upload's field 55 that the card's key recomputes from the data uploaded with it."""
        return self._cryptogram_ok(pan, icc, 0x40)

    def _cryptogram_ok(self, pan: str, icc: dict[int, bytes], cid_type: int) -> bool:
        keys = self._card_keys(pan)
        needed = (0x9F26, 0x9F27, 0x9F36, 0x9F10, 0x82)
        if keys is None or any(tag not in icc for tag in needed) or icc[0x9F27][0] & 0xC0 != cid_type:
            return False
        try:
            expected = emv_crypto.cryptogram(keys.ac, icc, icc[0x82], icc[0x9F36], icc[0x9F10])
        except ValueError:
            return False
        return hmac.compare_digest(expected, icc[0x9F26])

    def _issuer_answer(self, pan: str, icc: dict[int, bytes], code: str) -> bytes:
        """Field 55 of the 0210: 91 (ARPC ‖ ARC, method 1) and any issuer scripts asked for."""
        keys = self._card_keys(pan)
        assert keys is not None
        arc = code.encode("ascii")
        arpc = emv_crypto.arpc(keys.ac, icc[0x9F36], icc[0x9F26], arc)
        if self._take_fault(m.PURCHASE + "/" + Fault.BAD_ARPC) is not None:
            arpc = bytes([arpc[0] ^ 0x01]) + arpc[1:]
        scripts, self._scripts = self._scripts, []
        before = [[emv_crypto.script_command(keys.smi, icc[0x9F36], h, d)] for t, h, d in scripts if t == 0x71]
        after = [[emv_crypto.script_command(keys.smi, icc[0x9F36], h, d)] for t, h, d in scripts if t == 0x72]
        return emv.issuer_response(arpc + arc, before, after)

    def _authorise(self, request: m.Fields, keys: TerminalKeys, pan: str, amount: int) -> str:
        account = self._accounts.get(pan)
        if account is None or not request["35"].upper().startswith(pan + "D") or amount <= 0:
            return "14"
        if account.expiry < self.clock().date():
            return "54"
        tries = self.pin_try_limit if account.pin_tries_left is None else account.pin_tries_left
        if tries <= 0:
            return "75"
        if "52" not in request:
            return "55"
        try:
            pin = crypto.decode_pin_block(
                self.algorithm, keys.pin_key, bytes.fromhex(request["52"]), crypto.pan_field_digits(pan)
            )
        except CryptoInputError:
            return "99"
        if not hmac.compare_digest(pin.encode(), account.pin.encode()):
            account.pin_tries_left = tries - 1
            return "75" if account.pin_tries_left <= 0 else "55"
        account.pin_tries_left = None
        if account.balance_fen < amount:
            return "51"
        return "00"

    def _reversal(self, request: m.Fields, raw: bytes) -> bytes:
        keys = self._keys.get(request.get("41", ""))
        if keys is None:
            return self._answer(request, "77", mac=False)
        if not self._mac_ok(keys, request, raw):
            return self._answer(request, "A0", mac=False)
        if any(name not in request for name in ("4", "11", "13", "41")):
            return self._answer(request, "30")
        key = (request["41"], request["11"], request["13"])
        original = next((entry for entry in self._ledger if entry.key == key), None)
        if original is None:
            self._reversed_unknown.add(key)  # acknowledged; the purchase, should it still come, is refused
        elif original.status == "approved":
            if original.amount_fen != int(request["4"]):
                return self._answer(request, "12")
            self._accounts[original.pan].balance_fen += original.amount_fen
            original.status, original.reversal_reason = "reversed", request.get("39", "")
        if original is not None:
            self._note_final(original, request)
        self._save()
        return self._answer(request, "00")

    def _refund(self, request: m.Fields, raw: bytes) -> bytes:
        """0220 (退货): credit the card of an approved purchase (field 61: its batch, STAN, date; field 37: its RRN)
        with at most what is left of it. The refund's own key (terminal, STAN, date) books it once: the same 0220
        sent again is answered as the first time."""
        keys = self._keys.get(request.get("41", ""))
        if keys is None:
            return self._answer(request, "77", mac=False)
        if not self._mac_ok(keys, request, raw):
            return self._answer(request, "A0", mac=False)
        if any(name not in request for name in ("4", "11", "13", "37", "41", "61")) or len(request["61"]) < 16:
            return self._answer(request, "30")
        key = (request["41"], request["11"], request["13"])
        booked = next((entry for entry in self._ledger if entry.key == key), None)
        if booked is not None:  # a repeat of a refund already booked (or a STAN already used: 94)
            same = booked.status == "refund" and booked.amount_fen == int(request["4"])
            return self._answer(request, "00", {"37": booked.rrn}) if same else self._answer(request, "94")
        original_key = (request["41"], request["61"][6:12], request["61"][12:16])
        original = next((e for e in self._ledger if e.key == original_key and e.status == "approved"), None)
        if original is None or original.rrn != request["37"]:
            return self._answer(request, "25")  # no such approved purchase (a reversed one cannot be refunded)
        amount = int(request["4"])
        already = sum(e.amount_fen for e in self._ledger if e.status == "refund" and e.original_key == original_key)
        if amount <= 0 or already + amount > original.amount_fen:
            return self._answer(request, "13")  # more than is left of the purchase
        self._accounts[original.pan].balance_fen += amount
        entry = LedgerEntry(
            terminal_id=request["41"],
            stan=request["11"],
            local_date=request["13"],
            local_time=request.get("12", ""),
            pan=original.pan,
            amount_fen=amount,
            response_code="00",
            status="refund",
            rrn=self._rrn(),
            batch=request.get("60", "")[2:8],
            original=original.rrn,
            original_key=original_key,
        )
        self._ledger.append(entry)
        self._save()
        return self._answer(request, "00", {"37": entry.rrn})

    @staticmethod
    def _note_final(entry: LedgerEntry, request: m.Fields) -> None:
        """The card's last cryptogram, as the reversal or the upload carries it (9F27), goes into ``ic.final``."""
        icc = BankHostSimulator._icc_values(request) or {}
        cid = icc.get(0x9F27)
        if cid and len(cid) == 1 and entry.ic is not None:
            entry.ic["final"] = emv.CID_TYPES.get(cid[0] & 0xC0)

    def _upload(self, request: m.Fields, raw: bytes) -> bytes:
        """0320: a TC (203), a purchase of the batch upload (201), or the end of the batch upload (202)."""
        keys = self._keys.get(request.get("41", ""))
        if keys is None:
            return self._answer(request, "77", mac=False)
        if not self._mac_ok(keys, request, raw):
            return self._answer(request, "A0", mac=False)
        management = request.get("60", "")[8:11]
        if management == m.MANAGEMENT_BATCH_END:
            return self._answer(request, "00")
        key = (request.get("41", ""), request.get("11", ""), request.get("13", ""))
        entry = next((entry for entry in self._ledger if entry.key == key), None)
        if entry is None or entry.status != "approved" or entry.amount_fen != int(request.get("4", "0")):
            return self._answer(request, "25")  # the host has no such approved purchase
        self._note_final(entry, request)
        icc = self._icc_values(request)
        if icc is not None:
            entry.tc_ok = self._tc_ok(entry.pan, icc)
        entry.uploaded = "batch" if management == m.MANAGEMENT_BATCH_UPLOAD else "tc"
        entry.lost = entry.lost and management != m.MANAGEMENT_BATCH_UPLOAD
        self._save()
        return self._answer(request, "00")

    def _settle(self, request: m.Fields, raw: bytes) -> bytes:
        """0500/0510: the host's totals of the terminal's batch (approved, not reversed) against the kiosk's."""
        keys = self._keys.get(request.get("41", ""))
        if keys is None:
            return self._answer(request, "77", mac=False)
        if not self._mac_ok(keys, request, raw):
            return self._answer(request, "A0", mac=False)
        try:
            theirs, _result = Totals.from_field48(request.get("48", ""))
        except ValueError:
            return self._answer(request, "30")
        batch = request.get("60", "")[2:8]
        booked = [e for e in self._ledger if e.terminal_id == request["41"] and e.batch == batch]
        approved = [e for e in booked if e.status == "approved" and not e.lost]
        refunds = [e for e in booked if e.status == "refund"]
        if self._take_fault(m.SETTLEMENT + "/" + Fault.TOTALS) is not None and approved:
            approved.pop().lost = True  # the host lost one: the batch upload brings it back
            self._save()
        # Debit side: purchases approved and not reversed; credit side: refunds (a refunded purchase stays a debit).
        ours = Totals(
            len(approved), sum(e.amount_fen for e in approved), len(refunds), sum(e.amount_fen for e in refunds)
        )
        result = m.SETTLED_BALANCED if ours == theirs else m.SETTLED_UNBALANCED
        self.settlements.append({"batch": batch, "kiosk": theirs, "host": ours, "balanced": ours == theirs})
        return self._answer(request, "00", {"48": ours.field48(result)})

    def _rrn(self) -> str:
        return f"{self.clock():%H%M%S}{next(self._counter) % 10**6:06d}"

    # -- persistence ------
    def _load(self) -> None:
        if self.state_file is None or not self.state_file.exists():
            return
        data = json.loads(self.state_file.read_text(encoding="utf-8"))
        self._accounts = {row["pan"]: Account.from_json(row) for row in data.get("accounts", [])}
        self._ledger = [_ledger_entry(row) for row in data.get("ledger", [])]
        self._reversed_unknown = {tuple(key) for key in data.get("reversed_unknown", [])}  # type: ignore[misc]
        self._keys = {
            terminal: TerminalKeys(bytes.fromhex(row["pin_key"]), bytes.fromhex(row["mac_key"]), row["batch"])
            for terminal, row in data.get("keys", {}).items()
        }
        self._counter = itertools.count(int(data.get("counter", 1)))

    def _save(self) -> None:
        if self.state_file is None:
            return
        counter = next(self._counter)
        self._counter = itertools.count(counter)
        data = {
            "algorithm": self.algorithm.value,
            "accounts": [account.to_json() for account in self._accounts.values()],
            "ledger": [asdict(entry) for entry in self._ledger],
            "reversed_unknown": sorted(self._reversed_unknown),
            "keys": {
                terminal: {"pin_key": keys.pin_key.hex(), "mac_key": keys.mac_key.hex(), "batch": keys.batch}
                for terminal, keys in self._keys.items()
            },
            "counter": counter,
        }
        make_private_dirs(self.state_file.parent)
        temporary = self.state_file.with_suffix(".tmp")
        # Simulated PINs and keys, but still: owner only, from the moment the file exists.
        fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(data, indent=1))
        os.chmod(temporary, 0o600)
        temporary.replace(self.state_file)


def _ledger_entry(row: dict[str, object]) -> LedgerEntry:
    key = row.get("original_key")
    return LedgerEntry(**{**row, "original_key": tuple(key) if isinstance(key, list) else None})  # type: ignore[arg-type]


def _code_of(answer: bytes, algorithm: Algorithm) -> str:
    if not answer:
        return ""
    try:
        return m.decode(answer, algorithm).get("39", "")
    except MessageFormatError:
        return ""


def _close(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)
    conn.close()


def main() -> None:
    import argparse

    from parties.bankhost.accounts import load_accounts

    parser = argparse.ArgumentParser(description="a simulated bank host (ISO 8583 over TCP) on loopback")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (default: any free one)")
    parser.add_argument("--state", help="directory that keeps accounts, ledger and keys between runs")
    parser.add_argument("--accounts", help="TOML or JSON file of accounts (default: the demo accounts)")
    parser.add_argument("--algorithm", choices=[a.value for a in Algorithm], default="tdes")
    args = parser.parse_args()
    accounts = load_accounts(args.accounts) if args.accounts else None
    with BankHostSimulator(accounts, algorithm=args.algorithm, port=args.port, state_dir=args.state) as simulator:
        serve_until_terminated(json.dumps({"host": simulator.host, "port": simulator.port}))


if __name__ == "__main__":
    main()
