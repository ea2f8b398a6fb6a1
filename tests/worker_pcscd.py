"""PYTEST_DONT_REWRITE. A pcscd of the test process's own, so that test processes run side by side (pytest-xdist)
and no test touches the machine's pcscd.

Each process gets a pcscd in its own mount namespace (drivers/pcsc/private_pcscd.py) with one vpcd entry named
like the machine's ("Virtual PCD": slots "Virtual PCD 00 00" and "00 01") on two free ports, told to the code by
KIOSK_VPCD_PORT and to libpcsclite by PCSCLITE_CSOCK_NAME. Both are set before anything imports drivers.pcsc, and
child processes (kiosk sim, kiosk diag) inherit them. Needs root; elsewhere the machine's pcscd serves (one process).
"""

from __future__ import annotations

import os

from drivers.netports import free_port_run

READER_NAME = "Virtual PCD"  # as /etc/reader.conf.d/vpcd names the machine's

_own = None  # the PrivatePcscd, once started
_problem = ""


def start() -> None:
    """Start this process's pcscd; call before any import of drivers.pcsc."""
    global _own, _problem
    if os.geteuid() != 0:
        _problem = "a pcscd of the test process's own needs root"
        return
    port = free_port_run(2)
    if port is None:
        _problem = "no two adjacent free TCP ports for vpcd"
        return
    os.environ["KIOSK_VPCD_PORT"] = str(port)
    from drivers.pcsc import connection
    from drivers.pcsc.errors import PcscError
    from drivers.pcsc.private_pcscd import PrivatePcscd, VirtualReader

    pcscd = PrivatePcscd({"vpcd": VirtualReader(READER_NAME, port)})
    try:
        pcscd.start(timeout=15.0)
        connection.readers_now()  # fixes libpcsclite's socket for this process: a later supervisor cannot switch it
    except PcscError as error:
        pcscd.stop()
        os.environ.pop("KIOSK_VPCD_PORT", None)
        _problem = f"the test process's own pcscd did not start: {error}"
        return
    _own = pcscd


def stop() -> None:
    global _own
    if _own is not None:
        _own.stop()
        _own = None


def own():
    """The PrivatePcscd of this process, or None; problem() says why not."""
    return _own


def problem() -> str:
    return _problem
