"""`kiosk diag pinpad ...` (placeholder until its device issue lands)."""

from __future__ import annotations

import argparse


def register(devices: argparse._SubParsersAction) -> None:
    devices.add_parser("pinpad", help="pinpad diagnostics")
