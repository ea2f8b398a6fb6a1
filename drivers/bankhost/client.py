"""The kiosk's side of the bank host link: sign-on, purchase, reversal over ISO 8583 (drivers.bankhost.messages).

One TCP connection per exchange (connect, send one framed message, read one framed answer, close), as POS
terminals on a leased line do; exchanges are serialised by a lock. MACs are computed by the PIN pad (the MAC
key never leaves it), PIN blocks come encrypted from the pad: this module never sees a clear key or PIN.

Errors (drivers.bankhost.errors): HostUnreachable / NotSignedOn / BankSecurityError / MessageFormatError before
anything was sent; HostDeclined with the response code; HostOutcomeUnknown when the request went out and no usable
answer came back (the caller must store a reversal).
"""

from __future__ import annotations

import datetime as dt
import hmac
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

from drivers.bankhost import messages as m
from drivers.bankhost.errors import (
    APPROVED,
    HostDeclined,
    MessageFormatError,
    declined,
    describe_code,
    format_error,
    not_signed_on,
    outcome_unknown,
    security_error,
    sign_on_failed,
    unreachable,
)
from drivers.bankhost.stan import StanCounter
from drivers.bankhost.transport import FrameTooLarge, receive_frame
from drivers.base import DeviceError
from drivers.pinpad.crypto import KCV_LENGTH, Algorithm

DEFAULT_TIMEOUT = 30.0  # seconds for the host's answer (UnionPay terminals commonly wait 30 to 60 s)
CONNECT_TIMEOUT = 5.0
KEY_BYTES = 16
REVERSAL_ACKNOWLEDGED = frozenset({"00", "12", "25"})  # 12/25: the host has nothing to reverse: also done
RESIGN_CODES = frozenset({"77", "A0"})
REASON_NO_ANSWER = "98"
REASON_MAC = "A0"
REASON_OTHER = "06"


class SecurityModule(Protocol):
    """What the client needs of the PIN pad (drivers.pinpad.SerialPinPad has both)."""

    def mac(self, data: bytes) -> bytes: ...

    def load_working_key(self, kind: Literal["pin", "mac"], encrypted: bytes, kcv: bytes) -> bytes: ...


class BankCard(Protocol):
    """What a purchase needs of the card (drivers.bankcard.BankCardData, a frozen dataclass: read-only here)."""

    @property
    def pan(self) -> str: ...

    @property
    def track2(self) -> str: ...

    @property
    def pan_sequence(self) -> int | None: ...

    @property
    def expiry_yymm(self) -> str: ...


@dataclass(frozen=True)
class TransactionRef:
    """What identifies a purchase to the host and all a reversal needs. Stored (as text) in the journal before
    the purchase goes out; it holds no card data: the host finds the original by terminal, STAN, date, amount."""

    stan: str
    local_time: dt.datetime
    amount_fen: int
    batch: str
    reason: str = REASON_NO_ANSWER
    ic: str = ""  # field 55 of the reversal (hex): the card's last cryptogram when it answered one, else empty

    def to_text(self) -> str:
        text = (
            f"stan={self.stan};time={self.local_time:%Y%m%d%H%M%S};amount={self.amount_fen};"
            f"batch={self.batch};reason={self.reason}"
        )
        return text + (f";ic={self.ic}" if self.ic else "")

    @classmethod
    def from_text(cls, text: str) -> TransactionRef:
        try:
            parts = dict(part.split("=", 1) for part in text.split(";"))
            ref = cls(
                stan=parts["stan"],
                local_time=dt.datetime.strptime(parts["time"], "%Y%m%d%H%M%S"),
                amount_fen=int(parts["amount"]),
                batch=parts["batch"],
                reason=parts.get("reason", REASON_NO_ANSWER),
                ic=parts.get("ic", ""),
            )
        except (KeyError, ValueError) as exc:
            raise ValueError(f"not a transaction reference: {text!r}") from exc
        if not (ref.stan.isdigit() and len(ref.stan) == 6 and ref.batch.isdigit() and len(ref.batch) == 6):
            raise ValueError(f"not a transaction reference: {text!r}")
        try:
            bytes.fromhex(ref.ic)
        except ValueError:
            raise ValueError(f"not a transaction reference: {text!r}") from None
        return ref

    def with_reason(self, reason: str, ic: bytes | None = None) -> TransactionRef:
        return replace(self, reason=reason, ic=ic.hex().upper() if ic is not None else self.ic)


