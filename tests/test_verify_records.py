"""Recorded verdicts (outputs/<id>/verify.json): a check runs again only when what it depends on
changed; otherwise its verdict is reported again, failures included. Which checks really ran
is seen through the counted test checks (fake_checks.py), which note each run in a file."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import fake_checks
import pytest
from click.testing import CliRunner
from conftest import MINIMAL
from test_verify import check_plugins  # noqa: F401 - fixture
from test_verify_epub import fake_ace  # noqa: F401 - fixture
from verify_helpers import SENTENCES, broken_copy, invoke, run

from pipeline import registry
from pipeline.cli import cli
from pipeline.verify.checks.epub_ace import NOT_INSTALLED, Ace
from pipeline.verify.checks.epub_epubcheck import EpubCheck
from pipeline.verify.engine import find_outputs, verify
from pipeline.verify.records import RECORDS, Records

COUNTED = {"counted": "fake_checks:CountedCheck", "counted-source": "fake_checks:CountedSourceCheck"}
ALL_RUNS = ["counted cramps.txt", "counted foot.txt", "counted-source cramps.txt", "counted-source foot.txt"]


@pytest.fixture
def runs(tmp_path, monkeypatch) -> Path:
    log = tmp_path / "runs.log"
    monkeypatch.setenv(fake_checks.RUNS, str(log))
    return log


def ran(log: Path) -> list[str]:
    """The counted checks that ran since the last call ('NAME FILE', sorted)."""
    lines = sorted(log.read_text("utf-8").splitlines()) if log.is_file() else []
    log.unlink(missing_ok=True)
    return lines


@pytest.fixture
def folder(tmp_path, check_plugins, runs) -> Path:  # noqa: F811
    """Two articles (cramps, foot) built as plain text, with the counted checks installed."""
    check_plugins(**COUNTED)
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "cramps.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "source" / "foot.yaml").write_text(MINIMAL.replace("Leg cramps", "Foot cramps"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "-f", "txt", str(tmp_path / "source")])
    assert result.exit_code == 0, result.output
    return tmp_path


def verify_json(folder: Path, *args: str) -> tuple[int, dict]:
    result = invoke(folder, "--format", "json", *args, folder / "out")
    return result.exit_code, json.loads(result.stdout)


def reused(report: dict) -> dict[tuple[str, str], bool]:
    return {(result["article"], result["check"]): result["reused"] for result in report["results"]}


def without_reused(report: dict) -> list[dict]:
    return [{key: value for key, value in result.items() if key != "reused"} for result in report["results"]]


def test_a_second_verify_with_nothing_changed_runs_no_check_and_reports_the_same(folder, runs):
    code, first = verify_json(folder)
    assert code == 0 and ran(runs) == ALL_RUNS
    assert set(reused(first).values()) == {False}
    code, second = verify_json(folder)
    assert code == 0 and ran(runs) == []
    assert set(reused(second).values()) == {True}
    assert len(second["results"]) == 6  # counted, counted-source and text-parity, for each article
    assert without_reused(second) == without_reused(first)
    assert second["counts"] == first["counts"] and second["passed"] is True


def test_a_hand_edited_output_runs_again_only_the_checks_of_that_output(folder, runs):
    verify_json(folder)
    ran(runs)
    edited = folder / "out" / "foot" / "foot.txt"
    edited.write_text(edited.read_text("utf-8") + "\n\n", encoding="utf-8")  # a change parity cannot see
    code, report = verify_json(folder)
    assert code == 0
    assert ran(runs) == ["counted foot.txt", "counted-source foot.txt"]
    assert reused(report) == {
        **{("cramps", check): True for check in ("counted", "counted-source", "text-parity")},
        **{("foot", check): False for check in ("counted", "counted-source", "text-parity")},
    }


def test_a_changed_source_runs_again_only_the_checks_that_compare_with_it(folder, runs):
    verify_json(folder)
    ran(runs)
    source = folder / "source" / "foot.yaml"
    source.write_text(source.read_text("utf-8").replace("Drink enough water.", "Drink enough water every day."), encoding="utf-8")
    code, report = verify_json(folder)  # not rebuilt: the text now lacks the new sentence
    assert ran(runs) == ["counted-source foot.txt"]
    assert reused(report)[("foot", "counted")] is True
    assert reused(report)[("foot", "text-parity")] is False
    assert [reused(report)[("cramps", check)] for check in ("counted", "counted-source", "text-parity")] == [True, True, True]
    [parity] = [result for result in report["results"] if result["article"] == "foot" and result["check"] == "text-parity"]
    assert code == 1 and parity["figure"] == f"{SENTENCES - 1}/{SENTENCES} sentences of the source in order, 1 missing; 2/2 details"


def test_a_reused_failure_is_reported_the_same_way_and_still_fails_the_run(folder, check_plugins):  # noqa: F811
    check_plugins(**COUNTED, **{"short-title": "fake_checks:ShortTitleCheck"})
    target = folder / "out" / "cramps" / "cramps.txt"
    first = run(folder, target)
    assert first[0] == 1 and re.search(r"^FAIL  \S+cramps\.txt  +short-title  +19 characters$", first[1], re.M)
    assert run(folder, target) == first
    code, report = verify_json(folder)
    [short] = [result for result in report["results"] if result["article"] == "cramps" and result["check"] == "short-title"]
    assert code == 1 and report["passed"] is False
    assert (short["status"], short["reused"]) == ("fail", True)


def test_force_runs_every_check_again_and_records_the_same_verdicts(folder, runs):
    verify_json(folder)
    ran(runs)
    recorded = (folder / "out" / "cramps" / RECORDS).read_bytes()
    code, report = verify_json(folder, "--force")
    assert code == 0 and ran(runs) == ALL_RUNS
    assert set(reused(report).values()) == {False}
    assert (folder / "out" / "cramps" / RECORDS).read_bytes() == recorded


def test_build_verify_reuses_verdicts_and_build_force_runs_the_checks_again(folder, runs):
    build = ["build", "--quiet", "--verify", "--out", str(folder / "out"), "-f", "txt", str(folder / "source")]
    assert CliRunner().invoke(cli, build).exit_code == 0
    ran(runs)
    assert CliRunner().invoke(cli, build).output == ""
    assert ran(runs) == []
    assert CliRunner().invoke(cli, [*build, "--force"]).exit_code == 0
    assert ran(runs) == ALL_RUNS


def test_changed_verify_settings_run_every_check_again(folder, runs, monkeypatch):
    verify_json(folder)
    ran(runs)
    monkeypatch.chdir(folder)  # the settings are those of ./pyproject.toml
    (folder / "pyproject.toml").write_text("[tool.pipeline.verify]\nwords_per_minute = [90, 180]\n", encoding="utf-8")
    verify_json(folder)
    assert ran(runs) == ALL_RUNS


@pytest.mark.parametrize("damaged", ['{"txt": {"counted": ', '{"txt": {"counted": {"key": 1}, "text-parity": []}, "epub": []}'], ids=["cut-short", "wrong-shape"])
def test_a_damaged_record_file_is_ignored_and_written_anew(folder, runs, damaged):
    verify_json(folder)
    ran(runs)
    records = folder / "out" / "cramps" / RECORDS
    good = records.read_bytes()
    records.write_text(damaged, encoding="utf-8")
    code, _report = verify_json(folder)
    assert code == 0 and ran(runs) == ["counted cramps.txt", "counted-source cramps.txt"]
    assert records.read_bytes() == good


def test_verdicts_that_cannot_be_recorded_are_a_warning_and_run_again_next_time(folder, runs):
    (folder / "out" / "cramps" / RECORDS).mkdir()  # a folder where the file should go
    result = invoke(folder, folder / "out")
    assert result.exit_code == 0
    assert re.search(rf"^warning: verdicts not recorded in \S+cramps/{RECORDS}, so every check runs again next time: IsADirectoryError", result.output, re.M)
    ran(runs)
    invoke(folder, folder / "out")
    assert ran(runs) == ["counted cramps.txt", "counted-source cramps.txt"]


def test_a_skip_for_want_of_ace_runs_again_once_ace_is_installed(built, tmp_path, monkeypatch, fake_ace):  # noqa: F811
    copy = broken_copy(built, tmp_path)
    installed_ace = os.environ["PIPELINE_ACE"]
    monkeypatch.setenv("PIPELINE_ACE", "pipeline-test-no-such-ace")

    def ace_verdict():
        records = Records()
        outputs = find_outputs([copy / "out" / "cramps" / "cramps.epub"], registry.installed())
        [verdict] = verify(outputs, [Ace()], lambda article_id: copy / "source" / f"{article_id}.yaml", records)
        assert records.save() == []
        return verdict.result.status, verdict.result.figure, verdict.reused

    assert ace_verdict() == ("skip", NOT_INSTALLED, False)
    assert ace_verdict() == ("skip", NOT_INSTALLED, True)
    monkeypatch.setenv("PIPELINE_ACE", installed_ace)
    assert ace_verdict() == ("fail", "2 violations: 2 serious (Ace 1.4.6)", False)


def test_epubcheck_depends_on_the_java_it_finds(monkeypatch):
    with_java = EpubCheck().environment()
    monkeypatch.setenv("PATH", "")
    assert EpubCheck().environment() != with_java
    assert EpubCheck().environment().startswith("java absent; epubcheck /")


def test_a_check_that_could_not_run_is_not_recorded_and_is_tried_again(folder, runs):
    nowhere = folder / "no-sources"
    nowhere.mkdir()
    for _ in range(2):
        result = invoke(folder, "--sources", nowhere, "--format", "json", folder / "out" / "cramps")
        [parity] = [item for item in json.loads(result.stdout)["results"] if item["check"] == "text-parity"]
        assert result.exit_code == 1 and (parity["figure"], parity["reused"]) == ("not run", False)
    assert ran(runs) == ["counted cramps.txt"]  # the check that needs no source ran once, then was reused
