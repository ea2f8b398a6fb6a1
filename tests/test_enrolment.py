"""Enrolment of the terminal certificate in maintenance mode, end to end over real loopback mutual TLS: a kiosk
without a certificate is out of service (Home in words), the technician makes a CSR onto the drive, the test CA
signs it, the certificate is imported, checked and installed, the kiosk is back in service and a payment works.
Every step is in the audit log; a wrong certificate is refused in words and nothing is installed."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest

from conftest import NOW
from feehttp_fixtures import OTHER_TERMINAL, TERMINAL, pay_resident_pension
from kiosk.flow import Step
from kiosk.maintenance.enrolment import Enrolment, EnrolmentError, certificate_name
from kiosk.maintenance.service import MaintenanceService
from kiosk.service_health import ProblemKind
from kiosk_driving import Driver
from maintenance_fixtures import HASHES, WAIT_MS, click, enter

pytest_plugins = ["feehttp_fixtures"]


@pytest.fixture
def drive(tmp_path):
    folder = tmp_path / "drive"  # the removable drive's mount point
    folder.mkdir()
    return folder


@pytest.fixture
def new_kiosk(make_kiosk, served, pki, drive, tmp_path):
    """A kiosk on the served simulator over mutual TLS, with the bureau's CA and no certificate of its own yet."""
    tls = tmp_path / "state" / "tls"
    return make_kiosk(
        **{
            "maintenance.technicians": dict(HASHES),
            "maintenance.export_dir": str(drive),
            "fee_system.kind": "http",
            "fee_system.url": served.url,
            "fee_system.ca_file": str(pki.ca_file),
            "fee_system.cert_file": str(tls / "terminal.pem"),
            "fee_system.key_file": str(tls / "terminal-key.pem"),
        }
    )


def signed(pki, csr_path) -> bytes:
    """The bureau signs: valid from before the kiosk's test clock (NOW) to a year from the wall clock."""
    return pki.sign_request(csr_path.read_bytes(), not_before=NOW - dt.timedelta(days=1))


def audit_actions(service: MaintenanceService) -> list[str]:
    return [entry.action for entry in service.audit.entries()]


def test_enrolment_end_to_end_puts_the_kiosk_back_in_service(new_kiosk, qtbot, pki, drive, served):
    from screens.maintenance import open_maintenance

    ctx = new_kiosk.ctx
    assert ctx.health.has(ProblemKind.CLIENT_CERTIFICATE)  # no certificate: out of service from the start
    driver = Driver(new_kiosk, qtbot)
    driver.wait_for(Step.HOME)
    driver.wait_for_text("暂停服务")
    assert "本机暂时无法安全连接缴费系统" in driver.screen_text()  # in words, no jargon
    assert driver.named_button("resident") is None

    window = open_maintenance(ctx, new_kiosk.window)
    qtbot.addWidget(window)
    enter(qtbot, window)
    assert "terminal.pem is missing" in window.problems.text()
    click(qtbot, window, "open_certificate")
    page = window.pages["certificate"]
    click(qtbot, window, "certificate_request")
    [csr] = drive.glob(f"kiosk-csr-{TERMINAL}-*.pem")
    assert b"PRIVATE KEY" not in b"".join(p.read_bytes() for p in drive.iterdir())  # the key stays on the kiosk
    pending = page.enrolment.pending_key_file
    assert stat.S_IMODE(os.stat(pending).st_mode) == 0o600
    assert "waiting for its certificate" in page.status.text() or "等待" in page.status.text()

    (drive / certificate_name(TERMINAL)).write_bytes(signed(pki, csr))
    click(qtbot, window, "certificate_import")
    qtbot.waitUntil(lambda: not ctx.health.has(ProblemKind.CLIENT_CERTIFICATE), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.test_button.isEnabled(), timeout=WAIT_MS)
    files = page.enrolment.files
    assert files.cert_file.is_file() and not pending.exists()
    assert stat.S_IMODE(os.stat(files.key_file).st_mode) == 0o600
    assert f"CN={TERMINAL}" in page.status.text()
    assert {"certificate_request_exported", "certificate_installed", "certificate_link_test"} <= set(
        audit_actions(window.service)
    )
    window.leave()

    record = pay_resident_pension(ctx.fee_system, f"kiosk-{TERMINAL}-20261127100000-E1E2E3")
    assert served.backend.find_payment(f"kiosk-{TERMINAL}-20261127100000-E1E2E3") == record
    driver.qtbot.waitUntil(lambda: driver.named_button("resident") is not None, timeout=WAIT_MS)


