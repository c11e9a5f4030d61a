"""One build per output folder: a second build waits for the first (or, with --no-wait, gives up
naming it), `pipeline verify` waits for a build too, and every file ends as its manifest says."""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL, pipeline_command, pipeline_env

from pipeline.build import lock
from pipeline.cli import cli

SLOW = {"slow": "fake_renderers:SlowRenderer"}


def source(folder: Path, title: str) -> Path:
    folder.mkdir()
    path = folder / "cramps.yaml"
    path.write_text(MINIMAL.replace("Leg cramps at night", title), encoding="utf-8")
    return path


def start(*args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(pipeline_command(*args, plugins=SLOW), env=pipeline_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def start_building(out: Path, title_source: Path, seconds: float, *flags: str) -> subprocess.Popen[str]:
    return start("build", "--quiet", "--out", out, "-f", "slow", "-f", "txt", "--seconds", seconds, *flags, title_source)


def rendering(out: Path, process: subprocess.Popen[str]) -> None:
    """Wait until the build's slow output is being rendered (bounded: 60 s)."""
    for _ in range(1200):
        if (out / ".cache" / "cramps" / "slow.pids").is_file() or process.poll() is not None:
            break
        time.sleep(0.05)
    assert process.poll() is None, process.communicate()


def as_manifest_says(article: Path) -> dict[str, bool]:
    manifest = json.loads((article / "manifest.json").read_text("utf-8"))
    recorded = {name: entry for output in manifest["outputs"].values() for name, entry in output["files"].items()}
    return {name: {"sha256": hashlib.sha256((article / name).read_bytes()).hexdigest(), "size": (article / name).stat().st_size} == entry for name, entry in recorded.items()}


@pytest.mark.heavy
def test_two_builds_at_once_on_one_folder_leave_every_file_as_its_manifest_says(tmp_path):
    out = tmp_path / "out"
    first = start_building(out, source(tmp_path / "old", "Old title"), 3)
    rendering(out, first)
    second = start_building(out, source(tmp_path / "new", "New title"), 0.1)
    _out, said = second.communicate(timeout=120)
    first.communicate(timeout=120)
    assert first.returncode == second.returncode == 0, said
    assert as_manifest_says(out / "cramps") == {"cramps.txt": True, "cramps.slow": True}
    assert f"waiting for build PID {first.pid} holding {out / lock.LOCK}" in said
    assert "New title" in (out / "cramps" / "cramps.txt").read_text("utf-8")
    assert (out / "cramps" / "cramps.slow").read_text("utf-8") == "New title\n"


@pytest.mark.heavy
def test_with_no_wait_a_second_build_exits_1_naming_the_one_writing(tmp_path):
    out = tmp_path / "out"
    first = start_building(out, source(tmp_path / "old", "Old title"), 2)
    rendering(out, first)
    second = start_building(out, source(tmp_path / "new", "New title"), 0.1, "--no-wait")
    _out, said = second.communicate(timeout=60)
    assert second.returncode == 1
    assert f"error: build PID {first.pid} is using {out} (it holds {out / lock.LOCK}): wait for it to end, or run again without --no-wait" in said
    first.communicate(timeout=120)
    assert first.returncode == 0
    assert (out / "cramps" / "cramps.slow").read_text("utf-8") == "Old title\n"
    assert as_manifest_says(out / "cramps") == {"cramps.txt": True, "cramps.slow": True}


@pytest.mark.heavy
def test_verify_waits_for_the_build_writing_the_folder(tmp_path):
    out = tmp_path / "out"
    building = start_building(out, source(tmp_path / "source", "Leg cramps at night"), 2)
    rendering(out, building)
    verifying = start("verify", "--quiet", "--sources", tmp_path / "source", out)
    _out, said = verifying.communicate(timeout=120)
    assert building.poll() is not None, "verify ended while the build was still writing"
    assert f"waiting for build PID {building.pid} holding {out / lock.LOCK}" in said
    building.communicate(timeout=60)
    assert building.returncode == 0


def test_a_build_alone_takes_the_lock_without_a_word(write_source, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--quiet", "--no-wait", "--out", str(out), "-f", "txt", str(write_source(MINIMAL))])
    assert result.exit_code == 0 and result.output == ""
    assert (out / lock.LOCK).read_bytes() == b""  # who holds it is the system's to say
