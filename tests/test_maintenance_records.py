"""Maintenance logic without the window: config edits with validation, journal browsing masked, resolutions
with notes, the reconciliation CSV, the masked log export, `kiosk passwd`, the paper counter, the ceremony rules."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import stat
from pathlib import Path

import pytest

from conftest import NOW, TERMINAL
from kiosk.config import ConfigError, load_config
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.maintenance import journalview, logexport, reconciliation
from kiosk.maintenance.ceremony import CeremonyError, KeyCeremony
from kiosk.maintenance.configedit import ConfigEditor, config_rows, parse_value
from kiosk.maintenance.credentials import verify_password
from kiosk.maintenance.paper import PaperCounter
from kiosk.maintenance.tomledit import set_value
from kiosk.payments.journal import Journal, PaymentState
from maintenance_fixtures import Clock, config_copy  # noqa: F401 (fixture)

ID_NUMBER = "11010519491231002X"
REPO_CONFIG = Path(__file__).resolve().parent.parent / "config" / "simulated.toml"


def new_payment(journal: Journal, method: PayMethod = PayMethod.ALIPAY, amount: int = 18000):
    return journal.create(InsuredItem.RESIDENT_PENSION, ID_NUMBER, ID_NUMBER, "Q1", amount, method)


# --- configuration --------------------------------------------------------------------------------------


def test_set_value_keeps_comments_and_adds_keys_and_sections():
    text = '# head\n[terminal]\nid = "A"  \nhall_name = "x"\n\n[timeouts]\nscreen_seconds = 90\n'
    edited = set_value(text, "terminal", "hall_name", "新厅")
    edited = set_value(edited, "timeouts", "device_seconds", 7)
    edited = set_value(edited, "maintenance.technicians", "T001", "scrypt$1")
    assert edited.startswith("# head\n")
    assert 'hall_name = "新厅"' in edited and "device_seconds = 7" in edited
    assert edited.index("device_seconds") > edited.index("[timeouts]")
    assert edited.rstrip().endswith('[maintenance.technicians]\nT001 = "scrypt$1"')


def test_config_edit_validates_before_replacing(config_copy):  # noqa: F811
    editor = ConfigEditor(config_copy)
    before = config_copy.read_text()
    with pytest.raises(ConfigError) as refused:
        editor.apply({"timeouts.device_seconds": -1})
    assert "timeouts.device_seconds" in str(refused.value) and str(config_copy) in str(refused.value)
    with pytest.raises(ConfigError):
        editor.apply({"devices.idcard.baud": 1234})
    assert config_copy.read_text() == before
    with pytest.raises(ConfigError):
        editor.apply({"verification.hmac_key": "x"})  # not a technician's to change
    editor.apply({"terminal.hall_name": "济南高新区办税服务厅", "timeouts.device_seconds": 8})
    config = load_config(config_copy)
    assert config["terminal.hall_name"] == "济南高新区办税服务厅" and config["timeouts.device_seconds"] == 8
    assert "# The kiosk on simulated hardware" in config_copy.read_text()
    assert not list(config_copy.parent.glob(".*.tmp"))


def test_parse_value_by_schema():
    assert parse_value("timeouts.device_seconds", " 7 ") == 7
    assert parse_value("timeouts.device_seconds", "2.5") == 2.5
    assert parse_value("devices.idcard.baud", "9600") == 9600
    with pytest.raises(ValueError):
        parse_value("devices.idcard.baud", "fast")


def test_config_view_hides_secrets(config_copy):  # noqa: F811
    rows = dict(config_rows(load_config(config_copy)))
    assert rows["verification.hmac_key"] == "***"
    assert rows["terminal.id"] == "SD370102-ZZ01"


def test_kiosk_passwd_writes_only_a_hash(config_copy, monkeypatch, capsys):  # noqa: F811
    from kiosk.cli import passwd

    answers = iter(["charlie-pass-3", "charlie-pass-3"])
    monkeypatch.setattr(passwd, "read_password", lambda prompt: next(answers))
    assert passwd.run_passwd(argparse.Namespace(config=str(config_copy), technician_id="T003")) == 0
    text = config_copy.read_text()
    assert "charlie-pass-3" not in text and "charlie-pass-3" not in capsys.readouterr().out
    stored = load_config(config_copy)["maintenance.technicians"]["T003"]
    assert verify_password("charlie-pass-3", stored)
    mismatched = iter(["charlie-pass-3", "charlie-pass-4"])
    monkeypatch.setattr(passwd, "read_password", lambda prompt: next(mismatched))
    assert passwd.run_passwd(argparse.Namespace(config=str(config_copy), technician_id="T004")) == 1
    assert passwd.run_passwd(argparse.Namespace(config=str(config_copy), technician_id="bad id!")) == 1
    assert "T004" not in load_config(config_copy)["maintenance.technicians"]


def test_passwd_is_a_kiosk_subcommand():
    from app.cli import build_parser

    args = build_parser().parse_args(["passwd", "--config", "x.toml", "T001"])
    assert args.technician_id == "T001" and args.config == "x.toml"


# --- journal --------------------------------------------------------------------------------------------


def test_browse_masks_and_filters(journal):
    done = new_payment(journal)
    flagged = new_payment(journal, PayMethod.BANK_CARD)
    journal.advance(flagged.journal_no, PaymentState.AUTH_SENT)
    journal.advance(flagged.journal_no, PaymentState.FLAGGED, note="recovery: bank did not answer")
    rows = journalview.browse(journal, NOW.date())
    assert {row.journal_no for row in rows} == {done.journal_no, flagged.journal_no}
    assert all(ID_NUMBER not in repr(row) for row in rows)
    assert rows[0].id_number.startswith("1101") and "*" in rows[0].id_number
    assert [row.journal_no for row in journalview.browse(journal, None, "flagged")] == [flagged.journal_no]
    assert journalview.browse(journal, NOW.date() - dt.timedelta(days=1)) == []
    unresolved = journalview.browse(journal, None, None, unresolved_only=True)
    assert {row.journal_no for row in unresolved} == {done.journal_no, flagged.journal_no}  # created: unfinished
    steps = journalview.steps(journal, flagged.journal_no)
    assert [line.split("  ")[1] for line in steps] == ["created", "auth_sent", "flagged"]
    assert "bank did not answer" in steps[-1]


def test_resolution_needs_a_note_and_follows_transitions(journal):
    entry = new_payment(journal)
    journal.advance(entry.journal_no, PaymentState.FLAGGED, note="recovery: could not settle")
    with pytest.raises(journalview.ResolutionError):
        journalview.resolve(journal, entry.journal_no, "T001", PaymentState.RESOLVED, "  ok  ")
    with pytest.raises(journalview.ResolutionError):
        journalview.resolve(journal, entry.journal_no, "T001", PaymentState.DONE, "refunded by phone, ref 123")
    assert journalview.is_unresolved(journal, journal.get(entry.journal_no))
    resolved = journalview.resolve(journal, entry.journal_no, "T001", PaymentState.RESOLVED, "refunded at counter")
    assert resolved.state is PaymentState.RESOLVED and not journalview.is_unresolved(journal, resolved)
    assert journal.events(entry.journal_no)[-1][2] == "technician T001: refunded at counter"
    other = new_payment(journal)
    assert PaymentState.ORDER_OPENED in journalview.resolution_targets(other)


# --- reconciliation, logs, paper ------------------------------------------------------------------------


def test_reconciliation_csv_is_private_named_by_terminal_and_day_and_lists_each_record(tmp_path, journal):
    from kiosk.payments.reconcile import Reconciliation

    class NoFees:
        def payments(self, key_prefix):
            return []

    entry = new_payment(journal)
    journal.advance(entry.journal_no, PaymentState.ORDER_CLOSED)
    report = Reconciliation(journal, TERMINAL, NoFees(), []).run(NOW.date())
    path = reconciliation.write_csv(report, tmp_path / "usb")
    assert path.name == "reconciliation-SD370102-ZZ01-2026-11-27.csv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0][:2] == ["date", "2026-11-27"]
    alipay = next(row for row in rows if row and row[0] == "alipay")
    assert alipay[1] == "1"
    assert any(entry.journal_no in row for row in rows)
    document = reconciliation.receipt_document(report, NOW)
    assert document.title == "自助终端对账单"


def test_log_export_masks_personal_data(tmp_path):
    log_dir = tmp_path / "log"
    log_dir.mkdir()
    (log_dir / "kiosk.log.1").write_text(f"old line {ID_NUMBER}\n")
    (log_dir / "kiosk.log").write_text(f"new line {ID_NUMBER}\nplain line\n")
    recent = logexport.recent_lines(log_dir)
    assert recent[-1] == "plain line" and ID_NUMBER not in "\n".join(recent)
    path = logexport.export_logs(log_dir, tmp_path / "usb", "SD370102-ZZ01", NOW)
    text = path.read_text()
    assert text.index("old line") < text.index("new line")
    assert ID_NUMBER not in text and "1101**********002X" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_paper_counter_counts_receipts_since_the_refill(tmp_path, journal):
    clock = Clock(NOW)
    counter = PaperCounter(tmp_path / "paper.json", journal, roll=3, warning_at=1, clock=clock)
    entry = new_payment(journal)
    for state in (PaymentState.ORDER_OPENED, PaymentState.PAID, PaymentState.POSTED, PaymentState.RECEIPT_PRINTED):
        journal.advance(entry.journal_no, state)
    counter.add_test_print()
    level = counter.level()
    assert (level.used, level.left, level.low) == (2, 1, True)
    clock.advance(minutes=1)
    counter.refill()
    assert counter.level().used == 0 and not counter.level().low


def test_ceremony_needs_two_different_technicians_and_valid_components():
    class Pad:
        def __init__(self):
            self.calls = []

        def select_algorithm(self, algorithm):
            self.calls.append("AL")

        def load_master_key_component(self, index, component):
            self.calls.append(f"MC{index}")
            return bytes([index] * 4)

        def combine_master_key(self):
            return b"\xab\xcd\xef\x01"

        def reset(self):
            self.calls.append("RS")

    pad = Pad()
    ceremony = KeyCeremony(pad, "tdes")
    with pytest.raises(CeremonyError):
        ceremony.load(1, "T001", "0123")
    with pytest.raises(CeremonyError):
        ceremony.load(2, "T002", "0" * 32)
    assert ceremony.load(1, "T001", "0123 4567 89AB CDEF FEDC BA98 7654 3210") == "01010101"
    with pytest.raises(CeremonyError):
        ceremony.load(2, "T001", "1F" * 16)
    with pytest.raises(CeremonyError):
        ceremony.combine()
    ceremony.abandon()
    assert pad.calls == ["AL", "MC1", "RS"]


def test_reconciliation_reads_the_fee_system_through_its_interface_like_kiosk_reconcile(tmp_path, journal):
    from app.harness.world import SIMULATION
    from kiosk.application import build_fee_system
    from kiosk.feesystem.http_client import HttpFeeSystem
    from parties.feesystem.http_server import FeeSystemHttpServer

    base = load_config(REPO_CONFIG).with_overrides({"paths.state_dir": str(tmp_path / "state")})
    embedded = build_fee_system(base, lambda: NOW, SIMULATION)  # the composition root's world builds it
    try:
        report = reconciliation.run_reconciliation(base, journal, embedded, NOW.date())
        # The card channel is checked against the bank's settlement answer (0510), as `kiosk reconcile` does: no
        # settlement yet this day, so the bank's side is not available (tests/test_settlement*.py settle first).
        assert report.ledgers["bank_card"] == "not_available" and report.ledgers["alipay"] == "checked"
        # Over HTTP (a real bureau's fee system, or the harness's gateway): the same questions through the API.
        with FeeSystemHttpServer(embedded) as server:
            remote = base.with_overrides({"fee_system.kind": "http", "fee_system.url": server.url})
            client = HttpFeeSystem(server.url, timeout_seconds=5)
            assert reconciliation.run_reconciliation(remote, journal, client, NOW.date()).ledgers["fee_system"] == (
                "checked"
            )
        # A fee system that does not answer: said in words, not a crash.
        with pytest.raises(reconciliation.ReconciliationUnavailable, match="did not answer"):
            reconciliation.run_reconciliation(remote, journal, client, NOW.date())
    finally:
        embedded.close()


def test_every_receipt_cut_counts_on_the_paper_counter_reprints_too(tmp_path, journal):
    from kiosk.domain.periods import Period
    from kiosk.feesystem.api import PaymentRecord
    from kiosk.receipts import ReceiptParties, ReceiptService
    from printers.escpos.status import PrinterStatus

    class Printer:
        cuts = 0

        def print_receipt(self, data: bytes) -> PrinterStatus:
            Printer.cuts += 1
            return PrinterStatus(online=True, paper="ok", cover_open=False)

    receipts = ReceiptService(Printer(), "测试办税服务厅", "SD370102-ZZ01", "test-key", 80)  # type: ignore[arg-type]
    counter = PaperCounter(tmp_path / "paper.json", journal, roll=400, warning_at=50, clock=lambda: NOW)
    counter.listen(receipts)
    PaperCounter(tmp_path / "paper.json", journal, roll=400, warning_at=50, clock=lambda: NOW).listen(receipts)
    assert len(receipts.cut_listeners) == 1  # each maintenance visit listens again: still one count per cut
    entry = new_payment(journal)
    for state in (PaymentState.ORDER_OPENED, PaymentState.PAID, PaymentState.POSTED):
        journal.advance(entry.journal_no, state)
    record = PaymentRecord(
        "3370000000001",
        f"kiosk-{entry.journal_no}",
        ID_NUMBER,
        ID_NUMBER,
        InsuredItem.RESIDENT_PENSION,
        Period.year(2026),
        18000,
        PayMethod.ALIPAY,
        "ORDER1",
        NOW,
    )
    parties = ReceiptParties("张三", ID_NUMBER)
    assert receipts.print_for(record, parties, entry.journal_no, NOW) is None
    journal.advance(entry.journal_no, PaymentState.RECEIPT_PRINTED)
    assert counter.level().used == 1  # the payment's receipt: counted once (the journal's step)
    receipts.reprint(record, parties, entry.journal_no, NOW)  # 补打 from Query
    receipts.print(reconciliation.receipt_document(reconciliation_report(journal), NOW))
    assert Printer.cuts == 3 and counter.level().used == 3

    def broken(kind: str) -> None:
        raise OSError("disk full")

    receipts.cut_listeners.insert(0, broken)
    receipts.reprint(record, parties, entry.journal_no, NOW)  # the receipt is out: no failure for the citizen
    assert counter.level().used == 4


def reconciliation_report(journal: Journal):
    from kiosk.payments.reconcile import Reconciliation

    class NoFees:
        def payments(self, key_prefix):
            return []

    return Reconciliation(journal, TERMINAL, NoFees(), []).run(NOW.date())
