"""Maintenance mode's voice section: the output in words (or that the kiosk is silent), the hall's volume kept
across restarts, a test sound; the citizen's steps never go silent nor past full."""

from __future__ import annotations

from kiosk.voice import DEFAULT_VOLUME, MIN_VOLUME, AudioOutput, Voice
from kiosk.voice_pack import PACK_DIR
from screens.voice_volume import VoiceVolumeSection


def test_no_output_is_said_and_the_test_sound_greyed(qtbot, tmp_path):
    section = VoiceVolumeSection(Voice(enabled=False), output=lambda: AudioOutput(False, ""))
    qtbot.addWidget(section)
    assert "No audio output" in section.output.text() or "没有音频输出" in section.output.text()
    assert not section.test.isEnabled()


def test_the_hall_volume_is_kept_and_the_test_sound_plays_at_it(qtbot, tmp_path):
    store = tmp_path / "voice_volume.json"
    voice = Voice(enabled=False, volume_file=store)
    played: list[list[str]] = []
    voice.played.connect(played.append)
    section = VoiceVolumeSection(voice, output=lambda: AudioOutput(True, "Built-in Audio Analog Stereo"))
    qtbot.addWidget(section)
    assert "Built-in Audio Analog Stereo" in section.output.text() and section.test.isEnabled()
    section.louder.click()
    assert abs(voice.hall_volume - (DEFAULT_VOLUME + 0.1)) < 1e-9
    assert played == [[str(PACK_DIR / "zh_CN" / "test_sound.wav")]]
    assert "80" in section.level.text()
    assert Voice(enabled=False, volume_file=store).hall_volume == voice.hall_volume  # after a restart


def test_volume_bounds_and_an_unreadable_store(tmp_path):
    store = tmp_path / "voice_volume.json"
    store.write_text("not json")
    voice = Voice(enabled=False, volume_file=store)
    assert voice.hall_volume == DEFAULT_VOLUME
    for _ in range(5):
        voice.louder()
    assert voice.volume == 1.0 and voice.citizen_step == 2
    voice.set_hall_volume(0.0)
    for _ in range(5):
        voice.quieter()
    assert voice.volume == MIN_VOLUME
