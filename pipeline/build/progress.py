"""What a build shows: a live display on a terminal, plain lines in logs, a summary table.

On a terminal the last lines of the screen show each running (article, format) with its
elapsed time, redrawn in place; finished outputs scroll above them. Anywhere else (CI logs,
pipes) each finished output is one line, written once. `quiet` keeps only problems (on
stderr); `verbose` adds outputs that were already up to date and each start. The display
is hand-written ANSI (cursor up, clear to end): two escape codes do not need a dependency.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pipeline.model.rules import escaped

if TYPE_CHECKING:
    from pipeline.build.outcome import Outcome

_REDRAW = 0.1  # seconds between two redraws of the live display


class Progress:
    def __init__(
        self,
        out_dir: Path,
        quiet: bool = False,
        verbose: bool = False,
        stream: TextIO | None = None,
        errors: TextIO | None = None,
        live: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.out_dir = out_dir
        self.quiet, self.verbose = quiet, verbose
        self.stream = stream or sys.stdout
        self.errors = errors or sys.stderr
        self.live = (not quiet) and (_is_terminal(self.stream) if live is None else live)
        self.clock = clock
        self.began = clock()
        self.running: dict[tuple[str, str], float] = {}
        self.done = self.failed = 0
        self._drawn = 0
        self._last_draw = float("-inf")

    # ------------------------------------------------------------ events from the engine

    def started(self, article_id: str, renderer: str) -> None:
        self.running[article_id, renderer] = self.clock()
        if self.verbose and not self.live:
            self._say(f"{'started':>10}  {renderer:<8} {article_id}")
        self.tick(force=True)

    def finished(self, outcome: Outcome) -> None:
        self.running.pop((outcome.article_id, outcome.renderer), None)
        self.done += 1
        if outcome.failed:
            self.failed += 1
            self.problem(f"{outcome.article_id}: {outcome.renderer} failed: {outcome.error}")
        elif not self.quiet and (outcome.status == "built" or self.verbose):
            path = self.out_dir / outcome.article_id / outcome.files[0]
            timing = f"  {outcome.seconds:.1f} s" if outcome.status == "built" else ""
            self._say(f"{outcome.status:>10}  {outcome.renderer:<8} {path}  {_size(_main_size(outcome))}{timing}")
        self.tick(force=True)

    def tick(self, force: bool = False) -> None:
        """Redraw the live display (at most every _REDRAW seconds unless forced)."""
        now = self.clock()
        if not self.live or (not force and now - self._last_draw < _REDRAW):
            return
        self._clear()
        width = shutil.get_terminal_size().columns - 1
        lines = [f"  {renderer:<8} {article_id}  {now - began:5.1f} s" for (article_id, renderer), began in self.running.items()]
        lines.append(f"  {self.done} done, {len(self.running)} running, {self.failed} failed  ({now - self.began:.1f} s)")
        self.stream.write("".join(line[:width] + "\n" for line in lines))
        self.stream.flush()
        self._drawn, self._last_draw = len(lines), now

    def problem(self, message: str) -> None:
        self._clear()
        self.errors.write(f"error: {message}\n")
        self.errors.flush()

    def note(self, message: str) -> None:
        """Something the user should know that is not a failure (shown even when quiet)."""
        self._clear()
        self.errors.write(f"note: {message}\n")
        self.errors.flush()

    # ------------------------------------------------------------ the end

    def summary(self, outcomes: Sequence[Outcome]) -> None:
        """A table of every output (format, file, size, time, status) and a count; none if quiet."""
        self._clear()
        self.live = False
        if self.quiet or not outcomes:
            return
        rows = [("format", "file", "size", "time", "status")]
        for outcome in outcomes:
            files = (outcome.record or {}).get("files", {})
            for name in outcome.files:
                size = _size(files[name]["size"]) if name in files else "-"
                seconds = f"{outcome.seconds:.1f} s" if outcome.status != "up to date" else "-"
                rows.append((outcome.renderer, escaped(str(self.out_dir / outcome.article_id / name)), size, seconds, outcome.status))
        widths = [max(len(row[column]) for row in rows) for column in range(5)]
        for row in rows:
            cells = [cell.rjust(width) if column in (2, 3) else cell.ljust(width) for column, (cell, width) in enumerate(zip(row, widths))]
            self._say("  ".join(cells).rstrip())
        counts = {status: sum(outcome.status == status for outcome in outcomes) for status in ("built", "up to date", "failed")}
        tally = ", ".join(f"{count} {status}" for status, count in counts.items())
        plural = "" if len(outcomes) == 1 else "s"
        self._say(f"{len(outcomes)} output{plural}: {tally} in {self.clock() - self.began:.1f} s")

    # ------------------------------------------------------------ helpers

    def _say(self, line: str) -> None:
        """One permanent line; a control character in it (an --out folder's name) shown escaped."""
        self._clear()
        self.stream.write(escaped(line) + "\n")
        self.stream.flush()

    def _clear(self) -> None:
        """Remove the live display, so that a permanent line can take its place."""
        if self._drawn:
            self.stream.write(f"\x1b[{self._drawn}A\r\x1b[J")
            self.stream.flush()
            self._drawn = 0
            self._last_draw = float("-inf")


def _is_terminal(stream: TextIO) -> bool:
    return stream.isatty() and os.environ.get("TERM", "") != "dumb"


def _main_size(outcome: Outcome) -> int | None:
    entry = (outcome.record or {}).get("files", {}).get(outcome.files[0])
    return entry["size"] if entry else None


def _size(size: int | None) -> str:
    if size is None:
        return "-"
    if size < 1000:
        return f"{size} B"
    return f"{size / 1000:.1f} kB" if size < 1_000_000 else f"{size / 1_000_000:.1f} MB"
