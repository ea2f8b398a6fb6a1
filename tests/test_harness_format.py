"""The scenario format: what it accepts, and the plain errors for what it does not."""

from __future__ import annotations

import datetime as dt

import pytest

from app.harness.bench import (
    A4_PRINTER_STATES,
    BANK_HOST_MODES,
    FEE_SYSTEM_MODES,
    IDCARD_FAULTS,
    PRINTER_STATES,
    UNPLUGGABLE,
)
from app.harness.scenario import ACTIONS, ScenarioError, load_scenario, parse_scenario
from harness_fixtures import SCENARIO_FILES


def test_every_shipped_scenario_parses_and_uses_known_actions():
    assert len(SCENARIO_FILES) >= 15
    for path in SCENARIO_FILES:
        scenario = load_scenario(path)
        assert scenario.steps and all(step.action in ACTIONS for step in scenario.steps)


def test_header_and_steps_are_read_with_their_lines():
    scenario = parse_scenario(
        '[scenario]\nname = "x"\nnow = 2026-11-27T10:00:00\nwithin = 3\n[scenario.config]\n'
        '"timeouts.screen_seconds" = 2\n\n[[step]]\ntap = "resident"\n[[step]]\nwait_screen = "menu"\nwithin = 5\n'
    )
    assert scenario.now == dt.datetime(2026, 11, 27, 10, 0)
    assert scenario.within == 3 and scenario.config == {"timeouts.screen_seconds": 2}
    first, second = scenario.steps
    assert (first.number, first.line, first.action, first.value) == (1, 8, "tap", "resident")
    assert (second.line, second.options) == (10, {"within": 5})


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[[step]]\ntapp = "x"\n', "unknown key"),
        ('[[step]]\ntap = "x"\nwait_screen = "menu"\n', "exactly one action"),
        ('[[step]]\ntap = 3\n', "expected str"),
        ('[[step]]\nexpect_amount = "800"\n', "expected int"),
        ('[[step]]\nremove_id_card = "yes"\n', "expected bool"),
        ('[scenario]\nname = "x"\n', "no [[step]]"),
        ('[scenario]\nnow = "tomorrow"\n[[step]]\ntap = "x"\n', "local date-time"),
        ('[[step]]\ntap = "x"\nwithin = "long"\n', "within"),
        ("[[step]\n", "not valid TOML"),
        ('[scenario]\npcscd = "mine"\n[[step]]\ntap = "x"\n', "pcscd: expected one of shared, own, auto"),
    ],
)
def test_bad_scenarios_are_refused_with_the_step(text, words):
    with pytest.raises(ScenarioError, match=words.replace("[", r"\[")):
        parse_scenario(text)


def test_bank_card_actions_and_their_options():
    scenario = parse_scenario(
        '[[step]]\ninsert_bankcard = "ZHANG SAN"\n[[step]]\nbank_host = "code"\ncode = "51"\n'
        '[[step]]\ntype_pin = "123654"\n[[step]]\nexpect_bank = { account = "ZHANG SAN", debited_fen = 0 }\n'
        '[[step]]\nexpect_certificate = ["补打"]\n'
    )
    actions = [(step.action, step.options) for step in scenario.steps]
    assert actions[1] == ("bank_host", {"code": "51"})
    assert [action for action, _ in actions] == [
        "insert_bankcard", "bank_host", "type_pin", "expect_bank", "expect_certificate"
    ]
    with pytest.raises(ScenarioError, match="insert_bankcard: expected str"):
        parse_scenario("[[step]]\ninsert_bankcard = 6230606601007726888\n")


def test_every_flow_and_the_bank_card_cases_have_a_scenario():
    names = {path.stem for path in SCENARIO_FILES}
    flows = {"flexible_pension_wechat", "flexible_medical_alipay", "special_payment_alipay", "proxy_payment_alipay",
             "resident_pension_alipay_receipt", "resident_medical_wechat_sscard", "tax_certificate_and_reprint",
             "payment_certificate_summary", "query_reprint_receipt"}
    card = {"card_approved", "card_wrong_pin", "card_insufficient_funds", "card_host_timeout_reversal",
            "card_removed_during_pin"}
    assert flows | card <= names


