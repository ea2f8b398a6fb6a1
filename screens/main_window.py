"""The kiosk's one window: header (hall, step, clock), the current screen, footer (back, home, countdown)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import ModuleType

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QInputEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk.context import KioskContext
from kiosk.domain.money import format_fen
from kiosk.flow import STEP_TITLES, Step
from kiosk.verification import serves_for_real
from screens.appearance import Appearance
from screens.base import Screen, translate
from screens.long_press import LongPress
from screens.still_there import StillThereOverlay
from screens.style import px
from screens.widgets import button, label


# Each screens module, imported when first asked for: plain imports inside functions, so that import-linter sees
# them (docs/architecture.md) and the kiosk's first frame waits for the first screen's module only.
def _home() -> ModuleType:
    from screens import home

    return home


def _menu() -> ModuleType:
    from screens import menu

    return menu


def _login() -> ModuleType:
    from screens import login

    return login


def _items() -> ModuleType:
    from screens import items

    return items


def _resident() -> ModuleType:
    from screens import resident

    return resident


def _pay_method() -> ModuleType:
    from screens import pay_method

    return pay_method


def _flexible() -> ModuleType:
    from screens import flexible

    return flexible


def _medical() -> ModuleType:
    from screens import medical

    return medical


def _special() -> ModuleType:
    from screens import special

    return special


def _arrears() -> ModuleType:
    from screens import arrears

    return arrears


def _receipt_warning() -> ModuleType:
    from screens import receipt_warning

    return receipt_warning


def _qr_pay() -> ModuleType:
    from screens import qr_pay

    return qr_pay


def _card_pay() -> ModuleType:
    from screens import card_pay

    return card_pay


def _result() -> ModuleType:
    from screens import result

    return result


def _query() -> ModuleType:
    from screens import query

    return query


def _proxy() -> ModuleType:
    from screens import proxy

    return proxy


def _basket() -> ModuleType:
    from screens import basket

    return basket


def _basket_card() -> ModuleType:
    from screens import basket_card

    return basket_card


def _household() -> ModuleType:
    from screens import household

    return household


def _certificates() -> ModuleType:
    from screens import certificates

    return certificates


# Step -> (its screen's module, the class in it). Only the first screen is imported and built before the first
# frame; the others right after it, one per turn of the event loop, or when first needed if that comes sooner: a
# citizen never waits for them, and the kiosk's first frame does not wait for 28 screens nobody sees yet
# (docs/performance.md).
SCREEN_CLASSES: dict[Step, tuple[Callable[[], ModuleType], str]] = {
    Step.HOME: (_home, "HomeScreen"),
    Step.MENU: (_menu, "MenuScreen"),
    Step.LOGIN: (_login, "LoginScreen"),
    Step.ITEMS: (_items, "ItemsScreen"),
    Step.RESIDENT_YEAR: (_resident, "ResidentYearScreen"),
    Step.PAY_METHOD: (_pay_method, "PayMethodScreen"),
    Step.GRADE: (_resident, "GradeScreen"),
    Step.FLEX_PERIOD: (_flexible, "FlexiblePeriodScreen"),
    Step.FLEX_BASE: (_flexible, "FlexibleBaseScreen"),
    Step.FLEX_REVIEW: (_flexible, "FlexibleReviewScreen"),
    Step.MED_BINDING: (_medical, "MedicalBindingScreen"),
    Step.MED_PERIOD: (_medical, "MedicalPeriodScreen"),
    Step.MED_METHOD: (_medical, "MedicalMethodScreen"),
    Step.MED_BASE: (_medical, "MedicalBaseScreen"),
    Step.MED_ITEMS: (_medical, "MedicalItemsScreen"),
    Step.SPECIAL_BILLS: (_special, "SpecialBillsScreen"),
    Step.ARREARS_AGENCY: (_arrears, "ArrearsAgencyScreen"),
    Step.ARREARS_BILLS: (_arrears, "ArrearsBillsScreen"),
    Step.CHECKOUT_METHOD: (_pay_method, "CheckoutMethodScreen"),
    Step.RECEIPT_WARNING: (_receipt_warning, "ReceiptWarningScreen"),
    Step.QR_PAY: (_qr_pay, "QrPayScreen"),
    Step.CARD_PAY: (_card_pay, "CardPayScreen"),
    Step.RESULT: (_result, "ResultScreen"),
    Step.QUERY: (_query, "QueryScreen"),
    Step.PROXY_ID: (_proxy, "ProxyIdScreen"),
    Step.PROXY_CONFIRM: (_proxy, "ProxyConfirmScreen"),
    Step.CERT_MENU: (_certificates, "CertificateMenuScreen"),
    Step.TAX_CERT: (_certificates, "TaxCertificateScreen"),
    Step.PAY_CERT: (_certificates, "PaymentCertificateScreen"),
    Step.CERT_ISSUED: (_certificates, "IssuedCertificatesScreen"),
    Step.CERT_PREVIEW: (_certificates, "CertificatePreviewScreen"),
    Step.CERT_DONE: (_certificates, "CertificateDoneScreen"),
    Step.BASKET: (_basket, "BasketScreen"),
    Step.HOUSEHOLD: (_household, "HouseholdScreen"),
    Step.BASKET_QR: (_basket, "BasketQrScreen"),
    Step.BASKET_DONE: (_basket, "BasketDoneScreen"),
    Step.BASKET_CARD: (_basket_card, "BasketCardScreen"),
}


def screen_class(step: Step) -> type[Screen]:
    module, class_name = SCREEN_CLASSES[step]
    return getattr(module(), class_name)


class ScreenTable(Mapping[Step, Screen]):
    """Every step's screen, built the first time it is asked for; iterating builds them all."""

    def __init__(self, build: Callable[[Step], Screen]) -> None:
        self._build = build
        self._built: dict[Step, Screen] = {}

    def __getitem__(self, step: Step) -> Screen:
        if step not in self._built:
            self._built[step] = self._build(step)
        return self._built[step]

    def __iter__(self) -> Iterator[Step]:
        return iter(SCREEN_CLASSES)

    def __len__(self) -> int:
        return len(SCREEN_CLASSES)

    def built(self) -> list[Screen]:
        return list(self._built.values())

    def next_unbuilt(self) -> Step | None:
        return next((step for step in SCREEN_CLASSES if step not in self._built), None)


