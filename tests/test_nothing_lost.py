"""Nothing lost: a renderer that crashes, is killed, hangs or is interrupted, and an output
folder that is read-only or full, never cost a previous output, another format, a stray
temporary file or a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL, pipeline_command, pipeline_env
from test_registry import plugins  # noqa: F401 - fixture

from pipeline.cli import cli

PREVIOUS = "previous good output\n"


def build(out, *args):
    return CliRunner().invoke(cli, ["build", "--out", str(out), *map(str, args)])


@pytest.fixture
def source(write_source):
    return write_source(MINIMAL, name="cramps.yaml")


def with_previous(out: Path, *names: str) -> None:
    (out / "cramps").mkdir(parents=True, exist_ok=True)
    for name in names:
        (out / "cramps" / name).write_text(PREVIOUS)


def temporaries(*folders: Path) -> list[Path]:
    return [path for folder in folders for path in folder.rglob("*") if path.name.endswith(".tmp")]


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a container's init to reap it is not running)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def gone(pids: list[int]) -> bool:
    """Whether the processes end within a generous bound (a SIGKILL is delivered asynchronously)."""
    for _ in range(200):
        if not any(alive(pid) for pid in pids):
            return True
        subprocess.run(["sleep", "0.05"], check=True)
    return False


def renderer_pids(out: Path) -> list[int]:
    return [int(pid) for pid in (out / ".cache" / "cramps" / "slow.pids").read_text().split()]


CRASHES = {
    "exiting": "the renderer crashed: its process exited with status 3 before finishing; its last output: about to leave",
    "killed": "the renderer crashed: its process was killed by signal 9 (SIGKILL)",
    "segfault": "the renderer crashed: its process was killed by signal 11 (SIGSEGV); its last output: Fatal Python error: Segmentation fault",
}


@pytest.mark.parametrize("crash", sorted(CRASHES))
def test_crashed_renderer_fails_alone_keeping_its_previous_output(plugins, source, tmp_path, crash):  # noqa: F811
    plugins(**{crash: f"fake_renderers:{crash.capitalize()}Renderer", "title": "fake_renderers:TitleRenderer"})
    out = tmp_path / "out"
    with_previous(out, f"cramps.{crash}")
    result = build(out, "--jobs", "1", "-f", crash, "-f", "txt", "-f", "title", source)  # the next ones need a new worker
    assert result.exit_code == 1
    assert f"error: cramps: {crash} failed: {CRASHES[crash]}" in result.output
    assert "Traceback" not in result.output
    assert (out / "cramps" / f"cramps.{crash}").read_text() == PREVIOUS
    assert (out / "cramps" / "cramps.txt").is_file() and (out / "cramps" / "cramps.title").is_file()
    assert temporaries(out) == []


def test_renderer_over_its_own_time_limit_is_stopped_with_its_children(plugins, source, tmp_path):  # noqa: F811
    plugins(hanging="fake_renderers:HangingRenderer")
    out = tmp_path / "out"
    with_previous(out, "cramps.hanging")
    result = build(out, "-f", "hanging", "-f", "txt", source)
    assert result.exit_code == 1
    assert "error: cramps: hanging failed: the renderer timed out after 2 s: it was stopped; allow it longer with --timeout SECONDS" in result.output
    assert (out / "cramps" / "cramps.hanging").read_text() == PREVIOUS
    assert (out / "cramps" / "cramps.txt").is_file()
    assert temporaries(out) == []
    assert gone(renderer_pids(out))


def test_timeout_option_limits_every_renderer(plugins, source, tmp_path):  # noqa: F811
    plugins(slow="fake_renderers:SlowRenderer")
    result = build(tmp_path / "out", "-f", "slow", "--timeout", "0.5", source)
    assert result.exit_code == 1
    assert "slow failed: the renderer timed out after 0.5 s" in result.output


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_or_sigterm_stops_renderers_and_leaves_no_temporary_file(source, tmp_path, signum):
    out, scratch = tmp_path / "out", tmp_path / "tmp"
    scratch.mkdir()
    with_previous(out, "cramps.slow")
    command = pipeline_command("build", "--out", out, "-f", "slow", "-f", "txt", source, plugins={"slow": "fake_renderers:SlowRenderer"})
    process = subprocess.Popen(command, env=pipeline_env(TMPDIR=str(scratch)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    pids = out / ".cache" / "cramps" / "slow.pids"
    for _ in range(1200):  # until the renderer is at work (bounded: 60 s)
        if pids.is_file() and pids.read_text().strip() or process.poll() is not None:
            break
        subprocess.run(["sleep", "0.05"], check=True)
    os.killpg(process.pid, signum)  # as a terminal sends Ctrl-C: to the whole foreground group
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, stdout + stderr
    assert f"interrupted ({signum.name}): unfinished outputs were discarded, finished ones are in place" in stderr
    assert "Traceback" not in stdout + stderr
    assert (out / "cramps" / "cramps.slow").read_text() == PREVIOUS
    assert temporaries(out) == []
    assert list(scratch.iterdir()) == []  # the renderer's own scratch file went with the pool's folder
    assert gone(renderer_pids(out))


@pytest.fixture
def read_only():
    """Make a folder read-only for real: a read-only bind mount as root (root ignores modes), else its mode."""
    undo = []

    def make(folder: Path) -> None:
        if os.geteuid() == 0:
            subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
            undo.append(["umount", str(folder)])
            subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
        else:
            folder.chmod(0o555)
            undo.append(["chmod", "755", str(folder)])

    yield make
    for command in reversed(undo):
        subprocess.run(command, check=True)


def rebuild_when_unwritable(out: Path, source: Path, spoil) -> str:
    """Build, change the source, `spoil` the output folder, build again: it must fail cleanly and
    change nothing. Returns what the second build printed."""
    assert build(out, "-f", "txt", source).exit_code == 0
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    source.write_text(MINIMAL.replace("Leg cramps at night", "Night cramps"), encoding="utf-8")
    spoil()
    result = build(out, "-f", "txt", source)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before
    return result.output


def test_read_only_output_folder_is_a_clear_error_and_keeps_outputs(source, tmp_path, read_only):
    out = tmp_path / "out"
    output = rebuild_when_unwritable(out, source, lambda: read_only(out))
    assert f"error: cramps: txt failed: cannot write in {out / 'cramps'} (" in output
    assert "): make the folder writable, or build elsewhere with --out" in output


@pytest.fixture
def small_disk(tmp_path):
    """A 256 kB file system of its own (tmpfs), so that it can really be filled."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)]).returncode:
        pytest.skip("FULL-DISK TEST SKIPPED: mounting a small tmpfs needs root (CI runs as root)")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def fill(disk: Path) -> None:
    with (disk / "filler").open("wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError:
            pass


def test_full_output_disk_is_a_clear_error_and_keeps_outputs(source, small_disk):
    out = small_disk / "out"
    output = rebuild_when_unwritable(out, source, lambda: fill(small_disk))
    assert f"error: cramps: txt failed: no space left for {out / 'cramps'} (No space left on device): free some space, or build elsewhere with --out" in output


def test_disk_filling_up_during_a_render_is_reported_as_such(plugins, source, tmp_path):  # noqa: F811
    plugins(diskfull="fake_renderers:DiskFullRenderer")
    out = tmp_path / "out"
    result = build(out, "-f", "diskfull", source)
    assert result.exit_code == 1
    assert f"diskfull failed: no space left for {out / 'cramps'} (No space left on device)" in result.output
    assert temporaries(out) == []


def test_manifest_that_cannot_be_written_is_reported_and_the_output_rebuilt_next_time(source, tmp_path):
    out = tmp_path / "out"
    (out / "cramps" / "manifest.json").mkdir(parents=True)  # in the way of the manifest
    result = build(out, "-f", "txt", source)
    assert result.exit_code == 1
    assert f"error: cramps: outputs were written but not recorded in manifest.json: cannot write in {out / 'cramps'}: IsADirectoryError" in result.output
    assert temporaries(out) == []
    (out / "cramps" / "manifest.json").rmdir()
    assert "1 output: 1 built" in build(out, "-f", "txt", source).output