@dataclass(frozen=True)
class Approval:
    ref: TransactionRef
    rrn: str  # retrieval reference number (37): the bank reference on the receipt
    auth_code: str  # authorisation code (38)
    response_code: str = APPROVED
    icc_response: bytes = field(default=b"", repr=False)  # field 55 of the 0210: ARPC (91), scripts (71, 72)


@dataclass(frozen=True)
class Totals:
    """A batch's card totals as field 48 of the settlement carries them: purchases on the debit side, refunds (退货,
    0220) on the credit side; the net is what the acquirer pays the merchant."""

    count: int
    amount_fen: int
    refund_count: int = 0
    refund_fen: int = 0

    @property
    def net_fen(self) -> int:
        return self.amount_fen - self.refund_fen

    def field48(self, result: str = "0") -> str:
        return f"{self.count:03d}{self.amount_fen:012d}{self.refund_count:03d}{self.refund_fen:012d}{result}"

    @classmethod
    def from_field48(cls, text: str) -> tuple[Totals, str]:
        if len(text) != 31 or not text.isdigit():
            raise ValueError(f"field 48 {text!r} is not settlement totals")
        return cls(int(text[:3]), int(text[3:15]), int(text[15:18]), int(text[18:30])), text[30]


@dataclass(frozen=True)
class Settlement:
    """The 0510: the host's totals for the batch and whether they agree with the kiosk's."""

    batch: str
    ours: Totals
    hosts: Totals
    balanced: bool


@dataclass(frozen=True)
class SignOnResult:
    batch: str
    pin_key_kcv: bytes
    mac_key_kcv: bytes


