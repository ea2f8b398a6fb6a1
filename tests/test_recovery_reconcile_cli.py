"""Reconciliation's verdicts and the `kiosk recover` / `kiosk reconcile` commands on a --state directory."""

from __future__ import annotations

import json
import sqlite3

import pytest

from app.cli import main
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import AlreadyPaid
from kiosk.payments.journal import Journal, PaymentState
from kiosk.payments.qr import QrPayments
from kiosk.payments.reconcile import reconcile_embedded
from kiosk.state import resolve_config
from recovery_fixtures import FEE_FILE, JOURNAL_FILE, NOW, RESIDENT, clock, open_fee_system

TERMINAL = "SD370102-ZZ01"  # config/simulated.toml's, as `--state` uses it


@pytest.fixture
def state(tmp_path):
    """A --state directory with a journal and a fee-system database: (dir, journal, fee system, QR payments)."""
    directory = tmp_path / "state"
    directory.mkdir()
    fee = open_fee_system(directory)
    journal = Journal(directory / JOURNAL_FILE, TERMINAL, clock=clock)
    yield directory, journal, fee, QrPayments(journal, fee)
    journal.close()
    fee.close()


def quote(fee):
    return fee.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")


def reconcile(directory, journal):
    return reconcile_embedded(journal, TERMINAL, directory / FEE_FILE, NOW.date())


def test_state_dir_resolves_to_the_default_config_with_that_directory(tmp_path):
    config = resolve_config(state_dir=tmp_path / "s")
    assert config.state_dir == (tmp_path / "s").resolve()
    assert config["terminal.id"] == TERMINAL and config.state_path("journal.sqlite3").parent == config.state_dir
    with pytest.raises(ValueError):
        resolve_config("x.toml", tmp_path)


def test_clean_day_totals_and_explained_differences(state):
    directory, journal, fee, payments = state
    q = quote(fee)
    paid = payments.open(q, PayMethod.ALIPAY, RESIDENT)
    closed = payments.open(q, PayMethod.WECHAT, RESIDENT)  # opened before the year was paid: no order after it
    late = payments.open(q, PayMethod.WECHAT, RESIDENT)
    fee.simulate_qr_payment(paid.order.order_no)
    entry, _ = payments.settle_paid(paid.entry)
    payments.receipt_result(entry, None)
    payments.cancel(closed.entry)
    payments.cancel(late.entry)
    fee.simulate_qr_payment(late.order.order_no)
    journal.advance(late.entry.journal_no, PaymentState.REFUNDED)
    report = reconcile(directory, journal)
    assert report.ok
    totals = report.as_json()["totals"]
    assert totals["alipay"]["journal_posted_fen"] == totals["alipay"]["fee_system_fen"] == 50000
    assert totals["alipay"]["channel_paid_fen"] == 50000
    assert totals["wechat"]["refunded_fen"] == 50000 and totals["wechat"]["count"] == 2
    assert totals["bank_card"]["channel_paid_fen"] is None and report.ledgers["bank_card"] == "not_available"
    assert sorted(d.kind for d in report.differences) == ["closed_unpaid_order", "refunded_late_payment"]
    assert all(d.explained for d in report.differences)


def test_paid_but_not_posted_is_unexplained_until_recovered(state):
    directory, journal, fee, payments = state
    q = quote(fee)
    opened = payments.open(q, PayMethod.ALIPAY, RESIDENT)
    fee.simulate_qr_payment(opened.order.order_no)
    report = reconcile(directory, journal)
    [difference] = report.differences
    assert not report.ok and difference.kind == "unfinished" and difference.channel_state == "paid"


def test_posting_without_journal_and_duplicates_are_unexplained(state):
    directory, journal, fee, _payments = state
    q = quote(fee)
    ghost = fee.simulate_qr_payment(fee.open_qr_order(f"kiosk-{TERMINAL}-ghost", q.quote_id, PayMethod.ALIPAY).order_no)
    fee.post_payment(f"kiosk-{TERMINAL}-ghost", q.quote_id, PayMethod.ALIPAY, ghost.channel_txn, RESIDENT)  # paid
    report = reconcile(directory, journal)
    kinds = sorted(d.kind for d in report.differences)
    assert kinds == ["missing_journal_record"] and report.unexplained == 1
    with pytest.raises(AlreadyPaid):  # this fee system refuses a second posting of the year ...
        fee.post_payment(f"kiosk-{TERMINAL}-ghost2", q.quote_id, PayMethod.ALIPAY, "TXN2", RESIDENT)
    with sqlite3.connect(directory / FEE_FILE) as db:  # ... one that accepted it is caught by reconciliation
        db.execute(
            "INSERT INTO payments SELECT 'X2', ?, id_number, payer_id_number, item, period_start, period_end, months,"
            " amount_fen, base_fen, grade_code, bill_no, pay_method, 'TXN2', paid_at FROM payments"
            " WHERE idempotency_key = ?",
            (f"kiosk-{TERMINAL}-ghost2", f"kiosk-{TERMINAL}-ghost"),
        )
    assert "duplicate_posting" in [d.kind for d in reconcile(directory, journal).differences]


