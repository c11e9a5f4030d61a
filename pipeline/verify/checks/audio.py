"""Audio checks: the MP3 decodes to sound, its chapters and the transcript's cues cover the
recording in order, the pace suits patients, and the transcript holds every sentence.

The MP3 is decoded with miniaudio (dr_mp3, which honours the LAME tag's delay and padding),
its chapters read with mutagen (ID3 CTOC and CHAP frames), the transcript with a strict
WebVTT reader. The accepted speaking rate is `words_per_minute` in `[tool.pipeline.verify]`.
What the recording says, cue by cue, is listened to in `listening`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from pipeline import settings
from pipeline.settings import PYPROJECT
from pipeline.text import sentences
from pipeline.text.clock import precise_clock
from pipeline.text.language import primary_language
from pipeline.verify import details
from pipeline.verify.checks import Check, CheckResult, Output, Source, counted
from pipeline.verify.checks.parity import Parity
from pipeline.verify.sequence import Passage

MP3 = "audio/mpeg"
VTT = "text/vtt"
LENGTH_TOLERANCE = 0.05
"""Seconds the decoded length may differ from the length the MP3's header declares."""
EDGE_TOLERANCE_MS = 1000
"""How far from the recording's ends the first cue may start and the last cue and chapter end."""
SILENT_DBFS = -40.0
WORDS_PER_MINUTE = (100, 170)
"""Heard words a minute, pauses included: audiobooks run at 150-160, and slower speech (about
100-140) helps older listeners and listeners in a second language; espeak-ng's default rate
of 170 gives about 120-140 with the script's pauses."""


def words_per_minute_range(pyproject: Path = PYPROJECT) -> tuple[float, float]:
    """`words_per_minute = [lowest, highest]` of [tool.pipeline.verify], else the default."""
    return _pace_range("words_per_minute", WORDS_PER_MINUTE, pyproject)


def syllables_per_minute_range(pyproject: Path = PYPROJECT) -> tuple[float, float]:
    """`syllables_per_minute = [lowest, highest]` of [tool.pipeline.verify], else the default."""
    return _pace_range("syllables_per_minute", SYLLABLES_PER_MINUTE, pyproject)


def _pace_range(name: str, default: tuple[float, float], pyproject: Path) -> tuple[float, float]:
    read = settings.table("verify", pyproject).read({"words_per_minute": settings.number_range, "syllables_per_minute": settings.number_range})
    return read.get(name, default)


def declared_seconds(path: Path) -> float:
    """The length the MP3's header (the LAME Info frame) declares."""
    from mutagen.mp3 import MP3 as Mp3File

    return float(Mp3File(path).info.length)


class Mp3Decodes(Check):
    name = "mp3-decodes"
    description = "the MP3 decodes whole, to the length its header declares, and is not silent"
    media_types = (MP3,)

    def run(self, source: Source | None, output: Output) -> CheckResult:
        import miniaudio

        path = self.checked_file(output)
        try:
            decoded = miniaudio.mp3_read_file_s16(str(path))
        except miniaudio.DecodeError as error:
            return CheckResult("fail", "does not decode", (f"{path}: {error}: rebuild with `pipeline build --force --format {output.renderer}`",))
        seconds, declared = decoded.num_frames / decoded.sample_rate, declared_seconds(path)
        peak = max(max(decoded.samples, default=0), -min(decoded.samples, default=0))
        level = 20 * math.log10(peak / 32768) if peak else -math.inf
        figure = f"{precise_clock(seconds)} decoded, {decoded.sample_rate} Hz, {decoded.nchannels} channel(s), peak {level:.1f} dBFS"
        problems = []
        if abs(seconds - declared) > LENGTH_TOLERANCE:
            problems.append(f"it decodes to {precise_clock(seconds)} but its header declares {precise_clock(declared)}: the file is cut short or damaged")
        if level < SILENT_DBFS:
            problems.append(f"the loudest sample is {level:.1f} dBFS: the recording is silent")
        return CheckResult.judge(not problems, figure, problems)


@dataclass(frozen=True)
class Chapter:
    start_ms: int
    end_ms: int
    title: str


