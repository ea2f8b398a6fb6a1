"""`kiosk cert ...` (placeholder until the certificates issue lands)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    subparsers.add_parser("cert", help="cert (not available yet)")
