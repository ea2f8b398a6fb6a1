"""The journal's second copy (issue 25 §2): refreshed with SQLite's backup API after each commit and before the
outside action it leads to; a copy that cannot be written puts the kiosk out of service; a restore checks the
copy against the watermark first."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.payments.journal import JournalUnhealthy
from kiosk.payments.journal_copy import copy_path_for, restore_from_copy
from kiosk.payments.journal_health import Watermark
from kiosk.payments.journal_open import open_kiosk_journal
from kiosk.payments.qr import QrPayments
from kiosk.service_health import ProblemKind, ServiceHealth
from kiosk.state import resolve_config
from recovery_fixtures import RESIDENT, clock, open_fee_system


def copy_states(copy: Path) -> dict[str, str]:
    db = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    try:
        return dict(db.execute("SELECT journal_no, state FROM payments").fetchall())
    finally:
        db.close()


@pytest.fixture
def kiosk_state(tmp_path):
    directory = tmp_path / "state"
    config = resolve_config(state_dir=directory)
    return directory, config, copy_path_for("", directory)


def test_the_copy_path_setting(tmp_path):
    state = tmp_path / "s"
    assert copy_path_for("", state) == tmp_path / "s-copy" / "journal.sqlite3"
    assert copy_path_for("off", state) is None
    assert copy_path_for("copy/j.sqlite3", state) == state / "copy" / "j.sqlite3"
    assert copy_path_for("/mnt/second/j.sqlite3", state) == Path("/mnt/second/j.sqlite3")


def test_the_copy_holds_each_state_before_the_outside_action_it_leads_to(kiosk_state):
    directory, config, copy = kiosk_state
    fee = open_fee_system(directory)
    opened = open_kiosk_journal(config, clock)
    payments = QrPayments(opened.journal, fee)
    seen_by_channel: list[dict[str, str]] = []
    real_open = fee.open_qr_order

    def open_qr_order(key, quote_id, method):
        seen_by_channel.append(copy_states(copy))  # what the second medium holds when the order is opened
        return real_open(key, quote_id, method)

    fee.open_qr_order = open_qr_order  # type: ignore[method-assign]
    try:
        quote = fee.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")
        order = payments.open(quote, PayMethod.ALIPAY, RESIDENT)
        assert seen_by_channel == [{order.entry.journal_no: "created"}]
        assert copy_states(copy) == {order.entry.journal_no: "order_opened"}
        fee.simulate_qr_payment(order.order.order_no)
        entry, _ = payments.settle_paid(order.entry)
        assert copy_states(copy) == {entry.journal_no: "posted"}
        mark = Watermark.beside(directory / "journal.sqlite3").read()
        assert mark is not None and mark.journal_no == entry.journal_no and mark.sequence >= 1
        assert os.stat(copy).st_mode & 0o777 == 0o600 and os.stat(copy.parent).st_mode & 0o777 == 0o700
        assert os.stat(directory / "journal.watermark").st_mode & 0o777 == 0o600
    finally:
        opened.close()
        fee.close()


def test_a_copy_that_cannot_be_written_stops_new_payments_until_it_can(tmp_path):
    directory = tmp_path / "state"
    blocker = tmp_path / "second-device"
    blocker.write_text("not a directory")
    config = resolve_config(state_dir=directory).with_overrides({"paths.journal_copy": str(blocker / "j.sqlite3")})
    health = ServiceHealth(clock)
    opened = open_kiosk_journal(config, clock, health)
    try:
        assert health.has(ProblemKind.JOURNAL)
        assert "second copy" in health.problems()[0].detail
        with pytest.raises(JournalUnhealthy, match="second copy"):
            opened.journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q", 80000, PayMethod.ALIPAY)
        blocker.unlink()  # the technician mounts the second device
        opened.journal.mirror_now()
        assert health.in_service()
        opened.journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q", 80000, PayMethod.ALIPAY)
        assert len(copy_states(blocker / "j.sqlite3")) == 1
    finally:
        opened.close()


def test_an_old_copy_below_the_watermark_is_not_restored(kiosk_state):
    directory, config, copy = kiosk_state
    opened = open_kiosk_journal(config, clock)
    journal = opened.journal
    journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q", 80000, PayMethod.ALIPAY)
    old_copy = copy.read_bytes()
    journal.create(InsuredItem.RESIDENT_MEDICAL, RESIDENT, RESIDENT, "q2", 38000, PayMethod.WECHAT)
    opened.close()
    copy.write_bytes(old_copy)  # someone put back yesterday's copy
    os.truncate(directory / "journal.sqlite3", 0)

    restored, message = restore_from_copy(
        directory / "journal.sqlite3", copy, Watermark.beside(directory / "journal.sqlite3")
    )
    assert not restored and "records were lost" in message
    health = ServiceHealth(clock)
    again = open_kiosk_journal(config, clock, health)
    try:
        assert again.state == "lost" and health.has(ProblemKind.JOURNAL) and not again.writable
    finally:
        again.close()
