"""`kiosk verify ...` (placeholder until the certificates issue lands)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    subparsers.add_parser("verify", help="verify (not available yet)")
