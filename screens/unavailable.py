"""What a service not built yet says: plainly, with the way back."""

from __future__ import annotations

from kiosk.flow import Step
from screens.base import Screen
from screens.widgets import button, label


class UnavailableScreen(Screen):
    step = Step.UNAVAILABLE

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.layout_.addStretch(1)
        self.title(self.tr("This service is not available yet"))
        self.layout_.addWidget(
            label(
                self.tr(
                    "This kiosk does not offer this service yet. Please go back and choose another service, "
                    "or ask at the service window."
                ),
                "Message",
            )
        )
        back = button(self.tr("Back"), "primary", "unavailable_back")
        back.clicked.connect(self.ctx.flow.back)
        self.layout_.addSpacing(30)
        self.row(back)
        self.layout_.addStretch(2)

    def voice_prompt(self) -> str:
        return self.tr("This service is not available yet. Please choose another service.")
