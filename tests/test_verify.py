"""`pipeline verify`: one good build passes every check; the report, its schema, the command
line and the plugin road. Each format's broken outputs are in test_verify_<format>.py.
"""

from __future__ import annotations

import json
import re
from importlib.metadata import EntryPoint

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import ROOT
from verify_helpers import SENTENCES, broken_copy, check_file, results, run, run_json, schema

from pipeline import registry
from pipeline.cli import cli
from pipeline.verify import browser, checks
from pipeline.verify.checks.epub import EpubLanguage
from pipeline.verify.checks.epub_ace import NO_BROWSER, NOT_INSTALLED, ace_command

LINE = re.compile(r"^(PASS|FAIL|SKIP)  (\S+) +(\S+) +(.+)$")
PDF_CHECKS = {"pdf-clear-print", "pdf-fonts-embedded", "pdf-ink", "pdf-language", "pdf-page-limit", "pdf-parity", "pdf-reading-order", "pdf-screen-reader-parity", "pdf-structure", "pdf-tagged", "pdf-title", "pdf-ua-identifier", "pdf-ua-rules"}
EXPECTED = {
    "audio": {"mp3-chapters", "mp3-decodes", "narration-matches-transcript", "speaking-rate", "transcript-cues", "transcript-parity"},
    "braille": {"braille-back-translation", "brf-page-size", "pef-matches-brf", "pef-valid"},
    "daisy": {"daisy-headings", "daisy-parity", "daisy-structure", "daisy-times"},
    "epub": {"ace", "epub-accessibility-metadata", "epub-language", "epub-parity", "epub-reading-order", "epubcheck"},
    "epub-read-along": {"ace", "epub-accessibility-metadata", "epub-language", "epub-parity", "epub-reading-order", "epubcheck"},
    "pdf": PDF_CHECKS,
    "pdf-large": PDF_CHECKS | {"pdf-large-print-size"},
    "html": {"web-axe", "web-language", "web-parity", "web-reflow"},
    "txt": {"text-parity"},
}


@pytest.fixture(scope="module")
def good_report(built) -> tuple[int, dict]:
    return run_json(built, built / "out")


# ---------------------------------------------------------------- a good build


def test_good_build_passes_every_check_and_its_report_validates_against_the_schema(good_report):
    code, report = good_report
    jsonschema.validate(report, schema())
    assert code == 0 and report["passed"] is True
    failing = [result for result in report["results"] if result["status"] == "fail"]
    assert failing == []
    applied = {}
    for result in report["results"]:
        applied.setdefault(result["renderer"], set()).add(result["check"])
    assert applied == EXPECTED
    parity = {(result["renderer"], result["figure"]) for result in report["results"] if result["check"].endswith("parity")}
    in_order = f"{SENTENCES}/{SENTENCES} sentences of the source in order"
    assert parity == {("audio", in_order), *((renderer, f"{in_order}; 2/2 details") for renderer in ("daisy", "epub", "epub-read-along", "html", "pdf", "pdf-large", "txt"))}
    assert results(report, "epubcheck")[0]["figure"].startswith("0 fatal, 0 errors, 0 warnings (EPUBCheck 5.")
    assert [result["renderer"] for result in report["results"]] == sorted(result["renderer"] for result in report["results"])
    skipped = [result["figure"] for result in report["results"] if result["status"] == "skip"]
    no_browser = browser.missing(axe=False)
    expected_skips = (ace_missing(), no_browser, ace_missing(), no_browser, browser.missing(), no_browser, no_browser)  # e-books' Ace and parity, the page's axe, parity, reflow
    assert skipped == [missing for missing in expected_skips if missing]


def ace_missing() -> str | None:
    if ace_command() is None:
        return NOT_INSTALLED
    return None if browser.chromium_path() else NO_BROWSER


def test_ace_finds_no_violation_in_either_e_book(good_report):
    if ace_missing():
        pytest.skip(ace_missing())
    aces = results(good_report[1], "ace")
    assert [(ace["renderer"], ace["status"], ace["figure"]) for ace in aces] == [
        ("epub", "pass", "0 violations (Ace 1.4.6)"),
        ("epub-read-along", "pass", "0 violations (Ace 1.4.6)"),
    ]


def test_schema_is_itself_valid_and_refuses_a_report_with_an_unknown_status(good_report):
    jsonschema.Draft202012Validator.check_schema(schema())
    _code, report = good_report
    broken = json.loads(json.dumps(report))
    broken["results"][0]["status"] = "ok"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema())


def test_text_report_prints_one_aligned_line_per_check_and_a_summary(built):
    code, output = run(built, built / "out" / "cramps" / "cramps.txt")
    lines = output.splitlines()
    assert code == 0
    assert LINE.match(lines[0]).groups() == ("PASS", str(built / "out" / "cramps" / "cramps.txt"), "text-parity", f"{SENTENCES}/{SENTENCES} sentences of the source in order; 2/2 details")
    assert lines[-1] == "1 check: 1 passed, 0 failed, 0 skipped"


def test_json_report_is_the_same_bytes_on_every_run_but_for_what_was_reused(built):
    target = built / "out" / "cramps" / "cramps.txt"
    fresh = run(built, "--force", "--format", "json", target)
    assert fresh == run(built, "--force", "--format", "json", target)
    reused = run(built, "--format", "json", target)
    assert reused == run(built, "--format", "json", target)
    assert '"reused": false' in fresh[1] and reused[1] == fresh[1].replace('"reused": false', '"reused": true')


