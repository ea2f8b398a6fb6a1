"""Render every screen of the built paths to docs/screens/NN-flow-screen.png (NN: the flow's number in DESIGN.md §1).

Runs the whole kiosk offscreen on simulated hardware at the 1920x1080 design size, drives it like a person
(taps by objectName) and like the simulator panel (cards, the phone), and grabs the window at each step.
Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/render_screens.py [OUTPUT_DIR]  (or: make screens)
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image, ImageDraw, ImageFont  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QPushButton  # noqa: E402

from app.kiosk_app import KioskApp  # noqa: E402
from drivers.bankhost.messages import PURCHASE, SIGN_ON  # noqa: E402
from drivers.base import DeviceKind  # noqa: E402
from drivers.idcard.simulator import demo_card  # noqa: E402
from kiosk.config import load_config  # noqa: E402
from kiosk.demo import demo_people  # noqa: E402
from printers.certificates.fonts import FONT_PATH  # noqa: E402
from printers.escpos.commands import columns_for, display_width  # noqa: E402
from printers.escpos.parser import PrintedReceipt  # noqa: E402
from printers.receipt import REPRINT_MARK, SPECIMEN_MARK  # noqa: E402

NOW = dt.datetime(2026, 11, 27, 10, 0)


# The printed receipt as a picture: the simulator's text lines in the printer's cells (a Hanzi 24 dots wide, other
# characters 12: printers.escpos.commands.display_width) on the paper's printable width (32 or 48 columns). As
# printers/receipt.py lays it out: the title (the lines before the first mark or rule) double size and centred, the
# QR code after the second rule, what follows it centred.
CELL_DOTS = 12
LINE_DOTS = 30
RECEIPT_MARGIN = 24


def receipt_picture(receipt: PrintedReceipt, paper_width_mm: int) -> Image.Image:
    import qrcode

    width = columns_for(paper_width_mm) * CELL_DOTS
    font = ImageFont.truetype(str(FONT_PATH), 2 * CELL_DOTS)
    title_font = ImageFont.truetype(str(FONT_PATH), 4 * CELL_DOTS)
    rules = [i for i, line in enumerate(receipt.lines) if line and set(line) == {"-"}]
    first_rule, last_rule = (rules[0], rules[-1]) if len(rules) >= 2 else (0, len(receipt.lines))
    titles = 0
    while (
        titles < first_rule and receipt.lines[titles] != REPRINT_MARK and SPECIMEN_MARK[:2] not in receipt.lines[titles]
    ):
        titles += 1
    qr_images = [qrcode.make(payload, box_size=5, border=2).get_image() for payload in receipt.qr_payloads]
    height = 2 * RECEIPT_MARGIN + LINE_DOTS * (len(receipt.lines) + titles) + sum(i.height + 8 for i in qr_images)
    paper = Image.new("RGB", (width + 2 * RECEIPT_MARGIN, height + 40), "white")  # 40: the feed past the cutter
    draw = ImageDraw.Draw(paper)
    y = RECEIPT_MARGIN
    for index, line in enumerate(receipt.lines):
        if index == last_rule + 1:
            for image in qr_images:
                paper.paste(image, (RECEIPT_MARGIN + (width - image.width) // 2, y))
                y += image.height + 8
        scale = 2 if index < titles else 1
        line_dots = display_width(line) * CELL_DOTS * scale
        centred = index < first_rule or index > last_rule
        x = RECEIPT_MARGIN + ((width - line_dots) // 2 if centred else 0)
        for char in line:
            draw.text((x, y), char, font=title_font if scale == 2 else font, fill="black")
            x += display_width(char) * CELL_DOTS * scale
        y += LINE_DOTS * scale
    return paper


class Renderer:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        self.state = tempfile.TemporaryDirectory()
        config = load_config(REPO / "config" / "simulated.toml").with_overrides(
            {"paths.state_dir": self.state.name, "display.width": 1920, "display.height": 1080}
        )
        self.now = NOW  # moved for the picture of a closed payment window only
        self.kiosk = KioskApp(config, self.app, clock=lambda: self.now)
        self.kiosk.show(with_panel=False)
        self.ctx = self.kiosk.ctx
        self.people = {p.key: p for p in demo_people(config.config_path(config["fee_system.people"]))}

    def pump(self, seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.01)

    def until(self, condition: Callable[[], bool], timeout: float = 8.0) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                shown = " | ".join(w.text() for w in self.kiosk.window.current.findChildren(QLabel) if w.isVisible())
                raise TimeoutError(f"the kiosk did not get there: step {self.ctx.flow.step}: {shown}")
            self.pump(0.05)

    def tap(self, name: str) -> None:
        self.until(lambda: self.button(name) is not None)
        self.button(name).click()
        self.pump(0.3)

    def shot(self, name: str) -> None:
        self.pump(0.4)
        path = self.out / f"{name}.png"
        self.kiosk.window.grab().save(str(path))
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)

    def place_card(self, key: str) -> None:
        self.ctx.devices.simulators["idcard"].place_card(demo_card(self.people[key].id_card_fields()))

    def run(self) -> None:
        self.shot("01-home")
        self.tap("resident")
        self.shot("02-menu")
        self.tap("pay")
        self.shot("03-login")
        self.place_card("expired")
        self.until(lambda: self.shows("过有效期"))
        self.shot("03-login-expired-card")
        self.ctx.devices.simulators["idcard"].place_card(None)
        self.place_card("resident")
        self.until(lambda: self.ctx.flow.step.value == "items")
        self.shot("08-resident-items")
        self.tap("resident_pension")
        self.until(lambda: self.button("year_2026") is not None)
        self.shot("08-resident-pension-year")
        self.tap("year_2026")
        self.shot("08-resident-pension-pay-method")
        self.tap("alipay")
        self.tap("grade_G03")
        self.shot("08-resident-pension-grade")
        self.tap("confirm_grade")
        self.until(lambda: bool(self.ctx.fee_system.open_qr_orders()))
        self.shot("08-resident-pension-alipay-qr")
        self.ctx.fee_system.simulate_qr_payment(self.ctx.fee_system.open_qr_orders()[-1].order_no)
        self.until(lambda: self.ctx.flow.step.value == "result")
        self.pump(0.5)
        self.shot("08-resident-pension-paid")
        self.tap("finish")
        self.card_payment()
        self.window_closed()
        self.guide_payment_screens()
        self.household_basket()
        self.tap("resident")
        self.tap("pay")
        self.ctx.devices.simulators["idcard"].place_card(None)
        self.pump(0.5)
        self.place_card("elderly")
        self.until(lambda: self.ctx.flow.step.value == "items")
        self.tap("resident_medical")
        self.until(lambda: self.button("year_2027") is not None)
        self.shot("09-resident-medical-year")
        self.tap("year_2027")
        self.tap("wechat")
        self.tap("grade_G01")
        self.tap("confirm_grade")
        self.until(lambda: bool(self.ctx.fee_system.open_qr_orders()))
        self.shot("09-resident-medical-wechat-qr")
        self.tap("cancel_payment")
        self.until(lambda: self.ctx.flow.step.value == "result")
        self.shot("09-resident-medical-cancelled")
        self.tap("finish")
        self.login("flexible", "flexible", "pay")
        self.tap("flexible_medical")
        self.until(lambda: self.button("confirm_binding") is not None)
        self.shot("05-flexible-medical-binding")
        self.tap("confirm_binding")
        self.until(lambda: self.button("start_2026-10") is not None)
        self.tap("start_2026-10")
        self.tap("end_2026-12")
        self.tap("confirm_period")
        self.tap("wechat")
        self.tap("base_lowest")
        self.tap("confirm_base")
        self.until(lambda: self.button("confirm_items") is not None)
        self.shot("05-flexible-medical-items")
        self.home()
        self.login("flexible", "flexible", "pay")
        self.tap("flexible_pension")
        self.until(lambda: self.button("start_2026-09") is not None)
        self.tap("start_2026-09")
        self.tap("end_2026-11")
        self.shot("04-flexible-pension-months")
        self.tap("confirm_period")
        for key in "6000":
            self.tap(f"key_{key}")
        self.shot("04-flexible-pension-base")
        self.tap("confirm_base")
        self.until(lambda: self.button("start_payment") is not None)
        self.shot("04-flexible-pension-review")
        self.tap("start_payment")
        self.shot("04-flexible-pension-pay-method")
        self.home()
        self.login("special", "flexible", "pay")
        self.tap("special")
        self.until(lambda: self.button("bill_TS3701042026000137") is not None)
        self.shot("06-special-payment-bills")
        self.home()
        self.login("flexible", "resident", "proxy")
        for char in "37010220010301004":
            self.tap(f"key_{char}")
        self.tap("key_1")
        self.shot("07-proxy-wrong-check-character")
        self.tap("key_backspace")
        self.tap("key_0")
        self.tap("confirm_payee")
        self.until(lambda: self.ctx.flow.step.value == "proxy_confirm")
        self.shot("07-proxy-confirm-payee")
        self.home()
        self.certificates_and_query()
        self.tap("toggle_large_text")
        self.tap("toggle_contrast")
        self.shot("01-home-large-text-high-contrast")
        self.tap("resident")
        self.shot("02-menu-large-text-high-contrast")
        self.home()
        self.tap("toggle_large_text")
        self.login("permit", "resident", "pay")  # one who has not paid 2026 yet
        self.tap("resident_pension")
        self.tap("year_2026")
        self.tap("wechat")
        self.tap("grade_G03")
        self.shot("08-resident-pension-grade-large-text")
        self.home()
        self.tap("resident")
        self.ctx.countdown.expired.emit()
        self.shot("02-menu-still-there")
        self.home()
        self.tap("toggle_language")
        self.pump(0.5)
        self.shot("01-home-english")
        self.tap("flexible")
        self.ctx.countdown.expired.emit()
        self.shot("02-menu-still-there-english")

    def certificates_and_query(self) -> None:
        """Flows 10, 11, 14 (issued, reprint) and 12/15 (query with filters, the A4 list)."""
        self.login("history", "flexible", "certificates")
        self.shot("10-certificates-menu")
        self.tap("tax_certificate")
        self.shot("10-tax-certificate-period")
        self.tap("period_from")
        self.tap("picker_year_previous")
        self.shot("10-tax-certificate-choose-month")
        self.tap("month_1")
        self.tap("cert_year_2025")
        self.until(lambda: self.button("issue_certificate") is not None)
        records = sorted(self.ctx.fee_system.payment_records("370102199002140625"), key=lambda r: r.period.start)
        self.tap(f"record_{records[25].payment_no}")  # one unticked: both states show
        self.shot("10-tax-certificate-records")
        self.tap(f"record_{records[25].payment_no}")
        self.tap("issue_certificate")
        self.until(lambda: self.ctx.flow.step.value == "cert_preview")
        self.shot("10-tax-certificate-preview")
        self.tap("next_page")
        self.tap("zoom_in")
        self.shot("10-tax-certificate-preview-page-2-larger")
        self.tap("print_certificate")
        self.until(lambda: self.ctx.flow.step.value == "cert_done", timeout=30)
        self.shot("10-tax-certificate-take-it")
        self.tap("cert_more")
        self.tap("payment_certificate")
        self.tap("cert_year_2024")
        self.tap("cert_item_flexible_pension")
        self.tap("cert_item_flexible_medical")
        self.shot("11-payment-certificate-choose")
        self.tap("issue_summary")
        self.until(lambda: self.ctx.flow.step.value == "cert_preview")
        self.shot("11-payment-certificate-summary-preview")
        self.ctx.flow.back()
        self.tap("cert_year_2024")
        self.tap("cert_item_flexible_medical")
        self.tap("issue_detail")
        self.until(lambda: self.ctx.flow.step.value == "cert_preview")
        self.shot("11-payment-certificate-detail-preview")
        self.ctx.flow.back()
        self.ctx.flow.back()
        self.tap("issued_certificates")
        self.until(lambda: self.button("reprint_tax_202600000001") is not None)
        self.shot("14-certificates-issued")
        self.tap("reprint_tax_202600000001")
        self.until(lambda: self.ctx.flow.step.value == "cert_preview")
        self.shot("14-certificate-reprint-preview")
        self.tap("print_certificate")
        self.until(lambda: self.ctx.flow.step.value == "cert_done", timeout=30)
        self.shot("14-certificate-reprinted-take-it")
        self.home()
        self.login("history", "flexible", "query")
        self.tap("filter_item_flexible_pension")
        self.shot("15-query-filters")
        self.tap("filter_item_all")
        self.tap("query_year_2025")
        self.until(lambda: self.button("next_page") is not None)
        self.shot("12-query-records")
        self.tap("print_query")
        self.until(lambda: self.shows("取走查询结果"), timeout=30)
        self.shot("15-query-list-printed")
        self.home()

    def guide_payment_screens(self) -> None:
        """Issue 21's missing payment pictures: arrears by agency, bills with paging and the review, the listed
        bases, medical months/method/base, flexible items, QR and success, proxy ID entry and the payee's items,
        already-paid years, the receipt-printer warning."""
        self.login("arrears", "resident", "pay")
        self.shot("13-arrears-resident-items")
        self.tap("arrears")
        self.until(lambda: self.button("agency_1") is not None)
        self.shot("13-arrears-choose-agency")
        self.tap_text("济南市历下区社会保险事业中心")
        self.until(lambda: self.button("bills_next_page") is not None)
        self.shot("13-arrears-bills-page-1")
        self.tap("bills_next_page")
        self.shot("13-arrears-bills-page-2")
        self.tap("bill_BJ370103000104")
        self.until(lambda: self.ctx.flow.step.value == "checkout_method")
        self.shot("13-arrears-review-and-pay-method")
        self.tap("alipay")
        self.until(lambda: bool(self.ctx.fee_system.open_qr_orders()))
        self.shot("13-arrears-alipay-qr")
        self.ctx.fee_system.simulate_qr_payment(self.ctx.fee_system.open_qr_orders()[-1].order_no)
        self.until(lambda: self.ctx.flow.step.value == "result")
        self.shot("13-arrears-paid")
        self.home()
        self.login("special", "flexible", "pay")
        self.tap("special")
        self.until(lambda: self.button("bill_TS3701042026000137") is not None)
        self.tap("bill_TS3701042026000137")
        self.until(lambda: self.ctx.flow.step.value == "checkout_method")
        self.shot("06-special-payment-review-and-pay-method")
        self.home()
        self.login("flexible", "flexible", "pay")
        self.shot("04-flexible-items")
        self.tap("special")
        self.until(lambda: self.shows("没有待缴费"))
        self.shot("06-special-payment-no-bills")
        self.home()
        self.login("foreigner", "flexible", "pay")  # 张三丰's months are shown by run() afterwards: not paid here
        self.tap("flexible_pension")
        self.tap("start_2026-10")
        self.tap("end_2026-10")
        self.tap("confirm_period")
        self.tap("base_7586")
        self.shot("04-flexible-pension-base-chosen")
        self.tap("confirm_base")
        self.tap("start_payment")
        self.tap("wechat")
        self.until(lambda: bool(self.ctx.fee_system.open_qr_orders()))
        self.shot("04-flexible-pension-wechat-qr")
        self.ctx.fee_system.simulate_qr_payment(self.ctx.fee_system.open_qr_orders()[-1].order_no)
        self.until(lambda: self.ctx.flow.step.value == "result")
        self.shot("04-flexible-pension-paid")
        self.home()
        self.login("foreigner", "flexible", "pay")
        self.tap("flexible_medical")
        self.tap("confirm_binding")
        self.until(lambda: self.button("start_2026-08") is not None)
        self.tap("end_2026-10")
        self.shot("05-flexible-medical-months")
        self.tap("confirm_period")
        self.shot("05-flexible-medical-pay-method")
        self.tap("alipay")
        self.until(lambda: self.button("base_6069") is not None)
        self.tap("base_6069")
        self.shot("05-flexible-medical-base")
        self.home()
        self.login("history", "resident", "proxy")
        for char in "37010319720315002":
            self.tap(f"key_{char}")
        self.shot("07-proxy-id-entry")
        self.tap("key_6")
        self.tap("confirm_payee")
        self.until(lambda: self.ctx.flow.step.value == "proxy_confirm")
        self.tap("payee_confirmed")
        self.until(lambda: self.ctx.flow.step.value == "items")
        self.shot("07-proxy-payee-items")
        self.home()
        self.tap("flexible")
        self.tap("proxy")
        self.place_card("history")
        self.until(lambda: self.ctx.flow.step.value == "proxy_id")
        for char in "370102200103010040":  # 欧阳小雪, a resident: her own items, whatever was chosen on Home
            self.tap(f"key_{char}")
        self.tap("confirm_payee")
        self.until(lambda: self.ctx.flow.step.value == "proxy_confirm")
        self.tap("payee_confirmed")
        self.tap("resident_medical")  # her 2026 pension is paid by card above
        self.tap("year_2027")
        self.tap("bank_card")
        self.tap("grade_G01")
        self.shot("07-proxy-payee-grade")
        self.home()
        self.login("resident", "resident", "pay")  # paid 2026 by Alipay above
        self.tap("resident_pension")
        self.until(lambda: any("已缴费" in b.text() for b in self.kiosk.window.current.findChildren(QPushButton)))
        self.shot("08-resident-pension-year-already-paid")
        self.home()
        self.ctx.devices.simulators["receipt_printer"].set_state(cover_open=True)
        self.login("permit", "resident", "pay")
        self.tap("resident_medical")
        self.tap("year_2027")
        self.tap("alipay")
        self.tap("grade_G01")
        self.tap("confirm_grade")
        self.until(lambda: self.ctx.flow.step.value == "receipt_warning")
        self.shot("08-receipt-printer-warning")
        self.ctx.devices.simulators["receipt_printer"].set_state(cover_open=False)
        self.home()

    def household_basket(self) -> None:
        """Flows 17 and 18 (issue 22): the basket, the household register, one aggregated code paid by 云闪付."""
        self.home()
        self.login("household", "resident", "pay")
        for item, year in (("resident_pension", 2026), ("resident_medical", 2027)):
            if item == "resident_medical":
                self.tap("basket_add_mine")
            self.tap(item)
            self.tap(f"year_{year}")
            self.tap("alipay")
            self.tap("grade_G01")
            self.tap("add_to_basket")
            self.until(lambda: self.ctx.flow.step.value == "basket")
            if item == "resident_pension":
                self.tap("basket_household")
                self.until(lambda: self.button("household_add_2") is not None)
                self.tap("household_add_0")
                self.tap("household_add_2")
                self.shot("17-household-members")
                self.tap("household_add_1")
                self.tap("household_done")
        self.shot("17-basket")
        self.tap("basket_pay_aggregated")
        self.until(lambda: bool(self.ctx.fee_system.open_qr_orders()))
        self.shot("18-aggregated-qr")
        self.ctx.fee_system.simulate_qr_payment(self.ctx.fee_system.open_qr_orders()[-1].order_no, "unionpay")
        self.until(lambda: self.ctx.flow.step.value == "basket_done")
        self.shot("17-basket-paid")
        self.home()

    def tap_text(self, text: str) -> None:
        found = lambda: [b for b in self.kiosk.window.current.findChildren(QPushButton) if text in b.text()]  # noqa: E731
        self.until(lambda: bool(found()))
        found()[0].click()
        self.pump(0.3)

    def card_payment(self) -> None:
        """Flow 8 by bank card (刷卡支付): the PIN pad unplugged first (said on the pay method screen), then the
        card in, the PIN as asterisks, paid, "take your card"."""
        from drivers.pcsc.daemon import ensure_pcscd

        ensure_pcscd()
        with open(Path(tempfile.gettempdir()) / "sifee-vpcd-slot1.lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the bank card slot is shared with test runs (tests/bank_fixtures.py)
            try:
                self._card_payment()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _card_payment(self) -> None:
        from parties.bankhost.accounts import demo_accounts

        pad, slot = self.ctx.devices.simulators["pinpad"], self.ctx.devices.simulators["bankcard"]
        self.login("young", "resident", "pay")  # "resident" has paid 2026 by Alipay above
        self.tap("resident_pension")
        self.tap("year_2026")
        pad.set_offline(True)
        self.tap("bank_card")
        self.until(lambda: self.button("bank_card") is None and self.button("wechat") is not None)
        self.shot("08-resident-pension-card-pinpad-offline")
        pad.set_offline(False)
        self.home()
        self.login("young", "resident", "pay")
        self.tap("resident_pension")
        self.tap("year_2026")
        self.tap("bank_card")
        self.tap("grade_G03")
        self.tap("confirm_grade")
        self.until(lambda: self.ctx.flow.step.value == "card_pay" and self.shows("插卡口"))
        self.shot("08-resident-pension-card-insert")
        # The bank host answers the sign-on and the purchase 3 s late, so that reading and processing can be seen.
        bank = self.ctx.devices.simulators["bank"]
        bank.fault_next("late", SIGN_ON, delay=3.0)
        bank.fault_next("late", PURCHASE, delay=3.0)
        slot.insert(next(a for a in demo_accounts() if a.name == "ZHANG SAN"))
        self.until(lambda: self.shows("正在读取银行卡"))
        self.shot("08-resident-pension-card-reading")
        self.until(lambda: pad.pin_entry_active, timeout=15)
        for digit in "123":
            pad.press(digit)
        self.until(lambda: self.shows("* * * _ _ _"))
        self.shot("08-resident-pension-card-pin")
        pad.type_pin("654")
        self.until(lambda: self.shows("正在与银行交易"))
        self.shot("08-resident-pension-card-processing")
        self.until(lambda: self.ctx.flow.step.value == "result", timeout=20)
        self.shot("08-resident-pension-card-paid")
        printer = self.ctx.devices.simulators[DeviceKind.RECEIPT_PRINTER]
        self.until(lambda: bool(printer.receipts))
        self.receipt_shot("08-resident-pension-card-printed-receipt", printer.receipts[-1])
        slot.remove()
        self.tap("finish")

    def receipt_shot(self, name: str, receipt: PrintedReceipt) -> None:
        path = self.out / f"{name}.png"
        receipt_picture(receipt, self.ctx.config["devices.receipt_printer.paper_width_mm"]).save(path)
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)

    def window_closed(self) -> None:
        """28 December: the resident pension's window (to 25 December) is closed; the screen says when next year's
        opens."""
        self.now = dt.datetime(2026, 12, 28, 10, 0)
        try:
            self.login("permit", "resident", "pay")
            self.tap("resident_pension")
            self.until(lambda: self.shows("缴费时间为"))
            self.shot("08-resident-pension-window-closed")
            self.home()
        finally:
            self.now = NOW

    def shows(self, text: str) -> bool:
        return any(text in w.text() for w in self.kiosk.window.current.findChildren(QLabel) if w.isVisible())

    def button(self, name: str) -> QPushButton | None:
        found = [b for b in self.kiosk.window.findChildren(QPushButton, name) if b.isVisible() and b.isEnabled()]
        return found[0] if found else None

    def home(self) -> None:
        self.ctx.flow.end_session("home")
        self.ctx.devices.simulators["idcard"].place_card(None)
        self.pump(0.6)

    def login(self, key: str, category: str, module: str) -> None:
        self.ctx.devices.simulators["idcard"].place_card(None)  # the last person's card is taken away
        self.pump(0.5)
        self.tap(category)
        self.tap(module)
        self.place_card(key)
        self.until(lambda: self.ctx.flow.step.value != "login")
        self.pump(0.3)

    def close(self) -> None:
        self.kiosk.close()
        self.state.cleanup()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    renderer = Renderer(out)
    try:
        renderer.run()
    finally:
        renderer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
