"""The A4 printer's simulator: a private cupsd with one queue whose device is a file.

The kiosk's real driver (CupsA4Printer) talks to it with the real CUPS tools over the private scheduler's
socket (CUPS_SERVER), so a certificate goes through CUPS exactly as it would to paper. Each finished job is
copied out of the device file into ``out_dir`` as certificate-NNNN.pdf (the backend overwrites it with each job).
The queue's device is the simulator's own backend (printers/a4/sim_backend.py), so that the printer can run out
of paper, jam or be unplugged the way CUPS reports it; it can also be switched offline (cupsdisable) and back.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path

from printers.a4.private_cupsd import PrivateCupsd
from printers.a4.sim_backend import FAULTS, write_fault

# A raw queue (no PPD) on a file: device completes jobs without writing anything (seen with CUPS 2.4.2), so the
# queue gets a PPD whose only filter is gziptoany, CUPS's own pass-through filter.
PASS_THROUGH_PPD = """*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "KIOSKA4.PPD"
*Manufacturer: "Kiosk simulator"
*Product: "(Kiosk A4 file printer)"
*ModelName: "Kiosk A4 file printer"
*ShortNickName: "Kiosk A4 file printer"
*NickName: "Kiosk A4 file printer"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: False
*DefaultColorSpace: Gray
*FileSystem: False
*Throughput: "1"
*cupsVersion: 2.4
*cupsFilter2: "application/pdf application/vnd.cups-pdf 0 gziptoany"
*OpenUI *PageSize/Media Size: PickOne
*DefaultPageSize: A4
*PageSize A4/A4: ""
*CloseUI: *PageSize
*DefaultImageableArea: A4
*ImageableArea A4/A4: "0 0 595 842"
*DefaultPaperDimension: A4
*PaperDimension A4/A4: "595 842"
"""


class CupsFilePrinterSimulator:
    def __init__(self, out_dir: Path | str, queue: str = "kiosk-a4") -> None:
        self.out_dir = Path(out_dir)
        self.queue = queue
        self.printed: list[Path] = []
        self.fault = "ok"
        self.cupsd = PrivateCupsd()
        self.root = self.cupsd.root
        self.socket = self.cupsd.socket
        self.device_uri, self.device_file = self.cupsd.device_uri(queue)
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    @property
    def env(self) -> dict[str, str]:
        return self.cupsd.env

    def start(self, timeout: float = 10.0) -> CupsFilePrinterSimulator:
        return self.launch().wait_ready(timeout)

    def launch(self) -> CupsFilePrinterSimulator:
        """Start cupsd and return at once. Call it on a thread that outlives cupsd: cupsd is told to die with
        the thread that started it (PR_SET_PDEATHSIG), so wait_ready() may run on any thread, this may not."""
        write_fault(self.root, "ok")
        self.cupsd.launch()
        return self

    def wait_ready(self, timeout: float = 10.0) -> CupsFilePrinterSimulator:
        """Wait until the launched cupsd answers, then add the printer queue and start collecting its jobs."""
        self.cupsd.wait_ready(timeout)
        root = self.root
        ppd = root / "kiosk-a4.ppd"
        ppd.write_text(PASS_THROUGH_PPD)
        self._lpadmin("-p", self.queue, "-E", "-v", self.device_uri, "-P", str(ppd))
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._watcher = threading.Thread(target=self._collect, name="a4-sim", daemon=True)
        self._watcher.start()
        return self

    def _lpadmin(self, *args: str) -> None:
        subprocess.run(["lpadmin", *args], env=self.env, capture_output=True, text=True, timeout=20, check=True)

    def set_online(self, online: bool) -> None:
        command = "cupsenable" if online else "cupsdisable"
        subprocess.run([command, self.queue], env=self.env, capture_output=True, timeout=20, check=True)

    def set_fault(self, fault: str) -> None:
        """ok, out (paper), jammed, unplugged (the backend holds the job and reports it, sim_backend.py) or
        offline (the queue stopped). ok also starts a stopped queue again, as a technician would."""
        if fault not in FAULTS:
            raise ValueError(f"A4 printer faults: {', '.join(FAULTS)}; not {fault!r}")
        write_fault(self.root, "ok" if fault == "offline" else fault)
        self.set_online(fault != "offline")
        self.fault = fault

    def _collect(self) -> None:
        """Copy each finished job out of the device file (it is rewritten by the next job)."""
        seen: tuple[float, int] | None = None
        while not self._stop.wait(0.1):
            try:
                stat = self.device_file.stat()
            except FileNotFoundError:
                continue
            signature = (stat.st_mtime, stat.st_size)
            if signature == seen or stat.st_size == 0:
                continue
            time.sleep(0.2)  # let the backend finish writing
            if (self.device_file.stat().st_mtime, self.device_file.stat().st_size) != signature:
                continue
            seen = signature
            target = self.out_dir / f"certificate-{len(self.printed) + 1:04d}.pdf"
            shutil.copyfile(self.device_file, target)
            self.printed.append(target)

    def wait_for_pages(self, count: int, timeout: float = 10.0) -> list[Path]:
        deadline = time.monotonic() + timeout
        while len(self.printed) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.printed)

    def stop(self) -> None:
        self._stop.set()
        if self._watcher:
            self._watcher.join(timeout=2)
        self.cupsd.stop()
