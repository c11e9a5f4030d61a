"""A build killed with SIGKILL (the out-of-memory killer, a CI timeout) cannot clean up: the
next build removes the temporary files it left, and only those of processes that have ended."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
from pathlib import Path

from click.testing import CliRunner
from conftest import MINIMAL, pipeline_command, pipeline_env
from test_nothing_lost import alive

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


def ended_within(seconds: float, pids: list[int]) -> bool:
    for _ in range(int(seconds / 0.05)):
        if not any(map(alive, pids)):
            return True
        subprocess.run(["sleep", "0.05"], check=True)
    return False


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_build_killed_mid_way_leaves_nothing_after_the_next_build(write_source, tmp_path):
    source, out = write_source(MINIMAL, name="cramps.yaml"), tmp_path / "out"
    formats = ("-f", "audio", "-f", "pdf", "-f", "epub", "-f", "txt")
    command = pipeline_command("build", "--quiet", "--jobs", "2", "--out", out, *formats, source)
    process = subprocess.Popen(command, env=pipeline_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    narrating = out / ".cache" / "cramps"
    for _ in range(1200):  # until the narration is being made (bounded: 60 s)
        if process.poll() is not None or any(path.name.startswith(".narration.") for path in ours(narrating)):
            break
        subprocess.run(["sleep", "0.05"], check=True)
    workers = children(process.pid)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    assert ended_within(1.0, workers), "the build's workers went on without it"
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
