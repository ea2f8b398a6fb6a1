"""The disk reserve (issue 25 §1): how much a payment's journal records take, measured on a real tmpfs, and the
kiosk that takes no payment below it (out of service, a technician warning, back in service when room is back)."""

from __future__ import annotations

import logging
import os
import types

import pytest

from bank_fixtures import OTHER_RESIDENT, RICH, card_of
from disk_fixtures import TinyDisk
from kiosk.card_checkout import CardCheckout
from kiosk.checkout import MSG_NO_ROOM, Checkout
from kiosk.checkout_gate import disk_gate
from kiosk.config import DEFAULT_CONFIG, ConfigError, load_config
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import QrOrderState
from kiosk.payments.disk_reserve import DEFAULT_RESERVE_KB, MEASURED_PAYMENT_BYTES, DiskReserve
from kiosk.payments.journal import PaymentState
from kiosk.payments.journal_open import open_kiosk_journal
from kiosk.payments.qr import QrPayments
from kiosk.receipts import ReceiptParties
from kiosk.service_health import ProblemKind, ServiceHealth
from kiosk.session import Session

pytest_plugins = ["bank_fixtures", "disk_fixtures"]

RESIDENT = "370103197003224422"
PARTIES = ReceiptParties(payer_name="王秀兰", payer_id=RESIDENT)


class Printer:
    def print_for(self, record, parties, journal_no, now, reference):
        return None


def used_bytes(disk: TinyDisk) -> int:
    stats = os.statvfs(disk.path)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize


def test_a_whole_payment_fits_the_measured_figure_and_the_reserve_keeps_a_margin(
    tiny_disk, fee_system, bank_host, bank_client, pad_rig, clock, capsys
):
    """One QR and one card payment on a fresh kiosk journal (WAL, the second copy on the same disk, the watermark):
    what each adds to the disk, as docs/recovery.md reports it."""
    config = load_config(DEFAULT_CONFIG).with_overrides(
        {"paths.state_dir": str(tiny_disk.path / "state"), "paths.journal_copy": "copy/journal.sqlite3"}
    )
    opened = open_kiosk_journal(config, clock)
    journal = opened.journal
    assert opened.problems == [] and journal.mirror is not None
    growth = {}
    try:
        before = used_bytes(tiny_disk)
        checkout = Checkout(QrPayments(journal, fee_system), Printer(), clock)  # type: ignore[arg-type]
        quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")
        qr = checkout.open_qr(quote, PayMethod.ALIPAY, RESIDENT)
        fee_system.simulate_qr_payment(qr.order.order_no)
        assert checkout.finish_paid(qr.entry, PARTIES).entry.state is PaymentState.DONE
        growth["qr"], before = used_bytes(tiny_disk) - before, used_bytes(tiny_disk)

        devices = types.SimpleNamespace(bank=bank_client, bankcard=None, pinpad=None)
        cards = CardCheckout(journal, fee_system, devices, Printer(), clock)  # type: ignore[arg-type]
        quote = fee_system.quote_resident(OTHER_RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")
        block = pad_rig.enter_pin(RICH.pan, RICH.pin)
        card = cards.pay(quote, OTHER_RESIDENT, card_of(RICH), block, PARTIES).outcome
        assert card.entry.state is PaymentState.DONE
        growth["card"] = used_bytes(tiny_disk) - before
    finally:
        opened.close()
    with capsys.disabled():
        print(f"\njournal disk growth per payment (journal, WAL, copy, watermark): {growth}")
    assert 0 < max(growth.values()) <= MEASURED_PAYMENT_BYTES
    assert DEFAULT_RESERVE_KB * 1024 >= 3 * MEASURED_PAYMENT_BYTES


def test_the_reading_is_the_disks_free_room(tiny_disk):
    tiny_disk.fill_to(96 * 1024)
    reading = DiskReserve.for_journal(tiny_disk.path / "journal.sqlite3", 512).reading()
    assert 92 * 1024 <= reading.free_bytes <= 100 * 1024 and not reading.enough
    assert reading.detail.endswith("kB free, 512 kB needed")
    tiny_disk.free()
    assert DiskReserve.for_journal(tiny_disk.path / "journal.sqlite3", 512).reading().enough


def test_an_unmeasurable_disk_counts_as_full(tmp_path):
    reserve = DiskReserve(tmp_path / "gone", 1024)
    assert reserve.reading().free_bytes == 0 and not reserve.reading().enough


def test_below_the_reserve_the_gate_says_no_money_and_the_kiosk_goes_out_of_service(tiny_disk, caplog):
    tiny_disk.fill_to(64 * 1024)
    health, session = ServiceHealth(), Session()
    reserve = DiskReserve.for_journal(tiny_disk.path / "journal.sqlite3", 512)
    with caplog.at_level(logging.WARNING):
        assert disk_gate(session, health, reserve) is False
    assert session.payment.message == MSG_NO_ROOM and session.payment.state is QrOrderState.CLOSED
    [problem] = health.problems()
    assert problem.kind is ProblemKind.DISK_RESERVE and "512 kB needed" in problem.detail
    assert any("TECHNICIAN" in record.getMessage() for record in caplog.records)


def test_the_idle_pass_clears_it_when_room_is_back(tiny_disk):
    health = ServiceHealth()
    reserve = DiskReserve.for_journal(tiny_disk.path / "journal.sqlite3", 512)
    tiny_disk.fill_to(64 * 1024)
    reserve.recheck(health)
    assert health.has(ProblemKind.DISK_RESERVE)
    tiny_disk.free()
    reserve.recheck(health)
    assert health.in_service()
    assert disk_gate(Session(), health, reserve) is True


def test_the_reserve_is_configurable_with_a_default(tmp_path):
    assert load_config(DEFAULT_CONFIG)["payments.disk_reserve_kb"] == DEFAULT_RESERVE_KB
    own = tmp_path / "kiosk.toml"
    own.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8") + "\n[payments]\ndisk_reserve_kb = 2048\n")
    assert load_config(own)["payments.disk_reserve_kb"] == 2048
    own.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8") + "\n[payments]\ndisk_reserve_kb = 0\n")
    with pytest.raises(ConfigError, match="disk_reserve_kb"):
        load_config(own)