def test_every_fault_the_panel_can_inject_has_a_scenario():
    used: dict[str, set[str]] = {}
    for path in SCENARIO_FILES:
        for step in load_scenario(path).steps:
            if isinstance(step.value, str):
                used.setdefault(step.action, set()).add(step.value)
    recoveries = {"ok", "none", "cover_closed", "online"}
    faults = {
        "unplug": set(UNPLUGGABLE),
        "idcard_fault": set(IDCARD_FAULTS) - {"silent"},  # silent is what unplug does; the panel has no item
        "printer": set(PRINTER_STATES),
        "a4_printer": set(A4_PRINTER_STATES),
        "fee_system": set(FEE_SYSTEM_MODES),
        "bank_host": set(BANK_HOST_MODES),
    }
    missing = {action: sorted(values - recoveries - used.get(action, set())) for action, values in faults.items()}
    assert not any(missing.values()), missing


def test_a_scenario_may_ask_for_its_own_pcscd_and_wait_for_a_text_to_go():
    scenario = parse_scenario('[scenario]\npcscd = "own"\n[[step]]\nunplug = "sscard"\n[[step]]\nwait_no_text = "x"\n')
    assert scenario.pcscd == "own"
    assert [step.action for step in scenario.steps] == ["unplug", "wait_no_text"]
    assert parse_scenario('[[step]]\ntap = "x"\n').pcscd is None  # the caller's choice


# -- include: shared step sets (tests/scenarios/steps/) ---------------------------------------------------------


def _write(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_an_included_step_set_takes_the_include_steps_place_numbered_on(tmp_path):
    _write(tmp_path / "steps" / "login.toml", '[steps]\ndescription = "x"\n\n[[step]]\ntap = "resident"\n'
           '[[step]]\nwait_screen = "menu"\n')
    scenario = load_scenario(_write(tmp_path / "s.toml", '[scenario]\nname = "s"\n[[step]]\ntap = "a"\n'
                                    '[[step]]\ninclude = "steps/login.toml"\nnote = "why"\n[[step]]\ntap = "b"\n'))
    assert [(step.number, step.action, step.value) for step in scenario.steps] == [
        (1, "tap", "a"), (2, "tap", "resident"), (3, "wait_screen", "menu"), (4, "tap", "b")]
    assert scenario.steps[1].source == (tmp_path / "steps" / "login.toml").resolve() and scenario.steps[1].line == 4
    assert scenario.steps[0].source is None and scenario.steps[3].source is None


def test_a_failing_included_step_is_reported_at_its_own_file_and_line(tmp_path):
    _write(tmp_path / "steps" / "bad.toml", '[[step]]\ntap = "x"\n\n[[step]]\ntapp = "y"\n')
    with pytest.raises(ScenarioError) as caught:
        load_scenario(_write(tmp_path / "s.toml", '[[step]]\ninclude = "steps/bad.toml"\n'))
    assert f"{(tmp_path / 'steps' / 'bad.toml').resolve()}:4 step 2" in str(caught.value)


@pytest.mark.parametrize(
    ("steps", "words"),
    [
        ('[[step]]\ninclude = "steps/loop.toml"\n', "includes itself"),
        ('[[step]]\ninclude = "steps/none.toml"\n', "cannot read"),
        ('[[step]]\ninclude = "steps/loop.toml"\ntap = "x"\n', "names one step set file"),
        ('[[step]]\ninclude = "steps/header.toml"\n', "[[step]] tables"),
    ],
)
def test_bad_includes_are_refused_in_words(tmp_path, steps, words):
    _write(tmp_path / "steps" / "loop.toml", '[[step]]\ninclude = "loop.toml"\n')
    _write(tmp_path / "steps" / "header.toml", '[scenario]\nname = "no"\n[[step]]\ntap = "x"\n')
    with pytest.raises(ScenarioError) as caught:
        load_scenario(_write(tmp_path / "s.toml", steps))
    assert words in str(caught.value)


def test_the_shipped_step_sets_are_used_and_parse():
    scenario = load_scenario(SCENARIO_FILES[0].parent / "resident_pension_wechat_lowest_grade.toml")
    included = {step.source.name for step in scenario.steps if step.source}
    assert included == {"resident_login_to_pay.toml", "resident_pension_2026.toml"}
