"""The application as a kiosk: start-up recovery, a window that cannot be closed in a hall, one instance only."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent

from conftest import CONFIG_DIR, NOW
from kiosk.config import load_config
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.payments.journal import Journal, PaymentState
from kiosk.payments.qr import QrPayments
from kiosk.single_instance import acquire_or_exit_message
from parties.feesystem.embedded import EmbeddedFeeSystem

RESIDENT = "370103197003224422"


def test_start_up_recovery_posts_a_payment_left_paid_by_a_power_cut(make_kiosk, qtbot, tmp_path):
    config = load_config(CONFIG_DIR / "simulated.toml").with_overrides({"paths.state_dir": str(tmp_path / "state")})
    state = config.state_dir
    state.mkdir(parents=True)
    fee_system = EmbeddedFeeSystem(
        state / "feesystem.sqlite3", CONFIG_DIR / "policy.toml", CONFIG_DIR / "demo_people.toml", clock=lambda: NOW
    )
    journal = Journal(state / "journal.sqlite3", config["terminal.id"], clock=lambda: NOW)
    quote = fee_system.quote_resident(RESIDENT, InsuredItem.RESIDENT_PENSION, 2026, "G01")
    opened = QrPayments(journal, fee_system).open(quote, PayMethod.ALIPAY, RESIDENT)
    fee_system.simulate_qr_payment(opened.order.order_no)  # the phone paid; then the power went
    journal.close()
    fee_system.close()

    kiosk = make_kiosk()
    qtbot.waitUntil(lambda: kiosk.ctx.journal.get(opened.entry.journal_no).state is PaymentState.DONE, timeout=8000)
    assert len(kiosk.ctx.fee_system.payment_records(RESIDENT)) == 1


def test_full_screen_window_ignores_close(make_kiosk):
    kiosk = make_kiosk(**{"display.fullscreen": True})
    event = QCloseEvent()
    kiosk.window.closeEvent(event)
    assert not event.isAccepted()
    windowed = make_kiosk()
    event = QCloseEvent()
    windowed.window.closeEvent(event)
    assert event.isAccepted()


def test_one_instance_only(tmp_path):
    first, _ = acquire_or_exit_message(tmp_path)
    assert first is not None
    second, message = acquire_or_exit_message(tmp_path)
    assert second is None and "already running" in message
    first.release()
