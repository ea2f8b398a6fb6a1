"""The journal's second copy (issue 25 §2): brought up to date after each commit and before the outside action it
leads to, by the rows that commit changed (so a payment costs the copy the same few pages however old the journal
is); a copy that cannot be written puts the kiosk out of service; a restore checks the copy against the watermark
first; a copy out of step with the journal is copied whole once."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.payments.journal import JournalUnhealthy, PaymentState
from kiosk.payments.journal_copy import WAL_PAGES, copy_path_for, restore_from_copy
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


def snapshot(copy: Path, to: Path) -> Path:
    """The copy as it is now, as one self-contained file (its last commits may still be in its -wal)."""
    source, target = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True), sqlite3.connect(to)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()
    return to


def copy_pages_written(keeper, work) -> int:
    """How many pages ``work`` makes the kiosk write to its copy: the copy's write-ahead log is emptied first and
    not checkpointed meanwhile, so its length afterwards counts them (a whole-file copy would write every page)."""
    assert keeper is not None and keeper.copy is not None
    copy, db = keeper.copy.path, keeper.copy._target()
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    work()
    page = db.execute("PRAGMA page_size").fetchone()[0]
    frames = (Path(f"{copy}-wal").stat().st_size - 32) // (page + 24)  # WAL header 32 bytes, 24 per frame
    db.execute(f"PRAGMA wal_autocheckpoint={WAL_PAGES}")
    return frames


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
    yesterday = snapshot(copy, directory.parent / "yesterday.sqlite3")
    journal.create(InsuredItem.RESIDENT_MEDICAL, RESIDENT, RESIDENT, "q2", 38000, PayMethod.WECHAT)
    opened.close()
    assert len(copy_states(copy)) == 2 and len(copy_states(yesterday)) == 1
    os.replace(yesterday, copy)  # someone put back yesterday's copy
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


def test_a_payment_costs_the_copy_the_same_few_pages_however_large_the_journal(kiosk_state):
    directory, config, copy = kiosk_state
    fee = open_fee_system(directory)
    opened = open_kiosk_journal(config, clock)
    payments = QrPayments(opened.journal, fee)

    def one_payment() -> None:
        quote = fee.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")
        order = payments.open(quote, PayMethod.ALIPAY, RESIDENT)
        payments.cancel(order.entry)

    try:
        young = copy_pages_written(opened.keeper, one_payment)
        fill_finished(opened.journal, 3000)  # years of records, written as one commit (copied as one batch)
        assert len(copy_states(copy)) == 3001
        old = copy_pages_written(opened.keeper, one_payment)
        journal_pages = opened.journal.execute_read("PRAGMA page_count")[0][0]
        print(f"copy: {young} pages per payment on a new journal, {old} with {journal_pages} pages of journal")
        assert old <= young + 6 < journal_pages // 4  # a deeper b-tree, never the whole journal
        assert opened.keeper is not None and opened.keeper.copy is not None
        assert opened.keeper.copy.whole_copies == 1  # the first start only
    finally:
        opened.close()
        fee.close()
    assert copy_states(copy) == copy_states(directory / "journal.sqlite3")


def fill_finished(journal, count: int) -> None:
    journal.execute_read("BEGIN")
    for n in range(count):
        no = f"OLD-{n:06d}"
        journal.execute_read(
            "INSERT INTO payments (journal_no, idempotency_key, state, item, id_number, payer_id_number, quote_id,"
            " amount_fen, pay_method, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (no, f"kiosk-{no}", "done", "resident_pension", RESIDENT, RESIDENT, "q", 80000, "alipay", "2025", "2025"),
        )
        for state in ("created", "order_opened", "paid", "posted", "receipt_printed", "done"):
            journal.execute_read("INSERT INTO events (journal_no, at, state) VALUES (?,?,?)", (no, "2025", state))
    journal.execute_read("COMMIT")
    journal.mirror_now()


def test_a_copy_out_of_step_is_copied_whole_once_then_by_changes(kiosk_state):
    directory, config, copy = kiosk_state
    opened = open_kiosk_journal(config, clock)
    first = opened.journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q", 80000, PayMethod.ALIPAY)
    opened.close()
    foreign = directory.parent / "foreign"  # another kiosk's copy put in its place: its history differs
    other = open_kiosk_journal(resolve_config(state_dir=foreign), clock)
    other.journal.create(InsuredItem.RESIDENT_MEDICAL, RESIDENT, RESIDENT, "x", 38000, PayMethod.WECHAT)
    other.close()
    os.replace(copy_path_for("", foreign), copy)

    again = open_kiosk_journal(config, clock)
    try:
        assert again.keeper is not None and again.keeper.copy is not None
        assert again.keeper.copy.whole_copies == 1 and copy_states(copy) == {first.journal_no: "created"}
        second = again.journal.create(InsuredItem.RESIDENT_MEDICAL, RESIDENT, RESIDENT, "q2", 38000, PayMethod.WECHAT)
        assert again.keeper.copy.whole_copies == 1
        assert copy_states(copy) == {first.journal_no: "created", second.journal_no: "created"}
    finally:
        again.close()


def test_housekeeping_is_repeated_on_the_copy(kiosk_state):
    """Retention's masking writes no event: the copy must not keep the ID numbers in clear."""
    from kiosk.payments.retention import mask_expired_ids

    _directory, config, copy = kiosk_state
    opened = open_kiosk_journal(config, clock)
    journal = opened.journal
    try:
        entry = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q", 80000, PayMethod.ALIPAY)
        journal.advance(entry.journal_no, PaymentState.ORDER_CLOSED)
        assert mask_expired_ids(journal, dt.timedelta(days=90), clock() + dt.timedelta(days=91)).masked == 1
        db = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
        try:
            masked = db.execute("SELECT id_number FROM payments").fetchone()[0]
        finally:
            db.close()
        assert masked == journal.get(entry.journal_no).id_number and RESIDENT not in masked
    finally:
        opened.close()


def test_a_damaged_journal_restored_from_the_copy_still_has_its_baskets(kiosk_state):
    from kiosk.payments.basket_journal import BasketJournal
    from test_basket_payments import household_quotes, pay_all

    directory, config, copy = kiosk_state
    fee = open_fee_system(directory)
    opened = open_kiosk_journal(config, clock)
    try:
        quotes = household_quotes(fee, clock)
        opened_basket, _outcome = pay_all(fee, opened.journal, quotes)
        baskets = BasketJournal(opened.journal)
        basket_no = opened_basket.basket.basket_no
        before = (baskets.get(basket_no), baskets.lines(basket_no), baskets.events(basket_no))
    finally:
        opened.close()
        fee.close()
    path = directory / "journal.sqlite3"
    with open(path, "r+b") as damaged:  # the first page's header overwritten: SQLite no longer reads the file
        damaged.write(b"\0" * 100)
    restored, message = restore_from_copy(path, copy, Watermark.beside(path))
    assert restored, message
    again = open_kiosk_journal(config, clock)
    try:
        baskets = BasketJournal(again.journal)
        assert before[0].state is PaymentState.DONE and len(before[1]) == len(quotes)
        assert (baskets.get(basket_no), baskets.lines(basket_no), baskets.events(basket_no)) == before
    finally:
        again.close()
