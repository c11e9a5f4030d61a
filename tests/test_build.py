"""The engine: atomic writes, manifest, incremental rebuilds, failures that lose nothing."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner
from conftest import MINIMAL
from test_registry import plugins  # noqa: F401 - fixture

from pipeline.cli import cli


def build(out, *args):
    return CliRunner().invoke(cli, ["build", "--out", str(out), *map(str, args)])


@pytest.fixture
def source(write_source):
    return write_source(MINIMAL, name="cramps.yaml")


def test_manifest_records_hash_size_and_renderer(source, tmp_path):
    out = tmp_path / "out"
    assert build(out, "-f", "txt", source).exit_code == 0
    manifest = json.loads((out / "cramps" / "manifest.json").read_text())
    entry = manifest["outputs"]["txt"]
    data = (out / "cramps" / "cramps.txt").read_bytes()
    assert entry["renderer"] == "txt"
    assert entry["files"]["cramps.txt"] == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def test_no_change_rebuild_writes_nothing(source, tmp_path):
    out = tmp_path / "out"
    build(out, "-f", "txt", source)
    stamps = {path: path.stat().st_mtime_ns for path in out.rglob("*")}
    result = build(out, "-f", "txt", source)
    assert "up to date" in result.output
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*")} == stamps


def test_changed_source_rebuilds_and_force_rebuilds(source, tmp_path):
    out = tmp_path / "out"
    build(out, "-f", "txt", source)
    source.write_text(MINIMAL.replace("Leg cramps at night", "Night cramps"), encoding="utf-8")
    assert "built" in build(out, "-f", "txt", source).output
    assert "Night cramps" in (out / "cramps" / "cramps.txt").read_text()
    assert "built" in build(out, "--force", "-f", "txt", source).output


def test_hand_edited_output_is_rebuilt(source, tmp_path):
    out = tmp_path / "out"
    build(out, "-f", "txt", source)
    (out / "cramps" / "cramps.txt").write_text("tampered")
    build(out, "-f", "txt", source)
    assert "Leg cramps at night" in (out / "cramps" / "cramps.txt").read_text()


def test_failing_renderer_keeps_the_old_file_and_leaves_no_temporary(plugins, source, tmp_path):  # noqa: F811
    plugins(failing="fake_renderers:FailingRenderer")
    out = tmp_path / "out"
    (out / "cramps").mkdir(parents=True)
    (out / "cramps" / "cramps.txt").write_text("previous good output")
    result = build(out, "-f", "failing", source)
    assert result.exit_code == 1
    assert "cramps: failing failed: RuntimeError: disk on fire" in result.output
    assert (out / "cramps" / "cramps.txt").read_text() == "previous good output"
    assert sorted(path.name for path in (out / "cramps").iterdir()) == ["cramps.txt"]


def test_outputs_are_readable_by_others(source, tmp_path):
    out = tmp_path / "out"
    build(out, "-f", "txt", source)
    assert (out / "cramps" / "cramps.txt").stat().st_mode & 0o044 == 0o044