def read_chapters(path: Path) -> tuple[list[Chapter], list[str]]:
    """The chapters in the order the top-level ID3 table of contents lists them, and what is
    wrong with that table (no table, a listed chapter without its CHAP frame)."""
    from mutagen.id3 import ID3, CTOCFlags, ID3NoHeaderError

    try:
        tags = ID3(path)
    except ID3NoHeaderError:
        return [], [f"{path} has no ID3 tag, so no chapters: players cannot jump between parts"]
    tables = [frame for frame in tags.getall("CTOC") if frame.flags & CTOCFlags.TOP_LEVEL]
    if not tables:
        return [], [f"{path} has no top-level ID3 table of contents (CTOC): players cannot jump between chapters"]
    frames = {frame.element_id: frame for frame in tags.getall("CHAP")}
    listed = tables[0].child_element_ids
    chapters = [Chapter(frames[key].start_time, frames[key].end_time, str(frames[key].sub_frames.get("TIT2", ""))) for key in listed if key in frames]
    problems = [f"the table of contents lists chapter {key!r}, which has no CHAP frame" for key in listed if key not in frames]
    problems += _stored_order_problems(tags.getall("CHAP"))
    return chapters, problems if chapters else [*problems, "the table of contents lists no chapter"]


def _stored_order_problems(stored: list) -> list[str]:
    """CHAP frames must be stored in time order: some players (ffmpeg's among them) list
    chapters in the order of the file, not of the table of contents."""
    for before, after in zip(stored, stored[1:]):
        if after.start_time < before.start_time:
            return [
                f"the CHAP frames are stored out of time order: {_titled(after)} comes after {_titled(before)}, "
                "so players that list chapters in file order show them scrambled: rebuild with `pipeline build --force --format audio`"
            ]
    return []


def _titled(frame) -> str:
    return f"{frame.sub_frames.get('TIT2', '')!s} ({precise_clock(frame.start_time / 1000)})"


class Mp3Chapters(Check):
    name = "mp3-chapters"
    description = "ID3 chapters (CTOC, CHAP), stored in time order, follow each other and cover the whole recording"
    media_types = (MP3,)

    def run(self, source: Source | None, output: Output) -> CheckResult:
        path = self.checked_file(output)
        chapters, problems = read_chapters(path)
        if not chapters:
            return CheckResult("fail", "no chapters", tuple(problems))
        total_ms = round(declared_seconds(path) * 1000)
        problems += _coverage_problems(chapters, total_ms)
        figure = f"{counted(len(chapters), 'chapter')} from {precise_clock(chapters[0].start_ms / 1000)} to {precise_clock(chapters[-1].end_ms / 1000)} of {precise_clock(total_ms / 1000)}"
        return CheckResult.judge(not problems, figure, problems)


def _coverage_problems(chapters: list[Chapter], total_ms: int) -> list[str]:
    """Chapters must start at 0, each where the one before ends, the last at the end."""
    problems = [] if chapters[0].start_ms == 0 else [f"the first chapter starts at {precise_clock(chapters[0].start_ms / 1000)}, not at 0"]
    for number, chapter in enumerate(chapters, start=1):
        if not chapter.title.strip():
            problems.append(f"chapter {number} has no title (TIT2)")
        if chapter.end_ms <= chapter.start_ms:
            problems.append(f"chapter {number} ({chapter.title}) ends at {precise_clock(chapter.end_ms / 1000)}, not after its start")
    for number, (before, after) in enumerate(zip(chapters, chapters[1:]), start=1):
        if after.start_ms != before.end_ms:
            problems.append(
                f"chapter {number + 1} ({after.title}) starts at {precise_clock(after.start_ms / 1000)}, but chapter {number} "
                f"({before.title}) ends at {precise_clock(before.end_ms / 1000)}: a gap, an overlap or chapters out of order"
            )
    if abs(chapters[-1].end_ms - total_ms) > EDGE_TOLERANCE_MS:
        problems.append(f"the last chapter ends at {precise_clock(chapters[-1].end_ms / 1000)}, but the recording lasts {precise_clock(total_ms / 1000)}")
    return problems


