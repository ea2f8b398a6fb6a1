"""Shared fixtures of the printer tests: simulators, a driver on them, a private cupsd, a realistic receipt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from printers.a4.private_cupsd import CupsUnavailable, PrivateCupsd
from printers.a4.simulator import PASS_THROUGH_PPD
from printers.escpos import ReceiptPrinter, ReceiptPrinterConfig
from printers.escpos.simulator import EscPosPrinterSimulator
from printers.receipt import ReceiptDocument

FAST_TIMEOUT = 0.3  # seconds: the simulator answers in well under a millisecond


def config_for(sim: EscPosPrinterSimulator, *, paper_width_mm: int = 80, timeout: float = 2.0):
    if sim.transport == "pty":
        assert sim.port
        return ReceiptPrinterConfig(
            transport="serial", port=sim.port, baud=115200, paper_width_mm=paper_width_mm, timeout=timeout
        )
    assert sim.address
    host, port = sim.address
    return ReceiptPrinterConfig(
        transport="tcp", host=host, tcp_port=port, paper_width_mm=paper_width_mm, timeout=timeout
    )


@pytest.fixture(name="simulator", params=["pty", "tcp"])
def simulator_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EscPosPrinterSimulator]:
    with EscPosPrinterSimulator(request.param, receipt_dir=tmp_path / "receipts") as sim:
        yield sim


@pytest.fixture(name="printer")
def printer_fixture(simulator: EscPosPrinterSimulator) -> Iterator[ReceiptPrinter]:
    with ReceiptPrinter(config_for(simulator, timeout=FAST_TIMEOUT * 3)) as receipt_printer:
        yield receipt_printer


def sample_receipt(*, reprint: bool = False) -> ReceiptDocument:
    """The receipt of DESIGN.md §6 for a proxy payment by bank card, as the kiosk would pass it."""
    return ReceiptDocument(
        title="社保费缴费小票",
        rows=[
            ("办税服务厅：", "国家税务总局济南市历下区税务局第一税务分局办税服务厅"),
            ("终端号：", "SD370102-007"),
            ("日期：", "2025-11-03 09:41:27"),
            ("缴费人：", "张*三"),
            ("证件号码：", "3701**********1234"),
            ("代缴对象：", "李*四 3701**********5678"),
            ("险种：", "城乡居民基本养老保险"),
            ("所属期：", "2025-01 至 2025-12"),
            ("档次：", "第三档 1000元/年"),
            ("金额：", "¥1,000.00"),
            ("支付方式：", "银行卡（6230**********6888）"),
            ("银行参考号：", "202511030941270001"),
            ("流水号：", "JN20251103000127"),
        ],
        qr_payload="https://sfzz.example.invalid/v/SIF2025-0000127-9F3A",
        qr_caption="扫码验证：SIF2025-0000127-9F3A",
        footer_lines=["请妥善保管本凭证。", "如需补打，请在“缴费信息查询”中操作。"],
        reprint=reprint,
    )


# -- a private cupsd with a queue on the simulator's backend ------------------------------------------------

CupsServer = PrivateCupsd  # the tests' name for it


@pytest.fixture(name="cups_server", scope="module")
def cups_server_fixture() -> Iterator[PrivateCupsd]:
    try:
        server = PrivateCupsd().launch().wait_ready()
    except CupsUnavailable as error:
        pytest.skip(f"no private CUPS scheduler on this machine: {error}")
    try:
        yield server
    finally:
        server.stop()


def add_backend_queue(server: CupsServer, name: str) -> Path:
    """A queue that prints into a file in the server's out/ folder through the simulator's backend (not CUPS's
    file: device, which current CUPS builds refuse to open); returns that file's path."""
    ppd = server.root / "kiosk-a4.ppd"
    ppd.write_text(PASS_THROUGH_PPD)
    uri, out = server.device_uri(name)
    server.run("lpadmin", "-p", name, "-E", "-v", uri, "-P", str(ppd))
    return out
