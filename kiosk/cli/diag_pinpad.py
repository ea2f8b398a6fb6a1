"""`kiosk diag pinpad status|kcv --port PATH`: the PIN pad's state and its keys' check values, as JSON.

Exit codes: 0 success, 2 the pad did not answer (no port, silent, port failure), 1 any other error.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from drivers.base import DeviceKind


def register(devices: argparse._SubParsersAction) -> None:
    parser = devices.add_parser(DeviceKind.PINPAD, help="encrypting PIN pad: state and key check values")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, func, text in (
        ("status", _status, "online state, algorithm, which keys are loaded, tamper"),
        ("kcv", _kcv, "check values (hex) of the loaded keys of the selected algorithm"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("--port", required=True, help="serial port of the pad, e.g. /dev/ttyS1")
        action.add_argument("--baud", type=int, default=9600)
        action.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for an answer")
        action.set_defaults(func=func)


def _status(args: argparse.Namespace) -> int:
    return _run(args, lambda pad: pad.pad_state().to_dict())


def _kcv(args: argparse.Namespace) -> int:
    def query(pad: Any) -> dict[str, Any]:
        state = pad.pad_state()
        values = pad.check_values()
        return {
            "algorithm": state.algorithm.value,
            "check_values": {k: v.hex().upper() for k, v in values.items()},
        }

    return _run(args, query)


def _run(args: argparse.Namespace, query: Callable[[Any], dict[str, Any]]) -> int:
    from drivers.pinpad import PinPadError, PinPadUnavailable, SerialPinPad
    from kiosk.cli.output import print_error, print_json

    try:
        with SerialPinPad(args.port, args.baud, args.timeout) as pad:
            result = query(pad)
    except PinPadError as error:
        print_error(error.code, error.detail)
        return 2 if isinstance(error, PinPadUnavailable) else 1
    print_json(result)
    return 0
