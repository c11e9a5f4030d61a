"""Speaking a script's chapters in child processes: one chunk of text per chapter.

Each worker (`pipeline.speech.espeak_worker`, pyttsx3 on espeak-ng) gets a share of the chapters,
longest first to the least loaded, and a time limit in proportion to its text; a worker that
fails or runs out of time is killed and becomes a SynthesisError that says what happened.
The chunks come back as WAV files with espeak-ng's (text position, sample) for every word.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from pipeline.speech import espeak_worker
from pipeline.speech.script import Script

WORKER = (sys.executable, "-m", espeak_worker.__name__)
PROCESSES = 2
"""Fixed, never taken from the machine: espeak-ng's output for a chunk depends slightly on what
its process spoke before (its pitch flutter runs on), so the same split gives the same bytes."""
START_SECONDS = 30.0
SECONDS_PER_CHAR = 0.005
"""Time allowed for synthesis: espeak-ng speaks about 3,000 characters a second here."""


class SynthesisError(Exception):
    """Speech could not be made; the message says what failed and what to do."""


@dataclass(frozen=True)
class Chunk:
    """What espeak-ng made of one chapter: its WAV and (text position, sample) per word."""

    wav: Path
    text: str
    offsets: tuple[int, ...]
    """Where each unit's spoken text starts in `text` (0-based characters)."""
    words: tuple[tuple[int, int], ...]


def synthesise(script: Script, voices: list[str], rate: int, work: Path) -> tuple[str, list[Chunk]]:
    """One chunk per chapter, spread over PROCESSES workers; raise SynthesisError on any failure."""
    texts = [_chapter_text(script, chapter) for chapter in range(len(script.chapters))]
    groups = _balanced([len(text) for text, _ in texts])
    started = time.monotonic()
    answers: dict[int, dict] = {}
    with ExitStack() as running:
        workers = []
        for number, group in enumerate(groups):
            process, seconds = _start_worker(work / f"request-{number}.json", group, texts, voices, rate)
            running.enter_context(process)  # on the way out: close its pipes, reap it ...
            running.callback(_stop, process)  # ... after stopping it, if it still runs
            workers.append((process, seconds))
        for group, (process, seconds) in zip(groups, workers):
            answer = _finish_worker(process, seconds - (time.monotonic() - started))
            answers.update(zip(group, answer["chunks"]))
    chunks = [
        Chunk(_chunk_wav(work, index), text, offsets, tuple(map(tuple, answers[index]["words"])))
        for index, (text, offsets) in enumerate(texts)
    ]
    return answer["voice"], chunks


def _chapter_text(script: Script, chapter: int) -> tuple[str, tuple[int, ...]]:
    """The chapter's spoken sentences joined by spaces, and where each one starts."""
    spoken = [unit.spoken for unit in script.units if unit.chapter == chapter]
    offsets = [sum(len(part) + 1 for part in spoken[:index]) for index in range(len(spoken))]
    return " ".join(spoken), tuple(offsets)


def _chunk_wav(work: Path, chapter: int) -> Path:
    return work / f"chapter-{chapter}.wav"


def _balanced(lengths: list[int]) -> list[list[int]]:
    """Chapter numbers per worker: longest first, each to the least loaded (deterministic)."""
    groups: list[list[int]] = [[] for _ in range(min(PROCESSES, len(lengths)))]
    loads = [0] * len(groups)
    for index in sorted(range(len(lengths)), key=lambda index: (-lengths[index], index)):
        lightest = loads.index(min(loads))
        groups[lightest].append(index)
        loads[lightest] += lengths[index]
    return [sorted(group) for group in groups]


def _allowed_seconds(chars: int) -> float:
    return START_SECONDS + chars * SECONDS_PER_CHAR


def _start_worker(request: Path, group: list[int], texts, voices: list[str], rate: int) -> tuple[subprocess.Popen, float]:
    """A worker speaking the chapters in `group`, and the seconds it is allowed."""
    lengths = [len(texts[index][0]) for index in group]
    chunks = [{"text": texts[index][0], "wav": str(_chunk_wav(request.parent, index))} for index in group]
    request.write_text(
        json.dumps({"voices": voices, "rate": rate, "timeout": _allowed_seconds(max(lengths)), "chunks": chunks}),
        encoding="utf-8",
    )
    process = subprocess.Popen([*WORKER, str(request), str(os.getpid())], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return process, _allowed_seconds(sum(lengths))


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()


def _finish_worker(process: subprocess.Popen, seconds: float) -> dict:
    try:
        out, err = process.communicate(timeout=max(seconds, 1.0))
    except subprocess.TimeoutExpired:
        raise SynthesisError(
            f"speech synthesis did not finish within {seconds:.0f} s and was stopped: espeak-ng hung; "
            "try again, and report the article if it happens again"
        ) from None
    message = err.decode("utf-8", "replace").strip()
    if process.returncode != 0:
        raise SynthesisError(f"speech synthesis failed (exit status {process.returncode}): {message or 'no message'}")
    try:
        return json.loads(out)
    except ValueError:
        raise SynthesisError(f"speech synthesis gave an unreadable answer: {out[:200]!r} {message}") from None
