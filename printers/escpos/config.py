"""How the kiosk reaches its receipt printer (from the kiosk's TOML config)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Transport = Literal["serial", "tcp", "usb"]


@dataclass(frozen=True)
class ReceiptPrinterConfig:
    transport: Transport = "serial"
    port: str = "/dev/ttyS0"  # serial
    baud: int = 9600  # serial
    host: str = "127.0.0.1"  # tcp
    tcp_port: int = 9100  # tcp: the raw "JetDirect" port
    usb_vendor_id: int = 0  # usb: idVendor, as lsusb shows it (ID vvvv:pppp)
    usb_product_id: int = 0  # usb: idProduct
    usb_serial: str = ""  # usb: iSerialNumber; only needed where two printers share vendor and product id
    paper_width_mm: int = 80  # 58 or 80
    timeout: float = 2.0  # seconds, per status answer and per write

    def __post_init__(self) -> None:
        if self.transport not in ("serial", "tcp", "usb"):
            raise ValueError(f"unknown printer transport {self.transport!r}")
        if self.paper_width_mm not in (58, 80):
            raise ValueError(f"paper width must be 58 or 80 mm, not {self.paper_width_mm}")
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")
        if self.transport == "usb":
            for name, value in (("vendor", self.usb_vendor_id), ("product", self.usb_product_id)):
                if not 0 < value <= 0xFFFF:
                    raise ValueError(f"a USB printer needs its {name} id (1 to 0xFFFF, lsusb shows it), not {value}")

    def describe(self) -> str:
        if self.transport == "serial":
            return f"serial {self.port} @ {self.baud}"
        if self.transport == "tcp":
            return f"tcp {self.host}:{self.tcp_port}"
        serial = f" serial {self.usb_serial}" if self.usb_serial else ""
        return f"usb {self.usb_vendor_id:04x}:{self.usb_product_id:04x}{serial}"
