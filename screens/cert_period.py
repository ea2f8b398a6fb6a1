"""What the certificate and query screens share: dates as citizens read them, a from/to month choice by tap, and a
paged list of records with a tick box each (☑/☐ and the word 已选: never colour alone, DESIGN.md §7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.periods import Period, YearMonth
from screens.base import Screen, clear_layout, fee_error_text
from screens.style import px
from screens.widgets import busy_bar, button, label

ROWS_PER_PAGE = 6
YEARS_BACK = 10  # how far back the month choice goes (arrears bills reach years back)
TICKED, UNTICKED = "☑", "☐"


def month_label(month: YearMonth) -> str:
    return QCoreApplication.translate("Dates", "{year}-{month:02d}").format(year=month.year, month=month.month)


def period_label(period: Period) -> str:
    if period.start == period.end:
        return month_label(period.start)
    return QCoreApplication.translate("Dates", "{start} to {end}").format(
        start=month_label(period.start), end=month_label(period.end)
    )


def day_label(day: dt.date) -> str:
    return QCoreApplication.translate("Dates", "{year}-{month:02d}-{day:02d}").format(
        year=day.year, month=day.month, day=day.day
    )


def year_label(year: int) -> str:
    return QCoreApplication.translate("Dates", "Year {year}").format(year=year)


def tick_text(ticked: bool, text: str) -> str:
    """The tick box and 已选/未选 before the text of a choice."""
    mark = (
        QCoreApplication.translate("Dates", "{box} chosen").format(box=TICKED)
        if ticked
        else QCoreApplication.translate("Dates", "{box} not chosen").format(box=UNTICKED)
    )
    return f"{mark}   {text}"


class MonthGrid(QWidget):
    """A year with ◀ ▶ and its twelve months: the month is tapped, never typed."""

    chosen = Signal(object)  # YearMonth
    cancelled = Signal()

    def __init__(self, scale: float) -> None:
        super().__init__()
        self.first_year = self.last_year = self.year = 2000
        layout = QVBoxLayout(self)
        layout.setSpacing(px(20, scale))
        self.heading = label("", "Subtitle")
        layout.addWidget(self.heading)
        years = QHBoxLayout()
        years.addStretch(1)
        self.previous_year = button(
            QCoreApplication.translate("MonthGrid", "◀ Previous year"), "nav", "picker_year_previous"
        )
        self.previous_year.clicked.connect(lambda: self.show_year(self.year - 1))
        self.year_text = label("", "Title", wrap=False)
        self.next_year = button(QCoreApplication.translate("MonthGrid", "Next year ▶"), "nav", "picker_year_next")
        self.next_year.clicked.connect(lambda: self.show_year(self.year + 1))
        for widget in (self.previous_year, self.year_text, self.next_year):
            years.addWidget(widget)
            years.addSpacing(px(30, scale))
        years.addStretch(1)
        layout.addLayout(years)
        grid = QGridLayout()
        grid.setSpacing(px(20, scale))
        self.months: list[QPushButton] = []
        for index in range(12):
            month_button = button("", "month", f"month_{index + 1}")
            month_button.clicked.connect(lambda _=False, m=index + 1: self.chosen.emit(YearMonth(self.year, m)))
            grid.addWidget(month_button, index // 6, index % 6)
            self.months.append(month_button)
        holder = QHBoxLayout()
        holder.addStretch(1)
        holder.addLayout(grid)
        holder.addStretch(1)
        layout.addLayout(holder)
        cancel = button(QCoreApplication.translate("MonthGrid", "Cancel"), "nav", "picker_cancel")
        cancel.clicked.connect(self.cancelled.emit)
        layout.addWidget(cancel, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def open(self, heading: str, current: YearMonth, first_year: int, last_year: int) -> None:
        self.heading.setText(heading)
        self.first_year, self.last_year = first_year, last_year
        self.show_year(current.year)

    def show_year(self, year: int) -> None:
        self.year = max(self.first_year, min(year, self.last_year))
        self.year_text.setText(year_label(self.year))
        self.previous_year.setEnabled(self.year > self.first_year)
        self.next_year.setEnabled(self.year < self.last_year)
        for index, month_button in enumerate(self.months):
            month_button.setText(QCoreApplication.translate("MonthGrid", "{month} month").format(month=index + 1))


class PeriodChoice(QWidget):
    """起 [month] 至 [month]: each opens the month grid; the end is never before the start."""

    pick = Signal(str)  # "start" or "end"

    def __init__(self, scale: float) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(px(20, scale))
        row.addStretch(1)
        self.caption = label("", "Message", wrap=False)
        row.addWidget(self.caption)
        self.start_button = button("", "grade", "period_from")
        self.start_button.clicked.connect(lambda: self.pick.emit("start"))
        self.end_button = button("", "grade", "period_to")
        self.end_button.clicked.connect(lambda: self.pick.emit("end"))
        row.addWidget(self.start_button)
        row.addWidget(label(QCoreApplication.translate("PeriodChoice", "to"), "Message", wrap=False))
        row.addWidget(self.end_button)
        row.addStretch(1)
        self.period = Period(YearMonth(2000, 1), YearMonth(2000, 12))

    def set_period(self, period: Period) -> None:
        self.period = period
        self.start_button.setText(
            QCoreApplication.translate("PeriodChoice", "From {month}").format(month=month_label(period.start))
        )
        self.end_button.setText(
            QCoreApplication.translate("PeriodChoice", "Until {month}").format(month=month_label(period.end))
        )

    def set_month(self, which: str, month: YearMonth) -> None:
        start, end = self.period.start, self.period.end
        if which == "start":
            start, end = month, max(end, month)
        else:
            start, end = min(start, month), month
        self.set_period(Period(start, end))


class Checklist(QWidget):
    """Records with a tick box each, ROWS_PER_PAGE a page, with select all / none and the pages."""

    changed = Signal()

    def __init__(self, scale: float, describe: Callable[[object], str], key: Callable[[object], str]) -> None:
        super().__init__()
        self.describe, self.key = describe, key
        self.items: list[object] = []
        self.ticked: set[str] = set()
        self.page = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(px(8, scale))
        self.rows = QVBoxLayout()
        self.rows.setSpacing(px(8, scale))
        layout.addLayout(self.rows, 1)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.items) // ROWS_PER_PAGE))

    def set_items(self, items: Sequence[object], ticked: bool = True) -> None:
        self.items = list(items)
        self.ticked = {self.key(item) for item in items} if ticked else set()
        self.show_page(0)

    def chosen(self) -> list[object]:
        return [item for item in self.items if self.key(item) in self.ticked]

    def tick_all(self, ticked: bool) -> None:
        self.ticked = {self.key(item) for item in self.items} if ticked else set()
        self.show_page(self.page)

    def toggle(self, item: object) -> None:
        self.ticked ^= {self.key(item)}
        self.show_page(self.page)

    def show_page(self, page: int) -> None:
        self.page = max(0, min(page, self.pages - 1))
        clear_layout(self.rows)
        for item in self.items[self.page * ROWS_PER_PAGE : (self.page + 1) * ROWS_PER_PAGE]:
            ticked = self.key(item) in self.ticked
            row = button(tick_text(ticked, self.describe(item)), "record", f"record_{self.key(item)}")
            row.setProperty("ticked", ticked)
            row.clicked.connect(lambda _=False, chosen=item: self.toggle(chosen))
            self.rows.addWidget(row)
        self.rows.addStretch(1)
        self.changed.emit()


class Pager:
    """上一页 · 第 x 页，共 y 页 · 下一页, for a screen whose list has pages."""

    def __init__(self, go: Callable[[int], None]) -> None:
        self.go = go
        self.page = 0
        self.previous_button = button(QCoreApplication.translate("Pager", "Previous page"), "nav", "previous_page")
        self.previous_button.clicked.connect(lambda: self.go(self.page - 1))
        self.page_label: QLabel = label("", "Hint", wrap=False)
        self.next_button = button(QCoreApplication.translate("Pager", "Next page"), "nav", "next_page")
        self.next_button.clicked.connect(lambda: self.go(self.page + 1))

    def widgets(self) -> tuple[QWidget, ...]:
        return self.previous_button, self.page_label, self.next_button

    def show(self, page: int, pages: int) -> None:
        self.page = page
        several = pages > 1
        for widget in self.widgets():
            widget.setVisible(several)
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < pages - 1)
        self.page_label.setText(
            QCoreApplication.translate("Pager", "Page {page} of {pages}").format(page=page + 1, pages=pages)
            if several
            else ""
        )


def message_with_progress(screen: Screen, scale: float) -> tuple[QLabel, QProgressBar]:
    """The message line with the progress bar beside it (not above): showing progress never makes the screen
    taller than the window."""
    row = QHBoxLayout()
    row.setSpacing(px(20, scale))
    message = label("", "Message")
    busy = busy_bar()
    busy.setFixedWidth(px(260, scale))
    row.addWidget(message, 1)
    row.addWidget(busy)
    screen.layout_.addLayout(row)
    return message, busy


class PeriodScreen(Screen):
    """First the period (a whole year by one tap, or from/to months) and any filters, then 查询; then what was
    found, with the period above it and a way back to change it. The message line above both says what to do."""

    year_prefix = "year_"  # objectName prefix of the whole-year shortcuts (cert_year_2025, query_year_2025)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        scale = ctx.scale
        self.layout_.setContentsMargins(px(60, scale), px(14, scale), px(60, scale), px(14, scale))
        self.layout_.setSpacing(px(12, scale))
        self.message, self.busy = message_with_progress(self, scale)
        self.stack = QStackedWidget()
        self.layout_.addWidget(self.stack, 1)

        self.choose_page = QWidget()
        self.choose = QVBoxLayout(self.choose_page)
        self.choose.setSpacing(px(16, scale))
        self.choose.addStretch(1)
        self.heading = label("", "Title")  # the subclass names its certificate or query
        self.choose.addWidget(self.heading)
        self.years = QHBoxLayout()
        self.years.setSpacing(px(24, scale))
        self.choose.addLayout(self.years)
        self.period_choice = PeriodChoice(scale)
        self.period_choice.pick.connect(self.open_months)
        self.choose.addWidget(self.period_choice)
        self.filters = QVBoxLayout()  # subclasses add their filter rows here
        self.filters.setSpacing(px(20, scale))
        self.choose.addLayout(self.filters)
        self.search_button = button(QCoreApplication.translate("PeriodScreen", "Search"), "primary", "search")
        self.search_button.clicked.connect(self.search)
        self.choose.addWidget(self.search_button, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.choose.addStretch(2)
        self.stack.addWidget(self.choose_page)

        self.month_grid = MonthGrid(scale)
        self.month_grid.chosen.connect(self.month_chosen)
        self.month_grid.cancelled.connect(lambda: self.stack.setCurrentWidget(self.choose_page))
        self.stack.addWidget(self.month_grid)
        self.picking = "start"

        self.results_page = QWidget()
        self.results = QVBoxLayout(self.results_page)
        self.results.setContentsMargins(0, 0, 0, 0)
        self.results.setSpacing(px(10, scale))
        self.conditions = label("", "Subtitle", center=False)
        self.change_button = button(
            QCoreApplication.translate("PeriodScreen", "Change the period"), "nav", "change_conditions"
        )
        self.change_button.clicked.connect(self.back_to_choice)
        self.stack.addWidget(self.results_page)

    def add_conditions_row(self) -> None:
        """The period found above the results, with the way back to change it (a screen short of height puts
        them elsewhere)."""
        row = QHBoxLayout()
        row.addWidget(self.conditions, 1)
        row.addWidget(self.change_button)
        self.results.addLayout(row)

    # --- choosing -------------------------------------------------------------------------------------------

    def on_enter(self) -> None:
        clear_layout(self.years)
        self.years.addStretch(1)
        self.years.addWidget(label(QCoreApplication.translate("PeriodScreen", "Whole year:"), "Message", wrap=False))
        this_year = self.ctx.today().year
        for year in range(this_year - 2, this_year + 2):
            year_button = button(year_label(year), "grade", f"{self.year_prefix}{year}")
            year_button.clicked.connect(lambda _=False, y=year: self.search_year(y))
            self.years.addWidget(year_button)
        self.years.addStretch(1)
        self.period_choice.set_period(Period(YearMonth(this_year - 1, 1), YearMonth(this_year, 12)))
        self.busy.setVisible(False)
        self.back_to_choice()

    def back_to_choice(self) -> None:
        self.forget()
        self.stack.setCurrentWidget(self.choose_page)
        self.message.setText(self.choose_prompt())

    def choose_prompt(self) -> str:
        return QCoreApplication.translate(
            "PeriodScreen", "Tap a year, or choose the first and last month, then Search."
        )

    def open_months(self, which: str) -> None:
        self.picking = which
        period = self.period_choice.period
        heading = (
            QCoreApplication.translate("PeriodScreen", "Choose the first month")
            if which == "start"
            else QCoreApplication.translate("PeriodScreen", "Choose the last month")
        )
        this_year = self.ctx.today().year
        self.month_grid.open(
            heading, period.start if which == "start" else period.end, this_year - YEARS_BACK, this_year + 1
        )
        self.stack.setCurrentWidget(self.month_grid)

    def month_chosen(self, month: YearMonth) -> None:
        self.period_choice.set_month(self.picking, month)
        self.stack.setCurrentWidget(self.choose_page)

    def search_year(self, year: int) -> None:
        self.period_choice.set_period(Period.year(year))
        self.search()

    # --- searching ------------------------------------------------------------------------------------------

    def search(self) -> None:
        period = self.period_choice.period
        person = self.ctx.session.subject
        self.busy.setVisible(True)
        self.search_button.setEnabled(False)
        self.message.setText(QCoreApplication.translate("PeriodScreen", "Looking up your payments..."))
        self.ctx.tasks.run(
            lambda: self.fetch(person.id_number, period),
            on_done=lambda found: self.found(period, found),
            on_failed=self.failed,
        )

    def found(self, period: Period, found) -> None:
        self.busy.setVisible(False)
        self.search_button.setEnabled(True)
        self.conditions.setText(self.conditions_text(period))
        self.stack.setCurrentWidget(self.results_page)
        self.show_found(period, found)

    def failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.search_button.setEnabled(True)
        self.message.setText(fee_error_text(error))

    def fetch(self, id_number: str, period: Period):
        """In a worker thread: what the fee system has for the period (and the screen's filters)."""
        raise NotImplementedError

    def show_found(self, period: Period, found) -> None:
        raise NotImplementedError

    def conditions_text(self, period: Period) -> str:
        return period_label(period)
