"""The bad-input corpus: each broken source is refused with exactly the errors it expects.

tests/corpus/expected.toml names every file, its class of mistake, and each line
`pipeline validate FILE` must print. Huge inputs are generated here at run time.
"""

from __future__ import annotations

import subprocess
import sys
import time
import tomllib
from pathlib import Path

import figures
import pytest
from click.testing import CliRunner
from conftest import MINIMAL, ROOT

from pipeline.cli import cli

CORPUS = Path(__file__).parent / "corpus"
EXPECTED: dict[str, dict] = tomllib.loads((CORPUS / "expected.toml").read_text("utf-8"))

REQUIRED_CLASSES = {
    "YAML syntax", "tabs", "empty file", "wrong top-level type", "duplicate keys", "alias bomb", "deep nesting",
    "huge input", "invalid UTF-8", "BOM", "control characters", "bidi override", "unknown keys",
    "missing required field", "blank required field", "wrong types", "table shape", "bad URLs",
    "bad language tags", "date order", "duplicate headings and questions",
}  # fmt: skip

GENERATORS = {
    "huge-file": lambda: MINIMAL + "# filler\n" * 30_000,
    "huge-string": lambda: MINIMAL.replace("disclaimer: This leaflet does not replace advice from your doctor.", "disclaimer: " + "word " * 2_000),
    "too-many-values": lambda: MINIMAL.replace(
        "faq:\n", "faq:\n" + "".join(f"  - {{question: Question {i}?, answer: Answer.}}\n" for i in range(2_500))
    ),
    "deep-nesting-huge": lambda: "title: " + "[" * 200_000 + "\n",
}


def corpus_path(name: str, tmp_path: Path) -> Path:
    if not EXPECTED[name].get("generated"):
        return CORPUS / f"{name}.yaml"
    path = tmp_path / f"{name}.yaml"
    path.write_text(GENERATORS[name](), encoding="utf-8")
    return path


def expected_lines(name: str, path: Path) -> list[str]:
    return [f"{path}:{error}" for error in EXPECTED[name]["errors"]]


def test_corpus_has_a_file_for_every_expectation_and_covers_every_class():
    committed = {path.stem for path in CORPUS.glob("*.yaml")}
    assert committed == {name for name, entry in EXPECTED.items() if not entry.get("generated")}
    assert set(GENERATORS) == {name for name, entry in EXPECTED.items() if entry.get("generated")}
    assert len(EXPECTED) >= 30
    assert {entry["class"] for entry in EXPECTED.values()} >= REQUIRED_CLASSES


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_source_exits_1_with_exactly_its_expected_errors(name, tmp_path):
    path = corpus_path(name, tmp_path)
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["validate", str(path)])
    figures.corpus_seconds[name] = time.perf_counter() - started
    assert isinstance(result.exception, SystemExit), result.exception  # anything else would be a traceback
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected_lines(name, path)
    assert result.stdout == ""


def test_whole_corpus_through_the_real_command_prints_no_traceback(tmp_path):
    names = sorted(EXPECTED)
    paths = [corpus_path(name, tmp_path) for name in names]
    process = subprocess.run([sys.executable, "-m", "pipeline", "validate", *map(str, paths)], capture_output=True, text=True, cwd=ROOT)
    assert process.returncode == 1
    assert "Traceback" not in process.stderr and "internal error" not in process.stderr
    assert process.stdout == ""
    assert process.stderr.splitlines() == [line for name, path in zip(names, paths) for line in expected_lines(name, path)]
