"""Reproducible: with SOURCE_DATE_EPOCH set, two builds give the same bytes, for every installed format."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL

from pipeline import registry
from pipeline.cli import cli


def contents(out: Path) -> dict[str, bytes]:
    return {str(path.relative_to(out)): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file() and ".cache" not in path.parts}


@pytest.mark.parametrize("name", registry.installed().names)
def test_two_builds_with_the_same_source_date_epoch_are_byte_identical(name, write_source, tmp_path, monkeypatch):
    source = write_source(MINIMAL, name="cramps.yaml")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    results = []
    for out, zone in ((tmp_path / "first", "America/New_York"), (tmp_path / "second", "Asia/Tokyo")):
        began = time.time()
        monkeypatch.setenv("TZ", zone)  # another machine's time zone must not show either
        results.append(CliRunner().invoke(cli, ["build", "--out", str(out), "-f", name, str(source)]))
        time.sleep(max(0.0, 1.1 - (time.time() - began)))  # and another second on the clock
    assert [result.exit_code for result in results] == [0, 0], results[0].output + results[1].output
    first = contents(tmp_path / "first")
    assert len(first) >= 2  # the output and its manifest
    assert first == contents(tmp_path / "second")