class BankHostClient:
    def __init__(
        self,
        host: str,
        port: int,
        terminal_id: str,
        merchant_id: str,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        pad: SecurityModule | None = None,
        algorithm: Algorithm | str = Algorithm.TDES,
        stan: StanCounter | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        if len(terminal_id) != 8 or len(merchant_id) != 15:
            raise ValueError("terminal id is 8 characters and merchant id 15 (fields 41 and 42)")
        self.host = host
        self.port = port
        self.terminal_id = terminal_id
        self.merchant_id = merchant_id
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.pad = pad
        self.algorithm = Algorithm(str(algorithm).lower())
        self.stan = stan or StanCounter()
        self.clock = clock
        self.batch = "000001"
        self.signed_on = False
        self._lock = threading.Lock()

    # -- sign-on ------
    def sign_on(self) -> SignOnResult:
        """0800/0810: the host sends a new PIN key and MAC key under the master key; they go into the pad."""
        if self.pad is None:
            raise security_error("no PIN pad to load the working keys into")
        request = {
            "t": m.SIGN_ON,
            "11": self.stan.next(),
            "41": self.terminal_id,
            "42": self.merchant_id,
            "60": m.TYPE_SIGN_ON + self.batch + m.MANAGEMENT_SIGN_ON,
            "63": "001",
        }
        raw = m.encode(request, self.algorithm)
        with self._lock:
            answer = self._decode_answer(self._exchange(raw), m.SIGN_ON_RESPONSE, request)
        code = answer.get("39", "")
        if code != APPROVED:
            raise sign_on_failed(f"host answered {describe_code(code)}")
        keys = bytes.fromhex(answer.get("62", ""))
        if len(keys) != 2 * (KEY_BYTES + KCV_LENGTH):
            raise sign_on_failed(f"field 62 holds {len(keys)} bytes, not two keys with check values")
        pin_key, pin_kcv = keys[:KEY_BYTES], keys[KEY_BYTES : KEY_BYTES + KCV_LENGTH]
        mac_key, mac_kcv = keys[KEY_BYTES + KCV_LENGTH : -KCV_LENGTH], keys[-KCV_LENGTH:]
        try:
            self.signed_on = False
            self.pad.load_working_key("pin", pin_key, pin_kcv)
            self.pad.load_working_key("mac", mac_key, mac_kcv)
        except (DeviceError, ValueError) as exc:
            raise sign_on_failed(f"the PIN pad refused a working key: {exc}") from exc
        batch = answer.get("60", "")[2:8]
        if len(batch) == 6:
            self.batch = batch
        self.signed_on = True
        return SignOnResult(self.batch, pin_kcv, mac_kcv)

    # -- purchase ------
    def new_transaction(self, amount_fen: int, when: dt.datetime | None = None) -> TransactionRef:
        """A fresh STAN and local time for a purchase of ``amount_fen``: journal it, then call purchase()."""
        m.amount_field(amount_fen)
        return TransactionRef(self.stan.next(), (when or self.clock()).replace(microsecond=0), amount_fen, self.batch)

    def purchase(
        self,
        card: BankCard,
        amount_fen: int,
        pin_block: bytes | None,
        ref: TransactionRef | None = None,
        icc_data: bytes | None = None,
    ) -> Approval:
        """0200/0210. Returns the approval; raises HostDeclined (response code), HostOutcomeUnknown, or one of the
        not-sent errors."""
        ref = ref or self.new_transaction(amount_fen)
        if ref.amount_fen != amount_fen:
            raise format_error("the transaction reference is for another amount")
        self._need_keys()
        request = {
            "t": m.PURCHASE,
            "2": card.pan,
            "3": m.PROCESSING_PURCHASE,
            "4": m.amount_field(amount_fen),
            "11": ref.stan,
            **m.local_time_fields(ref.local_time),
            "14": card.expiry_yymm,
            "22": m.ENTRY_MODE_IC_WITH_PIN if pin_block else m.ENTRY_MODE_IC_NO_PIN,
            "25": m.CONDITION_NORMAL,
            "35": card.track2.upper(),
            "41": self.terminal_id,
            "42": self.merchant_id,
            "49": m.CURRENCY_CNY,
            "60": m.TYPE_PURCHASE + ref.batch + "000" + "5" + "0",
        }
        if card.pan_sequence is not None:
            request["23"] = f"{card.pan_sequence:03d}"
        if pin_block:
            expected = 16 if self.algorithm is Algorithm.SM4 else 8
            if len(pin_block) != expected:
                raise format_error(f"PIN block of {len(pin_block)} bytes; {self.algorithm.value} gives {expected}")
            request |= {"26": m.PIN_CAPTURE, "52": pin_block.hex().upper()}
            request["53"] = m.SECURITY_SM4 if self.algorithm is Algorithm.SM4 else m.SECURITY_TDES
        if icc_data:
            request["55"] = icc_data.hex().upper()
        with self._lock:
            raw = self._mac_request(request)
            answer_raw = self._exchange(raw)
            answer = self._answer_or_unknown(answer_raw, m.PURCHASE_RESPONSE, request)
            code = answer.get("39", "")
            if code != APPROVED:
                self._keys_doubtful(code)
                raise declined(code)
            self._verify_answer_mac(answer_raw, answer)
        rrn, auth = answer.get("37", ""), answer.get("38", "")
        if not rrn.strip():
            raise outcome_unknown("approval without a retrieval reference number", REASON_OTHER)
        return Approval(ref, rrn, auth.strip(), icc_response=bytes.fromhex(answer.get("55", "")))

    # -- reversal ------
    def reverse(self, ref: TransactionRef) -> str:
        """0400/0410 for the purchase ``ref``; returns the host's response code once acknowledged. Raises
        HostOutcomeUnknown / HostUnreachable (send it again later) or HostDeclined (the host refused it)."""
        self._need_keys()
        request = {
            "t": m.REVERSAL,
            "3": m.PROCESSING_PURCHASE,
            "4": m.amount_field(ref.amount_fen),
            "11": ref.stan,
            **m.local_time_fields(ref.local_time),
            "22": m.ENTRY_MODE_IC_WITH_PIN,
            "25": m.CONDITION_NORMAL,
            "39": ref.reason,
            "41": self.terminal_id,
            "42": self.merchant_id,
            "49": m.CURRENCY_CNY,
            "60": m.TYPE_PURCHASE + ref.batch + "000" + "5" + "0",
        }
        if ref.ic:
            request["55"] = ref.ic
        with self._lock:
            raw = self._mac_request(request)
            answer_raw = self._exchange(raw)
            answer = self._answer_or_unknown(answer_raw, m.REVERSAL_RESPONSE, request)
            code = answer.get("39", "")
            if code not in REVERSAL_ACKNOWLEDGED:
                self._keys_doubtful(code)
                raise declined(code, "reversal not acknowledged")
            self._verify_answer_mac(answer_raw, answer)
        return code

    # -- refund ------
    def refund(self, ref: TransactionRef, original: TransactionRef, original_rrn: str) -> Approval:
        """0220/0230: give ``ref.amount_fen`` of the approved purchase ``original`` (RRN ``original_rrn``) back to
        its card (退货). ``ref`` is the refund's own STAN and time, journaled before this call: sent again with the
        same ``ref`` the host books it once. Raises HostDeclined (refused: 25 no such purchase, 13 more than it),
        HostOutcomeUnknown / HostUnreachable (send it again later)."""
        self._need_keys()
        if ref.amount_fen > original.amount_fen:
            raise format_error("a refund is never more than its purchase")
        request = {
            "t": m.REFUND,
            "3": m.PROCESSING_REFUND,
            "4": m.amount_field(ref.amount_fen),
            "11": ref.stan,
            **m.local_time_fields(ref.local_time),
            "22": m.ENTRY_MODE_IC_WITH_PIN,
            "25": m.CONDITION_NORMAL,
            "37": original_rrn,
            "41": self.terminal_id,
            "42": self.merchant_id,
            "49": m.CURRENCY_CNY,
            "60": m.TYPE_REFUND + ref.batch + "000" + "5" + "0",
            "61": original.batch + original.stan + f"{original.local_time:%m%d}",
        }
        with self._lock:
            answer_raw = self._exchange(self._mac_request(request))
            answer = self._answer_or_unknown(answer_raw, m.REFUND_RESPONSE, request)
            code = answer.get("39", "")
            if code != APPROVED:
                self._keys_doubtful(code)
                raise declined(code, "refund refused")
            self._verify_answer_mac(answer_raw, answer)
        return Approval(ref, answer.get("37", "").strip(), answer.get("38", "").strip())

    # -- after the purchase: the TC, the day's settlement, the batch upload ------
    def upload(self, ref: TransactionRef, rrn: str, icc_data: bytes, *, in_batch: bool = False) -> str:
        """0320/0330: one approved purchase for the host's books: its TC (field 55) at once after the card gave it
        (60.3 203), or every purchase of the batch after unbalanced totals (60.3 201). The host's response code."""
        management = m.MANAGEMENT_BATCH_UPLOAD if in_batch else m.MANAGEMENT_TC_UPLOAD
        request = {
            "t": m.BATCH_UPLOAD,
            "3": m.PROCESSING_PURCHASE,
            "4": m.amount_field(ref.amount_fen),
            "11": ref.stan,
            **m.local_time_fields(ref.local_time),
            "22": m.ENTRY_MODE_IC_WITH_PIN,
            "37": rrn,
            "41": self.terminal_id,
            "42": self.merchant_id,
            "49": m.CURRENCY_CNY,
            "60": m.TYPE_PURCHASE + ref.batch + management,
        }
        if icc_data:
            request["55"] = icc_data.hex().upper()
        return self._acknowledged(request, m.BATCH_UPLOAD_RESPONSE)

    def end_batch_upload(self, batch: str, sent: int) -> str:
        request = {
            "t": m.BATCH_UPLOAD,
            "11": self.stan.next(),
            "41": self.terminal_id,
            "42": self.merchant_id,
            "48": f"{sent:04d}",
            "60": m.TYPE_SETTLEMENT + batch + m.MANAGEMENT_BATCH_END,
        }
        return self._acknowledged(request, m.BATCH_UPLOAD_RESPONSE)

    def settle(self, batch: str, totals: Totals, when: dt.datetime | None = None) -> Settlement:
        """0500/0510: the kiosk's totals for ``batch``; the host answers with its own and whether they agree."""
        request = {
            "t": m.SETTLEMENT,
            "11": self.stan.next(),
            **m.local_time_fields((when or self.clock()).replace(microsecond=0)),
            "41": self.terminal_id,
            "42": self.merchant_id,
            "48": totals.field48(),
            "49": m.CURRENCY_CNY,
            "60": m.TYPE_SETTLEMENT + batch + m.MANAGEMENT_SETTLEMENT,
        }
        self._need_keys()
        with self._lock:
            answer_raw = self._exchange(self._mac_request(request))
            answer = self._answer_or_unknown(answer_raw, m.SETTLEMENT_RESPONSE, request)
            code = answer.get("39", "")
            if code != APPROVED:
                self._keys_doubtful(code)
                raise declined(code, "settlement refused")
            self._verify_answer_mac(answer_raw, answer)
        try:
            hosts, result = Totals.from_field48(answer.get("48", ""))
        except ValueError as exc:
            raise outcome_unknown(f"settlement answer: {exc}", REASON_OTHER) from exc
        return Settlement(batch, totals, hosts, result == m.SETTLED_BALANCED)

    def _acknowledged(self, request: dict[str, str], mti: str) -> str:
        self._need_keys()
        with self._lock:
            answer_raw = self._exchange(self._mac_request(request))
            answer = self._answer_or_unknown(answer_raw, mti, request)
            code = answer.get("39", "")
            if code != APPROVED:
                self._keys_doubtful(code)
                raise declined(code, f"{request['t']} not acknowledged")
            self._verify_answer_mac(answer_raw, answer)
        return code

    # -- the wire ------
    def _need_keys(self) -> None:
        if self.pad is None:
            raise security_error("no PIN pad to compute the MAC")
        if not self.signed_on:
            raise not_signed_on("no working keys yet: sign on first")

    def _keys_doubtful(self, code: str) -> None:
        """77 (sign on again) and A0 (our MAC did not check): the next exchange signs on first."""
        if code in RESIGN_CODES:
            self.signed_on = False

    def _mac_request(self, request: dict[str, str]) -> bytes:
        raw = m.encode({**request, "64": "00" * m.MAC_BYTES}, self.algorithm)
        assert self.pad is not None
        try:
            mac = self.pad.mac(m.mac_data(raw))
        except (DeviceError, ValueError) as exc:
            raise security_error(f"the PIN pad could not compute the MAC: {exc}") from exc
        return m.with_mac(raw, mac)

    def _exchange(self, raw: bytes) -> bytes:
        framed = m.frame(raw)
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except OSError as exc:
            raise unreachable(f"cannot connect to the bank host {self.host}:{self.port}: {exc}") from exc
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            deadline = time.monotonic() + self.timeout
            try:
                sock.settimeout(self.timeout)
                sock.sendall(framed)
            except OSError as exc:
                raise outcome_unknown(f"sending to the bank host failed: {exc}") from exc
            try:
                answer = receive_frame(sock, deadline)
            except TimeoutError as exc:
                raise outcome_unknown(f"no answer within {self.timeout:.0f} s") from exc
            except (OSError, FrameTooLarge) as exc:
                raise outcome_unknown(f"the connection broke while waiting for the answer: {exc}") from exc
            if answer is None:
                raise outcome_unknown("the bank host closed the connection without answering")
            return answer
        finally:
            sock.close()

    def _decode_answer(self, raw: bytes, mti: str, request: dict[str, str]) -> m.Fields:
        answer = m.decode(raw, self.algorithm)
        if answer.get("t") != mti:
            raise format_error(f"expected {mti}, got {answer.get('t')}", sent=True)
        for name in ("11", "41", "4"):
            if name in request and answer.get(name, request[name]) != request[name]:
                raise format_error(f"answer field {name} does not match the request", sent=True)
        if "39" not in answer:
            raise format_error("answer without a response code (39)", sent=True)
        return answer

    def _answer_or_unknown(self, raw: bytes, mti: str, request: dict[str, str]) -> m.Fields:
        try:
            return self._decode_answer(raw, mti, request)
        except MessageFormatError as exc:
            raise outcome_unknown(f"an answer that cannot be used: {exc.detail}", REASON_OTHER) from exc

    def _verify_answer_mac(self, raw: bytes, answer: m.Fields) -> None:
        if "64" not in answer:
            raise outcome_unknown("approval without a MAC", REASON_MAC)
        assert self.pad is not None
        try:
            expected = self.pad.mac(m.mac_data(raw))[: m.MAC_BYTES]
        except (DeviceError, ValueError) as exc:
            raise outcome_unknown(f"the PIN pad could not check the answer's MAC: {exc}", REASON_MAC) from exc
        if not hmac.compare_digest(expected, raw[-m.MAC_BYTES :]):
            raise outcome_unknown("the answer's MAC is wrong", REASON_MAC)


__all__ = [
    "Approval",
    "BankHostClient",
    "HostDeclined",
    "SecurityModule",
    "Settlement",
    "SignOnResult",
    "Totals",
    "TransactionRef",
]
