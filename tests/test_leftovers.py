"""A build killed with SIGKILL (the out-of-memory killer, a CI timeout) cannot clean up: the
next build removes the temporary files it left, and only those of processes that have ended."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL, pipeline_command, pipeline_env

from pipeline import atomic
from pipeline.build import leftovers
from pipeline.cli import cli


def ours(out: Path) -> list[Path]:
    """Every temporary file or folder of the pipeline's naming under `out`."""
    return sorted(path for path in out.rglob("*") if atomic.NAMED.fullmatch(path.name))


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_only_temporaries_of_ended_processes_are_removed(tmp_path):
    article, cache = tmp_path / "cramps", tmp_path / ".cache" / "cramps"
    cache.mkdir(parents=True)
    article.mkdir()
    dead, living = dead_pid(), os.getpid()
    stale = [article / f".cramps.pdf.{dead}.abcd1234.tmp", cache / f".narration.{dead}.x_y9z8w7.tmp"]
    kept = [article / f".cramps.pdf.{living}.abcd1234.tmp", article / ".cramps.pdf.abcd1234.tmp", article / "notes.tmp", article / "cramps.pdf"]
    stale[1].mkdir()
    (stale[1] / "chunk-1.wav").write_bytes(b"RIFF")
    for path in [stale[0], *kept]:
        path.write_bytes(b"")
    assert leftovers.remove_stale(tmp_path) == 2
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in kept)


def test_temporary_names_hold_the_process_id(tmp_path):
    name = Path(atomic.prefix("cramps.pdf") + "abcd1234" + atomic.SUFFIX).name
    assert atomic.NAMED.fullmatch(name)["pid"] == str(os.getpid())


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command's name (state first), or None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def descendants(pid: int) -> dict[int, str]:
    """Every process whose ancestry leads to `pid`, at any depth, with its start time (so that
    a number the system hands to a new process later is not taken for it)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            parents[int(entry.name)] = (int(fields[1]), fields[19])
    found, pending = {}, [pid]
    while pending:
        parent = pending.pop()
        for child, (ppid, started) in parents.items():
            if ppid == parent and child not in found:
                found[child] = started
                pending.append(child)
    return found


def survivors(recorded: dict[int, str], seconds: float) -> list[int]:
    """Those of `recorded` still running (not a zombie) after up to `seconds`."""
    for _ in range(int(seconds / 0.05)):
        left = [pid for pid, started in recorded.items() if (fields := _stat(pid)) and fields[19] == started and fields[0] not in ("Z", "X")]
        if not left:
            return []
        time.sleep(0.05)
    return left


def killed_once(process: subprocess.Popen[bytes], ready: Callable[[dict[int, str]], bool]) -> tuple[dict[int, str], bool]:
    """SIGKILL the build once its process tree is `ready` (bounded: 60 s); the tree as it was
    just before, and whether it was ready."""
    for _ in range(1200):
        tree = descendants(process.pid)
        seen = ready(tree)
        if seen or process.poll() is not None:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    return tree, seen


def command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def speaking(pids: dict[int, str]) -> bool:
    return any(b"pipeline.speech.espeak_worker" in command_line(pid) for pid in pids)


STUCK_IN_ESPEAK = """\
import sys, time
def stall(event, args):
    if event == "ctypes.dlopen" and "espeak" in str(args[0]):
        time.sleep(120)
if "pipeline.speech.espeak_worker" in sys.orig_argv:
    sys.addaudithook(stall)
"""
"""A sitecustomize that makes every speech worker hang as it loads espeak-ng, as one stuck in
the library would: it goes on only if something kills it."""


def test_build_killed_mid_way_leaves_nothing_after_the_next_build(write_source, tmp_path):
    source, out = write_source(MINIMAL, name="cramps.yaml"), tmp_path / "out"
    formats = ("-f", "audio", "-f", "pdf", "-f", "epub", "-f", "txt")
    command = pipeline_command("build", "--quiet", "--jobs", "2", "--out", out, *formats, source)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(STUCK_IN_ESPEAK, encoding="utf-8")
    environment = pipeline_env()
    environment["PYTHONPATH"] = os.pathsep.join([str(tmp_path / "site"), environment["PYTHONPATH"]])
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    narrating = out / ".cache" / "cramps"
    tree, spoken = killed_once(process, lambda tree: speaking(tree) and any(path.name.startswith(".narration.") for path in ours(narrating)))
    assert spoken, "the build was killed before speech synthesis started"
    assert survivors(tree, 2.0) == [], "processes of the build went on without it"
    left = ours(out)
    assert len(left) >= 3, left  # the MP3, its transcript and the narration's folder at least

    result = CliRunner().invoke(cli, ["build", "--quiet", "--out", str(out), *formats, str(source)])
    assert result.exit_code == 0, result.output
    assert f"note: removed {len(left)} temporary files that killed builds left in {out}" in result.output
    assert [path for path in out.rglob("*") if path.name.endswith(".tmp")] == []
    manifest = json.loads((out / "cramps" / "manifest.json").read_text())
    recorded = {name: entry for output in manifest["outputs"].values() for name, entry in output["files"].items()}
    assert len(recorded) == 5  # MP3, WebVTT, PDF, EPUB, text
    for name, entry in recorded.items():
        data = (out / "cramps" / name).read_bytes()
        assert {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} == entry, name


@pytest.mark.parametrize("executor", [("--jobs", "2"), ("--executor", "dask", "--workers", "2")], ids=["local pool", "dask cluster started here"])
def test_a_build_killed_outright_takes_its_renderers_children_with_it(write_source, tmp_path, executor):
    source, out = write_source(MINIMAL, name="cramps.yaml"), tmp_path / "out"
    command = pipeline_command("build", "--quiet", "--out", out, *executor, "-f", "slow", "-f", "txt", "--seconds", "97.5", source, plugins={"slow": "fake_renderers:SlowRenderer"})
    process = subprocess.Popen(command, env=pipeline_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    tree, sleeping = killed_once(process, lambda tree: any(b"97.5" in command_line(pid) for pid in tree))
    assert sleeping, "the build was killed before the renderer started its child"
    assert survivors(tree, 5.0) == [], "processes of the build went on without it"
