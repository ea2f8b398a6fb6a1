"""The A4 printer through a private cupsd whose queue writes into a file through the simulator's backend."""

from __future__ import annotations

import pytest

from drivers.base import DeviceStatus, PaperStatus
from printers.a4 import A4PrinterError, CupsA4Printer, parse_lpstat
from printers.a4.simulator import PASS_THROUGH_PPD
from tests.printer_fixtures import CupsServer, add_backend_queue, cups_server_fixture  # noqa: F401 - fixture

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def queue(cups_server: CupsServer, request: pytest.FixtureRequest):
    name = "kiosk_a4_" + str(abs(hash(request.node.name)) % 10**8)
    out = add_backend_queue(cups_server, name)
    yield CupsA4Printer(name, server=cups_server.socket), out
    cups_server.run("lpadmin", "-x", name)


def test_idle_queue_is_online(queue):
    printer, _ = queue
    status = printer.a4_status()
    assert status.state == "idle" and status.accepting
    assert status.device_status is DeviceStatus.ONLINE and status.blocking_reason is None


def test_pdf_reaches_the_device(queue, cups_server: CupsServer, tmp_path):
    printer, out = queue
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(PDF)
    job_id = printer.print_pdf(pdf, title="完税证明")
    assert job_id.startswith(printer.queue + "-")
    try:
        printer.wait_for_job(job_id, timeout=20)
    except A4PrinterError as error:  # say CUPS's own reason, not only that time ran out
        pytest.fail(f"{error}\ncupsd's error log:\n{cups_server.errors() or '(no error lines)'}")
    assert out.read_bytes() == PDF


def test_paused_queue_refuses_before_queueing(queue, cups_server: CupsServer, tmp_path):
    printer, _ = queue
    cups_server.run("cupsdisable", "-r", "paper jam reported by staff", printer.queue)
    status = printer.a4_status()
    assert status.state == "stopped" and "paused" in status.reasons
    assert status.message == "paper jam reported by staff"
    assert status.device_status is DeviceStatus.OFFLINE
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(PDF)
    with pytest.raises(A4PrinterError) as caught:
        printer.print_pdf(pdf)
    assert caught.value.code == "offline"
    assert cups_server.run("lpstat", "-o", printer.queue).strip() == ""


def test_rejecting_queue_is_not_accepting(queue, cups_server: CupsServer):
    printer, _ = queue
    cups_server.run("cupsreject", printer.queue)
    assert printer.a4_status().blocking_reason == "not_accepting"


def test_job_on_a_stopped_printer_times_out_with_the_reason(queue, cups_server: CupsServer, tmp_path):
    printer, _ = queue
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(PDF)
    cups_server.run("cupsdisable", printer.queue)
    # Queue directly (the driver itself would refuse), then wait: the job cannot finish.
    out = cups_server.run("lp", "-d", printer.queue, str(pdf))
    job_id = out.split("request id is ")[1].split()[0]
    with pytest.raises(A4PrinterError) as caught:
        printer.wait_for_job(job_id, timeout=0.5)
    assert caught.value.code == "offline"
    printer.cancel(job_id)


def test_unknown_queue_is_no_device(cups_server: CupsServer):
    with pytest.raises(A4PrinterError) as caught:
        CupsA4Printer("no_such_queue", server=cups_server.socket).a4_status()
    assert caught.value.code == "no_device"


def test_no_scheduler_is_no_device(tmp_path):
    with pytest.raises(A4PrinterError) as caught:
        CupsA4Printer("kiosk_a4", server=str(tmp_path / "nothing.sock")).a4_status()
    assert caught.value.code == "no_device"


# -- reasons a real printer reports through its backend (STATE: +media-empty-error ...) -------------------

IDLE = "printer kiosk_a4 is idle.  enabled since Mon 03 Nov 2025 09:00:00\n\tForm mounted:\n\tAlerts: {}\n"
ACCEPTING = "kiosk_a4 accepting requests since Mon 03 Nov 2025 09:00:00\n"