def test_every_step_is_audited_in_order(new_kiosk, pki, drive):
    service = MaintenanceService(new_kiosk.ctx)
    service.signed_in.append("T001")
    enrolment = Enrolment(service)
    csr = enrolment.make_request()
    (drive / certificate_name(TERMINAL)).write_bytes(signed(pki, csr))
    info = enrolment.import_certificate()
    assert enrolment.test_link() is None
    assert info.terminal_id == TERMINAL
    entries = [e for e in service.audit.entries() if e.action.startswith("certificate_")]
    assert [e.action for e in entries] == [
        "certificate_request_requested",
        "certificate_request_exported",
        "certificate_import_requested",
        "certificate_installed",
        "certificate_link_test_requested",
        "certificate_link_test",
    ]
    assert all(e.technician == "T001" for e in entries)
    assert entries[1].detail["file"] == str(csr) and entries[3].detail["subject"].startswith(f"CN={TERMINAL}")


@pytest.mark.parametrize("wrong", ["another terminal", "rogue CA", "another key", "not a certificate"])
def test_a_wrong_certificate_is_refused_in_words_and_nothing_is_installed(new_kiosk, pki, drive, wrong):
    service = MaintenanceService(new_kiosk.ctx)
    service.signed_in.append("T001")
    enrolment = Enrolment(service)
    csr = enrolment.make_request()
    target = drive / certificate_name(TERMINAL)
    if wrong == "another terminal":
        target.write_bytes(pki.terminal(OTHER_TERMINAL, name="enrol-other").cert_file.read_bytes())
    elif wrong == "rogue CA":
        target.write_bytes(pki.terminal(TERMINAL, name="enrol-rogue", rogue=True).cert_file.read_bytes())
    elif wrong == "another key":
        target.write_bytes(pki.terminal(TERMINAL, name="enrol-key", not_before=NOW).cert_file.read_bytes())
    else:
        target.write_bytes(csr.read_bytes())
    with pytest.raises(EnrolmentError) as refused:
        enrolment.import_certificate()
    words = {
        "another terminal": f"made for terminal {OTHER_TERMINAL}",
        "rogue CA": "not signed by the bureau's CA",
        "another key": "not for this kiosk's key",
        "not a certificate": "not a PEM certificate",
    }[wrong]
    assert words in str(refused.value)
    assert not enrolment.files.cert_file.exists() and enrolment.pending_key_file.exists()
    assert service.audit.entries()[-1].action == "certificate_import_failed"
    assert new_kiosk.ctx.health.has(ProblemKind.CLIENT_CERTIFICATE)


def test_an_unplugged_drive_is_said_and_no_key_is_made(new_kiosk, drive):
    service = MaintenanceService(new_kiosk.ctx)
    service.signed_in.append("T001")
    drive.rmdir()
    enrolment = Enrolment(service)
    with pytest.raises(OSError, match="plugged in"):
        enrolment.make_request()
    assert not enrolment.pending_key_file.exists()


def test_a_certificate_expiring_within_30_days_warns_the_technician(new_kiosk, pki, drive, qtbot):
    from screens.maintenance import open_maintenance

    service = MaintenanceService(new_kiosk.ctx)
    service.signed_in.append("T001")
    enrolment = Enrolment(service)
    csr = enrolment.make_request()
    soon = pki.sign_request(csr.read_bytes(), NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=20))
    (drive / certificate_name(TERMINAL)).write_bytes(soon)  # 20 days left on the kiosk's clock
    enrolment.import_certificate()
    assert "expires on" in (enrolment.state().inspection.warning or "")
    window = open_maintenance(new_kiosk.ctx, new_kiosk.window)
    qtbot.addWidget(window)
    enter(qtbot, window)
    assert "expires on" in window.problems.text() and "enrol again" in window.problems.text()
    window.leave()
