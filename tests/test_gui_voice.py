"""Voice prompts: every screen names what to do next; with no speech engine the kiosk stays silent, never fails."""

from __future__ import annotations

from kiosk.flow import Step
from kiosk.voice import Voice
from kiosk_driving import Driver

# Screens whose prompt depends on how the payment ended: they are checked by the flow tests (driver.spoken).
PROMPT_AFTER_OUTCOME = {Step.RESULT}


def test_every_screen_has_a_voice_prompt(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.login_resident("resident")  # so that screens built from the session have one
    silent = [
        step
        for step, screen in driver.kiosk.window.screens.items()
        if step not in PROMPT_AFTER_OUTCOME and not screen.voice_prompt().strip()
    ]
    assert silent == []


def test_the_prompt_is_spoken_on_each_step(make_kiosk, qtbot):
    driver = Driver(make_kiosk(), qtbot)
    driver.tap("resident")
    driver.wait_for(Step.MENU)
    assert driver.spoken[-1] == driver.kiosk.window.screens[Step.MENU].voice_prompt()
    driver.tap("pay")
    driver.wait_for(Step.LOGIN)
    assert "身份证" in driver.spoken[-1]


def test_no_engine_is_silence_not_a_crash(qapp):
    voice = Voice(enabled=True, locale_name="zh_CN")
    voice.say("请将身份证放在读卡区")  # with or without an engine installed here: no exception
    assert voice.last_prompt == "请将身份证放在读卡区"
