"""What a build shows: live lines on a terminal, one line per output in logs, a summary table."""

from __future__ import annotations

import io
import os
import pty
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL, ROOT

from pipeline.build.engine import Outcome
from pipeline.build.progress import Progress
from pipeline.cli import cli

OUT = Path("out")
BUILT = Outcome("cramps", "txt", ("cramps.txt",), "built", 1.25, record={"files": {"cramps.txt": {"sha256": "0", "size": 2048}}})
CURRENT = Outcome("cramps", "pdf", ("cramps.pdf",), "up to date", record={"files": {"cramps.pdf": {"sha256": "1", "size": 512}}})
FAILED = Outcome("cramps", "mp3", ("cramps.mp3", "cramps.vtt"), "failed", 3.0, error="the renderer crashed")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def progress(**settings) -> tuple[Progress, io.StringIO, io.StringIO, Clock]:
    stream, errors, clock = io.StringIO(), io.StringIO(), Clock()
    return Progress(OUT, stream=stream, errors=errors, clock=clock, **settings), stream, errors, clock


def test_live_display_shows_each_running_article_and_format_with_elapsed_time():
    shown, stream, _, clock = progress(live=True)
    shown.started("cramps", "pdf")
    shown.started("cramps", "mp3")
    clock.now += 2.5
    shown.tick()
    frame = stream.getvalue().rsplit("\x1b[J", 1)[-1]
    assert "  pdf      cramps    2.5 s" in frame and "  mp3      cramps    2.5 s" in frame
    assert "0 done, 2 running, 0 failed  (2.5 s)" in frame


def test_live_display_is_redrawn_in_place_and_finished_outputs_scroll_above_it():
    shown, stream, _, clock = progress(live=True)
    shown.started("cramps", "txt")
    shown.finished(BUILT)
    text = stream.getvalue()
    assert text.count("\x1b[2A\r\x1b[J") == 1  # the two-line display (one task, the count) is wiped once
    wiped, after = text.split("\x1b[2A\r\x1b[J")
    assert after.startswith("     built  txt      out/cramps/cramps.txt  2.0 kB  1.2 s\n")
    assert after.endswith("  1 done, 0 running, 0 failed  (0.0 s)\n")


def test_plain_log_has_one_line_per_finished_output_and_no_escape_codes():
    shown, stream, errors, _ = progress(live=False)
    shown.started("cramps", "txt")
    for outcome in (BUILT, CURRENT, FAILED):
        shown.finished(outcome)
    shown.tick(force=True)
    assert stream.getvalue() == "     built  txt      out/cramps/cramps.txt  2.0 kB  1.2 s\n"
    assert errors.getvalue() == "error: cramps: mp3 failed: the renderer crashed\n"


def test_verbose_also_lists_starts_and_outputs_already_up_to_date():
    shown, stream, _, _ = progress(live=False, verbose=True)
    shown.started("cramps", "txt")
    shown.finished(CURRENT)
    assert stream.getvalue().splitlines() == ["   started  txt      cramps", "up to date  pdf      out/cramps/cramps.pdf  512 B"]


def test_quiet_prints_only_problems_and_no_summary():
    shown, stream, errors, _ = progress(quiet=True, live=True)
    shown.started("cramps", "txt")
    for outcome in (BUILT, CURRENT, FAILED):
        shown.finished(outcome)
    shown.summary([BUILT, CURRENT, FAILED])
    assert stream.getvalue() == ""
    assert errors.getvalue() == "error: cramps: mp3 failed: the renderer crashed\n"


def test_summary_table_lists_format_file_size_time_and_status_of_every_file():
    shown, stream, _, clock = progress(live=False)
    clock.now += 4.0
    shown.summary([BUILT, CURRENT, FAILED])
    assert stream.getvalue().splitlines() == [
        "format  file                     size   time  status",
        "txt     out/cramps/cramps.txt  2.0 kB  1.2 s  built",
        "pdf     out/cramps/cramps.pdf   512 B      -  up to date",
        "mp3     out/cramps/cramps.mp3       -  3.0 s  failed",
        "mp3     out/cramps/cramps.vtt       -  3.0 s  failed",
        "3 outputs: 1 built, 1 up to date, 1 failed in 4.0 s",
    ]


def test_on_a_real_terminal_the_build_draws_the_live_display(write_source, tmp_path):
    source = write_source(MINIMAL, name="cramps.yaml")
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "pipeline"), "build", "--out", str(tmp_path / "out"), "-f", "txt", str(source)],
        stdout=terminal, stderr=terminal, env={**os.environ, "TERM": "xterm"},
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the build ended
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait() == 0
    assert b"  txt      cramps  " in shown and b"\x1b[J" in shown
    assert b"1 output: 1 built, 0 up to date, 0 failed" in shown


def test_quiet_build_prints_nothing_when_all_is_up_to_date(write_source, tmp_path):
    source = write_source(MINIMAL, name="cramps.yaml")
    CliRunner().invoke(cli, ["build", "--out", str(tmp_path), "-f", "txt", str(source)])
    result = CliRunner().invoke(cli, ["build", "--quiet", "--out", str(tmp_path), "-f", "txt", str(source)])
    assert (result.exit_code, result.output) == (0, "")


def test_quiet_and_verbose_together_are_a_usage_error(write_source):
    result = CliRunner().invoke(cli, ["build", "-q", "-v", str(write_source(MINIMAL))])
    assert result.exit_code == 2
    assert "--quiet and --verbose contradict each other" in result.output


@pytest.mark.parametrize("size, shown", [(0, "0 B"), (999, "999 B"), (1000, "1.0 kB"), (123_456, "123.5 kB"), (4_500_000, "4.5 MB")])
def test_sizes_are_shown_in_decimal_units(size, shown):
    outcome = Outcome("a", "txt", ("a.txt",), "up to date", record={"files": {"a.txt": {"sha256": "0", "size": size}}})
    table, stream, _, _ = progress(live=False)
    table.summary([outcome])
    assert f"  {shown}  " in stream.getvalue()


def test_an_output_folder_named_with_an_escape_sequence_is_shown_escaped(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pipeline.cli import cli

    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "cramps.yaml").write_text(MINIMAL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "-f", "txt", "--out", "out\x1b[2J"])
    assert result.exit_code == 0
    assert "\x1b" not in result.output
    assert "out\\x1b[2J/cramps/cramps.txt" in result.output
