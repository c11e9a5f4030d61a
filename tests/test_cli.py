"""The command line: exit codes, message format, and what it leaves in outputs/."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner
from conftest import FIRST_ARTICLE, MINIMAL, ROOT

from pipeline.cli import cli


def test_validate_good_source_exits_0():
    result = CliRunner().invoke(cli, ["validate", str(FIRST_ARTICLE)])
    assert result.exit_code == 0, result.output
    assert "ok: hard-muscles" in result.output


def test_validate_seed_like_broken_inputs_exit_1_with_positions_and_no_traceback(write_source):
    broken = (
        MINIMAL.replace("question: Are night cramps dangerous?", 'question: ""')
        .replace("title: Muscle Cramps", 'title: ""')
        .replace("sections:", "sectoins:")
    )
    path = write_source(broken)
    bad_yaml = write_source("title: [unclosed\n", name="bad-yaml.yaml")
    process = subprocess.run(
        [sys.executable, "-m", "pipeline", "validate", str(path), str(bad_yaml)], capture_output=True, text=True, cwd=ROOT
    )
    assert process.returncode == 1
    assert "Traceback" not in process.stderr + process.stdout
    lines = process.stderr.strip().splitlines()
    assert any(line.endswith("is blank: write the text, or remove the key if it is optional") and ":24:15: error: faq[0].question" in line for line in lines)
    assert any(":27:12: error: references[0].title: is blank" in line for line in lines)
    assert any(":7:1: error: sectoins: unknown key 'sectoins': did you mean 'sections'?" in line for line in lines)
    assert any("bad-yaml.yaml:1:8: error: this [ is never closed" in line for line in lines)


def test_usage_error_exits_2():
    result = CliRunner().invoke(cli, ["build", "--format", "no-such-format", str(FIRST_ARTICLE)])
    assert result.exit_code == 2
    assert "installed: " in result.output


def test_invalid_source_touches_nothing_in_outputs(write_source, tmp_path):
    out = tmp_path / "out"
    good = write_source(MINIMAL, name="cramps.yaml")
    assert CliRunner().invoke(cli, ["build", "--out", str(out), "-f", "txt", str(good)]).exit_code == 0
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    good.write_text(MINIMAL.replace("lang: en", "lang: 7"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--out", str(out), "-f", "txt", str(good)])
    assert result.exit_code == 1
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before


def test_renderers_lists_the_plain_text_renderer():
    result = CliRunner().invoke(cli, ["renderers"])
    assert result.exit_code == 0
    assert "txt" in result.output and "<id>.txt" in result.output
