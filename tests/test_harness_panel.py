"""The simulator panel on the harness bench: its fault controls reach the simulators, its log shows the wire."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton

from app.harness.bench import BANK_HOST_MODES, CARD_CHIP_FAULTS
from app.harness.supervisor import SimulatorSupervisor
from conftest import CONFIG_DIR
from drivers.base import DeviceKind
from drivers.pcsc.daemon import ensure_pcscd
from kiosk.config import load_config
from kiosk.domain.idnumber import check_character
from kiosk.flow import Step
from kiosk_driving import Driver


@pytest.fixture
def sim(qapp, tmp_path, clock):
    from app.harness.sim_panel import SimulatorPanel
    from app.kiosk_app import KioskApp

    supervisor = SimulatorSupervisor(load_config(CONFIG_DIR / "simulated.toml"), tmp_path / "state", clock=clock)
    supervisor.start()
    kiosk = KioskApp(supervisor.config, qapp, clock=clock)
    kiosk.show(with_panel=False)
    panel = SimulatorPanel(kiosk.ctx, supervisor.bench, supervisor.traffic)
    yield supervisor, kiosk, panel
    panel.close()
    kiosk.close()
    supervisor.stop()


def test_panel_faults_reach_the_simulators_and_the_log_shows_traffic(sim, qtbot):
    supervisor, kiosk, panel = sim
    panel.findChild(QCheckBox, "sim_unplug_printer").setChecked(True)
    assert supervisor.simulators[DeviceKind.RECEIPT_PRINTER]._unplugged
    panel.findChild(QCheckBox, "sim_unplug_printer").setChecked(False)
    assert not supervisor.simulators[DeviceKind.RECEIPT_PRINTER]._unplugged
    faults = panel.findChild(QComboBox, "sim_idcard_fault")
    faults.setCurrentIndex(faults.findData("checksum_always"))
    assert supervisor.simulators["idcard"].faults.corrupt_checksum == "always"
    fee = panel.findChild(QComboBox, "sim_fee_system")
    assert fee.isEnabled()
    fee.setCurrentIndex(fee.findData("unreachable"))
    fee.setCurrentIndex(fee.findData("ok"))
    faults.setCurrentIndex(faults.findData("none"))
    driver = Driver(kiosk, qtbot)
    driver.tap("resident")
    driver.tap("pay")  # the login screen polls the ID card reader
    log = panel.findChild(QPlainTextEdit, "sim_traffic_log")
    qtbot.waitUntil(lambda: "idcard →" in log.toPlainText(), timeout=5000)  # the watcher polls the reader
    assert "AA AA AA 96 69" in log.toPlainText()


def test_panel_bank_card_and_bank_host_controls_reach_the_simulators(sim, qtbot):
    ensure_pcscd()
    supervisor, _kiosk, panel = sim
    accounts = panel.findChild(QComboBox, "sim_bank_account")
    bank = supervisor.simulators["bank"]
    assert accounts.count() == len(bank.accounts()) and "ZHANG SAN" in accounts.itemText(0)
    slot = supervisor.simulators["bankcard"]
    accounts.setCurrentIndex(accounts.findData(bank.accounts()[1].pan))
    panel.findChild(QPushButton, "sim_insert_bankcard").click()
    try:
        assert slot.client is not None and slot.client.card.profile.pan == bank.accounts()[1].pan
    finally:
        panel.findChild(QPushButton, "sim_remove_bankcard").click()
    assert slot.client is None
    host = panel.findChild(QComboBox, "sim_bank_host")
    host.setCurrentIndex(host.findData("unreachable"))
    assert "bank" in supervisor.bench.unplugged and bank._server is None
    host.setCurrentIndex(host.findData("drop"))
    assert bank._server is not None and bank._faults and bank._faults[0].kind == "drop"
    host.setCurrentIndex(host.findData("ok"))
    assert not bank._faults


def test_panel_bank_host_answers_the_next_purchase_with_the_chosen_code_or_late(sim):
    supervisor, _kiosk, panel = sim
    bank = supervisor.simulators["bank"]
    host = panel.findChild(QComboBox, "sim_bank_host")
    codes = panel.findChild(QComboBox, "sim_bank_code")
    assert {"00", "51", "55", "75", "96", "A0"} <= {codes.itemData(i) for i in range(codes.count())}
    assert set(BANK_HOST_MODES) == {host.itemData(i) for i in range(host.count())}
    assert not codes.isEnabled()  # a code means nothing until the mode says "answer with a code"
    host.setCurrentIndex(host.findData("code"))
    assert codes.isEnabled()
    codes.setCurrentIndex(codes.findData("51"))
    assert [(f.kind, f.code, f.process) for f in bank._faults] == [("code", "51", False)]  # re-armed, not added
    host.setCurrentIndex(host.findData("late"))
    assert [(f.kind, f.delay) for f in bank._faults] == [("late", 3.0)] and not codes.isEnabled()
    host.setCurrentIndex(host.findData("ok"))
    assert not bank._faults


def test_panel_chip_faults_and_settlement_totals_reach_the_card_and_the_host(sim):
    ensure_pcscd()
    supervisor, _kiosk, panel = sim
    bank, slot = supervisor.simulators["bank"], supervisor.simulators["bankcard"]
    faults = panel.findChild(QComboBox, "sim_bankcard_fault")
    assert {faults.itemData(i) for i in range(faults.count())} == {"", *CARD_CHIP_FAULTS}
    faults.setCurrentIndex(faults.findData("aac_second"))  # no card in the slot: said in the panel
    assert "no bank card" in panel.fault_note.text()
    panel.findChild(QPushButton, "sim_insert_bankcard").click()
    try:
        faults.setCurrentIndex(faults.findData("pulled_between"))
        assert slot.client.card.faults.pull_at_second_ac is True and panel.fault_note.text() == ""
        faults.setCurrentIndex(faults.findData("wrong_arqc"))
        assert slot.client.card.faults.wrong_arqc is True
    finally:
        panel.findChild(QPushButton, "sim_remove_bankcard").click()
    host = panel.findChild(QComboBox, "sim_bank_host")
    host.setCurrentIndex(host.findData("totals_differ"))
    assert [f.kind for f in bank._faults] == ["totals"]
    host.setCurrentIndex(host.findData("arpc_wrong"))
    assert [f.kind for f in bank._faults] == ["bad_arpc"]
    host.setCurrentIndex(host.findData("ok"))
    assert not bank._faults


def test_panel_a4_printer_faults_reach_cups(sim):
    _supervisor, kiosk, panel = sim
    printer = kiosk.ctx.devices.a4_printer
    states = panel.findChild(QComboBox, "sim_a4_printer")
    assert states.isEnabled() and printer is not None
    states.setCurrentIndex(states.findData("offline"))
    assert printer.a4_status().blocking_reason == "offline"  # the queue is stopped: CUPS says so before any job
    states.setCurrentIndex(states.findData("out"))
    assert printer.a4_status().blocking_reason is None  # paper out is heard from the backend when a job is sent
    assert panel.bench.a4_printer.fault == "out"
    states.setCurrentIndex(states.findData("ok"))
    assert panel.bench.a4_printer.fault == "ok" and printer.a4_status().blocking_reason is None


def test_panel_on_the_shared_pcscd_greys_out_the_card_reader_plugs_and_says_why(sim):
    supervisor, _kiosk, panel = sim
    assert supervisor.bench.pcscd is None  # the test process speaks to the machine's pcscd
    for device in ("sscard", "bankcard"):
        box = panel.findChild(QCheckBox, f"sim_unplug_{device}")
        assert not box.isEnabled() and box.toolTip() == supervisor.bench.pcscd_problem
    assert panel.findChild(QCheckBox, "sim_unplug_idcard").isEnabled()


def test_panel_log_shows_the_social_security_cards_apdus_by_name_never_its_data(sim, qtbot):
    ensure_pcscd()
    supervisor, kiosk, panel = sim
    people = panel.findChild(QComboBox, "sim_person")
    people.setCurrentIndex(people.findData("young"))
    driver = Driver(kiosk, qtbot)
    driver.tap("resident")
    driver.tap("pay")
    panel.findChild(QPushButton, "sim_insert_sscard").click()
    try:
        qtbot.waitUntil(lambda: kiosk.ctx.flow.step.value == "items", timeout=10000)
    finally:
        panel.findChild(QPushButton, "sim_pull_sscard").click()
    lines = [entry.line() for entry in supervisor.traffic.entries("sscard")]
    assert any("sscard → 00 A4" in line and "[SELECT P1 04 P2 00]" in line for line in lines)
    assert any("sscard ←" in line and "[SW 9000," in line for line in lines)
    assert any("[ATR, 12 bytes]" in line for line in lines)
    decoded = " ".join(entry.decoded for entry in supervisor.traffic.entries("sscard"))
    person = supervisor.bench.person("young")
    assert person.fields["id_number"] not in decoded and person.name not in decoded
    log = panel.findChild(QPlainTextEdit, "sim_traffic_log")
    qtbot.waitUntil(lambda: "sscard →" in log.toPlainText(), timeout=5000)


def test_panel_typed_id_card_reaches_the_kiosk_as_typed(sim, qtbot):
    _supervisor, kiosk, panel = sim
    driver = Driver(kiosk, qtbot)
    driver.tap("flexible")
    driver.tap("pay")
    note = panel.findChild(QLabel, "sim_typed_note")
    panel.findChild(QPushButton, "sim_place_typed_card").click()
    assert "姓名" in note.text() or "name" in note.text()  # nothing typed: said, nothing laid

    body = "37010219900101123"
    wrong = "0" if check_character(body) != "0" else "1"
    panel.findChild(QLineEdit, "sim_typed_name").setText("王小明")
    panel.findChild(QLineEdit, "sim_typed_id_number").setText(body + wrong)
    panel.findChild(QPushButton, "sim_place_typed_card").click()
    driver.wait_for_text("证件号码无效")  # the kiosk judges the number, not the simulator
    assert kiosk.ctx.flow.step.value == "login"

    panel.findChild(QPushButton, "sim_remove_card").click()
    panel.findChild(QLineEdit, "sim_typed_id_number").setText(body + check_character(body))
    panel.findChild(QLineEdit, "sim_typed_valid_to").setText("长期")
    panel.findChild(QPushButton, "sim_place_typed_card").click()
    driver.wait_for_text("未查询到您的社保参保登记信息")  # a valid number nobody registered


def test_panel_phone_pays_only_with_the_orders_own_app_and_can_walk_away(sim, qtbot):
    supervisor, kiosk, panel = sim
    driver = Driver(kiosk, qtbot)
    driver.tap("resident")
    driver.tap("pay")
    supervisor.bench.place_id_card("resident")  # on the supervisor's reader simulator, which the kiosk reads
    driver.wait_for(Step.ITEMS)
    driver.tap("resident_pension")
    driver.tap("year_2026")
    driver.tap("wechat")
    driver.tap("grade_G01")
    driver.tap("confirm_grade")
    driver.wait_for(Step.QR_PAY)
    qtbot.waitUntil(lambda: bool(supervisor.bench.open_orders()), timeout=5000)
    panel.refresh()
    texts = " ".join(label.text() for label in panel.findChildren(QLabel))
    assert "微信支付" in texts and "¥" in texts  # the open order says which app's code it is, in yuan
    panel.findChild(QPushButton, "sim_abandon_order").click()
    panel.findChild(QPushButton, "sim_pay_alipay").click()  # an Alipay app cannot pay a WeChat Pay code
    assert supervisor.bench.open_orders(), "the order was paid by the wrong app"
    assert "不属于" in " ".join(label.text() for label in panel.findChildren(QLabel))
    panel.findChild(QPushButton, "sim_pay_wechat").click()
    driver.wait_for_text("缴费成功")
    assert not supervisor.bench.open_orders()
