"""JSON output shared by the technician commands."""

from __future__ import annotations

import json
import sys
from typing import Any


def print_json(obj: Any) -> None:
    """One JSON object on stdout, Chinese kept readable."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def print_error(code: str, message: str) -> None:
    print_json({"error": code, "message": message})
