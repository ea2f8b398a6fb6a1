"""A4 certificates (税收完税证明, 社会保险费缴费证明) rendered to PDF with reportlab.

Pure rendering from document models of display strings: this package never imports the kiosk, which passes
text already formatted. reportlab is imported by the renderers, so importing the models stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from printers.certificates.fonts import FONT_PATH, FontMissingError, register_fonts
from printers.certificates.models import (
    PaymentCertificate,
    PaymentDetailRow,
    PaymentForm,
    PaymentSummaryRow,
    QueryList,
    QueryListRow,
    TaxCertificate,
    TaxRow,
)

if TYPE_CHECKING:
    from printers.certificates.payment import render_payment_certificate
    from printers.certificates.tax import render_tax_certificate

__all__ = [
    "FONT_PATH",
    "FontMissingError",
    "PaymentCertificate",
    "PaymentDetailRow",
    "PaymentForm",
    "PaymentSummaryRow",
    "QueryList",
    "QueryListRow",
    "TaxCertificate",
    "TaxRow",
    "register_fonts",
    "render_payment_certificate",
    "render_tax_certificate",
]


def __getattr__(name: str) -> Any:
    # The renderers pull in reportlab: load them on first use.
    if name == "render_tax_certificate":
        from printers.certificates.tax import render_tax_certificate

        return render_tax_certificate
    if name == "render_payment_certificate":
        from printers.certificates.payment import render_payment_certificate

        return render_payment_certificate
    raise AttributeError(name)
