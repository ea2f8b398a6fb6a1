"""A QR code drawn as a QPixmap (qrcode's module matrix painted directly: no PIL round trip)."""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap


def qr_pixmap(payload: str, size: int) -> QPixmap:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    modules = len(matrix)
    cell = max(1, size // modules)
    pixmap = QPixmap(cell * modules, cell * modules)
    pixmap.fill(Qt.GlobalColor.white)
    painter = QPainter(pixmap)
    black = QColor(0, 0, 0)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(QRect(x * cell, y * cell, cell, cell), black)
    painter.end()
    return pixmap
