#!/usr/bin/env python3
"""Insert-to-approved of a chip card payment, software time: the card read through pcscd + vpcd slot 1, the first
GENERATE AC, the 0200 and 0210 over loopback, the second GENERATE AC, the journal steps up to approved.

The simulated host's own time (from its receipt of each request to its answer) is measured inside the simulator
and subtracted: what remains is the kiosk's software (and pcscd's). Target < 1.5 s (issue 19).

The bench runs on a pcscd of its own (as root; drivers/pcsc/private_pcscd.py, as each test process does). On the
machine's pcscd, slot 1 is shared with every other process that puts a card there (bench sscard, kiosk diag, a
second bench run): pcscd lets two clients talk to one card (SCARD_SHARE_SHARED), and the other's SELECT/GPO
between our two GENERATE ACs restarts the card's transaction, so the second GENERATE AC meets a card that has
none under way (6700/6985): "second GENERATE AC failed: card_error". Two runs side by side show exactly that.
Without root it falls back to the machine's pcscd (--shared-pcscd): run it alone then.

Each payment starts once pcscd has seen the previous card go: a card swapped faster than pcscd's presence poll
(400 ms) would put pcscd's own delay into the figure, and no citizen swaps cards that fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
warnings.filterwarnings("ignore", message=".*TripleDES")

from common import Figure, median, report  # noqa: E402


def own_pcscd() -> object | None:
    """A pcscd of this process's own, its vpcd slots on two free ports; None where it cannot run (not root).
    Must run before anything imports drivers.pcsc.vpcd (its default port is read at import)."""
    from drivers.netports import free_port_run

    port = free_port_run(2)
    if os.geteuid() != 0 or port is None:
        return None
    os.environ["KIOSK_VPCD_PORT"] = str(port)
    from drivers.pcsc.private_pcscd import PrivatePcscd, VirtualReader, unavailable_reason

    if unavailable_reason() is not None:
        os.environ.pop("KIOSK_VPCD_PORT")
        return None
    return PrivatePcscd({"vpcd": VirtualReader("Virtual PCD", port)}).start(timeout=15.0)


PCSCD = None if "--shared-pcscd" in sys.argv else own_pcscd()

from drivers.bankcard import PcscBankCardReader, VirtualPbocCard  # noqa: E402
from drivers.bankhost import BankHostClient, StanCounter  # noqa: E402
from drivers.bankhost.softpad import SoftwareSecurityModule  # noqa: E402
from drivers.pcsc.daemon import ensure_pcscd  # noqa: E402
from drivers.pcsc.vpcd import VPCD_PORT, VirtualCardClient  # noqa: E402
from kiosk.domain.items import InsuredItem  # noqa: E402
from kiosk.payments.card import CardOutcome, CardPayments  # noqa: E402
from kiosk.payments.journal import Journal  # noqa: E402
from parties.bankhost.accounts import demo_accounts  # noqa: E402
from parties.bankhost.simulator import BankHostSimulator  # noqa: E402
from parties.bankhost.testkeys import shared_master_key  # noqa: E402
from parties.feesystem.embedded import EmbeddedFeeSystem  # noqa: E402

TARGET_S = 1.5
CONFIG = Path(__file__).resolve().parents[2] / "config"
NOW = dt.datetime(2026, 11, 27, 10, 0, 0)
RESIDENTS = ("370103197003224422", "370102200103010040", "810000198808080013", "370103197203150026")


class TimedHost(BankHostSimulator):
    """The simulator, adding up its own processing time (excluded from the kiosk's)."""

    host_seconds = 0.0

    def _process(self, request, raw):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return super()._process(request, raw)
        finally:
            TimedHost.host_seconds += time.perf_counter() - started


def one_payment(reader, host, client, pad, journal, fee, who: str, port: int) -> float:
    account = demo_accounts()[0]
    slot = VirtualCardClient(VirtualPbocCard(account), port=port)
    slot.insert()
    try:
        while not reader.card_present():
            time.sleep(0.005)
        TimedHost.host_seconds = 0.0
        started = time.perf_counter()
        card = reader.read_card()
        chip = reader.chip()
        quote = fee.quote_resident(who, InsuredItem.RESIDENT_PENSION, 2026, "G02")
        block = pad.pin_block(account.pin, card.pan)  # the pad's work: the citizen's typing is not software time
        result = CardPayments(journal, fee, client).authorize(quote, who, card, block, chip)
        elapsed = time.perf_counter() - started - TimedHost.host_seconds
        if result.outcome is not CardOutcome.APPROVED:
            raise SystemExit(f"payment not approved: {result.outcome} {result.citizen_message}")
        return elapsed
    finally:
        slot.close()
        while reader.card_present():  # pcscd has seen the card go: the next insertion is a new card to it
            time.sleep(0.02)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=4, help=f"at most {len(RESIDENTS)} (one per demo resident)")
    parser.add_argument("--reader", default="Virtual PCD 00 01")
    parser.add_argument("--port", type=int, default=VPCD_PORT + 1)
    parser.add_argument("--shared-pcscd", action="store_true", help="the machine's pcscd (run nothing else on slot 1)")
    args = parser.parse_args(argv)
    if PCSCD is None:
        ensure_pcscd()
    reader = PcscBankCardReader(args.reader, timeout=5.0)
    pad = SoftwareSecurityModule(shared_master_key())
    with (
        tempfile.TemporaryDirectory() as temporary,
        TimedHost(demo_accounts(), clock=lambda: NOW, require_ic=True) as host,
    ):
        client = BankHostClient("127.0.0.1", host.port, "SD370001", "898370153990001", 5.0, pad=pad,
                                stan=StanCounter(Path(temporary) / "stan"), clock=lambda: NOW)  # fmt: skip
        client.sign_on()
        journal = Journal(Path(temporary) / "journal.sqlite3", "SD370102-ZZ01", clock=lambda: NOW)
        fee = EmbeddedFeeSystem(":memory:", CONFIG / "policy.toml", CONFIG / "demo_people.toml", clock=lambda: NOW)
        try:
            seconds = [
                one_payment(reader, host, client, pad, journal, fee, who, args.port)
                for who in RESIDENTS[: max(1, min(args.payments, len(RESIDENTS)))]
            ]
        finally:
            fee.close()
            journal.close()
            reader.close()
            if PCSCD is not None:
                PCSCD.stop()  # type: ignore[attr-defined]
    typical, worst = median(seconds), max(seconds)
    print("insert-to-approved (s, host time excluded):", [round(s, 3) for s in seconds])
    where = "own pcscd" if PCSCD is not None else "machine's pcscd"
    report(Figure("chip card insert-to-approved, software (pcscd + vpcd, loopback host)",
                  f"{typical * 1000:.0f} ms (max {worst * 1000:.0f} ms)", "< 1.5 s", worst < TARGET_S,
                  f"{len(seconds)} payments, {where}: read, 2 GENERATE ACs, 0200/0210, journal"))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