@pytest.mark.parametrize(
    ("alerts", "reason", "paper", "device"),
    [
        ("media-empty-error", "paper_out", PaperStatus.OUT, DeviceStatus.ONLINE),
        ("media-needed-warning", "paper_out", PaperStatus.OUT, DeviceStatus.ONLINE),
        ("media-jam-error", "jammed", PaperStatus.JAMMED, DeviceStatus.HARDWARE_ERROR),
        ("offline-report", None, PaperStatus.FULL, DeviceStatus.ONLINE),  # -report is information only
        ("offline-error", "offline", PaperStatus.FULL, DeviceStatus.OFFLINE),
        ("cover-open-error", "cover_open", PaperStatus.FULL, DeviceStatus.USER_ERROR),
        ("media-low-warning", None, PaperStatus.LOW, DeviceStatus.ONLINE),
        ("toner-empty-error", "offline", PaperStatus.FULL, DeviceStatus.HARDWARE_ERROR),
        ("none", None, PaperStatus.FULL, DeviceStatus.ONLINE),
    ],
)
def test_state_reasons_map_to_the_device_model(alerts, reason, paper, device):
    status = parse_lpstat(IDLE.format(alerts), ACCEPTING)
    assert (status.blocking_reason, status.paper, status.device_status) == (reason, paper, device)


def test_printing_state_is_busy():
    text = "printer kiosk_a4 now printing kiosk_a4-7.  enabled since Mon 03 Nov 2025\n\tAlerts: none\n"
    assert parse_lpstat(text, ACCEPTING).device_status is DeviceStatus.BUSY


def test_garbage_lpstat_output_is_rejected():
    with pytest.raises(ValueError):
        parse_lpstat("lpstat: something else", ACCEPTING)


def test_queue_that_cannot_print_fails_with_cups_reason(cups_server: CupsServer, tmp_path):
    """The backend cannot write its device: the job waits, and the timeout says the job's reason as CUPS gives it."""
    ppd = cups_server.root / "kiosk-a4.ppd"
    ppd.write_text(PASS_THROUGH_PPD)
    cups_server.run("lpadmin", "-p", "kiosk_a4_broken", "-E", "-v", "kioska4:/proc/no/such/device.pdf", "-P", str(ppd))
    printer = CupsA4Printer("kiosk_a4_broken", server=cups_server.socket)
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(PDF)
    job_id = printer.print_pdf(pdf)
    with pytest.raises(A4PrinterError) as caught:
        printer.wait_for_job(job_id, timeout=3)
    assert caught.value.code == "job_timeout"
    assert "Alerts: resources-are-not-ready" in str(caught.value)  # the job's state reason, from CUPS
    assert "Backend returned status 1" in (cups_server.root / "log" / "error_log").read_text()
    printer.cancel(job_id)
    cups_server.run("lpadmin", "-x", "kiosk_a4_broken")


class ScriptedPrinter(CupsA4Printer):
    """A driver whose lpstat answers come from a script: (printer text, job done) per poll."""

    def __init__(self, script: list[tuple[str, bool]]) -> None:
        super().__init__("kiosk_a4")
        self.script = script

    def _step(self) -> tuple[str, bool]:
        return self.script[0] if len(self.script) == 1 else self.script.pop(0)

    def a4_status(self):
        return parse_lpstat(self._step()[0], ACCEPTING)

    def job_done(self, job_id: str) -> bool:
        return self.script[0][1]


PAPER_OUT_LEFT_OVER = IDLE.format("media-empty-error")
PRINTING_PAPER_OUT = (
    "printer kiosk_a4 now printing kiosk_a4-2.  enabled since Mon 03 Nov 2025\n\tAlerts: media-empty-error\n"
)


def test_a_reason_left_on_an_idle_queue_does_not_fail_the_next_job(monkeypatch):
    """Paper loaded after a paper-out: the idle queue still lists media-empty-error until the next job's backend
    takes it back. The new job must not fail on it before it has started."""
    monkeypatch.setattr("printers.a4.cups.STATUS_EVERY_SECONDS", 0.0)
    monkeypatch.setattr("printers.a4.cups.POLL_SECONDS", 0.0)
    printer = ScriptedPrinter([(PAPER_OUT_LEFT_OVER, False)] * 6 + [(IDLE.format("none"), True)])
    printer.wait_for_job("kiosk_a4-2", timeout=5)


def test_a_printing_queue_out_of_paper_fails_the_job_at_once(monkeypatch):
    monkeypatch.setattr("printers.a4.cups.STATUS_EVERY_SECONDS", 0.0)
    monkeypatch.setattr("printers.a4.cups.POLL_SECONDS", 0.0)
    printer = ScriptedPrinter([(PRINTING_PAPER_OUT, False)])
    with pytest.raises(A4PrinterError) as caught:
        printer.wait_for_job("kiosk_a4-2", timeout=5)
    assert caught.value.code == "paper_out"
