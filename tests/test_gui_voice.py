"""Voice prompts: every screen names what to do next, each screen change starts its file of the prompt pack (seen
through the Voice's `played` signal, the recording sink), 再听一遍 repeats it, a citizen's louder is theirs alone;
with no audio output the kiosk stays silent, never fails."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from kiosk.card_checkout import MSG_POSTING_LATER
from kiosk.checkout import PaymentOutcome
from kiosk.domain.items import PayMethod
from kiosk.feesystem.api import QrOrderState
from kiosk.flow import Step
from kiosk.voice import Voice
from kiosk.voice_pack import PACK_DIR, load_catalogue
from kiosk_driving import Driver

# Screens whose prompt depends on how the payment ended: they are checked by the flow tests (driver.spoken).
PROMPT_AFTER_OUTCOME = {Step.RESULT}
MIN_TOUCH_PX = 80


def pack(*clips: str, language: str = "zh_CN") -> list[str]:
    return [str(PACK_DIR / language / f"{clip}.wav") for clip in clips]


def recording(driver: Driver) -> list[list[str]]:
    played: list[list[str]] = []
    driver.kiosk.voice.played.connect(played.append)
    return played


def test_every_screen_has_a_voice_prompt(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login_resident("resident")  # so that screens built from the session have one
    silent = [
        step
        for step, screen in driver.kiosk.window.screens.items()
        if step not in PROMPT_AFTER_OUTCOME and not screen.voice_prompt().strip()
    ]
    assert silent == []


def test_every_screen_prompt_is_said_by_files_of_the_pack(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login_resident("resident")
    played = recording(driver)
    voice = driver.kiosk.voice
    for step, screen in driver.kiosk.window.screens.items():
        if step not in PROMPT_AFTER_OUTCOME:
            voice.say(screen.voice_prompt())
            assert played[-1] and all(Path(file).is_file() for file in played[-1]), step
    assert voice.unmatched == []


def test_the_prompt_is_spoken_on_each_step(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    played = recording(driver)
    driver.tap("resident")
    driver.wait_for(Step.MENU)
    assert driver.spoken[-1] == driver.kiosk.window.screens[Step.MENU].voice_prompt()
    assert played[-1] == pack("menu")
    driver.tap("pay")
    driver.wait_for(Step.LOGIN)
    assert "身份证" in driver.spoken[-1]
    assert played[-1] == pack("login")


def test_the_pay_screen_says_the_amount_from_number_clips(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login_resident("resident")
    played = recording(driver)
    driver.to_resident_pension_grades("alipay")
    driver.tap("grade_G03")
    driver.wait_for_text("应缴金额：¥800.00")
    driver.tap("confirm_grade")
    driver.wait_for(Step.QR_PAY)
    assert played[-1] == pack("amount_due", "num_8", "num_100", "unit_yuan", "qr_alipay")  # 应缴金额八百元
    driver.pay_open_order()
    driver.wait_for(Step.RESULT)
    assert played[-1] == pack("result_paid_receipt")
    driver.tap("finish")
    driver.wait_for(Step.HOME)
    assert driver.kiosk.voice.unmatched == []


def test_hear_again_is_on_every_screen_and_repeats_the_prompt(make_kiosk, qtbot):
    driver = Driver(make_kiosk(**{"display.width": 1920, "display.height": 1080}), qtbot)
    played = recording(driver)
    driver.tap("toggle_large_text")  # the footer with every Home button still fits the hall's screen
    assert driver.kiosk.window.minimumSizeHint().width() <= 1920
    for step in (Step.HOME, Step.MENU):
        if step is Step.MENU:
            driver.tap("resident")
            driver.wait_for(Step.MENU)
        again = driver.kiosk.window.hear_again_button
        assert again.isVisible() and again.text() == "再听一遍" and again.height() >= MIN_TOUCH_PX
        driver.tap("hear_again")
        driver.tap("hear_again")
        assert played[-2:] == [pack(step.value)] * 2


def test_louder_is_for_one_citizen_only(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    voice = driver.kiosk.voice
    hall = voice.volume
    played = recording(driver)
    driver.tap("voice_louder")
    assert voice.volume > hall and played[-1] == pack("home")  # said again at the new volume
    driver.tap("voice_quieter")
    driver.tap("voice_quieter")
    assert voice.volume < hall
    driver.tap("resident")
    driver.wait_for(Step.MENU)
    driver.tap("home")
    driver.wait_for(Step.HOME)
    driver.wait(lambda: voice.volume == hall, "the next citizen gets the hall's volume")


def test_no_audio_output_is_silence_not_a_crash(qapp):
    voice = Voice(enabled=True, locale_name="zh_CN")
    played: list[list[str]] = []
    voice.played.connect(played.append)
    # With or without an audio device here: no exception.
    voice.say("Please place your ID card on the reader, or insert your social security card.")
    voice.louder()
    voice.play_test_sound()
    assert voice.last_prompt.startswith("Please place your ID card")
    assert played[0] == pack("login") and played[1] == pack("test_sound")


def test_still_there_says_its_seconds_from_number_clips_and_a_tap_stops_it(make_kiosk, qtbot):
    driver = Driver(make_kiosk(**{"timeouts.still_there_seconds": 20}), qtbot)
    played = recording(driver)
    stopped: list[bool] = []
    driver.kiosk.voice.stopped.connect(lambda: stopped.append(True))
    driver.tap("resident")
    driver.wait_for(Step.MENU)
    driver.ctx.countdown.expired.emit()  # the screen's countdown ran out
    assert driver.kiosk.window.overlay.isVisible()
    assert "还剩20秒" in driver.spoken[-1]
    assert played[-1] == pack("still_there", "num_2", "num_10", "unit_second")  # ……还剩 二 十 秒
    assert stopped == []
    driver.tap("still_there_continue")
    assert stopped == [True] and driver.step is Step.MENU
    assert driver.kiosk.voice.unmatched == []


def test_still_there_in_english_says_the_seconds_in_english(make_kiosk, qtbot):
    driver = Driver(make_kiosk(**{"timeouts.still_there_seconds": 45}), qtbot)
    driver.tap("toggle_language")
    driver.wait(lambda: driver.kiosk.voice.locale_name == "en", "the kiosk speaks English")
    played = recording(driver)
    driver.tap("resident")
    driver.wait_for(Step.MENU)
    driver.ctx.countdown.expired.emit()
    assert played[-1] == pack("still_there", "num_40", "num_5", "unit_second", language="en")
    assert driver.kiosk.voice.unmatched == []


def result_prompt(driver: Driver, outcome: PaymentOutcome | None, reason: str | None = None) -> str:
    """What the result screen says for an outcome (as show_step says it)."""
    session = driver.ctx.session
    session.pay_method, session.payment, session.receipt_error = PayMethod.ALIPAY, outcome, reason
    screen = driver.kiosk.window.screens[Step.RESULT]
    screen.on_enter()
    return screen.voice_prompt()


def test_the_result_screen_says_every_device_message_with_its_own_prompt(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    played = recording(driver)
    voice = driver.kiosk.voice
    messages = [prompt for prompt in load_catalogue().prompts.values() if prompt.context == "DeviceMessage"]
    assert len(messages) > 50
    for prompt in messages:
        voice.say(result_prompt(driver, PaymentOutcome(QrOrderState.CLOSED, None, message=prompt.text)))
        assert played[-1] == pack("result_not_made_because", prompt.id), prompt.id  # 本次缴费未完成。+ its words
    assert voice.unmatched == []


def test_the_result_screen_says_the_card_screens_ending_and_a_late_posting(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    played = recording(driver)
    voice = driver.kiosk.voice
    removed = QCoreApplication.translate("CardPayScreen", "The bank card was taken out. No money was taken.")
    voice.say(result_prompt(driver, None, reason=removed))
    assert played[-1] == pack("result_not_made_because", "card_removed")
    voice.say(result_prompt(driver, PaymentOutcome(QrOrderState.PAID, None, message=MSG_POSTING_LATER)))
    assert played[-1] == pack("result_paid", "dev_card_checkout_posting_later")
    voice.say(result_prompt(driver, None, reason="timeout"))
    assert played[-1] == pack("result_not_made")
    assert voice.unmatched == []
