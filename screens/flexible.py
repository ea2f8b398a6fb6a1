"""Flexible-employment pension (flow 4): the months, the contribution base on a keypad, the fee system's review.

The kiosk never computes the amount: the review shows the fee system's own calculation (months × base × rate).
"""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QPushButton

from kiosk.domain.items import InsuredItem
from kiosk.domain.money import format_fen
from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import FlexibleOffer, Quote
from kiosk.flow import FlowEvent, Step
from screens.base import ButtonRow, Screen, chosen_text, fee_error_text, month_text, period_text, translate
from screens.keypad import BACKSPACE, Keypad
from screens.style import px
from screens.widgets import busy_bar, button, label

MONTHS_PER_ROW = 8


class MonthPicker:
    """Rows of month buttons limited to what the fee system allows; one checked at a time."""

    def __init__(self, screen: Screen, prefix: str) -> None:
        self.screen = screen
        self.prefix = prefix
        self.rows = [ButtonRow(screen, spacing=20) for _ in range(2)]
        self.group = QButtonGroup(screen)
        self.group.buttonToggled.connect(lambda each, on: each.setText(chosen_text(each.property("month"), on)))
        self.chosen: YearMonth | None = None
        self.on_change = lambda: None

    def fill(self, months: list[YearMonth], chosen: YearMonth | None) -> None:
        for row in self.rows:
            row.clear()
        for old in self.group.buttons():
            self.group.removeButton(old)
        self.chosen = chosen
        for index, month in enumerate(months[: MONTHS_PER_ROW * len(self.rows)]):
            month_button = button(chosen_text(month_text(month), month == chosen), "month", f"{self.prefix}_{month}")
            month_button.setProperty("month", month_text(month))
            month_button.setCheckable(True)
            month_button.setChecked(month == chosen)
            month_button.clicked.connect(lambda _=False, m=month: self.pick(m))
            self.group.addButton(month_button)
            self.rows[index // MONTHS_PER_ROW].add(month_button)

    def pick(self, month: YearMonth) -> None:
        self.chosen = month
        self.on_change()


class FlexiblePeriodScreen(Screen):
    step = Step.FLEX_PERIOD

    def tr(self, text: str) -> str:  # the medical screens subclass this one: keep its translation context
        return translate("FlexiblePeriodScreen", text)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.heading = label("", "Title")
        self.layout_.addWidget(self.heading)
        self.busy = busy_bar()
        self.layout_.addWidget(self.busy)
        self.message = label("", "Message")
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(label(self.tr("From"), "Subtitle"))
        self.start = MonthPicker(self, "start")
        self.layout_.addWidget(label(self.tr("To"), "Subtitle"))
        self.end = MonthPicker(self, "end")
        self.start.on_change = self.start_changed
        self.end.on_change = self.update
        self.confirm = button(self.tr("Confirm"), "primary", "confirm_period")
        self.confirm.clicked.connect(self.confirmed)
        self.row(self.confirm)
        self.offer: FlexibleOffer | None = None

    def voice_prompt(self) -> str:
        return self.tr("Please choose the first and the last month you want to pay for.")

    def on_enter(self) -> None:
        session = self.ctx.session
        self.heading.setText(
            self.tr("Flexible employment medical insurance: choose the months")
            if session.item is InsuredItem.FLEXIBLE_MEDICAL
            else self.tr("Flexible employment pension: choose the months")
        )
        self.offer = None
        self.start.fill([], None)
        self.end.fill([], None)
        self.confirm.setEnabled(False)
        self.busy.setVisible(True)
        self.message.setText(self.tr("Looking up what you can pay..."))
        subject, item, today = session.subject, session.item, self.ctx.today()
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.flexible_offer(subject.id_number, item, today),
            on_done=self.show_offer,
            on_failed=self.failed,
        )

    def failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.message.setText(fee_error_text(error))

    def allowed(self) -> list[YearMonth]:
        assert self.offer
        return list(Period(YearMonth.parse(self.offer.first_month), YearMonth.parse(self.offer.last_month)))

    def show_offer(self, offer: FlexibleOffer) -> None:
        self.busy.setVisible(False)
        self.offer = offer
        self.ctx.session.offers = [offer]
        months = self.allowed()
        self.message.setText(
            self.tr("You can pay for {first} to {last}.").format(
                first=month_text(YearMonth.parse(offer.first_month)), last=month_text(YearMonth.parse(offer.last_month))
            )
        )
        self.start.fill(months, months[0])
        self.start_changed()

    def start_changed(self) -> None:
        if self.offer is None:  # a tap before the fee system answered: nothing to choose from yet
            return
        months = [m for m in self.allowed() if self.start.chosen and m >= self.start.chosen]
        end = self.end.chosen if self.end.chosen in months else months[0] if months else None
        self.end.fill(months, end)
        self.update()

    def update(self) -> None:
        self.confirm.setEnabled(bool(self.start.chosen and self.end.chosen))

    def confirmed(self) -> None:
        self.ctx.session.period = Period(self.start.chosen, self.end.chosen)
        self.fire(FlowEvent.PERIOD_CHOSEN)


