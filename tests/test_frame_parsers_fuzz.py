"""Property tests (hypothesis, bounded) of the device answer parsers that had none (issue 25 §3): random or
mutated bytes give a value or the driver's typed protocol error, never another exception and never a hang.

Already covered elsewhere: the ID card frames (test_idcard_fuzz.py), the PIN pad's frame decoder and answer parser
(test_pinpad_framing.py), ISO 8583 decoding (test_bank_messages.py), BER-TLV (test_bank_tlv.py), the social
security card's records (test_sscard_records.py), ESC/POS status bytes and the print-data parser
(test_printer_status.py, test_printer_parser.py). Here: the APDU transmit loop, the bank card's EMV answers read
end to end, the bank host client's answers (sign-on, purchase, reversal) and its TCP framing, the PIN pad's status
and hex fields and its request parser, the receipt printer's status queries, the A4 printer's lpstat text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import socket
import types
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.bankcard.data import (
    UNIONPAY_DEBIT,
    BankCardData,
    bcd_digits,
    check_pan,
    parse_track2,
    parse_yymmdd,
)
from drivers.bankcard.errors import BankCardFormatError
from drivers.bankcard.reader import (
    PcscBankCardReader,
    application_pdol,
    build_dol_data,
    directory_aids,
    parse_afl,
    parse_gpo_answer,
    select_apdu,
)
from drivers.bankcard.virtual_card import CardProfile, VirtualPbocCard
from drivers.bankhost import messages as m
from drivers.bankhost.client import Approval, BankHostClient, SignOnResult, TransactionRef
from drivers.bankhost.errors import BankHostError
from drivers.bankhost.stan import StanCounter
from drivers.bankhost.transport import FrameTooLarge, receive_frame
from drivers.pcsc.apdu import MAX_GET_RESPONSE, Response, split_response, transmit
from drivers.pcsc.errors import PcscError
from drivers.pinpad.errors import PinPadError
from drivers.pinpad.protocol import Request, hex_field, parse_request, parse_response, status_error
from printers.a4.status import A4Status, parse_lpstat
from printers.escpos.config import ReceiptPrinterConfig
from printers.escpos.driver import ReceiptPrinter
from printers.escpos.errors import PrinterError
from printers.escpos.status import PrinterStatus

# No per-example deadline: on a loaded 2-core machine a pure parser was once starved past 1 s. A parser that hangs
# is still caught, by the test's timeout (pytest-timeout).
FUZZ = settings(max_examples=200, deadline=None)
SOME = settings(max_examples=80, deadline=None)

mutations = st.lists(
    st.one_of(
        st.tuples(st.just("flip"), st.integers(0, 300), st.integers(1, 255)),
        st.tuples(st.just("insert"), st.integers(0, 300), st.binary(min_size=1, max_size=6)),
        st.tuples(st.just("delete"), st.integers(0, 300), st.integers(1, 6)),
        st.tuples(st.just("truncate"), st.integers(0, 300), st.just(0)),
    ),
    max_size=4,
)


def mutate(data: bytes, changes: list[tuple[str, int, Any]]) -> bytes:
    out = bytearray(data)
    for kind, position, argument in changes:
        at = position % (len(out) + 1)
        if kind == "flip" and at < len(out):
            out[at] ^= argument
        elif kind == "insert":
            out[at:at] = argument
        elif kind == "delete":
            del out[at : at + argument]
        elif kind == "truncate":
            del out[at:]
    return bytes(out)


# --- PC/SC: the APDU transmit loop (61 xx / 6C xx) ------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=40))
def test_split_response_gives_data_and_status_or_a_card_error(raw: bytes) -> None:
    try:
        response = split_response(raw)
    except PcscError:
        assert len(raw) < 2
    else:
        assert 0 <= response.sw <= 0xFFFF and response.data == raw[:-2]


@FUZZ
@given(
    st.lists(st.binary(max_size=8) | st.sampled_from([b"\x61\x00", b"\x61\x10", b"\x6c\x05", b"\x90\x00"]), max_size=80)
)
def test_transmit_follows_any_card_to_an_answer_or_a_card_error_in_bounded_rounds(answers: list[bytes]) -> None:
    """A card answering anything (61 xx for ever included) ends the loop: a Response or a PcscError."""
    sent: list[bytes] = []

    def card(apdu: bytes) -> bytes:
        sent.append(apdu)
        return answers[len(sent) - 1] if len(sent) <= len(answers) else b"\x61\x01"

    with contextlib.suppress(PcscError):
        assert isinstance(transmit(card, bytes.fromhex("00B2010C00")), Response)
    assert len(sent) <= 2 * (MAX_GET_RESPONSE + 1) + 1


# --- bank card: EMV answers, piece by piece and read end to end --------------------------------------------------

PAN = "6230606601007726888"
PROFILE = CardProfile(PAN, dt.date(2031, 6, 30), pan_sequence=1)


@FUZZ
@given(st.binary(max_size=60), st.text(max_size=40))
def test_each_bank_card_field_parser_gives_a_value_or_a_format_error(raw: bytes, text: str) -> None:
    parsers = [
        lambda: parse_afl(raw),
        lambda: parse_gpo_answer(raw),
        lambda: directory_aids(raw),
        lambda: application_pdol(raw, UNIONPAY_DEBIT),
        lambda: build_dol_data(raw, {0x9F02: b"\x00" * 6}),
        lambda: bcd_digits(raw, "x"),
        lambda: parse_yymmdd(raw, "x"),
        lambda: parse_track2(text),
        lambda: parse_track2(raw.hex()),
        lambda: check_pan(text),
    ]
    for parse in parsers:
        with contextlib.suppress(BankCardFormatError):
            parse()


class MutatingConnection:
    """A CardConnection whose card is the virtual PBOC card, each answer changed as hypothesis says."""

    def __init__(self, card: VirtualPbocCard, changes: dict[int, list[tuple[str, int, Any]]]) -> None:
        self.card = card
        self.changes = changes
        self.count = 0

    def transmit_raw(self, apdu: bytes) -> bytes:
        self.count += 1
        assert self.count < 200, "the reader keeps sending"
        answer = self.card.process_apdu(apdu) or b""
        return mutate(answer, self.changes.get(self.count, []))


@FUZZ
@given(
    st.dictionaries(st.integers(0, 14), mutations, max_size=3),
    st.sampled_from([1, 2]),
    st.booleans(),
)
def test_a_bank_card_answering_mutated_apdus_is_read_or_refused_with_a_card_error(changes, gpo_format, chained):
    card = VirtualPbocCard(PROFILE, gpo_format=gpo_format, use_get_response=chained)
    connection = MutatingConnection(card, changes)
    reader = PcscBankCardReader(clock=lambda: dt.datetime(2026, 11, 27, 10, 0))
    try:
        ppse = transmit(connection.transmit_raw, select_apdu(b"2PAY.SYS.DDF01"))
        data = reader._read_application(connection, ppse)  # type: ignore[arg-type]
    except PcscError:  # BankCardError and BankCardFormatError are PcscErrors
        return
    assert isinstance(data, BankCardData)


# --- bank host: the client's answers and the TCP framing ---------------------------------------------------------

TERMINAL, MERCHANT = "SD370001", "898370153990001"


class Pad:
    """A security module stand-in: a MAC anyone can compute, keys of the right size accepted."""

    def mac(self, data: bytes) -> bytes:
        return hashlib.sha256(data).digest()[: m.MAC_BYTES]

    def load_working_key(self, kind: str, encrypted: bytes, kcv: bytes) -> bytes:
        if len(encrypted) != 16:
            raise ValueError("a working key is 16 bytes")
        return kcv


CARD = types.SimpleNamespace(pan=PAN, track2=f"{PAN}D31062200000000000", pan_sequence=1, expiry_yymm="3106")
field_values = st.one_of(
    st.sampled_from(["00", "05", "12", "55", "A0", "ZZ", "", "000000", "1" * 12, "0" * 80]),
    st.text(max_size=20),
)


@st.composite
def host_answers(draw: st.DrawFn) -> Any:
    """A function from the client's request to the host's raw answer: the right answer for it, with fields
    replaced or dropped, re-encoded, maybe MACed, then maybe mutated byte by byte; or plain random bytes."""
    if draw(st.integers(0, 5)) == 0:
        junk = draw(st.binary(max_size=120))
        return lambda request: junk
    replaced = draw(
        st.dictionaries(
            st.sampled_from(["t", "11", "39", "41", "37", "38", "60", "62", "64"]), field_values, max_size=3
        )
    )
    dropped = draw(st.sets(st.sampled_from(["11", "39", "37", "62", "64"]), max_size=2))
    changes = draw(mutations) if draw(st.booleans()) else []
    sign = draw(st.booleans())

    def answer(request_raw: bytes) -> bytes:
        request = m.decode(request_raw)
        fields = {
            "h": request["h"],
            "t": f"{int(request['t']) + 10:04d}",
            "11": request["11"],
            "39": "00",
            "41": request["41"],
            "37": "611201000042",
            "38": "123456",
            "60": request.get("60", "2200000100050"),
            "62": "11" * 16 + "AB" * 4 + "22" * 16 + "CD" * 4,
            "64": "00" * m.MAC_BYTES,
        }
        fields.update(replaced)
        for name in dropped:
            fields.pop(name, None)
        try:
            raw = m.encode(fields)
        except BankHostError:
            raw = request_raw
        if sign and "64" in fields:
            raw = m.with_mac(raw, Pad().mac(m.mac_data(raw)))
        return mutate(raw, changes)

    return answer


def client_answering(answer: Any) -> BankHostClient:
    client = BankHostClient("127.0.0.1", 9, TERMINAL, MERCHANT, pad=Pad(), stan=StanCounter())
    client._exchange = lambda raw: answer(raw)  # type: ignore[method-assign]
    return client


@SOME
@given(host_answers())
def test_sign_on_answers_give_keys_or_a_bank_host_error(answer) -> None:
    with contextlib.suppress(BankHostError):
        assert isinstance(client_answering(answer).sign_on(), SignOnResult)


@SOME
@given(host_answers(), st.booleans())
def test_purchase_and_reversal_answers_give_an_outcome_or_a_bank_host_error(answer, reverse) -> None:
    client = client_answering(answer)
    client.signed_on = True
    ref = TransactionRef("000042", dt.datetime(2026, 11, 27, 10, 0), 80000, "000001")
    try:
        if reverse:
            assert isinstance(client.reverse(ref), str)
        else:
            assert isinstance(client.purchase(CARD, 80000, bytes(8), ref), Approval)
    except BankHostError:
        pass


@FUZZ
@given(st.binary(max_size=300))
def test_the_host_link_framing_reads_a_frame_or_ends_cleanly(data: bytes) -> None:
    left, right = socket.socketpair()
    with left, right:
        left.sendall(data)
        left.shutdown(socket.SHUT_WR)
        try:
            frame = receive_frame(right, deadline=None)
        except (FrameTooLarge, ConnectionError):
            return
        assert frame is None or (0 < len(frame) <= m.MAX_MESSAGE and frame == data[2 : 2 + len(frame)])


@FUZZ
@given(st.text(max_size=80))
def test_a_journal_transaction_reference_parses_or_is_a_value_error(text: str) -> None:
    try:
        ref = TransactionRef.from_text(text)
    except ValueError:
        return
    assert TransactionRef.from_text(ref.to_text()) == ref


# --- PIN pad: status bytes, hex fields, the pad side's request parser -------------------------------------------


@FUZZ
@given(st.integers(0, 255), st.dictionaries(st.sampled_from(["KCV", "PB", "MAC"]), st.text(max_size=40)))
def test_pin_pad_status_and_hex_fields_give_values_or_typed_errors(status: int, fields: dict[str, str]) -> None:
    assert isinstance(status_error(status, "PB"), PinPadError)
    response = parse_response(b"PB,00")
    response.fields.update(fields)
    for name in ("KCV", "PB", "MAC"):
        try:
            value = hex_field(response, name, (4, 8, 16))
        except PinPadError:
            continue
        assert len(value) in (4, 8, 16)


@FUZZ
@given(st.binary(max_size=80))
def test_the_pad_side_request_parser_gives_a_request_or_a_value_error(payload: bytes) -> None:
    with contextlib.suppress(ValueError):  # its documented refusal (UnicodeDecodeError is one)
        assert isinstance(parse_request(payload), Request)


# --- printers: the receipt printer's status answers, the A4 printer's lpstat text --------------------------------


class ScriptedPrinter:
    """A transport whose status answers are a script: a byte, or nothing (a timeout)."""

    def __init__(self, answers: list[int | None]) -> None:
        self.answers = answers
        self.written: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def read_byte(self, timeout: float) -> int | None:
        return self.answers.pop(0) if self.answers else None

    def discard_input(self) -> None:
        pass

    def close(self) -> None:
        pass


@FUZZ
@given(st.lists(st.none() | st.integers(0, 255), max_size=4))
def test_receipt_printer_status_answers_give_a_status_or_a_printer_error(answers: list[int | None]) -> None:
    printer = ReceiptPrinter(ReceiptPrinterConfig(transport="tcp", timeout=0.01))
    printer._open = lambda: ScriptedPrinter(list(answers))  # type: ignore[method-assign]
    with contextlib.suppress(PrinterError):
        assert isinstance(printer.printer_status(), PrinterStatus)
    assert printer.state() is not None  # the device contract's state never raises


lpstat_lines = st.sampled_from(
    [
        "printer kiosk-a4 is idle.  enabled since Fri 27 Nov 2026",
        "printer kiosk-a4 disabled since Fri 27 Nov 2026 -",
        "printer kiosk-a4 now printing kiosk-a4-12.  enabled since x",
        "\tMedia empty",
        "\tAlerts: media-empty-error media-jam",
        "\tAlerts: none",
        "Alerts:",
        "",
    ]
)


@FUZZ
@given(st.lists(lpstat_lines | st.text(max_size=40), max_size=6), st.text(max_size=60))
def test_lpstat_text_gives_a_status_or_a_value_error(lines: list[str], accepting: str) -> None:
    try:
        status = parse_lpstat("\n".join(lines), accepting)
    except ValueError:
        return
    assert isinstance(status, A4Status)
    assert isinstance(status.as_json(), dict) and status.device_state() is not None
    assert status.paper is not None and status.device_status is not None
    assert status.blocking_reason is None or isinstance(status.blocking_reason, str)
