"""The narration is listened to: every cue of the transcript must sound like its own text.

No speech model: each cue's text is spoken again by the voice and at the rate the build
recorded (the output's options), as the narration was spoken (`pipeline.speech.respoken`,
which also finds what the voice says for it: the pronunciation lexicon, telephone numbers
digit by digit), and compared with the MP3's sound inside the cue's time span
(`pipeline.speech.likeness`: log-mel spectra aligned by dynamic time warping, a distance in
decibels), the recording heard at the level it was spoken at (mastering raises it by one gain)
and each cue without the silence around it (a lead-in, a tail). A faithful recording differs from its text spoken again only by MP3 coding, under
a decibel; another sentence, the same sentence backwards, a hum or silence differ by several.
A cue fails when its sound is further than LIMIT_DB from its own text, or nearer to the text
of the cue before or after it (a sentence said early or late) than to its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.text.clock import precise_clock
from pipeline.verify.checks import Check, CheckResult, Output, Source, counted
from pipeline.verify.checks.audio import MP3, VTT
from pipeline.verify.checks.webvtt import Cue

if TYPE_CHECKING:
    import numpy as np

LIMIT_DB = 2.0
"""The most a cue's sound may differ from its text spoken again. Measured on the first
article's 137 cues: 0.72 dB at worst unchanged (0.7 in each of the 15 test languages; 0.9
mastered, heard at its spoken level and without the silence around each cue), and
the nearest neighbouring cue's text 6.3 dB; damaged, every cue at 3.2 dB or more (shifted
by 1.5 s), 7.4 (reversed), 8.4 (two cues swapped), 12.9 (a hum, a silenced chapter)."""
TEXT_SHOWN = 40
"""Characters of a cue's text that name it in a message."""


@dataclass(frozen=True)
class Heard:
    """One cue as the check heard it: its distance from its own text spoken again, and the
    nearest neighbouring cue's text with its distance (None when no neighbour differs)."""

    number: int
    cue: Cue
    chapter: str
    own: float
    rival: tuple[int, float] | None

    @property
    def failed(self) -> bool:
        return self.own > LIMIT_DB or (self.rival is not None and self.rival[1] < self.own)


class NarrationMatchesTranscript(Check):
    name = "narration-matches-transcript"
    description = "each cue's stretch of the MP3 sounds like its text spoken again in the build's voice and rate (log-mel spectra, time-warped)"
    media_types = (MP3, VTT)
    needs_source = True

    def environment(self) -> str:
        """The voice: another espeak-ng speaks the cues otherwise."""
        from importlib.metadata import version

        return " ".join(f"{name} {version(name)}" for name in ("pyttsx3", "espeakng-loader"))

    def run(self, source: Source | None, output: Output) -> CheckResult:
        from pipeline.speech import narration, respoken
        from pipeline.speech.synthesis import SynthesisError
        from pipeline.verify.checks.webvtt import parse

        assert source is not None  # needs_source: the engine never passes None
        try:
            cues = parse(output.file(VTT).read_text("utf-8"))
        except ValueError as error:
            return CheckResult("fail", "not valid WebVTT", (f"{output.file(VTT)}: {error}: transcript-cues says more",))
        if not cues:
            return CheckResult("fail", "no cues", (f"{output.file(VTT)} has no cues to listen for",))
        voice, rate = output.options.get("voice"), output.options.get("rate", narration.DEFAULT_RATE)
        try:
            script, expected = respoken.expected_sounds(source.article, [cue.text for cue in cues], voice, rate)
        except SynthesisError as error:
            return CheckResult.not_run(f"the cues could not be spoken again to compare: {error}")
        chapters = [f"{item.chapter + 1} ({script.chapters[item.chapter]})" for item in expected]
        return judged(listen(self.checked_file(output), cues, [item.sound for item in expected], chapters))