class FlexibleBaseScreen(Screen):
    """The contribution base (缴费基数) in yuan on a keypad, within the fee system's limits."""

    step = Step.FLEX_BASE

    def tr(self, text: str) -> str:  # the medical screens subclass this one: keep its translation context
        return translate("FlexibleBaseScreen", text)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.setSpacing(px(16, ctx.scale))  # the listed bases above the keypad: a tighter screen
        self.title(self.tr("Choose or enter your contribution base"))
        # The bases the fee system lists (缴费档次), to tap; the keypad beside them stays for any other base.
        self.choices = ButtonRow(self, spacing=20)
        self.choice_buttons: dict[int, QPushButton] = {}
        self.limits = label("", "Subtitle")
        self.entry = label("", "Amount")
        self.entry.setObjectName("BaseEntry")
        self.hint = label("", "Hint")
        self.keypad = Keypad(with_x=False)
        self.keypad.pressed.connect(self.key)
        self.lowest = button(self.tr("Use the lowest base"), "choice", "base_lowest")
        self.lowest.clicked.connect(self.use_lowest)
        self.confirm = button(self.tr("Confirm"), "primary", "confirm_base")
        self.confirm.clicked.connect(self.confirmed)
        self.beside([self.limits, self.entry, self.hint, self.lowest, self.confirm], self.keypad)
        self.text = ""

    def voice_prompt(self) -> str:
        return self.tr("Please enter your contribution base in yuan, within the range shown, then press confirm.")

    @property
    def offer(self) -> FlexibleOffer:
        return self.ctx.session.offers[0]

    def on_enter(self) -> None:
        offer = self.offer
        self.limits.setText(
            self.tr("Allowed: {low} to {high} per month").format(
                low=format_fen(offer.base_min_fen), high=format_fen(offer.base_max_fen)
            )
        )
        self.text = ""
        self.choices.clear()
        self.choice_buttons = {}
        for base in offer.base_choices_fen:
            choice = button("", "month", f"base_{base // 100}")
            choice.setProperty("base", format_fen(base))
            choice.clicked.connect(lambda _=False, fen=base: self.choose_base(fen))
            self.choice_buttons[base] = choice
            self.choices.add(choice)
        self.refresh()

    def choose_base(self, base_fen: int) -> None:
        self.text = str(base_fen // 100)
        self.refresh()

    def key(self, key: str) -> None:
        if key == BACKSPACE:
            self.text = self.text[:-1]
        elif len(self.text) < 6 and not (key == "0" and not self.text):
            self.text += key
        self.refresh()

    def use_lowest(self) -> None:
        self.text = str(-(-self.offer.base_min_fen // 100))
        self.refresh()

    def base_fen(self) -> int | None:
        return int(self.text) * 100 if self.text else None

    def refresh(self) -> None:
        base = self.base_fen()
        self.entry.setText(f"¥ {self.text or '0'}")
        offer = self.offer
        valid = base is not None and offer.base_min_fen <= base <= offer.base_max_fen
        if base is None:
            self.hint.setText(self.tr("Type the base in whole yuan."))
        elif base < offer.base_min_fen:
            self.hint.setText(self.tr("This is below the lowest base allowed."))
        elif base > offer.base_max_fen:
            self.hint.setText(self.tr("This is above the highest base allowed."))
        else:
            self.hint.setText(self.tr("Press confirm."))
        self.confirm.setEnabled(valid)
        for fen, choice in self.choice_buttons.items():  # a typed base equal to a listed one shows it chosen too
            # One line (the keypad below needs the height): the tick and 已选 beside the amount.
            choice.setText(chosen_text(choice.property("base"), fen == base, one_line=True))

    def confirmed(self) -> None:
        self.ctx.session.base_fen = self.base_fen()
        self.fire(FlowEvent.BASE_ENTERED)


class FlexibleReviewScreen(Screen):
    """The fee system's calculation, to check before paying (核对缴费信息)."""

    step = Step.FLEX_REVIEW

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.title(self.tr("Please check your payment"))
        self.details = label("", "Subtitle")
        self.layout_.addWidget(self.details)
        self.amount = label("", "Amount")
        self.layout_.addWidget(self.amount)
        self.busy = busy_bar()
        self.layout_.addWidget(self.busy)
        self.error = label("", "Error")
        self.layout_.addWidget(self.error)
        self.start = button(self.tr("Start payment"), "primary", "start_payment")
        self.start.clicked.connect(lambda: self.fire(FlowEvent.REVIEW_CONFIRMED))
        self.row(self.start)
        self.layout_.addStretch(2)

    def voice_prompt(self) -> str:
        return self.tr("Please check the months, the base and the amount, then start the payment.")

    def on_enter(self) -> None:
        session = self.ctx.session
        self.details.setText("")
        self.amount.setText("")
        self.error.setVisible(False)
        self.start.setEnabled(False)
        self.busy.setVisible(True)
        subject, item, period, base = session.subject, session.item, session.period, session.base_fen
        self.ctx.tasks.run(
            lambda: self.ctx.fee_system.quote_flexible(subject.id_number, item, period, base),
            on_done=self.quoted,
            on_failed=self.failed,
        )

    def quoted(self, quote: Quote) -> None:
        self.busy.setVisible(False)
        self.ctx.session.quote = quote
        self.details.setText(
            self.tr("{item}\n{period}: {months} months × base {base} × {rate}%").format(
                item=translate("Domain", quote.item.label),
                period=period_text(quote.period),
                months=quote.months,
                base=format_fen(quote.base_fen or 0),
                rate=quote.rate_percent,
            )
        )
        self.amount.setText(self.tr("Amount: {amount}").format(amount=format_fen(quote.amount_fen)))
        self.start.setEnabled(True)

    def failed(self, error: Exception) -> None:
        self.busy.setVisible(False)
        self.error.setText(fee_error_text(error))
        self.error.setVisible(True)
