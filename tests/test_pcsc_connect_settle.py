"""CardConnection.connect waits out a card going in: pcscd says it is present a moment before SCardConnect can
reach it (seen as "no smart card" on a card just inserted, failing a bank card payment about once in five runs)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from smartcard import scard as real

from drivers.pcsc import connection
from drivers.pcsc.connection import CardConnection
from drivers.pcsc.errors import PcscError


class Context:
    def handle(self) -> int:
        return 1

    def invalidate(self) -> None:
        pass


def fake_scard(monkeypatch, refusals: int, present: bool) -> list[str]:
    calls: list[str] = []

    def connect(context, reader, share, protocols):
        calls.append("connect")
        if calls.count("connect") <= refusals:
            return real.SCARD_E_NO_SMARTCARD, 0, 0
        return real.SCARD_S_SUCCESS, 7, real.SCARD_PROTOCOL_T1

    def status_change(context, timeout, states):
        calls.append("status")
        return real.SCARD_S_SUCCESS, [(states[0][0], real.SCARD_STATE_PRESENT if present else real.SCARD_STATE_EMPTY)]

    fake = SimpleNamespace(
        **{name: getattr(real, name) for name in dir(real) if name.isupper()},
        SCardConnect=connect,
        SCardGetStatusChange=status_change,
        SCardStatus=lambda handle: (real.SCARD_S_SUCCESS, "r", 0, 0, [0x3B, 0x00]),
        SCardGetErrorMessage=real.SCardGetErrorMessage,
    )
    monkeypatch.setattr(connection, "scard", fake)
    return calls


def test_a_card_going_in_is_waited_for_and_connected(monkeypatch) -> None:
    calls = fake_scard(monkeypatch, refusals=2, present=True)
    card = CardConnection(Context(), "Virtual PCD 00 01")  # type: ignore[arg-type]
    card.connect()
    assert card.card_handle == 7 and calls.count("connect") == 3


def test_an_empty_reader_is_said_at_once(monkeypatch) -> None:
    calls = fake_scard(monkeypatch, refusals=99, present=False)
    started = time.monotonic()
    with pytest.raises(PcscError) as caught:
        CardConnection(Context(), "Virtual PCD 00 01").connect()  # type: ignore[arg-type]
    assert caught.value.code == "no_card" and calls.count("connect") == 1
    assert time.monotonic() - started < 0.5


def test_a_card_that_never_answers_is_no_card_after_the_settle_time(monkeypatch) -> None:
    fake_scard(monkeypatch, refusals=99, present=True)
    with pytest.raises(PcscError) as caught:
        CardConnection(Context(), "Virtual PCD 00 01").connect(settle=0.2)  # type: ignore[arg-type]
    assert caught.value.code == "no_card"
