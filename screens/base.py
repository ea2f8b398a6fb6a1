"""What every screen shares: the kiosk context, entering and leaving, firing flow events."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from drivers.base import QT_TRANSLATE_NOOP
from kiosk.context import KioskContext
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import FeeSystemError
from kiosk.flow import FlowEvent, Step
from screens.style import px
from screens.widgets import label


def translate(context: str, text: str) -> str:
    """Translate a string marked in kiosk/ or drivers/ with QT_TRANSLATE_NOOP."""
    return QCoreApplication.translate(context, text)


def fee_error_text(error: Exception) -> str:
    """What the citizen reads when a fee-system call failed: its own words, or the general one."""
    message = error.citizen_message if isinstance(error, FeeSystemError) else FeeSystemError.citizen_message
    return translate("FeeSystem", message)


# Dates as citizens read them (2026年9月, 2025年; DESIGN.md §7); logs keep ISO. English keeps the ISO shapes.
MONTH_TEXT = QT_TRANSLATE_NOOP("Dates", "{year}-{month:02d}")
YEAR_TEXT = QT_TRANSLATE_NOOP("Dates", "Year {year}")
DAY_TEXT = QT_TRANSLATE_NOOP("Dates", "{year}-{month:02d}-{day:02d}")
RANGE_TEXT = QT_TRANSLATE_NOOP("Dates", "{start} to {end}")
CHOSEN_WORD = QT_TRANSLATE_NOOP("Choice", "Chosen")


def month_text(month: YearMonth) -> str:
    return translate("Dates", MONTH_TEXT).format(year=month.year, month=month.month)


def day_text(day: dt.date) -> str:
    return translate("Dates", DAY_TEXT).format(year=day.year, month=day.month, day=day.day)


def period_text(period: Period) -> str:
    """One month, a whole year, or "from to"."""
    if period.months == 1:
        return month_text(period.start)
    if period.start.month == 1 and period.end.month == 12:
        first = translate("Dates", YEAR_TEXT).format(year=period.start.year)
        if period.start.year == period.end.year:
            return first
        return translate("Dates", RANGE_TEXT).format(
            start=first, end=translate("Dates", YEAR_TEXT).format(year=period.end.year)
        )
    return translate("Dates", RANGE_TEXT).format(start=month_text(period.start), end=month_text(period.end))


def chosen_text(text: str, chosen: bool, one_line: bool = False) -> str:
    """A choice's text with a tick and the word 已选 when chosen: never a border or colour alone (DESIGN.md §7).
    Two lines, so that a row of choices keeps one height; or one line where the height is needed."""
    if one_line:
        return f"✓ {text} {translate('Choice', CHOSEN_WORD)}" if chosen else text
    return f"{text}\n✓ {translate('Choice', CHOSEN_WORD)}" if chosen else f"{text}\n\u3000"


PAID_ITEM_PERIOD = QT_TRANSLATE_NOOP("Payment", "{item}, {period}")
PAID_AGENCY = QT_TRANSLATE_NOOP("Payment", "Social insurance agency: {agency}")


def what_is_paid(session) -> str:
    """What this payment pays, as the review and the card screen say it (the guide's 查询缴费信息): the bill or
    insurance, its period, the agency of a bill. Empty before anything is priced."""
    quote = session.quote
    if quote is None:
        return ""
    bill = session.bill if session.bill is not None and session.bill.bill_no == quote.bill_no else None
    what = bill.description if bill else translate("Domain", quote.item.label)
    lines = [translate("Payment", PAID_ITEM_PERIOD).format(item=what, period=period_text(quote.period))]
    if bill:
        lines.append(translate("Payment", PAID_AGENCY).format(agency=bill.agency))
    return "\n".join(lines)


class Screen(QWidget):
    step: Step

    def __init__(self, ctx: KioskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName(f"screen_{self.step.value}")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(px(80, ctx.scale), px(30, ctx.scale), px(80, ctx.scale), px(30, ctx.scale))
        self.layout_.setSpacing(px(24, ctx.scale))

    # --- life cycle -------------------------------------------------------------------------------------

    def on_enter(self) -> None:
        """Called each time the screen is shown: rebuild from the session."""

    def on_leave(self) -> None:
        """Called when another screen replaces this one."""

    def forget(self) -> None:
        """The session ended: drop whatever this screen keeps of the person (records, card data, typed text)."""

    def countdown_seconds(self) -> float | None:
        """How long this screen waits for a touch before asking "still there?"; None: no countdown."""
        return self.ctx.config["timeouts.screen_seconds"]

    def voice_prompt(self) -> str:
        """What the kiosk says when this screen appears (translated)."""
        return ""

    # --- helpers ----------------------------------------------------------------------------------------

    def fire(self, event: FlowEvent) -> None:
        self.ctx.flow.fire(event)

    def title(self, text: str) -> None:
        self.layout_.addWidget(label(text, "Title"))

    def beside(self, left: list[QWidget], right: QWidget) -> None:
        """Two columns: ``left`` stacked (text, entry, buttons) and ``right`` (a keypad) beside it."""
        body = QHBoxLayout()
        body.setSpacing(px(60, self.ctx.scale))
        body.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(px(24, self.ctx.scale))
        column.addStretch(1)
        for widget in left:
            column.addWidget(widget)
        column.addStretch(1)
        body.addLayout(column, 3)
        body.addWidget(right)
        body.addStretch(1)
        self.layout_.addLayout(body, 1)

    def row(self, *widgets: QWidget, spacing: int = 40) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(px(spacing, self.ctx.scale))
        row.addStretch(1)
        for widget in widgets:
            row.addWidget(widget)
        row.addStretch(1)
        self.layout_.addLayout(row)
        return row


def clear_layout(layout: QVBoxLayout | QHBoxLayout) -> None:
    """Remove and delete every widget and sub-layout (screens rebuild their choices on entry)."""
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().hide()  # until deleteLater runs, a stale button must be neither seen nor tapped
            item.widget().deleteLater()
        elif item.layout():
            clear_layout(item.layout())


class ButtonRow:
    """A centred row of widgets that a screen refills on each entry."""

    def __init__(self, screen: Screen, spacing: int = 40) -> None:
        self.layout = screen.row(spacing=spacing)

    def clear(self) -> None:
        clear_layout(self.layout)
        self.layout.addStretch(1)
        self.layout.addStretch(1)

    def add(self, widget: QWidget) -> None:
        self.layout.insertWidget(self.layout.count() - 1, widget)