class TranscriptCues(Check):
    name = "transcript-cues"
    description = "the WebVTT transcript is well formed and its cues span the recording"
    media_types = (VTT, MP3)

    def run(self, source: Source | None, output: Output) -> CheckResult:
        from pipeline.verify.checks.webvtt import parse

        try:
            cues = parse(self.checked_file(output).read_text("utf-8"))
        except ValueError as error:
            return CheckResult("fail", "not valid WebVTT", (f"{self.checked_file(output)}: {error}",))
        total_ms = round(declared_seconds(output.file(MP3)) * 1000)
        if not cues:
            return CheckResult("fail", "no cues", ("the transcript has no cues",))
        figure = f"{counted(len(cues), 'cue')} from {precise_clock(cues[0].start_ms / 1000)} to {precise_clock(cues[-1].end_ms / 1000)} of {precise_clock(total_ms / 1000)}"
        problems = []
        if cues[0].start_ms > EDGE_TOLERANCE_MS:
            problems.append(f"the first cue starts at {precise_clock(cues[0].start_ms / 1000)}: the start of the recording has no text")
        if abs(cues[-1].end_ms - total_ms) > EDGE_TOLERANCE_MS:
            problems.append(f"the last cue ends at {precise_clock(cues[-1].end_ms / 1000)}, but the recording lasts {precise_clock(total_ms / 1000)}")
        return CheckResult.judge(not problems, figure, problems)


WORDS_NOT_COMPARABLE = {
    "ar": "Arabic writes its conjunctions, prepositions and article into the word (وباستمرار is four English words)",
}
"""Languages whose words are not the unit the words-a-minute range counts: their pace is the
syllables heard a minute (`pipeline.verify.syllables`), held to `syllables_per_minute`."""
SYLLABLES_PER_MINUTE = (150, 300)
"""Heard syllables a minute, pauses included: 100-200 words a minute at English's 1.5
syllables a word."""


class SpeakingRate(Check):
    name = "speaking-rate"
    description = (
        "the narration's pace is within [tool.pipeline.verify] words_per_minute (transcript words a minute), "
        "or syllables_per_minute (syllables heard) where the language's words do not compare"
    )
    media_types = (MP3, VTT)

    def run(self, source: Source | None, output: Output) -> CheckResult:
        from pipeline.verify.checks.webvtt import parse
        from pipeline.verify.syllables import syllables_heard

        if source is not None and primary_language(source.article.lang) in WORDS_NOT_COMPARABLE:
            syllables, seconds = syllables_heard(self.checked_file(output))
            return _paced(output, syllables, seconds / 60, "syllables", syllables_per_minute_range())
        words = sum(len(sentences.words(cue.text)) for cue in parse(output.file(VTT).read_text("utf-8")))
        return _paced(output, words, declared_seconds(self.checked_file(output)) / 60, "words", words_per_minute_range())


def _paced(output: Output, count: int, minutes: float, unit: str, accepted: tuple[float, float]) -> CheckResult:
    """The verdict on `count` words (or syllables) in `minutes`."""
    low, high = accepted
    rate = count / minutes if minutes else math.inf
    figure = f"{rate:.0f} {unit} a minute ({count} {unit}{' heard' if unit == 'syllables' else ''} in {precise_clock(minutes * 60)}; range {low:g}-{high:g})"
    problems = []
    if not low <= rate <= high:
        setting = output.options.get("rate")
        hint = f" (it was built with --rate {setting})" if setting is not None else ""
        problems.append(f"{rate:.0f} {unit} a minute is {'too fast' if rate > high else 'too slow'} for patient information: build with another --rate{hint}")
    return CheckResult.judge(not problems, figure, problems)


class TranscriptParity(Parity):
    name = "transcript-parity"
    description = "the WebVTT transcript holds every sentence of the source, once and in order, and nothing the source or catalogue does not say"
    media_types = (VTT,)
    shows = (details.PUBLISHER, details.CONTACT)
    """The narration names who publishes the leaflet and how to reach them; it reads no dates."""

    def passages(self, source: Source, output: Output) -> list[Passage]:
        from pipeline.verify.checks.webvtt import parse

        cues = parse(self.checked_file(output).read_text("utf-8"))
        return [Passage(cue.text, f"cue {number} at {precise_clock(cue.start_ms / 1000)}") for number, cue in enumerate(cues, start=1)]
