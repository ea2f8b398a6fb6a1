# ruff: noqa: F811 (pytest fixtures imported from maintenance_fixtures)
"""The hall's voice volume on maintenance's devices page: opened the way the kiosk opens maintenance (the hidden
gesture's handler, KioskApp.open_maintenance), the section drives the kiosk's own Voice, every change is audited
(intent and outcome), kept across a restart, and a change that cannot be kept changes nothing and says so."""

from __future__ import annotations

import json

from kiosk.voice import Voice
from maintenance_fixtures import click, enter, maintenance_kiosk  # noqa: F401 (fixtures)


def audit(window, prefix: str) -> list:
    return [entry for entry in window.service.audit.entries() if entry.action.startswith(prefix)]


def test_the_devices_page_sets_the_kiosks_hall_volume_audited(maintenance_kiosk, qtbot):
    kiosk = maintenance_kiosk
    kiosk.open_maintenance()
    window = kiosk.maintenance
    enter(qtbot, window)
    click(qtbot, window, "open_devices")
    section = window.pages["devices"].voice_volume
    assert section is not None and section.voice is kiosk.voice and section.isVisible()
    played: list[list[str]] = []
    kiosk.voice.played.connect(played.append)
    before = kiosk.voice.hall_volume
    click(qtbot, window, "hall_volume_up")
    louder = round(before + 0.1, 2)
    assert kiosk.voice.hall_volume == louder and f"{round(louder * 100)}" in section.level.text()
    assert played and played[-1][-1].endswith("test_sound.wav")  # heard at the new volume
    store = kiosk.ctx.config.state_dir / "voice_volume.json"
    assert json.loads(store.read_text())["volume"] == louder
    assert Voice(enabled=False, volume_file=store).hall_volume == louder  # what the kiosk starts with next time
    requested, done = audit(window, "voice_volume")
    assert (requested.action, done.action) == ("voice_volume_requested", "voice_volume_set")
    assert requested.technician == done.technician == "T001"
    assert done.detail == {"before": before, "asked": louder, "volume": louder}

    # The volume cannot be kept (its file is a folder now): refused in words, audited, the volume as it was.
    store.unlink()
    store.mkdir()
    click(qtbot, window, "hall_volume_down")
    assert kiosk.voice.hall_volume == louder and f"{round(louder * 100)}" in section.level.text()
    page = window.pages["devices"]
    assert page.message.objectName() == "Error" and page.message.text()
    assert [entry.action for entry in audit(window, "voice_volume")][2:] == [
        "voice_volume_requested",
        "voice_volume_failed",
    ]
    assert audit(window, "voice_volume")[-1].detail["reason"]
    statuses = page.statuses
    qtbot.waitUntil(lambda: statuses.count() > 1, timeout=8000)  # the page's device query has answered
    window.leave()


def test_maintenance_opened_without_a_voice_has_no_volume_section(maintenance_kiosk, qtbot, tmp_path):
    from screens.maintenance import open_maintenance

    window = open_maintenance(maintenance_kiosk.ctx, maintenance_kiosk.window, tmp_path / "unused.toml")
    qtbot.addWidget(window)
    assert window.pages["devices"].voice_volume is None and window.service.voice is None
