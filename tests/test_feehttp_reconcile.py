"""Reconciliation against a fee system reached over HTTP (issue 6): `kiosk reconcile --config FILE` with
``fee_system.kind = "http"`` reads the fee system's side through ``terminal_payments`` / ``find_payment`` and the QR
orders through ``qr_order_status`` — never the simulator's database file."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w

from conftest import NOW, TERMINAL
from feehttp_fixtures import ELDERLY, OTHER_TERMINAL, RESIDENT, client_tls, tls_overrides
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import NotAllowed
from kiosk.feesystem.http_client import HttpFeeSystem
from kiosk.payments.journal import Journal
from kiosk.payments.qr import QrPayments
from kiosk.payments.reconcile import FeeSystemPayments
from parties.feesystem.embedded import EmbeddedFeeSystem
from parties.feesystem.http_server import FeeSystemHttpServer
from parties.feesystem.server_tls import ServerTls

pytest_plugins = ["feehttp_fixtures"]  # the session's test PKI
REPO = Path(__file__).resolve().parent.parent
CONFIG_DIR = REPO / "config"
DAY = "2026-11-27"


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def kiosk(tmp_path, pki, terminal_files):
    """A kiosk whose configuration names an HTTP fee system: the simulator on a file, served on loopback (mutual
    TLS, this terminal's certificate)."""
    clock = Clock(NOW)
    state = tmp_path / "state"
    fee = EmbeddedFeeSystem(
        tmp_path / "bureau" / "fee.sqlite3", CONFIG_DIR / "policy.toml", CONFIG_DIR / "demo_people.toml", clock=clock
    )
    server = FeeSystemHttpServer(fee, controls=True, tls=ServerTls(pki.server_files())).start()  # the phone pays
    with open(CONFIG_DIR / "simulated.toml", "rb") as handle:
        data = tomllib.load(handle)
    data["paths"]["state_dir"] = str(state)
    data["fee_system"] |= {"kind": "http", "url": server.url, "timeout_seconds": 3}
    data["fee_system"] |= {key.split(".")[1]: value for key, value in tls_overrides(pki, terminal_files).items()}
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text(tomli_w.dumps(data), encoding="utf-8")
    client = HttpFeeSystem(server.url, timeout_seconds=3, backoff_seconds=0.01, tls=client_tls(pki, terminal_files))
    journal = Journal(state / "journal.sqlite3", TERMINAL, clock=clock)
    yield config_file, fee, server, client, journal, clock
    journal.close()
    client.close()
    server.stop()
    fee.close()


def reconcile(config_file: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "reconcile", "--json", "--config", str(config_file), *extra],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def pay(client, journal, method: PayMethod, paid: bool = True) -> str:
    """One resident-pension QR payment through the kiosk's own steps over HTTP: paid and done, or closed unpaid."""
    payments = QrPayments(journal, client)
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    opened = payments.open(quote, method, RESIDENT)
    if paid:
        client.simulate_qr_payment(opened.order.order_no)
        entry, _ = payments.settle_paid(opened.entry)
        payments.receipt_result(entry, None)
    else:
        payments.cancel(opened.entry)
    return opened.entry.journal_no


def test_terminal_payments_over_http_are_the_embedded_answer(kiosk):
    _, fee, _, client, journal, _ = kiosk
    pay(client, journal, PayMethod.ALIPAY)
    day = dt.date(2026, 11, 27)
    listed = client.terminal_payments(TERMINAL, day)
    assert listed == fee.terminal_payments(TERMINAL, day) and len(listed) == 1
    assert listed[0].amount_fen == 80000 and listed[0].idempotency_key.startswith(f"kiosk-{TERMINAL}-")
    with pytest.raises(NotAllowed):  # mutual TLS: a terminal lists its own payments only (403 wrong_terminal)
        client.terminal_payments("SD370102-ZZ02", day)
    assert client.terminal_payments(TERMINAL, day.replace(day=26)) == []


def test_kiosk_reconcile_config_reads_the_http_fee_system(kiosk):
    config_file, _, _, client, journal, _ = kiosk
    closed = pay(client, journal, PayMethod.WECHAT, paid=False)
    paid = pay(client, journal, PayMethod.ALIPAY)
    done = reconcile(config_file, "--date", DAY)
    assert done.returncode == 0, done.stdout + done.stderr
    books = json.loads(done.stdout)
    assert books["ok"] and books["terminal_id"] == TERMINAL
    alipay, wechat = books["totals"]["alipay"], books["totals"]["wechat"]
    assert (alipay["journal_posted_fen"], alipay["fee_system_fen"], alipay["channel_paid_fen"]) == (80000,) * 3
    assert (wechat["count"], wechat["fee_system_fen"], wechat["channel_paid_fen"]) == (1, 0, 0)
    assert books["ledgers"]["alipay"] == books["ledgers"]["wechat"] == books["ledgers"]["fee_system"] == "checked"
    [difference] = books["differences"]
    assert (difference["journal_no"], difference["kind"]) == (closed, "closed_unpaid_order")
    assert difference["explained"]
    assert paid not in {d["journal_no"] for d in books["differences"]}  # paid, posted, kept: no difference


def post_paid_order(client, key: str, quote_id: str, payer: str) -> None:
    """A posting without any journal record: its order really paid (the bureau posts no made-up reference)."""
    order = client.open_qr_order(key, quote_id, PayMethod.WECHAT)
    paid = client.simulate_qr_payment(order.order_no)
    client.post_payment(key, quote_id, PayMethod.WECHAT, paid.channel_txn, payer)


def test_a_posting_no_journal_record_claims_is_unexplained_over_http(kiosk, pki):
    config_file, _, server, client, journal, _ = kiosk
    pay(client, journal, PayMethod.ALIPAY)
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    post_paid_order(client, f"kiosk-{TERMINAL}-20261127100000-0000AA", quote.quote_id, RESIDENT)
    other = client.quote_resident(ELDERLY, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")  # the year above is paid
    other_terminal = client_tls(pki, pki.terminal(OTHER_TERMINAL), OTHER_TERMINAL)  # posts with its own identity
    other_key = f"kiosk-{OTHER_TERMINAL}-20261127100000-0000BB"
    post_paid_order(HttpFeeSystem(server.url, tls=other_terminal), other_key, other.quote_id, ELDERLY)
    done = reconcile(config_file, "--date", DAY)
    assert done.returncode == 1, done.stdout + done.stderr
    books = json.loads(done.stdout)
    [ghost] = [d for d in books["differences"] if not d["explained"]]
    assert ghost["kind"] == "missing_journal_record" and ghost["journal_no"] is None  # another terminal's is not ours


def test_an_unreachable_http_fee_system_is_exit_2(kiosk):
    config_file, _, server, client, journal, _ = kiosk
    pay(client, journal, PayMethod.ALIPAY)
    server.stop()
    done = reconcile(config_file, "--date", DAY)
    assert done.returncode == 2, done.stdout + done.stderr
    assert json.loads(done.stdout)["error"] == "fee_system_unavailable"


def test_a_payment_posted_after_midnight_counts_on_the_day_of_its_journal_record(kiosk):
    _, _, _, client, journal, clock = kiosk
    payments = QrPayments(journal, client)
    quote = client.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G03")
    clock.now = dt.datetime(2026, 11, 27, 23, 59, 50)
    opened = payments.open(quote, PayMethod.ALIPAY, RESIDENT)
    client.simulate_qr_payment(opened.order.order_no)
    clock.now = dt.datetime(2026, 11, 28, 0, 0, 5)  # recovery posts it the next day
    payments.settle_paid(opened.entry)
    assert client.terminal_payments(TERMINAL, dt.date(2026, 11, 27)) == []
    day_of_record = FeeSystemPayments(client, TERMINAL, dt.date(2026, 11, 27), journal).payments(f"kiosk-{TERMINAL}-")
    assert [p.idempotency_key for p in day_of_record] == [opened.entry.idempotency_key]
    next_day = FeeSystemPayments(client, TERMINAL, dt.date(2026, 11, 28), journal).payments(f"kiosk-{TERMINAL}-")
    assert [p.idempotency_key for p in next_day] == [opened.entry.idempotency_key]  # listed; reconcile counts it once
