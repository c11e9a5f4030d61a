"""Speech synthesis in a child process: pyttsx3 on the espeak-ng library from espeakng-loader.

Run as `python -m pipeline.speech.espeak_worker REQUEST.json PARENT_PID` (it dies with that parent); it reads the JSON request from that
file and writes one JSON answer on stdout (or a message on stderr and exit status 1). A
separate process because espeak-ng can be initialised only once per process and may hang:
the parent can time it out and kill it without harm.

The request: {"voices": [name, ...], "rate": wpm, "timeout": seconds per chunk,
"chunks": [{"text": ..., "wav": path}, ...]}. The first voice espeak-ng accepts is used.
The answer: {"voice": name, "chunks": [{"samples": n, "words": [[text_position, sample], ...]}]},
with espeak's 1-based character position and start sample of every word it spoke.

pyttsx3 2.99's espeak driver is driven as shipped, with its known problems worked around:
- its audio buffer grows by `bytes +=` per callback, quadratic in the length of the text
  (a 10-minute article spends most of its 14 s copying and page-faulting); `_LinearDriver`
  collects the callbacks' buffers in a list and joins them once;
- `runAndWait()` returns before espeak-ng has finished (synthesis runs on espeak's thread), so
  we wait for 'finished-utterance' with a timeout, then check the WAV it wrote;
- its end of loop cancels whatever espeak-ng still has queued, including settings, and leaves
  a stop pending for the next utterance: we set properties on the driver and wait for
  espeak-ng to be idle before each utterance;
- only the last of several queued `save_to_file` calls is written: one file per runAndWait;
- it prints "Audio saved to ..." on stdout: file descriptor 1 points at /dev/null meanwhile;
- empty text fails a bare assert, and an error while saving is raised on espeak's thread,
  where nobody sees it: both become clear errors here.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import sys
import threading
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.parent_death import die_with_parent

SAMPLE_RATE = 22050


class SynthesisFailure(Exception):
    pass


def _load_engine() -> tuple[Any, Any]:
    """pyttsx3's engine and espeak binding, on the bundled libespeak-ng (no system espeak)."""
    import espeakng_loader

    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    import pyttsx3
    from pyttsx3.drivers import _espeak, espeak

    class _LinearDriver(espeak.EspeakDriver):
        """The shipped driver with a linear-time audio buffer, keeping each word's sample."""

        def _start_synthesis(self, text: str) -> None:
            self.chunks: list[bytes] = []
            self.words: list[tuple[int, int]] = []
            self.failure: Exception | None = None
            super()._start_synthesis(text)

        def _onSynth(self, wav, numsamples, events):
            if not self._speaking:
                return 0
            if numsamples > 0:
                self.chunks.append(ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short)))
            index = 0
            while (event := events[index]).type != _espeak.EVENT_LIST_TERMINATED:
                if event.type == _espeak.EVENT_WORD:
                    self.words.append((event.text_position, event.sample))
                elif event.type == _espeak.EVENT_MSG_TERMINATED:
                    return self._finish(events)
                index += 1
            return 0

        def _finish(self, events) -> int:
            """Hand the whole buffer to the driver's own ending: it saves, notifies, ends the loop."""
            self._data_buffer, self.chunks = b"".join(self.chunks), []
            try:
                return super()._onSynth(None, 0, events)
            except Exception as error:  # raised on espeak's thread: carry it to ours
                self.failure = error
                self._proxy.notify("error", exception=error)
                self._speaking = False  # and end the loop, as the driver would have: runAndWait returns
                self._proxy.setBusy(False)
                self.endLoop()
                return 0

    espeak.buildDriver = _LinearDriver
    return pyttsx3.init("espeak"), _espeak


