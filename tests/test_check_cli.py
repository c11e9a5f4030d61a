"""`pipeline check` and `pipeline validate --lint` on the command line: output and exit codes."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner
from conftest import FIRST_ARTICLE, MINIMAL

from pipeline.cli import cli

WARNING_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): warning: (?P<path>[\w.\[\]]+): .+ \[(?P<rule>[a-z-]+)\]$")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_check_prints_a_table_per_part_and_warnings_in_compiler_form():
    result = run("check", str(FIRST_ARTICLE))
    assert result.exit_code == 0, result.output
    table = result.stdout
    assert "Opening: title to key points" in table and "Questions and answers" in table
    assert re.search(r"^whole article\s+\d+\s+\d+\s+\d+", table, re.MULTILINE)
    warnings = result.stderr.strip().splitlines()
    assert warnings[-1].endswith("warning(s)")
    assert warnings[:-1] and all(WARNING_LINE.match(line) for line in warnings[:-1])


def test_strict_exits_1_on_warnings_and_0_on_a_clean_article(write_source):
    assert run("check", "--strict", str(FIRST_ARTICLE)).exit_code == 1
    clean = run("check", "--strict", str(write_source(MINIMAL)))
    assert clean.exit_code == 0, clean.output
    assert clean.stderr == ""


def test_json_report_is_stable_sorted_and_complete():
    first = run("check", "--format", "json", str(FIRST_ARTICLE))
    second = run("check", "--format", "json", str(FIRST_ARTICLE))
    assert first.exit_code == 0
    assert first.stdout == second.stdout
    report = json.loads(first.stdout)
    assert first.stdout == json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert report["schema"] == "pipeline-check/1"
    assert report["settings"]["max_grade"] == 8.0 and report["settings"]["max_sentence_words"] == 25
    [article] = report["articles"]
    assert article["id"] == "hard-muscles"
    assert set(article["totals"]) == {
        "words", "reading_minutes", "sentences", "syllables", "average_sentence_words", "longest_sentence_words",
        "flesch_reading_ease", "flesch_kincaid_grade", "long_sentences", "passive_candidates", "unexplained_jargon",
    }  # fmt: skip
    assert article["parts"][0]["part"] == "front" and article["parts"][-1]["part"] == "end"
    assert sum(part["words"] for part in article["parts"]) == article["totals"]["words"]
    assert report["warning_count"] == len(article["warnings"]) > 0
    warning = article["warnings"][0]
    assert set(warning) == {"rule", "part", "file", "line", "column", "path", "message"}
    assert first.stderr == ""  # in JSON mode the warnings are in the report only


def test_json_warnings_match_the_terminal_warnings():
    as_json = json.loads(run("check", "--format", "json", str(FIRST_ARTICLE)).stdout)
    from_json = [f"{w['file']}:{w['line']}:{w['column']}: warning: {w['path']}: {w['message']} [{w['rule']}]" for w in as_json["articles"][0]["warnings"]]
    assert from_json == run("check", str(FIRST_ARTICLE)).stderr.strip().splitlines()[:-1]


def test_an_invalid_source_exits_1_and_the_valid_ones_are_still_reported(write_source):
    good = write_source(MINIMAL, name="cramps.yaml")
    bad = write_source(MINIMAL.replace("lang: en", "lang: 7"), name="broken.yaml")
    result = run("check", "--format", "json", str(good), str(bad))
    assert result.exit_code == 1
    assert "broken.yaml:2:7: error: lang:" in result.stderr
    report = json.loads(result.stdout)
    assert [article["id"] for article in report["articles"]] == ["cramps"]
    assert [error["line"] for error in report["errors"]] == [2]


def test_no_sources_and_bad_settings_are_usage_errors_exiting_2(tmp_path, monkeypatch, write_source):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("check", str(empty)).exit_code == 2
    source = write_source(MINIMAL)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.pipeline.lint]\nmax_grade = 'low'\n", encoding="utf-8")
    result = run("check", str(source))
    assert result.exit_code == 2
    assert "[tool.pipeline.lint] max_grade: expected a number, found 'low'" in result.output


def test_project_thresholds_change_what_is_reported(tmp_path, monkeypatch, write_source):
    source = write_source(MINIMAL)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.pipeline.lint]\nmax_sentence_words = 5\n", encoding="utf-8")
    result = run("check", "--strict", str(source))
    assert result.exit_code == 1
    assert ":30:13: warning: disclaimer: sentence of 9 words (limit 5)" in result.stderr


def test_validate_lint_adds_warnings_without_failing_and_strict_fails():
    plain = run("validate", str(FIRST_ARTICLE))
    assert plain.exit_code == 0 and "warning" not in plain.output
    linted = run("validate", "--lint", str(FIRST_ARTICLE))
    assert linted.exit_code == 0
    assert "ok: hard-muscles" in linted.stdout
    assert any(WARNING_LINE.match(line) for line in linted.stderr.splitlines())
    assert run("validate", "--strict", str(FIRST_ARTICLE)).exit_code == 1
