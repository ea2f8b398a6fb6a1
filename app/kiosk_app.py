"""The running kiosk, built from its configuration: fonts, translations, stylesheet, the application's services
(``compose_context``: the simulated world's stand-ins for the parts the configuration calls simulated, the fee
system, and kiosk.application.build_context on them), the window, idle recovery, maintenance mode, and the simulator
panel on simulated hardware; and the process around it (``run``: one kiosk per machine, systemd's watchdog, how a
technician's exit ends it). The composition root of docs/architecture.md: screens/ holds only widgets, and kiosk/
starts none of the simulators nor the other parties' systems (parties/)."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from app.harness.world import SIMULATION
from kiosk.application import build_context, build_fee_system, shutdown
from kiosk.background import RecoveryScheduler
from kiosk.config import KioskConfig
from kiosk.context import KioskContext
from kiosk.feesystem.api import ClosableFeeSystem
from kiosk.fonts import MissingCjkFont, check_cjk_font
from kiosk.i18n import install_translators
from kiosk.payments.journal import describe
from kiosk.payments.journal_open import state_dir_problem
from kiosk.service_health import ProblemKind
from kiosk.simulated import StandIns, provide_simulated_world, simulated_parts
from kiosk.single_instance import acquire_or_exit_message
from kiosk.update_gate import POLL_MS, UpdateGate, Verdict, discard_applied, idle_blockers
from kiosk.verification import signing_key_problem
from kiosk.voice import Voice
from kiosk.watchdog import SystemdNotifier
from screens.appearance import Appearance
from screens.main_window import KioskWindow, TouchActivity
from screens.style import scale_for, stylesheet

log = logging.getLogger(__name__)

# How the application ends when a technician asks (maintenance mode). The systemd unit restarts the kiosk after
# any exit (Restart=always); run() restarts it itself when nothing supervises it, and asks systemd to power off.
EXIT_TO_DESKTOP = 0
EXIT_RESTART = 75
EXIT_SHUTDOWN = 76


class KioskApp:
    """The running kiosk: its QApplication, context, window (and the simulator panel on simulated hardware)."""

    def __init__(self, config: KioskConfig, app: QApplication, **context_options) -> None:
        self.config = config
        self.app = app
        self.translators = install_translators(app, config["terminal.language"])
        family = check_cjk_font()
        font = app.font()
        font.setFamily(family)
        app.setFont(font)
        width, height = config["display.width"], config["display.height"]
        if config["display.fullscreen"] and QGuiApplication.primaryScreen():
            size = QGuiApplication.primaryScreen().size()
            width, height = size.width(), size.height()
        self.size = (width, height)
        self.scale = scale_for(width, height, config["display.font_scale"])
        self.appearance = Appearance(config["terminal.language"])
        self.apply_style()
        provide_simulated_world(SIMULATION)  # for kiosk/'s own openers: maintenance mode's A4 test page
        self.ctx, self.stand_ins = compose_context(config, app, scale=self.scale, **context_options)
        self.voice = Voice(
            enabled=QGuiApplication.platformName() != "offscreen",
            locale_name=config["terminal.language"],
            override_dir=config.state_dir / "voice",  # a bureau's recordings (docs/voice.md)
            volume_file=config.state_dir / "voice_volume.json",
        )
        self.voice.defer_output_check()  # the audio check waits for the first frame (docs/voice.md)
        self.ctx.speak = self.voice.say
        self.appearance.volume_changed.connect(self.voice.set_citizen_step)
        self.activity = TouchActivity(self.ctx)
        app.installEventFilter(self.activity)
        self.window = KioskWindow(self.ctx, self.appearance)
        self.window.resize(width, height)
        self.window.maintenance_requested.connect(self.open_maintenance)
        self.window.hear_again.connect(self.voice.replay)
        self.window.overlay.stay.connect(self.voice.stop)  # "still there?" answered: its prompt stops
        self.window.first_frame.connect(lambda: QTimer.singleShot(0, self.voice.check_output))
        self.maintenance = None
        self.appearance.changed.connect(self.apply_style)
        self.appearance.language_changed.connect(self.set_language)
        # The next citizen starts from the hall's defaults (queued: not in the middle of the session's end).
        self.ctx.flow.session_ended.connect(lambda _reason: QTimer.singleShot(0, self.appearance.reset))
        if config["display.hide_cursor"]:
            app.setOverrideCursor(Qt.CursorShape.BlankCursor)
        self.recovery = RecoveryScheduler(self.ctx)
        # A version installed under the running kiosk waits until it is idle, then restarts it (docs/packaging.md).
        discard_applied(config.state_dir)
        self.update_gate = UpdateGate(config.state_dir, self.ctx.clock)
        self.update_timer = QTimer(app)
        self.update_timer.timeout.connect(self.restart_if_update_waits)
        self.panel = None
        self.closed = False

    def restart_if_update_waits(self) -> None:
        blockers = functools.partial(
            idle_blockers,
            self.ctx.flow,
            self.ctx.session,
            self.ctx.journal,
            recovering=self.recovery.running,
            maintenance=self.maintenance is not None,
        )
        if (decision := self.update_gate.poll(blockers)).verdict is Verdict.RESTART:
            log.warning("restarting into version %s now that the kiosk is idle", decision.version)
            self.update_timer.stop()
            self.app.exit(EXIT_RESTART)

    def apply_style(self) -> None:
        self.app.setStyleSheet(stylesheet(self.scale, self.appearance.large_text, self.appearance.high_contrast))

    def set_language(self, language: str) -> None:
        """Swap the translators and build the window again: every screen's text is set when it is built."""
        for translator in self.translators:
            self.app.removeTranslator(translator)
        self.translators = install_translators(self.app, language)
        self.voice.locale_name = language
        old = self.window
        self.window = KioskWindow(self.ctx, self.appearance)
        self.window.maintenance_requested.connect(self.open_maintenance)
        self.window.hear_again.connect(self.voice.replay)
        self.window.overlay.stay.connect(self.voice.stop)
        self.window.setGeometry(old.geometry())
        if old.isFullScreen():
            self.window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            self.window.showFullScreen()
        elif old.isVisible():
            self.window.show()
        old.allow_close = True
        old.retire()
        old.close()
        old.deleteLater()

    def open_maintenance(self) -> None:
        """The technician's tool, over the kiosk window; the kiosk takes no citizen while it is open."""
        from screens.maintenance import open_maintenance

        self.recovery.stop()
        self.maintenance = open_maintenance(self.ctx, self.window, voice=self.voice)  # the hall volume: devices page
        self.maintenance.ended.connect(self.maintenance_ended)
        self.maintenance.restart_requested.connect(lambda: self.app.exit(EXIT_RESTART))
        self.maintenance.shutdown_requested.connect(lambda: self.app.exit(EXIT_SHUTDOWN))
        self.maintenance.exit_to_desktop_requested.connect(lambda: self.app.exit(EXIT_TO_DESKTOP))

    def maintenance_ended(self) -> None:
        self.maintenance = None
        if self.closed:  # the kiosk closing closed maintenance too: nothing to hand back to
            return
        self.recovery.start()
        self.window.raise_()
        self.window.activateWindow()

    def show(self, with_panel: bool = True) -> None:
        if self.config["display.fullscreen"]:
            self.window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            self.window.showFullScreen()
        else:
            self.window.show()
        self.recovery.start()
        self.update_timer.start(POLL_MS)
        if with_panel and self.ctx.devices.simulators:
            from app.harness.sim_panel import show_simulator_panel

            show_simulator_panel(self)  # on the kiosk's own stand-ins (`kiosk run` on config/simulated.toml)

    def close(self) -> None:
        """Close and delete the kiosk's windows, then stop its services. Deleted at once: a process that starts
        kiosks one after another (the harness, the tests) would otherwise restyle every earlier window with each
        later kiosk's stylesheet (0.1 s more per kiosk already run). Closing twice does nothing more."""
        if self.closed:
            return
        self.closed = True
        self.recovery.stop()
        self.update_timer.stop()
        self.window.allow_close = True
        for window in (self.maintenance, self.panel, self.window):
            if window is not None:
                window.close()
                window.deleteLater()
        self.maintenance = self.panel = None
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.app.removeEventFilter(self.activity)
        for translator in self.translators:
            self.app.removeTranslator(translator)
        shutdown(self.ctx)
        if self.stand_ins is not None:
            self.stand_ins.stop()


