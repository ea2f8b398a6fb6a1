"""Retention (issue 25 §4): after the retention period finished records keep only masked ID numbers, nothing
clear is left in the file, and reconciliation still matches them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.payments.journal import Journal, PaymentState
from kiosk.payments.qr import QrPayments
from kiosk.payments.reconcile import reconcile_embedded
from kiosk.payments.retention import DEFAULT_RETENTION_DAYS, Retention, mask_expired_ids
from recovery_fixtures import FEE_FILE, NOW, RESIDENT, clock, open_fee_system

TERMINAL = "SD370102-ZZ01"
MASKED = "3701**********4422"
PAYER = "11010519491231002X"  # a proxy payer: the payee is RESIDENT
NINETY_DAYS = dt.timedelta(days=DEFAULT_RETENTION_DAYS)


@pytest.fixture
def state(tmp_path):
    fee = open_fee_system(tmp_path)
    journal = Journal(tmp_path / "journal.sqlite3", TERMINAL, clock=clock)
    yield tmp_path, journal, fee, QrPayments(journal, fee)
    journal.close()
    fee.close()


def paid_alipay(fee, payments):
    quote = fee.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")
    opened = payments.open(quote, PayMethod.ALIPAY, PAYER)
    fee.simulate_qr_payment(opened.order.order_no)
    entry, _ = payments.settle_paid(opened.entry)
    payments.receipt_result(entry, None)
    return opened.entry.journal_no


def record(journal, *states):
    entry = journal.create(InsuredItem.RESIDENT_MEDICAL, RESIDENT, PAYER, "Q-1", 38000, PayMethod.WECHAT)
    for state in states:
        journal.advance(entry.journal_no, state)
    return entry.journal_no


def test_only_finished_records_past_the_period_are_masked(state):
    _, journal, fee, payments = state
    done = paid_alipay(fee, payments)
    closed = record(journal, PaymentState.ORDER_CLOSED)
    resolved = record(journal, PaymentState.FLAGGED, PaymentState.RESOLVED)
    flagged = record(journal, PaymentState.FLAGGED)
    unfinished = record(journal, PaymentState.ORDER_OPENED)

    early = mask_expired_ids(journal, NINETY_DAYS, NOW + NINETY_DAYS)  # exactly 90 days: not yet
    assert early.masked == 0 and journal.get(done).id_number == RESIDENT

    result = mask_expired_ids(journal, NINETY_DAYS, NOW + NINETY_DAYS + dt.timedelta(seconds=1))
    assert result.masked == 3
    for journal_no in (done, closed, resolved):
        entry = journal.get(journal_no)
        assert (entry.id_number, entry.payer_id_number) == (MASKED, "1101**********002X")
    for journal_no in (flagged, unfinished):  # still to be settled: the numbers stay
        entry = journal.get(journal_no)
        assert (entry.id_number, entry.payer_id_number) == (RESIDENT, PAYER)
    again = mask_expired_ids(journal, NINETY_DAYS, NOW + 2 * NINETY_DAYS)
    assert again.masked == 0  # masked records are not touched twice
    assert journal.get(done).state is PaymentState.DONE and [s for _, s, _ in journal.events(done)][-1] is (
        PaymentState.DONE
    )


def test_no_clear_number_is_left_in_the_files(state):
    directory, journal, fee, payments = state
    paid_alipay(fee, payments)
    for _ in range(3):
        record(journal, PaymentState.ORDER_CLOSED)
    files = [directory / "journal.sqlite3", directory / "journal.sqlite3-wal"]
    assert any(RESIDENT.encode() in path.read_bytes() for path in files)
    mask_expired_ids(journal, NINETY_DAYS, NOW + 2 * NINETY_DAYS)
    for path in files:
        data = path.read_bytes() if path.exists() else b""
        assert RESIDENT.encode() not in data and PAYER.encode() not in data, path


def test_reconciliation_matches_masked_records_as_before(state):
    directory, journal, fee, payments = state
    paid_alipay(fee, payments)
    record(journal, PaymentState.ORDER_CLOSED)  # an order the channel never had: a closed unpaid order

    def summary():
        report = reconcile_embedded(journal, TERMINAL, directory / FEE_FILE, NOW.date())
        return report.ok, report.as_json()["totals"], sorted(d.kind for d in report.differences)

    before = summary()
    assert mask_expired_ids(journal, NINETY_DAYS, NOW + 2 * NINETY_DAYS).masked == 2
    assert summary() == before
    assert before[0] and before[1]["alipay"]["journal_posted_fen"] == before[1]["alipay"]["fee_system_fen"] > 0


def test_the_idle_pass_runs_once_a_day_and_refreshes_the_second_copy(state):
    _, journal, fee, payments = state
    done = paid_alipay(fee, payments)

    class Mirror:
        refreshed = 0

        def committed(self, db, created):
            self.refreshed += 1

        def close(self):
            pass

    journal.mirror = mirror = Mirror()
    now = [NOW + NINETY_DAYS + dt.timedelta(days=1)]
    retention = Retention(journal, DEFAULT_RETENTION_DAYS, lambda: now[0])
    assert retention.run_if_due().masked == 1 and mirror.refreshed == 1
    now[0] += dt.timedelta(hours=23)
    assert retention.run_if_due() is None and mirror.refreshed == 1  # not due yet
    now[0] += dt.timedelta(hours=1)
    assert retention.run_if_due().masked == 0
    assert journal.get(done).id_number == MASKED


def test_the_period_is_configured_with_90_days_by_default(tmp_path):
    config = load_config("config/simulated.toml")
    assert config["privacy.id_retention_days"] == 90
    broken = tmp_path / "k.toml"
    broken.write_text(
        Path("config/simulated.toml").read_text(encoding="utf-8") + "\n[privacy]\nid_retention_days = 0\n",
        encoding="utf-8",
    )
    with pytest.raises(Exception, match="id_retention_days"):
        load_config(broken)


def test_the_kiosks_idle_pass_masks_old_records(make_kiosk, qtbot):
    kiosk = make_kiosk()
    journal = kiosk.ctx.journal
    old = record(journal, PaymentState.ORDER_CLOSED)
    scheduler = kiosk.recovery
    qtbot.waitUntil(lambda: not scheduler.running, timeout=10000)  # the start-up pass: not 90 days yet
    assert journal.get(old).id_number == RESIDENT
    scheduler.retention.clock = lambda: NOW + NINETY_DAYS + dt.timedelta(days=1)
    scheduler.run_if_idle()
    qtbot.waitUntil(lambda: not scheduler.running, timeout=10000)
    assert journal.get(old).id_number == MASKED