def test_amount_mismatch_and_other_terminals_payments(state):
    directory, journal, fee, payments = state
    q = quote(fee)
    opened = payments.open(q, PayMethod.ALIPAY, RESIDENT)
    fee.simulate_qr_payment(opened.order.order_no)
    entry, _ = payments.settle_paid(opened.entry)
    payments.receipt_result(entry, "paper_out")
    other = fee.quote_resident(RESIDENT, InsuredItem.RESIDENT_MEDICAL, 2027, "G01")
    paid = fee.simulate_qr_payment(fee.open_qr_order("kiosk-OTHER-1", other.quote_id, PayMethod.WECHAT).order_no)
    fee.post_payment("kiosk-OTHER-1", other.quote_id, PayMethod.WECHAT, paid.channel_txn, RESIDENT)  # not ours
    assert reconcile(directory, journal).ok
    with sqlite3.connect(directory / FEE_FILE) as db:
        db.execute("UPDATE payments SET amount_fen = 1 WHERE idempotency_key = ?", (entry.idempotency_key,))
    [difference] = reconcile(directory, journal).differences
    assert difference.kind == "amount_mismatch" and not difference.explained


def test_other_days_are_not_counted(state):
    directory, journal, fee, payments = state
    q = quote(fee)
    payments.cancel(payments.open(q, PayMethod.WECHAT, RESIDENT).entry)
    other_day = reconcile_embedded(journal, TERMINAL, directory / FEE_FILE, NOW.date().replace(day=1))
    assert other_day.differences == [] and other_day.totals["wechat"].count == 0


def test_recover_then_reconcile_commands(state, capsys):
    directory, _journal, fee, payments = state
    q = quote(fee)
    opened = payments.open(q, PayMethod.ALIPAY, RESIDENT)
    fee.simulate_qr_payment(opened.order.order_no)  # paid, then the kiosk died
    assert main(["reconcile", "--state", str(directory), "--date", NOW.date().isoformat()]) == 1
    assert "UNEXPLAINED" in capsys.readouterr().out
    assert main(["recover", "--state", str(directory), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["counts"]["settled"] == 1
    [record] = out["records"]
    assert set(record) == {
        "journal_no",
        "pay_method",
        "amount_fen",
        "person",
        "from_state",
        "to_state",
        "outcome",
        "steps",
        "error",
    }
    assert record["to_state"] == "done" and RESIDENT not in json.dumps(out)
    assert main(["recover", "--state", str(directory)]) == 0
    assert "nothing to recover" in capsys.readouterr().out
    code = main(["reconcile", "--state", str(directory), "--json", "--date", NOW.date().isoformat()])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["ok"] and out["unexplained"] == 0
    assert set(out) == {"date", "terminal_id", "ok", "unexplained", "totals", "differences", "ledgers"}


def test_recover_exits_non_zero_while_the_fee_system_is_down(state, capsys, monkeypatch):
    directory, _journal, fee, payments = state
    q = quote(fee)
    payments.open(q, PayMethod.ALIPAY, RESIDENT)
    from kiosk.feesystem.api import Unavailable
    from parties.feesystem.embedded import EmbeddedFeeSystem

    def down(self, order_no):
        raise Unavailable("down")

    monkeypatch.setattr(EmbeddedFeeSystem, "qr_order_status", down)
    assert main(["recover", "--state", str(directory)]) == 1
    assert "pending" in capsys.readouterr().out


def test_commands_refuse_missing_ledgers_and_bad_config(tmp_path, capsys):
    assert main(["reconcile", "--state", str(tmp_path / "empty"), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"] == "missing_ledger"
    assert main(["recover", "--state", str(tmp_path / "empty")]) == 0
    assert "nothing to recover" in capsys.readouterr().out
    assert main(["recover", "--config", str(tmp_path / "nope.toml")]) == 2
    with pytest.raises(SystemExit):
        main(["reconcile", "--date", "27/11/2026"])
