"""How loud and how long a pack file is (Python's wave module; no sox needed at run time): used by the renderer
to normalise, by the tests to prove every prompt is audible, and by `kiosk doctor`."""

from __future__ import annotations

import array
import math
import wave
from dataclasses import dataclass
from pathlib import Path

from kiosk.voice_pack import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH

FULL_SCALE = 32768.0
SILENCE_DBFS = -120.0
# The pack's loudness (docs/voice.md): speech RMS at -20 dBFS, peaks never above -1 dBFS. A file quieter than
# MIN_RMS_DBFS is as good as silent in a hall.
TARGET_RMS_DBFS = -20.0
MAX_PEAK_DBFS = -1.0
MIN_RMS_DBFS = -35.0


@dataclass(frozen=True)
class Measure:
    seconds: float
    rms_dbfs: float
    peak_dbfs: float
    rate: int
    channels: int
    width: int

    @property
    def in_pack_format(self) -> bool:
        return (self.rate, self.channels, self.width) == (SAMPLE_RATE, CHANNELS, SAMPLE_WIDTH)


def dbfs(level: float) -> float:
    return 20 * math.log10(level / FULL_SCALE) if level > 0 else SILENCE_DBFS


def measure_wav(path: Path) -> Measure:
    """Raises wave.Error / EOFError for a file that is not PCM WAV."""
    with wave.open(str(path), "rb") as wav:
        rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
        frames = wav.readframes(wav.getnframes())
        count = wav.getnframes()
    if width != 2:
        return Measure(count / rate if rate else 0.0, SILENCE_DBFS, SILENCE_DBFS, rate, channels, width)
    samples = array.array("h", frames)
    if not samples:
        return Measure(0.0, SILENCE_DBFS, SILENCE_DBFS, rate, channels, width)
    rms = math.sqrt(sum(sample * sample for sample in samples) / len(samples))
    peak = max(abs(sample) for sample in samples)
    return Measure(count / rate, dbfs(rms), dbfs(peak), rate, channels, width)


def normalising_gain(measure: Measure) -> float:
    """The gain (dB) that brings speech to the target RMS without its peak passing the ceiling."""
    return min(TARGET_RMS_DBFS - measure.rms_dbfs, MAX_PEAK_DBFS - measure.peak_dbfs)