MAINTENANCE_HOLD_SECONDS = 5.0
# Screens that say the amount before their prompt ("应缴金额" + the number clips, docs/voice.md).
AMOUNT_SPOKEN_ON = frozenset({Step.QR_PAY, Step.CARD_PAY})


class KioskWindow(QWidget):
    maintenance_requested = Signal()  # the hidden gesture on Home: a 5-second press on the hall's name
    hear_again = Signal()  # 再听一遍: the voice says the current prompt again
    first_frame = Signal()  # the first paint: what can wait (the voice's audio check) starts after it

    def __init__(self, ctx: KioskContext, appearance: Appearance | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.appearance = appearance
        self.allow_close = False
        self.setObjectName("KioskWindow")
        self.setWindowTitle(self.tr("Social insurance fee kiosk"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._header())
        # A proxy payment names the person paid for on every screen after the confirmation (issue 21 item 9).
        self.payee_banner = label("", "PayeeBanner")
        self.payee_banner.setVisible(False)
        layout.addWidget(self.payee_banner)
        self.stack = QStackedWidget()
        self.stack.setObjectName("ScreenStack")
        layout.addWidget(self.stack, 1)
        layout.addWidget(self._footer())
        self.screens = ScreenTable(self._build_screen)
        self.overlay = StillThereOverlay(self, ctx.scale)
        self.overlay.stay.connect(self._restart_countdown)
        self.overlay.gone.connect(lambda: ctx.flow.end_session("timeout"))
        # While "still there?" counts, the footer counts the same seconds (the dialog's, not the screen's).
        self.overlay.timer.timeout.connect(lambda: self._show_countdown(self.overlay.remaining))
        ctx.flow.changed.connect(self.show_step)
        ctx.flow.session_ended.connect(self.forget_session)
        ctx.countdown.tick.connect(self._show_countdown)
        ctx.countdown.expired.connect(self._countdown_expired)
        self.clock_timer = QTimer(self)
        self.clock_timer.timeout.connect(self._update_clock)
        self.clock_timer.start(1000)
        self._update_clock()
        # The window's own timer: it dies with the window, so a window closed early leaves nothing queued behind.
        self._warm_up = QTimer(self)
        self._warm_up.setSingleShot(True)
        self._warm_up.setInterval(0)
        self._warm_up.timeout.connect(self._build_next_screen)
        self._first_paint_seen = False
        self.show_step(ctx.flow.step.value, ctx.flow.step.value)

    def _build_screen(self, step: Step) -> Screen:
        screen = screen_class(step)(self.ctx)
        self.stack.addWidget(screen)
        return screen

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Paint and not self._first_paint_seen:
            self._first_paint_seen = True
            self._warm_up.start()
            self.first_frame.emit()
        return handled

    def _build_next_screen(self) -> None:
        """After the first frame: the screens not built yet, one per turn, so a tap is never kept waiting long."""
        step = self.screens.next_unbuilt()
        if step is not None:
            self.screens[step]
            self._warm_up.start()

    # --- frame ------------------------------------------------------------------------------------------

    def _header(self) -> QFrame:
        header = QFrame()
        header.setObjectName("Header")
        row = QHBoxLayout(header)
        row.setContentsMargins(px(40, self.ctx.scale), 0, px(40, self.ctx.scale), 0)
        self.hall = label(self.ctx.config["terminal.hall_name"], "HallName", wrap=True, center=False)
        self.step_title = label("", "StepTitle", wrap=False)
        self.clock = label("", "Clock", wrap=False)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.hall, 3)
        # Hidden on purpose: only technicians know it; it works on Home only, with no customer session open.
        self._maintenance_gesture = LongPress(self.hall, MAINTENANCE_HOLD_SECONDS, self._maintenance_gesture_held)
        row.addWidget(self.step_title, 1)  # short words: the hall's long name keeps one line beside 演示
        # 演示: a kiosk on simulated devices or the embedded fee system says so on every screen (DESIGN.md §7).
        self.demo_mark = label(self.tr("DEMO"), "DemoMark", wrap=False)
        self.demo_mark.setVisible(not serves_for_real(self.ctx.config))
        row.addWidget(self.demo_mark)
        row.addWidget(self.clock, 1)
        return header

    def _footer(self) -> QFrame:
        footer = QFrame()
        footer.setObjectName("Footer")
        row = QHBoxLayout(footer)
        row.setContentsMargins(px(40, self.ctx.scale), 0, px(40, self.ctx.scale), 0)
        self.back_button = button(self.tr("Back"), "nav", "back")
        self.back_button.clicked.connect(self.ctx.flow.back)
        self.home_button = button(self.tr("Home"), "nav", "home")
        self.home_button.clicked.connect(lambda: self.ctx.flow.end_session("home"))
        self.countdown = label("", "Countdown", wrap=False)
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # On every screen: an older citizen who missed the prompt hears it again (DESIGN.md §7).
        self.hear_again_button = button(self.tr("Hear again"), "nav", "hear_again")
        self.hear_again_button.clicked.connect(self.hear_again)
        row.addWidget(self.back_button)
        row.addSpacing(px(30, self.ctx.scale))
        row.addWidget(self.home_button)
        row.addStretch(1)
        row.addWidget(self.hear_again_button)
        self.preference_buttons = self._preference_buttons()
        for preference in self.preference_buttons:
            row.addWidget(preference)
        row.addWidget(self.countdown)
        return footer

    def _preference_buttons(self) -> list[QPushButton]:
        """On Home: large text, high contrast, the other language (the next citizen gets the defaults back)."""
        appearance = self.appearance
        if appearance is None:
            return []
        large = button(self.tr("Large text"), "nav", "toggle_large_text")
        large.setCheckable(True)
        large.setChecked(appearance.large_text)
        large.toggled.connect(appearance.set_large_text)
        contrast = button(self.tr("High contrast"), "nav", "toggle_contrast")
        contrast.setCheckable(True)
        contrast.setChecked(appearance.high_contrast)
        contrast.toggled.connect(appearance.set_high_contrast)
        # The other language's name, in that language: whoever needs it can read it.
        language = button("English" if appearance.language != "en" else "中文", "nav", "toggle_language")
        language.clicked.connect(lambda: QTimer.singleShot(0, appearance.toggle_language))
        appearance.changed.connect(self._sync_preferences)
        # Louder/quieter for this citizen only; the prompt is said again at the new volume.
        quieter = button(self.tr("Quieter"), "nav", "voice_quieter")
        quieter.clicked.connect(lambda: (appearance.quieter(), self.hear_again.emit()))
        louder = button(self.tr("Louder"), "nav", "voice_louder")
        louder.clicked.connect(lambda: (appearance.louder(), self.hear_again.emit()))
        return [large, contrast, language, quieter, louder]

    def _sync_preferences(self) -> None:
        if self.appearance and self.preference_buttons:
            large, contrast = self.preference_buttons[:2]
            large.setChecked(self.appearance.large_text)
            contrast.setChecked(self.appearance.high_contrast)

    def retire(self) -> None:
        """This window is being replaced (language change): let go of the shared flow and countdown."""
        for signal, slot in (
            (self.ctx.flow.changed, self.show_step),
            (self.ctx.flow.session_ended, self.forget_session),
            (self.ctx.countdown.tick, self._show_countdown),
            (self.ctx.countdown.expired, self._countdown_expired),
        ):
            signal.disconnect(slot)
        if self.appearance:
            self.appearance.changed.disconnect(self._sync_preferences)
        self.current.on_leave()

    def _update_clock(self) -> None:
        now = self.ctx.clock()  # no year: the header has room for the hall's name on one line and 演示
        self.clock.setText(self.tr("{month}/{day} {time}").format(month=now.month, day=now.day, time=f"{now:%H:%M}"))

    # --- steps ------------------------------------------------------------------------------------------

    @property
    def current(self) -> Screen:
        return self.screens[self.ctx.flow.step]

    def show_step(self, step: str, previous: str) -> None:
        old = self.stack.currentWidget()
        new = self.screens[Step(step)]
        if isinstance(old, Screen) and old is not new:
            old.on_leave()
        self.overlay.dismiss()
        self.step_title.setText(translate("Flow", STEP_TITLES[new.step]))
        self._show_payee(new.step)
        at_home = new.step is Step.HOME
        # Hide before showing: with back and home beside Home's preference buttons the footer is wider than the
        # screen for a moment, and a window grown once never shrinks back (the pictures came out 2384 px wide).
        if at_home:
            self.countdown.setText("")  # Home has no countdown; its preference buttons need the room
        footer = [(self.back_button, self.ctx.flow.can_go_back()), (self.home_button, not at_home)]
        footer += [(preference, at_home) for preference in self.preference_buttons]
        for widget, visible in sorted(footer, key=lambda pair: pair[1]):
            widget.setVisible(visible)
        new.on_enter()
        self.stack.setCurrentWidget(new)
        self._restart_countdown()
        self.ctx.speak(self._spoken_prompt(new))

    def _show_payee(self, step: Step) -> None:
        payee = self.ctx.session.payee
        shown = payee is not None and step not in (Step.HOME, Step.PROXY_ID, Step.PROXY_CONFIRM)
        self.payee_banner.setVisible(shown)
        if shown:
            text = self.tr("For someone else: {name} ({id_number})").format(
                name=payee.masked_name, id_number=payee.masked_id
            )
            self.payee_banner.setText(text)

    def _spoken_prompt(self, screen: Screen) -> str:
        quote = self.ctx.session.quote if screen.step in AMOUNT_SPOKEN_ON else None
        if quote is None:
            return screen.voice_prompt()
        amount = self.tr("Amount due: {amount}.").format(amount=format_fen(quote.amount_fen))
        return f"{amount} {screen.voice_prompt()}"

    def _maintenance_gesture_held(self) -> None:
        if self.ctx.flow.step is Step.HOME:
            self.maintenance_requested.emit()

    def forget_session(self, _reason: str) -> None:
        for screen in self.screens.built():
            screen.forget()

    def _restart_countdown(self) -> None:
        seconds = self.current.countdown_seconds()
        if seconds is None:
            self.ctx.countdown.stop()
            self.countdown.setText("")
        else:
            self.ctx.countdown.start(seconds)

    def _show_countdown(self, seconds: int) -> None:
        self.countdown.setText(self.tr("{seconds} s left").format(seconds=seconds))

    def _countdown_expired(self) -> None:
        handler = getattr(self.current, "on_countdown_expired", None)
        if handler and handler():
            return
        self.overlay.ask(self.ctx.config["timeouts.still_there_seconds"])
        self._show_countdown(self.overlay.remaining)
        # Said once, with the seconds it starts from: no ticking voice (docs/voice.md). A tap on it stops it.
        still_there = self.tr("Are you still there? To continue, tap Yes, continue. Time left: {seconds} seconds.")
        self.ctx.speak(still_there.format(seconds=self.overlay.remaining))

    def closeEvent(self, event) -> None:
        """In a hall (full screen) the window cannot be closed: not by Alt+F4, not by a window manager. Only the
        application (and later maintenance mode) closes it."""
        if self.ctx.config["display.fullscreen"] and not self.allow_close:
            event.ignore()
            return
        super().closeEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.overlay.isVisible():
            self.overlay.setGeometry(self.rect())


# The events that mean a person is there. The filter sees every event of the application (tens of thousands a
# minute): one set lookup, not a new tuple of enum members each time.
_PRESENCE_EVENTS = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress})


class TouchActivity(QObject):
    """Any touch or click anywhere restarts the countdown: the person is still there."""

    def __init__(self, ctx: KioskContext, appearance: Appearance | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.appearance = appearance

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # isinstance first: asking any event its type() costs a wrapped enum, and nearly every event is no input.
        if isinstance(event, QInputEvent) and event.type() in _PRESENCE_EVENTS:
            self.ctx.countdown.restart()
        return False