def compose_context(
    config: KioskConfig,
    parent: QApplication,
    clock: Callable[[], dt.datetime] = dt.datetime.now,
    scale: float = 1.0,
) -> tuple[KioskContext, StandIns | None]:
    """The kiosk's services and the simulators they run on. The simulated world (app/harness/world.py) starts a
    simulator for each part the configuration calls simulated (devices, bank host) and builds the embedded fee
    system when it is one; the kiosk is handed both. The stand-ins are the caller's to stop, after the context's
    shutdown (KioskApp.close)."""
    with contextlib.suppress(OSError):  # an unwritable state directory is reported by the journal's opening
        config.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        stand_ins, fee_system = _start_other_parties(config, clock)
        problem = None
    except (OSError, sqlite3.Error) as error:
        # The simulated parties keep their files in the state directory; on a full disk or an unwritable one they
        # run from a scratch directory instead, so that the kiosk comes up to say it is out of service.
        problem = f"the simulators cannot keep their files in {config.state_dir}: {describe(error)}"
        log.error("%s; they run from a scratch directory, the kiosk takes no money", problem)
        scratch = tempfile.mkdtemp(prefix="kiosk-scratch-")
        atexit.register(shutil.rmtree, scratch, True)
        stand_ins, fee_system = _start_other_parties(config.with_overrides({"paths.state_dir": scratch}), clock)
    try:
        ctx = build_context(config, parent, clock, scale, fee_system=fee_system, stand_ins=stand_ins)
    except BaseException:
        fee_system.close()
        if stand_ins is not None:
            stand_ins.stop()
        raise
    ctx.receipts.reprint_listeners.append(ctx.fee_system.record_receipt_reprint)  # the page's 补打 count
    if problem is not None:
        ctx.health.report(ProblemKind.STATE_DIR, problem)
    if key_problem := signing_key_problem(config):  # real mode with a demo or placeholder key: forgeable codes
        ctx.health.report(ProblemKind.SIGNING_KEY, key_problem)
    return ctx, stand_ins