def listen(mp3: Path, cues: list[Cue], expected: list[np.ndarray], chapters: list[str]) -> list[Heard]:
    """Each cue's sound compared with its own text spoken again (`expected`, in cue order) and
    with its neighbours'; `chapters` names each cue's chapter."""
    import miniaudio
    import numpy as np
    from threadpoolctl import threadpool_limits

    from pipeline.speech import likeness, narration

    rate = narration.SAMPLE_RATE
    decoded = miniaudio.decode_file(str(mp3), miniaudio.SampleFormat.SIGNED16, 1, rate)
    recording = np.frombuffer(decoded.samples, dtype=np.int16)
    # Mastering raised the whole narration by one gain (and lowered its peaks a little): heard at its spoken level.
    gain = likeness.speech_level(recording) - likeness.speech_level(np.concatenate(expected))
    level = recording.astype(np.float32) * np.float32(10 ** (-gain / 20))
    # One BLAS thread: the matrices are small, and on a shared machine a second thread only waits.
    with threadpool_limits(1):
        spoken = [likeness.trimmed(likeness.log_mel(sound, rate)) for sound in expected]
        heard = [likeness.trimmed(likeness.log_mel(level[cue.start_ms * rate // 1000 : cue.end_ms * rate // 1000], rate)) for cue in cues]
        return [
            Heard(index + 1, cue, chapters[index], likeness.distance(spoken[index], heard[index]), _rival(index, cues, spoken, heard[index]))
            for index, cue in enumerate(cues)
        ]


def _rival(index: int, cues: list[Cue], spoken: list[np.ndarray], heard: np.ndarray) -> tuple[int, float] | None:
    """The neighbouring cue whose text sounds nearest to this cue's sound, and how near."""
    from pipeline.speech import likeness

    neighbours = [other for other in (index - 1, index + 1) if 0 <= other < len(cues) and cues[other].text != cues[index].text]
    scored = [(other + 1, likeness.distance(spoken[other], heard)) for other in neighbours]
    return min(scored, key=lambda pair: pair[1], default=None)


def judged(heard: list[Heard]) -> CheckResult:
    failed = [cue for cue in heard if cue.failed]
    worst = max(heard, key=lambda cue: cue.own)
    figure = f"{len(heard) - len(failed)}/{counted(len(heard), 'cue')} sound like their text spoken again (worst {_db(worst.own)}, limit {LIMIT_DB:g} dB)"
    return CheckResult.judge(not failed, figure, [*_chapter_lines(heard), *map(_failure, failed)])


def _chapter_lines(heard: list[Heard]) -> Iterator[str]:
    """Per chapter: how many cues sound right, and the largest distance heard."""
    for chapter in dict.fromkeys(cue.chapter for cue in heard):
        cues = [cue for cue in heard if cue.chapter == chapter]
        worst = max(cues, key=lambda cue: cue.own)
        right = sum(not cue.failed for cue in cues)
        yield f"chapter {chapter}: {right}/{counted(len(cues), 'cue')} match, worst {_db(worst.own)} (cue {worst.number})"


def _failure(cue: Heard) -> str:
    name = f'cue {cue.number} at {precise_clock(cue.cue.start_ms / 1000)} ("{_start(cue.cue.text)}") in chapter {cue.chapter}'
    if cue.rival is not None and cue.rival[1] < cue.own and cue.rival[1] <= LIMIT_DB:
        return f"{name} sounds like the text of cue {cue.rival[0]} ({_db(cue.rival[1])} from it) rather than its own ({_db(cue.own)}): its sound is out of place"
    return f"{name} does not sound like its text ({_db(cue.own)} from it, limit {LIMIT_DB:g} dB): its sound is missing, damaged or out of place"


def _start(text: str) -> str:
    return text if len(text) <= TEXT_SHOWN else f"{text[:TEXT_SHOWN].rstrip()}..."


def _db(distance: float) -> str:
    return f"{distance:.1f} dB" if math.isfinite(distance) else "too long to align"