@contextlib.contextmanager
def _stdout_silenced() -> Iterator[None]:
    """Point file descriptor 1 at /dev/null, so the driver's prints never reach our answer."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "wb") as null:
        os.dup2(null.fileno(), 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


class Synthesiser:
    """One pyttsx3 engine; `save` writes one chunk of text to one WAV file and times its words."""

    def __init__(self, voices: list[str], rate: int, timeout: float) -> None:
        self.engine, self.espeak = _load_engine()
        self.driver = self.engine.proxy._driver
        self.timeout = timeout
        self.done = threading.Event()
        self.completed = False
        self.errors: list[Exception] = []
        self.engine.connect("finished-utterance", self._on_finished)
        self.engine.connect("error", self._on_error)
        self.voice = self._choose_voice(voices)
        self.driver.setProperty("rate", rate)  # directly: the engine's queue would apply it late

    def _on_finished(self, completed: bool, **_: Any) -> None:
        self.completed = completed
        self.done.set()

    def _on_error(self, exception: Exception, **_: Any) -> None:
        self.errors.append(exception)
        self.done.set()

    def _choose_voice(self, voices: list[str]) -> str:
        for name in voices:
            try:
                self.driver.setProperty("voice", name)
            except ValueError:
                continue
            return name
        raise SynthesisFailure(f"espeak-ng has no voice {' or '.join(map(repr, voices))}: pass --voice with one it has")

    def save(self, text: str, wav: Path) -> dict[str, Any]:
        if not text.strip():
            raise SynthesisFailure("refusing to synthesise empty text")
        self.done.clear()
        self.errors.clear()
        # Idle first: runAndWait's endLoop calls the driver's stop(), which Cancel()s anything
        # espeak-ng still has queued (settings are queued commands in its asynchronous mode)
        # and leaves a stop pending that would cut the next utterance short.
        self.espeak.Synchronize()
        with _stdout_silenced():
            self.engine.save_to_file(text, str(wav))
            self.engine.runAndWait()
            finished = self.done.wait(self.timeout)
        failure = self.driver.failure or (self.errors[0] if self.errors else None)
        if _disk_full(failure):
            raise SynthesisFailure(f"no space left on device for the speech in {wav.parent}: free some space, then build again")
        if failure is not None:
            raise SynthesisFailure(f"espeak-ng failed on {_excerpt(text)}: {failure}")
        if not finished:
            raise SynthesisFailure(f"espeak-ng did not finish {_excerpt(text)} within {self.timeout:.0f} s")
        if not self.completed:
            raise SynthesisFailure(f"espeak-ng stopped before the end of {_excerpt(text)}")
        return {"samples": _check_wav(wav, text), "words": self.driver.words}


def _check_wav(path: Path, text: str) -> int:
    """The number of samples in the file the driver says it wrote, after checking its format."""
    try:
        with wave.open(str(path), "rb") as reader:
            shape = (reader.getnchannels(), reader.getsampwidth(), reader.getframerate())
            samples = reader.getnframes()
    except (OSError, EOFError, wave.Error) as error:
        raise SynthesisFailure(f"espeak-ng wrote no readable WAV for {_excerpt(text)}: {error}") from error
    if shape != (1, 2, SAMPLE_RATE) or samples == 0:
        raise SynthesisFailure(f"espeak-ng wrote {samples} samples as {shape} for {_excerpt(text)}: expected mono 16-bit {SAMPLE_RATE} Hz")
    return samples


def _disk_full(failure: BaseException | None) -> bool:
    """Whether saving failed for want of space (the driver wraps the OSError in its own error)."""
    while failure is not None:
        if isinstance(failure, OSError) and failure.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        failure = failure.__cause__ or failure.__context__
    return False


def _excerpt(text: str) -> str:
    return repr(text[:60] + ("..." if len(text) > 60 else ""))


def main() -> int:
    die_with_parent(int(sys.argv[2]))  # a build killed outright leaves no speech worker behind
    request = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    try:
        synthesiser = Synthesiser(request["voices"], request["rate"], request["timeout"])
        chunks = [synthesiser.save(chunk["text"], Path(chunk["wav"])) for chunk in request["chunks"]]
    except SynthesisFailure as failure:
        print(failure, file=sys.stderr)
        return 1
    json.dump({"voice": synthesiser.voice, "chunks": chunks}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