def _start_other_parties(
    config: KioskConfig, clock: Callable[[], dt.datetime]
) -> tuple[StandIns | None, ClosableFeeSystem]:
    parts = simulated_parts(config)
    stand_ins = SIMULATION.start_stand_ins(config, parts) if parts else None
    try:
        return stand_ins, build_fee_system(config, clock, SIMULATION)
    except BaseException:
        if stand_ins is not None:
            stand_ins.stop()
        raise


def run(config: KioskConfig) -> int:
    # One kiosk per machine: a second one would fight the first over the devices.
    lock, message = acquire_or_exit_message(config.state_dir)
    if lock is None and state_dir_problem(config):  # the kiosk still comes up to say so: lock the runtime dir
        lock, message = acquire_or_exit_message(None)
    if lock is None:
        print(message, file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("sifee-kiosk")
    try:
        kiosk = KioskApp(config, app)
    except MissingCjkFont as error:
        QMessageBox.critical(None, "sifee-kiosk", str(error))
        print(f"kiosk: {error}", file=sys.stderr)
        return 3
    kiosk.show()
    # systemd's watchdog is fed from the GUI thread: a frozen GUI stops the pings and gets the kiosk restarted.
    notifier = SystemdNotifier()
    notifier.ready("kiosk up")
    if (interval := notifier.ping_interval_ms) is not None:
        ping = QTimer(app)
        ping.timeout.connect(notifier.ping)
        ping.start(interval)
    try:
        code = app.exec()
    finally:
        notifier.stopping()
        notifier.close()
        kiosk.close()
        lock.release()
    return finish(code)


def finish(code: int) -> int:
    """Act on how a technician ended the application."""
    if code == EXIT_SHUTDOWN and shutil.which("systemctl"):
        subprocess.run(["systemctl", "poweroff"], check=False, timeout=30)
    elif code == EXIT_RESTART and not os.environ.get("INVOCATION_ID"):  # no systemd to restart us: do it ourselves
        os.execv(sys.executable, [sys.executable, "-m", "kiosk", *sys.argv[1:]])
    return code
