"""Start-up that never dies (issue 25 §1 and §2): a damaged journal, an unwritable state directory or a full disk
bring the window up with Home's out-of-service panel, a log line and a doctor line; no traceback, no money."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.payments.journal import JournalUnhealthy
from kiosk.service_health import ProblemKind

REPO = Path(__file__).resolve().parent.parent
RESIDENT = "370103197003224422"


def kiosk_driver(kiosk):
    from app.harness.gui_driver import KioskGuiDriver

    return KioskGuiDriver(kiosk)


def no_money(kiosk) -> None:
    """The journal refuses a new payment record: no money can be taken."""
    with pytest.raises(JournalUnhealthy):
        kiosk.ctx.journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q", 80000, PayMethod.ALIPAY)


def tiles_hidden(kiosk) -> bool:
    buttons = kiosk_driver(kiosk).buttons_shown()
    return "flexible (" not in buttons and "resident (" not in buttons  # the tiles' object names


def test_a_damaged_journal_starts_out_of_service(make_kiosk, tmp_path, caplog, qtbot):
    state = tmp_path / "state"
    state.mkdir()
    (state / "journal.sqlite3").write_bytes(b"NOT A DATABASE!!" + bytes(4080))
    with caplog.at_level(logging.ERROR):
        kiosk = make_kiosk()
    assert kiosk.ctx.health.has(ProblemKind.JOURNAL)
    assert any("does not start with SQLite's header" in r.getMessage() for r in caplog.records)
    from kiosk.cli.doctor import FAIL, check_journal

    result, detail = check_journal(kiosk.config)
    assert result == FAIL and "takes no money" in detail
    qtbot.waitUntil(lambda: tiles_hidden(kiosk), timeout=5000)
    no_money(kiosk)
    # The evidence is kept as it was (no migration over it): a technician reads it.
    assert (state / "journal.sqlite3").read_bytes().startswith(b"NOT A DATABASE!!")


def test_maintenance_still_reads_a_damaged_journal(make_kiosk, tmp_path, qtbot):
    """The events table dropped: out of service, the journal open read-only, its payments still listed."""
    import sqlite3

    from kiosk.maintenance.journalview import browse
    from kiosk.payments.journal import Journal

    state = tmp_path / "state"
    journal = Journal(state / "journal.sqlite3", "SD370102-ZZ01")
    entry = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q", 80000, PayMethod.ALIPAY)
    journal.close()
    db = sqlite3.connect(state / "journal.sqlite3")
    db.execute("DROP TABLE events")
    db.close()
    kiosk = make_kiosk()
    assert kiosk.ctx.health.has(ProblemKind.JOURNAL) and kiosk.ctx.journal.read_only
    assert [row.journal_no for row in browse(kiosk.ctx.journal)] == [entry.journal_no]
    qtbot.waitUntil(lambda: tiles_hidden(kiosk), timeout=5000)
    no_money(kiosk)


def test_an_unwritable_state_dir_starts_out_of_service(make_kiosk, tmp_path, qtbot):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the state directory's parent should be")
    kiosk = make_kiosk(**{"paths.state_dir": str(blocker / "state")})
    assert kiosk.ctx.health.has(ProblemKind.STATE_DIR)
    assert kiosk.ctx.health.has(ProblemKind.JOURNAL)
    qtbot.waitUntil(lambda: tiles_hidden(kiosk), timeout=5000)
    no_money(kiosk)


def test_a_bad_row_puts_the_kiosk_out_of_service_after_start_up_recovery(make_kiosk, tmp_path, qtbot):
    from kiosk.payments.journal import Journal

    state = tmp_path / "state"
    journal = Journal(state / "journal.sqlite3", "SD370102-ZZ01")
    entry = journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q", 80000, PayMethod.ALIPAY)
    journal.execute_read("UPDATE payments SET state = 'bogus' WHERE journal_no = ?", (entry.journal_no,))
    journal.close()
    kiosk = make_kiosk()
    qtbot.waitUntil(lambda: kiosk.ctx.health.has(ProblemKind.RECOVERY), timeout=8000)
    qtbot.waitUntil(lambda: tiles_hidden(kiosk), timeout=5000)
    no_money(kiosk)


def test_the_kiosk_restores_its_second_copy_at_start_up(make_kiosk, tmp_path, qtbot):
    from kiosk.payments.journal_open import open_kiosk_journal
    from kiosk.state import resolve_config

    state = tmp_path / "state"
    opened = open_kiosk_journal(resolve_config(state_dir=state))
    entry = opened.journal.create(InsuredItem.RESIDENT_PENSION, RESIDENT, RESIDENT, "q", 80000, PayMethod.ALIPAY)
    opened.close()
    os.truncate(state / "journal.sqlite3", 0)
    kiosk = make_kiosk()
    assert not kiosk.ctx.health.has(ProblemKind.JOURNAL), kiosk.ctx.health.problems()
    assert entry.journal_no in [e.journal_no for e in kiosk.ctx.journal.entries()]
    qtbot.waitUntil(lambda: not tiles_hidden(kiosk), timeout=5000)  # in service: the tiles are there
    assert [p for p in state.glob("journal.sqlite3.damaged-*") if not p.name.endswith(("-wal", "-shm"))]


@pytest.fixture
def full_disk(tmp_path):
    """A 1 MB tmpfs with the state directory, filled to within 16 kB (the issue's reproduction: start-up died with
    8-40 kB free; this suite runs as root)."""
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1M,mode=0700", "tmpfs", str(mount)], check=True)
    try:
        (mount / "state").mkdir(mode=0o700)
        fd = os.open(mount / "filler", os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            while True:
                os.write(fd, bytes(4096))
        except OSError:
            pass
        finally:
            os.close(fd)
        os.truncate(mount / "filler", os.stat(mount / "filler").st_size - 16 * 1024)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_kiosk_run_on_a_full_disk_comes_up_out_of_service_without_a_traceback(full_disk, tmp_path):
    """`kiosk run` as a process, on a state directory on a full disk: it stays up (no restart loop), logs why,
    and `kiosk doctor` says what is wrong."""
    config = tmp_path / "kiosk.toml"
    base = (REPO / "config" / "simulated.toml").read_text(encoding="utf-8")
    config.write_text(base.replace('state_dir = "var"', f'state_dir = "{full_disk / "state"}"'), encoding="utf-8")
    for name in ("policy.toml", "demo_people.toml"):
        (tmp_path / name).symlink_to(REPO / "config" / name)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--config", str(config)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while not any("recovery not run" in line for line in lines) and time.monotonic() < deadline:
            assert process.poll() is None, "".join(lines)  # it must not die at start-up
            time.sleep(0.05)
        assert process.poll() is None, "".join(lines)  # up, the window shown, waiting: no restart loop
    finally:
        process.terminate()
        process.wait(timeout=30)
        reader.join(timeout=10)
    output = "".join(lines)
    assert "Traceback" not in output, output
    assert "out of service (journal)" in output and "database or disk is full" in output, output
    assert "recovery not run" in output, output
    # The doctor line for the technician.
    from kiosk.cli.doctor import FAIL, check_state_dir
    from kiosk.config import load_config

    result, detail = check_state_dir(load_config(config))
    assert result == FAIL and "the payment journal needs room" in detail


def test_a_journal_that_lost_what_the_fee_system_holds_starts_out_of_service(make_kiosk, tmp_path, qtbot):
    """The journal and its watermark both replaced (nothing on disk says records went): the fee system's record
    of this terminal's payments finds it out at start-up."""
    from kiosk.payments.journal_open import open_kiosk_journal
    from kiosk.payments.qr import QrPayments
    from kiosk.state import resolve_config
    from recovery_fixtures import clock, open_fee_system

    state = tmp_path / "state"
    fee = open_fee_system(state)
    opened = open_kiosk_journal(resolve_config(state_dir=state), clock)
    payments = QrPayments(opened.journal, fee)
    quote = fee.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G02")
    order = payments.open(quote, PayMethod.ALIPAY, RESIDENT)
    fee.simulate_qr_payment(order.order.order_no)
    payments.settle_paid(order.entry)
    opened.close()
    fee.close()
    for name in ("journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm", "journal.watermark"):
        (state / name).unlink(missing_ok=True)
    (tmp_path / "state-copy" / "journal.sqlite3").unlink()

    kiosk = make_kiosk()
    qtbot.waitUntil(lambda: kiosk.ctx.health.has(ProblemKind.JOURNAL), timeout=8000)
    assert "the journal has lost records" in kiosk.ctx.health.problems()[0].detail
    qtbot.waitUntil(lambda: tiles_hidden(kiosk), timeout=5000)
    no_money(kiosk)
