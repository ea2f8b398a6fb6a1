""" "Add to the basket" where a payable choice is confirmed (issue 22): the button, and the basket's answer."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton

from drivers.base import QT_TRANSLATE_NOOP
from kiosk.basket import AlreadyInBasket, BasketFull
from kiosk.feesystem.api import Quote
from kiosk.session import Session
from screens.base import Screen, translate
from screens.widgets import button

ADD_TEXT = QT_TRANSLATE_NOOP("Basket", "Add to the basket, pay later")
FULL_TEXT = QT_TRANSLATE_NOOP("Basket", "The basket is full: at most 10 items can be paid at once.")
TWICE_TEXT = QT_TRANSLATE_NOOP("Basket", "This item is in the basket already.")


def add_to_basket_button(screen: Screen) -> QPushButton:
    return button(translate("Basket", ADD_TEXT), "nav", "add_to_basket")


def basket_row(widget: QPushButton) -> QHBoxLayout:
    """The button centred on a row of its own."""
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget)
    row.addStretch(1)
    return row


def basket_refusal(session: Session, quote: Quote, name: str) -> str | None:
    """Add ``quote`` for ``name`` to the session's basket; the citizen's words when it cannot be added."""
    try:
        session.basket.add(quote, name)
    except BasketFull:
        return translate("Basket", FULL_TEXT)
    except AlreadyInBasket:
        return translate("Basket", TWICE_TEXT)
    return None
