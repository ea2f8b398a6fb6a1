"""Real playback: QSoundEffect into a PulseAudio null sink (a sound server with no sound card, started here), in a
child process so that QtMultimedia meets the server on its first look. And with no sound server at all: silent,
said by `kiosk doctor`, never a crash."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import tomli_w

from kiosk.voice_pack.measure import measure_wav

REPO = Path(__file__).resolve().parent.parent

PLAY_SEQUENCE = """
import json, sys
from PySide6.QtCore import QCoreApplication, QTimer
from kiosk.voice import Voice
app = QCoreApplication([])
voice = Voice(enabled=True, locale_name="zh_CN")
voice.say("Please choose a service.")  # interrupted at once by the next prompt
player = voice.player
if player is None:
    print(json.dumps({"output": False})); sys.exit(0)
started = []
player.clip_started.connect(started.append)
player.finished.connect(app.quit)
voice.say("Amount due: ¥8.00.")
QTimer.singleShot(20000, app.quit)
app.exec()
print(json.dumps({"output": True, "started": started}))
"""


@pytest.fixture(scope="module")
def null_sink(tmp_path_factory):
    """A PulseAudio daemon whose only sink is a null sink; yields its PULSE_SERVER address."""
    runtime = tmp_path_factory.mktemp("pulse")
    socket = runtime / "native"
    env = {**os.environ, "HOME": str(runtime), "XDG_RUNTIME_DIR": str(runtime)}
    daemon = subprocess.Popen(
        [shutil.which("pulseaudio") or "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1",
         "--use-pid-file=no", "--disable-shm=yes", "--log-target=stderr",
         "-L", "module-null-sink sink_name=kiosk_null",
         "-L", f"module-native-protocol-unix socket={socket} auth-anonymous=1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not socket.exists() and daemon.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the daemon's socket appears when it is ready: nothing else to wait on
    assert socket.exists(), "pulseaudio did not start (bash scripts/setup.sh installs it)"
    yield f"unix:{socket}"
    daemon.terminate()
    daemon.wait(timeout=10)


def run_python(code: str, pulse_server: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PULSE_SERVER": pulse_server, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_clips_play_in_order_and_a_new_prompt_interrupts(null_sink):
    done = run_python(PLAY_SEQUENCE, null_sink)
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["output"], done.stderr
    pack = REPO / "kiosk" / "voice_pack" / "zh_CN"
    # The menu prompt was cut off by the amount: only the amount's clips follow, in order, to the end.
    assert report["started"] == [str(pack / f"{clip}.wav") for clip in ("amount_due", "num_8", "unit_yuan")]


DEFERRED_FIRST_PROMPT = """
import json, sys, time
from PySide6.QtCore import QCoreApplication, QTimer
from kiosk.voice import Voice
app = QCoreApplication([])
voice = Voice(enabled=True, locale_name="zh_CN")
voice.defer_output_check()  # as KioskApp does before its first frame
voice.say("Please choose a service.")
before = voice.player is not None
started = time.monotonic()
voice.check_output()  # after the first frame
player = voice.player
if player is None:
    print(json.dumps({"output": False})); sys.exit(0)
ended = []
player.finished.connect(lambda: (ended.append(time.monotonic() - started), app.quit()))
QTimer.singleShot(20000, app.quit)
app.exec()
print(json.dumps({"output": True, "player_before_check": before, "ended_after": ended}))
"""


def test_the_first_prompt_waits_for_the_output_check_and_then_plays(null_sink):
    done = run_python(DEFERRED_FIRST_PROMPT, null_sink)
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["output"], done.stderr
    assert report["player_before_check"] is False  # no QtMultimedia before the check
    # The prompt said meanwhile is played to its end after the check, not dropped.
    seconds = measure_wav(REPO / "kiosk" / "voice_pack" / "zh_CN" / "menu.wav").seconds
    assert len(report["ended_after"]) == 1 and report["ended_after"][0] >= seconds * 0.9


def doctor_config(tmp_path: Path) -> Path:
    data = tomllib.loads((REPO / "config" / "simulated.toml").read_text())
    data["paths"]["state_dir"] = str(tmp_path / "state")
    data["fee_system"]["policy"] = str(REPO / "config" / "policy.toml")
    data["fee_system"]["people"] = str(REPO / "config" / "demo_people.toml")
    path = tmp_path / "kiosk.toml"
    path.write_text(tomli_w.dumps(data))
    path.chmod(0o600)
    return path


AUDIO_ROW = """
import json, sys
from pathlib import Path
from kiosk.cli.doctor import check_audio
from kiosk.config import load_config
print(json.dumps(check_audio(load_config(Path(sys.argv[1])))))
"""


def audio_row(config: Path, pulse_server: str) -> tuple[str, str]:
    env = {**os.environ, "PULSE_SERVER": pulse_server}
    done = subprocess.run(
        [sys.executable, "-c", AUDIO_ROW, str(config)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result, detail = json.loads(done.stdout.splitlines()[-1])
    return result, detail


def test_doctor_plays_a_test_sound_on_the_output(null_sink, tmp_path):
    result, detail = audio_row(doctor_config(tmp_path), null_sink)
    assert result == "ok" and detail.startswith("Null Output; volume 70 %; test sound played"), detail


def test_doctor_says_silent_without_a_sound_server(tmp_path):
    result, detail = audio_row(doctor_config(tmp_path), f"unix:{tmp_path}/no-such-server")
    assert result == "warn" and "silent" in detail
