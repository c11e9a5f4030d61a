"""`pipeline verify` on the braille edition: a good build passes its four checks; each check
catches its own fault on a broken copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from braille_helpers import needs_liblouis
from click.testing import CliRunner
from conftest import MINIMAL, ROOT
from verify_helpers import check_file, results, run_json

from pipeline.braille import brf
from pipeline.braille.tables import tables_for
from pipeline.braille.translation import BLANK, LINE_CONTINUATION, Translator, unmarked
from pipeline.cli import cli
from pipeline.verify.checks.braille import BrailleBackTranslation, BrfPageSize, PefMatchesBrf, PefValid, reading

pytestmark = needs_liblouis


@pytest.fixture(scope="module")
def braille_built(tmp_path_factory) -> Path:
    """source/cramps.yaml (MINIMAL) and out/cramps/ built in braille only."""
    folder = tmp_path_factory.mktemp("braille-built")
    (folder / "source").mkdir()
    (folder / "source" / "cramps.yaml").write_text(MINIMAL, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--out", str(folder / "out"), "-f", "braille", str(folder / "source" / "cramps.yaml")])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def broken(braille_built, tmp_path) -> Path:
    copy = tmp_path / "broken"
    shutil.copytree(braille_built, copy)
    return copy


def brf_path(folder: Path) -> Path:
    return folder / "out" / "cramps" / "cramps.brf"


def test_a_good_braille_build_passes_its_four_checks(braille_built):
    code, report = run_json(braille_built, braille_built / "out")
    assert code == 0
    figures = {result["check"]: (result["status"], result["figure"]) for result in report["results"]}
    pages = len(brf.decode(brf_path(braille_built).read_bytes()))
    assert figures == {
        # sought by their cells: liblouis reads UEB's wordsign for "enough" back as "en"
        "braille-back-translation": ("pass", "23/23 sentences of the source in order; 2/2 details"),
        "brf-page-size": ("pass", f"{pages} pages of 40 x 25 or less"),
        "pef-matches-brf": ("pass", f"{pages} pages alike"),
        "pef-valid": ("pass", "valid PEF 2008-1"),
    }


def test_a_brf_holding_a_lowercase_letter_is_not_ascii_braille(broken):
    path = brf_path(broken)
    path.write_bytes(path.read_bytes().replace(b",", b"a", 1))
    verdict = check_file(broken, path, BrfPageSize())
    assert verdict.result.status == "fail" and verdict.result.figure == "not ASCII braille"
    assert verdict.result.messages[0].startswith("page 1, line 1, cell ") and verdict.result.messages[0].endswith("'a' is not ASCII braille")
    assert check_file(broken, path, PefMatchesBrf()).result.status == "fail"


def test_a_brf_page_longer_than_its_lines_or_cells_is_named(broken):
    path = brf_path(broken)
    first, second, *rest = path.read_bytes().split(b"\f")
    path.write_bytes(b"\f".join([first, b"A" * 41 + b"\r\n" + second, *rest]))
    verdict = check_file(broken, path, BrfPageSize())
    assert verdict.result.status == "fail"
    assert verdict.result.messages == ("page 2: 26 lines, more than 25", "page 2, line 1: 41 cells, more than 40")


def test_a_pef_row_of_letters_breaks_the_schema_and_differs_from_the_brf(broken):
    path = broken / "out" / "cramps" / "cramps.pef"
    data = path.read_bytes()
    start = data.index(b"<row>") + len(b"<row>")
    path.write_bytes(data[:start] + b"AB" + data[start:])
    verdict = check_file(broken, path, PefValid())
    assert verdict.result.status == "fail" and any("row" in message for message in verdict.result.messages)
    assert check_file(broken, brf_path(broken), PefMatchesBrf()).result.messages == ("page 1 differs",)


def test_a_sentence_missing_from_the_braille_is_named_with_its_place_in_the_source(broken):
    path = brf_path(broken)
    cells = Translator(tables_for("en")).braille("Walk around for a minute.")
    ascii_braille = brf.encode([[cells]])[: -len(b"\r\n\f")]
    assert ascii_braille in path.read_bytes()
    path.write_bytes(path.read_bytes().replace(ascii_braille, b" " * len(ascii_braille)))
    code, report = run_json(broken, path)
    assert code == 1
    [verdict] = results(report, "braille-back-translation")
    assert verdict["figure"].startswith("22/23 sentences of the source in order") and verdict["figure"].endswith(", 1 missing; 2/2 details")
    source = broken / "source" / "cramps.yaml"
    assert verdict["messages"] == [f'missing: {source}:13:13 sections[0].body[1].list[1]: "Walk around for a minute."']
    assert check_file(broken, path, BrailleBackTranslation()).result.status == "fail"


def test_a_chinese_braille_build_reads_back_every_sentence_and_a_line_ending_in_a_comma_keeps_it(tmp_path):
    """zhcn-g1 writes no blanks between words, so long Chinese lines are divided, between two
    syllables and unmarked: dot 5, UEB's line continuation indicator, is the Chinese comma, and the
    check read a line ending in a comma as divided (3 sentences holding '，' went missing)."""
    (tmp_path / "source").mkdir()
    shutil.copy(ROOT / "tests" / "articles" / "lang" / "zh-hans.yaml", tmp_path / "source")
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "-f", "braille", str(tmp_path / "source" / "zh-hans.yaml")])
    assert result.exit_code == 0, result.output
    path = tmp_path / "out" / "zh-hans" / "zh-hans.brf"
    code, report = run_json(tmp_path, path)
    [verdict] = results(report, "braille-back-translation")
    assert (code, verdict["status"], verdict["messages"]) == (0, "pass", [])
    assert verdict["figure"].startswith("26/26 sentences of the source in order")
    translator = Translator(tables_for("zh-Hans"))
    clause = unmarked(translator.braille("天气炎热时，")).rstrip(BLANK)
    assert clause.endswith(LINE_CONTINUATION)  # the comma: dot 5
    assert reading([[clause, "⠱⠴⠁"]], translator.line_division) == f"{clause}{BLANK}⠱⠴⠁"
