"""Logging: to the console and to a private rotating file in the state directory, with ID numbers masked.

Personal data must not reach a log (DESIGN.md §8). Code logs masked values already; the filter here is the
safety net that masks anything shaped like an 18-character ID number that slipped through.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path

from kiosk.domain.idnumber import mask_id_number

ID_NUMBER_PATTERN = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def mask_personal(text: str) -> str:
    return ID_NUMBER_PATTERN.sub(lambda match: mask_id_number(match.group(0)), text)


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Console and ``log_dir/kiosk.log`` (0600 in a 0700 folder, 5 × 2 MB); returns the file's path."""
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = log_dir / "kiosk.log"
    fd = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    os.close(fd)
    root = logging.getLogger()
    root.setLevel(level)
    masking = MaskingFilter()
    formatter = logging.Formatter(LOG_FORMAT)
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    console = logging.StreamHandler()
    for handler in (file_handler, console):
        handler.setFormatter(formatter)
        handler.addFilter(masking)
        root.addHandler(handler)
    return path