def test_build_verify_checks_what_it_built(built, tmp_path):
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "-f", "txt", "--verify", str(built / "source" / "cramps.yaml")])
    assert result.exit_code == 0, result.output
    assert re.search(rf"^PASS  \S+cramps\.txt  text-parity  {SENTENCES}/{SENTENCES} sentences of the source in order; 2/2 details$", result.output, re.M)
    assert result.output.endswith("\n1 check: 1 passed, 0 failed, 0 skipped\n")  # only what this build made


# ---------------------------------------------------------------- broken outputs


def test_text_missing_a_paragraph_lists_each_missing_sentence_at_its_source_position(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    path = folder / "out" / "cramps" / "cramps.txt"
    path.write_text(path.read_text("utf-8").replace("Gentle stretching helps many people. Drink enough water.\n", ""), encoding="utf-8")
    code, output = run(folder, path)
    source = folder / "source" / "cramps.yaml"
    assert code == 1
    assert output.splitlines() == [
        f"FAIL  {path}  text-parity  {SENTENCES - 2}/{SENTENCES} sentences of the source in order, 2 missing; 2/2 details",
        f'      missing: {source}:10:9 sections[0].body[0]: "Gentle stretching helps many people." is not read (it belongs after line 17)',
        f'      missing: {source}:10:46 sections[0].body[0]: "Drink enough water." is not read (it belongs after line 17)',
        "1 check: 0 passed, 1 failed, 0 skipped",
    ]


def test_unreadable_file_fails_its_checks_with_the_reason(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    path = folder / "out" / "cramps" / "cramps.epub"
    path.write_bytes(b"not a zip")
    verdict = check_file(folder, path, EpubLanguage())
    assert verdict.result.status == "fail" and verdict.result.figure == "unreadable"
    assert verdict.result.messages == (f"{path}: could not be checked: BadZipFile: File is not a zip file",)


def test_file_missing_from_a_built_folder_fails_as_missing(built, tmp_path, without_ace):
    folder = broken_copy(built, tmp_path)
    (folder / "out" / "cramps" / "cramps.epub").unlink()
    code, report = run_json(folder, folder / "out" / "cramps")
    [missing] = results(report, "present")
    assert code == 1 and missing["status"] == "fail" and missing["renderer"] == "epub"
    assert missing["messages"] == [f"{folder / 'out' / 'cramps' / 'cramps.epub'}: listed in the manifest but missing: rebuild with `pipeline build --format epub`"]
    assert {result["renderer"] for result in report["results"]} == set(EXPECTED)  # the other outputs are still checked


def test_parity_fails_when_the_source_cannot_be_found(built, tmp_path):
    code, output = run(built, "--sources", tmp_path, built / "out" / "cramps" / "cramps.txt")
    assert code == 1
    assert f"no source {tmp_path / 'cramps.yaml'} to compare with: pass --sources FOLDER holding <id>.yaml" in output


def test_a_folder_without_built_outputs_is_a_usage_error(built, tmp_path):
    code, output = run(built, tmp_path)
    assert code == 2
    assert "no built outputs here (no */manifest.json): run `pipeline build` first" in output


# ---------------------------------------------------------------- the plugin road


@pytest.fixture
def check_plugins(monkeypatch):
    """The installed checks plus the given test ones (the last call's), as entry points of `pipeline.checks`."""
    installed = dict(checks.installed.__wrapped__().entry_points)

    def install(**extra: str) -> None:
        entries = {**installed, **{name: EntryPoint(name, value, checks.GROUP) for name, value in extra.items()}}
        monkeypatch.setattr(checks, "installed", lambda: registry.Registry(entries, "check", ("name", "media_types", "applies", "run")))

    return install


def test_a_plugin_check_runs_through_its_entry_point_and_its_failure_fails_the_run(built, check_plugins):
    check_plugins(**{"short-title": "fake_checks:ShortTitleCheck"})
    code, output = run(built, built / "out" / "cramps" / "cramps.txt")
    assert code == 1
    assert re.search(r"^FAIL  \S+cramps\.txt  short-title  19 characters$", output, re.M)
    assert "      'Leg cramps at night' is too long for a plugin's taste" in output.splitlines()


def test_quiet_build_verify_prints_nothing_when_every_check_passes_and_else_only_the_failures(built, tmp_path, check_plugins):
    build = ["build", "--quiet", "--verify", "--out", str(tmp_path / "out"), "-f", "txt", str(built / "source" / "cramps.yaml")]
    passing = CliRunner().invoke(cli, build)
    assert (passing.exit_code, passing.output) == (0, "")
    check_plugins(**{"short-title": "fake_checks:ShortTitleCheck"})
    failing = CliRunner().invoke(cli, build)
    assert failing.exit_code == 1
    assert failing.output.splitlines() == [
        f"FAIL  {tmp_path / 'out' / 'cramps' / 'cramps.txt'}  short-title  19 characters",
        "      'Leg cramps at night' is too long for a plugin's taste",
        "2 checks: 1 passed, 1 failed, 0 skipped",
    ]


def test_a_broken_check_plugin_is_named_and_fails_the_run(built, check_plugins):
    check_plugins(broken="no_such_module:Check")
    code, report = run_json(built, built / "out" / "cramps" / "cramps.txt")
    assert code == 1 and report["passed"] is False
    assert report["errors"] == ["check 'broken' (no_such_module:Check) could not be loaded: ModuleNotFoundError: No module named 'no_such_module'"]


def test_make_all_builds_with_verify_on_java():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert re.search(r"^all: build$", makefile, re.M)
    assert re.search(r"^build: \$\(STAMP\) java[^\n]*\n\t@\$\(PIPELINE\) build --quiet --verify ", makefile, re.M)
