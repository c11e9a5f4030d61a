"""`pipeline verify`: a good build passes every check; each kind of broken output is caught and named.

Builds are shared by the module (EPUBCheck takes seconds per run); each broken output is a
copy of the good build with one thing taken away, so a failure can only come from that.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import sys
import zipfile
from collections.abc import Callable
from importlib.metadata import EntryPoint
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import MINIMAL, ROOT

from pipeline import checks, registry, verify_report
from pipeline.checks.epub import EpubAccessibilityMetadata, EpubLanguage
from pipeline.checks.epub_ace import NOT_INSTALLED
from pipeline.cli import cli
from pipeline.verify import find_outputs, verify

DATA = Path(__file__).resolve().parent / "data"
SENTENCES = 23  # of MINIMAL, counted by hand: title 1, summary 2, key point 2, sections 13, FAQ 3, references 2
LINE = re.compile(r"^(PASS|FAIL|SKIP)  (\S+) +(\S+) +(.+)$")


@pytest.fixture(scope="module", autouse=True)
def without_ace():
    """Ace is optional and slow: these tests hold it absent unless a test brings its own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PIPELINE_ACE", "pipeline-test-no-such-ace")
        yield


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """A folder holding source/cramps.yaml and out/cramps/ built in every installed format."""
    folder = tmp_path_factory.mktemp("good")
    (folder / "source").mkdir()
    (folder / "source" / "cramps.yaml").write_text(MINIMAL, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--out", str(folder / "out"), str(folder / "source" / "cramps.yaml")])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def good_report(good) -> tuple[int, dict]:
    return run_json(good, good / "out")


def invoke(folder: Path, *args: str | Path):
    return CliRunner().invoke(cli, ["verify", "--sources", str(folder / "source"), *map(str, args)])


def run(folder: Path, *args: str | Path) -> tuple[int, str]:
    result = invoke(folder, *args)
    return result.exit_code, result.output


def run_json(folder: Path, *paths: Path) -> tuple[int, dict]:
    result = invoke(folder, "--format", "json", *paths)
    return result.exit_code, json.loads(result.stdout)


def results(report: dict, check: str) -> list[dict]:
    return [result for result in report["results"] if result["check"] == check]


def broken_copy(good: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "broken"
    shutil.copytree(good, copy)
    return copy


def rewrite_zip(path: Path, change: Callable[[str, bytes], bytes]) -> None:
    """Rewrite every entry of an archive through `change(name, data)`, order and settings kept."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info, change(info.filename, archive.read(info))) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            archive.writestr(info, data)


def schema() -> dict:
    return json.loads(verify_report.SCHEMA_FILE.read_text("utf-8"))


# ---------------------------------------------------------------- a good build


def test_good_build_passes_every_check_and_its_report_validates_against_the_schema(good_report):
    code, report = good_report
    jsonschema.validate(report, schema())
    assert code == 0 and report["passed"] is True
    failing = [result for result in report["results"] if result["status"] == "fail"]
    assert failing == []
    assert {(result["renderer"], result["check"]) for result in report["results"]} >= {
        ("epub", "epubcheck"),
        ("epub", "epub-accessibility-metadata"),
        ("epub", "epub-language"),
        ("epub", "epub-parity"),
        ("epub", "ace"),
        ("txt", "text-parity"),
    }
    assert results(report, "epubcheck")[0]["figure"].startswith("0 fatal, 0 errors, 0 warnings (EPUBCheck 5.")
    assert results(report, "text-parity")[0]["figure"] == f"{SENTENCES}/{SENTENCES} sentences of the source"
    assert report["counts"] == {"pass": len(report["results"]) - 1, "fail": 0, "skip": 1}


def test_ace_is_skipped_with_the_way_to_install_it_when_it_is_absent(good_report):
    _code, report = good_report
    [ace] = results(report, "ace")
    assert ace["status"] == "skip" and ace["figure"] == NOT_INSTALLED
    assert "make check-a11y" in NOT_INSTALLED


def test_schema_is_itself_valid_and_refuses_a_report_with_an_unknown_status(good_report):
    jsonschema.Draft202012Validator.check_schema(schema())
    _code, report = good_report
    broken = json.loads(json.dumps(report))
    broken["results"][0]["status"] = "ok"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema())


def test_text_report_prints_one_aligned_line_per_check_and_a_summary(good):
    code, output = run(good, good / "out" / "cramps" / "cramps.txt")
    lines = output.splitlines()
    assert code == 0
    assert LINE.match(lines[0]).groups() == ("PASS", str(good / "out" / "cramps" / "cramps.txt"), "text-parity", f"{SENTENCES}/{SENTENCES} sentences of the source")
    assert lines[-1] == "1 checks: 1 passed, 0 failed, 0 skipped"


def test_json_report_is_the_same_bytes_on_every_run(good):
    target = good / "out" / "cramps" / "cramps.txt"
    assert run(good, "--format", "json", target) == run(good, "--format", "json", target)


def test_build_verify_checks_what_it_built(good, tmp_path):
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "-f", "txt", "--verify", str(good / "source" / "cramps.yaml")])
    assert result.exit_code == 0, result.output
    assert re.search(rf"^PASS  \S+cramps\.txt  text-parity  {SENTENCES}/{SENTENCES} sentences of the source$", result.output, re.M)
    assert "epub" not in result.output  # only what this build made


# ---------------------------------------------------------------- broken outputs


def test_epub_without_language_fails_epubcheck_and_the_language_check(good, tmp_path):
    folder = broken_copy(good, tmp_path)

    def without_language(name: str, data: bytes) -> bytes:
        if name.endswith(".opf"):
            return re.sub(rb"<dc:language>[^<]*</dc:language>", b"", data).replace(b' xml:lang="en"', b"")
        return data

    rewrite_zip(folder / "out" / "cramps" / "cramps.epub", without_language)
    code, report = run_json(folder, folder / "out" / "cramps")
    jsonschema.validate(report, schema())
    assert code == 1 and report["passed"] is False
    [epubcheck] = results(report, "epubcheck")
    assert epubcheck["status"] == "fail" and epubcheck["figure"].startswith("0 fatal, 1 errors, 0 warnings")
    assert re.fullmatch(r'ERROR RSC-005 EPUB/content\.opf:\d+:\d+: .*missing required element "dc:language"', epubcheck["messages"][0])
    [language] = results(report, "epub-language")
    assert language["status"] == "fail" and language["figure"] == "'en' in 5/7 places (dc:language, package, 5 documents)"
    assert language["messages"][:2] == [
        f"dc:language is missing, not 'en' as in {folder / 'source' / 'cramps.yaml'}",
        f"the package element's xml:lang is missing, not 'en' as in {folder / 'source' / 'cramps.yaml'}",
    ]
    assert [result["status"] for result in results(report, "text-parity")] == ["pass"]  # the rest is untouched


def test_text_missing_a_paragraph_lists_each_missing_sentence_at_its_source_position(good, tmp_path):
    folder = broken_copy(good, tmp_path)
    path = folder / "out" / "cramps" / "cramps.txt"
    path.write_text(path.read_text("utf-8").replace("Gentle stretching helps many people. Drink enough water.\n", ""), encoding="utf-8")
    code, output = run(folder, path)
    source = folder / "source" / "cramps.yaml"
    assert code == 1
    assert output.splitlines() == [
        f"FAIL  {path}  text-parity  {SENTENCES - 2}/{SENTENCES} sentences of the source, 2 missing",
        f'      missing: {source}:10:9 sections[0].body[0]: "Gentle stretching helps many people."',
        f'      missing: {source}:10:46 sections[0].body[0]: "Drink enough water."',
        "1 checks: 0 passed, 1 failed, 0 skipped",
    ]


def test_epub_without_accessibility_metadata_names_what_is_missing(good, tmp_path):
    folder = broken_copy(good, tmp_path)
    path = folder / "out" / "cramps" / "cramps.epub"

    def without_claims(name: str, data: bytes) -> bytes:
        if name.endswith(".opf"):
            return re.sub(rb'<meta property="(dcterms:conformsTo|schema:accessibilitySummary)">[^<]*</meta>', b"", data)
        return data

    rewrite_zip(path, without_claims)
    verdicts = verify(find_outputs([path], registry.installed()), [EpubAccessibilityMetadata()], lambda _id: folder / "source" / "cramps.yaml")
    [verdict] = verdicts
    assert (verdict.result.status, verdict.result.figure) == ("fail", "4/6 declared")
    assert verdict.result.messages == (
        'no dcterms:conformsTo naming EPUB Accessibility 1.1 (e.g. "EPUB Accessibility 1.1 - WCAG 2.2 Level AA")',
        "no schema:accessibilitySummary metadata",
    )


def test_unreadable_file_fails_its_checks_with_the_reason(good, tmp_path):
    folder = broken_copy(good, tmp_path)
    path = folder / "out" / "cramps" / "cramps.epub"
    path.write_bytes(b"not a zip")
    [verdict] = verify(find_outputs([path], registry.installed()), [EpubLanguage()], lambda _id: folder / "source" / "cramps.yaml")
    assert verdict.result.status == "fail" and verdict.result.figure == "unreadable"
    assert verdict.result.messages == (f"{path}: could not be checked: BadZipFile: File is not a zip file",)


def test_file_missing_from_a_built_folder_fails_as_missing(good, tmp_path):
    folder = broken_copy(good, tmp_path)
    (folder / "out" / "cramps" / "cramps.epub").unlink()
    code, report = run_json(folder, folder / "out" / "cramps")
    [missing] = results(report, "present")
    assert code == 1 and missing["status"] == "fail" and missing["renderer"] == "epub"
    assert missing["messages"] == [f"{folder / 'out' / 'cramps' / 'cramps.epub'}: listed in the manifest but missing: rebuild with `pipeline build --format epub`"]
    assert {result["renderer"] for result in report["results"]} == {"epub", "txt"}  # the other outputs are still checked


def test_parity_fails_when_the_source_cannot_be_found(good, tmp_path):
    code, output = run(good, "--sources", tmp_path, good / "out" / "cramps" / "cramps.txt")
    assert code == 1
    assert f"no source {tmp_path / 'cramps.yaml'} to compare with: pass --sources FOLDER holding <id>.yaml" in output


def test_a_folder_without_built_outputs_is_a_usage_error(good, tmp_path):
    code, output = run(good, tmp_path)
    assert code == 2
    assert "no built outputs here (no */manifest.json): run `pipeline build` first" in output


# ---------------------------------------------------------------- Ace, from its real report


@pytest.fixture
def fake_ace(tmp_path, monkeypatch) -> None:
    """An `ace` that writes the report Ace 1.4.6 wrote for an e-book without language."""
    script = tmp_path / "ace"
    script.write_text(
        f"#!{sys.executable}\nimport shutil, sys\n"
        f"outdir = sys.argv[sys.argv.index('--outdir') + 1]\n"
        f"shutil.copy({str(DATA / 'ace-report-without-language.json')!r}, outdir + '/report.json')\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PIPELINE_ACE", str(script))
    monkeypatch.setenv("PUPPETEER_EXECUTABLE_PATH", sys.executable)  # any file: the fake drives no browser


def test_ace_violations_are_listed_with_impact_rule_document_and_help(good, fake_ace):
    from pipeline.checks.epub_ace import Ace

    [verdict] = verify(find_outputs([good / "out" / "cramps" / "cramps.epub"], registry.installed()), [Ace()], lambda _id: good / "source" / "cramps.yaml")
    assert (verdict.result.status, verdict.result.figure) == ("fail", "2 violations: 2 serious (Ace 1.4.6)")
    assert verdict.result.messages == (
        "serious epub-lang in EPUB/content.opf: The language must be specified (xml:lang in OPF package) (http://kb.daisy.org/publishing/docs/epub/language.html)",
        "serious html-has-lang in section-1.xhtml: The <html> element does not have a lang attribute (http://kb.daisy.org/publishing/docs/html/lang.html)",
    )


# ---------------------------------------------------------------- the plugin road


@pytest.fixture
def check_plugins(monkeypatch):
    """The installed checks plus the given test ones, as entry points of `pipeline.checks`."""

    def install(**extra: str) -> None:
        entries = dict(checks.installed.__wrapped__().entry_points)
        entries.update({name: EntryPoint(name, value, checks.GROUP) for name, value in extra.items()})
        monkeypatch.setattr(checks, "installed", lambda: registry.Registry(entries, "check", ("name", "media_types", "applies", "run")))

    return install


def test_a_plugin_check_runs_through_its_entry_point_and_its_failure_fails_the_run(good, check_plugins):
    check_plugins(**{"short-title": "fake_checks:ShortTitleCheck"})
    code, output = run(good, good / "out" / "cramps" / "cramps.txt")
    assert code == 1
    assert re.search(r"^FAIL  \S+cramps\.txt  short-title  19 characters$", output, re.M)
    assert "      'Leg cramps at night' is too long for a plugin's taste" in output.splitlines()


def test_quiet_build_verify_prints_nothing_when_every_check_passes_and_else_only_the_failures(good, tmp_path, check_plugins):
    build = ["build", "--quiet", "--verify", "--out", str(tmp_path / "out"), "-f", "txt", str(good / "source" / "cramps.yaml")]
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


def test_a_broken_check_plugin_is_named_and_fails_the_run(good, check_plugins):
    check_plugins(broken="no_such_module:Check")
    code, report = run_json(good, good / "out" / "cramps" / "cramps.txt")
    assert code == 1 and report["passed"] is False
    assert report["errors"] == ["check 'broken' (no_such_module:Check) could not be loaded: ModuleNotFoundError: No module named 'no_such_module'"]


def test_make_all_builds_with_verify_on_java():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert re.search(r"^all: build$", makefile, re.M)
    assert re.search(r"^build: \$\(STAMP\) java\n\t@\$\(PIPELINE\) build --quiet --verify ", makefile, re.M)
