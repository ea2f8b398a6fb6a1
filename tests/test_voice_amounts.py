"""Amounts spoken by joining number clips, after the uppercase-amount rules; texts resolved to the pack's clips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.money import MAX_FEN, format_fen
from kiosk.spoken_amounts import amount_clips, count_clips, parse_amount
from kiosk.voice import PromptResolver, Voice
from kiosk.voice_pack import PACK_DIR, load_catalogue


def test_1409_yuan_50_in_mandarin():
    # 壹仟肆佰零玖元伍角, said: 一 千 四 百 零 九 元 五 角
    assert amount_clips(parse_amount("¥1,409.50"), "zh_CN") == [
        "num_1", "num_1000", "num_4", "num_100", "num_0", "num_9", "unit_yuan", "num_5", "unit_jiao",
    ]  # fmt: skip


def test_1409_yuan_50_in_english():
    assert amount_clips(parse_amount("¥1,409.50"), "en") == [
        "num_1", "num_1000", "num_4", "num_100", "num_9", "unit_yuan", "num_50", "unit_fen",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("fen", "clips"),
    [
        (80000, ["num_8", "num_100", "unit_yuan"]),  # 捌佰元整: 整 is not said
        (1500, ["num_10", "num_5", "unit_yuan"]),  # 壹拾伍元: a leading ten is said 十五
        (100005, ["num_1", "num_1000", "unit_yuan", "num_0", "num_5", "unit_fen"]),  # 壹仟元零伍分
        (5, ["num_5", "unit_fen"]),
        (0, ["num_0", "unit_yuan"]),
        (1234567800, ["num_1", "num_1000", "num_2", "num_100", "num_3", "num_10", "num_4", "num_10000",
                      "num_5", "num_1000", "num_6", "num_100", "num_7", "num_10", "num_8", "unit_yuan"]),
    ],
)  # fmt: skip
def test_mandarin_follows_the_uppercase_rules(fen, clips):
    assert amount_clips(fen, "zh_CN") == clips


def test_refunds_and_non_amounts_are_refused():
    with pytest.raises(ValueError):
        amount_clips(-100, "zh_CN")
    with pytest.raises(ValueError):
        parse_amount("1409.5")


@given(st.integers(min_value=0, max_value=MAX_FEN - 1))
def test_every_amount_is_said_with_clips_the_pack_has(fen):
    numbers = set(load_catalogue().numbers)
    assert parse_amount(format_fen(fen)) == fen
    for language in ("zh_CN", "en"):
        clips = amount_clips(fen, language)
        assert clips and set(clips) <= numbers


def test_a_prompt_with_an_amount_resolves_to_its_clip_then_the_number_clips(qapp):
    resolver = PromptResolver(load_catalogue())
    found = resolver.resolve("Amount due: ¥1,409.50. Please scan the code with Alipay to pay.", "zh_CN")
    assert found.unmatched == ""
    assert found.clips == [
        "amount_due", "num_1", "num_1000", "num_4", "num_100", "num_0", "num_9", "unit_yuan", "num_5", "unit_jiao",
        "qr_alipay",
    ]  # fmt: skip


def test_joined_prompts_resolve_longest_first_and_unknown_text_is_reported(qapp):
    resolver = PromptResolver(load_catalogue())
    joined = resolver.resolve("Payment successful. Please take your receipt. Please take your bank card.", "en")
    assert joined.clips == ["result_paid_receipt", "result_take_card"] and joined.unmatched == ""
    unknown = resolver.resolve("Please choose a service. Something no pack says.", "en")
    assert unknown.clips == ["menu"] and unknown.unmatched == "Something no pack says."


def test_the_voice_plays_the_files_of_the_kiosk_language(qapp):
    voice = Voice(enabled=False, locale_name="en")
    played: list[list[str]] = []
    voice.played.connect(played.append)
    voice.say("Please choose a service.")
    voice.replay()
    assert played == [[str(PACK_DIR / "en" / "menu.wav")]] * 2
    voice.locale_name = "zh_CN"
    voice.say("Amount due: ¥8.00.")
    assert played[-1] == [str(PACK_DIR / "zh_CN" / f"{clip}.wav") for clip in ("amount_due", "num_8", "unit_yuan")]
    voice.say("Nothing the pack says")
    assert voice.unmatched == ["Nothing the pack says"] and played[-1] == []


def test_a_bureau_recording_replaces_the_rendered_file(qapp, tmp_path):
    recorded = tmp_path / "zh_CN" / "menu.wav"
    recorded.parent.mkdir()
    recorded.write_bytes((PACK_DIR / "zh_CN" / "menu.wav").read_bytes())
    voice = Voice(enabled=False, override_dir=tmp_path)
    played: list[list[str]] = []
    voice.played.connect(played.append)
    voice.say("Please choose a service.")
    assert played == [[str(recorded)]]


@pytest.mark.parametrize(
    ("seconds", "mandarin", "english"),
    [
        (20, ["num_2", "num_10"], ["num_20"]),  # 二十 / twenty
        (15, ["num_10", "num_5"], ["num_15"]),  # 十五: a leading ten is said 十
        (45, ["num_4", "num_10", "num_5"], ["num_40", "num_5"]),
        (120, ["num_1", "num_100", "num_2", "num_10"], ["num_1", "num_100", "num_20"]),  # 一百二十
        (105, ["num_1", "num_100", "num_0", "num_5"], ["num_1", "num_100", "num_5"]),  # 一百零五
    ],
)
def test_a_count_of_seconds_is_said_without_a_unit(seconds, mandarin, english):
    assert count_clips(seconds, "zh_CN") == mandarin
    assert count_clips(seconds, "en") == english
