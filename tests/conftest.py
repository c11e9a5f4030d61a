from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["strict_skips"]

ROOT = Path(__file__).resolve().parent.parent
FIRST_ARTICLE = ROOT / "source" / "hard-muscles.yaml"

MINIMAL = """\
title: Leg cramps at night
lang: en
summary: Most night cramps are harmless. Stretching helps.
key_points:
  - title: Stretch
    text: Stretch your calves before bed.
sections:
  - heading: What helps
    body:
      - Gentle stretching helps many people. Drink enough water.
      - list:
          - Stretch your calf muscles.
          - Walk around for a minute.
      - table:
          caption: Simple remedies
          columns: [Remedy, How often]
          rows:
            - [Stretching, Every evening]
    sections:
      - heading: When to see a doctor
        body:
          - See a doctor if cramps wake you every night.
faq:
  - question: Are night cramps dangerous?
    answer: Usually not. See a doctor if they are frequent.
references:
  - title: Muscle Cramps
    publisher: MedlinePlus
    url: https://medlineplus.gov/musclecramps.html
disclaimer: This leaflet does not replace advice from your doctor.
published: 2026-01-10
review_due: 2027-01-10
"""


@pytest.fixture
def write_source(tmp_path: Path):
    """Write YAML text (dedented) as a source file and return its path."""

    def write(content: str | bytes, name: str = "article.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        return path

    return write


_CLI_WITH_PLUGINS = """\
import json, sys
from importlib.metadata import EntryPoint
from pipeline import registry
extra = json.loads(sys.argv.pop(1))
entries = {**registry.installed().entry_points, **{n: EntryPoint(n, v, registry.GROUP) for n, v in extra.items()}}
registry.installed = lambda: registry.Registry(entries)
from pipeline.cli import main
try:
    main()
finally:
    EPILOGUE
"""


def pipeline_command(*args: object, plugins: dict[str, str] | None = None, epilogue: str = "pass") -> list[str]:
    """`pipeline ARGS` as a separate process, with test renderers (module:Class) installed;
    `epilogue` is a line of Python run as it ends."""
    return [sys.executable, "-c", _CLI_WITH_PLUGINS.replace("EPILOGUE", epilogue), json.dumps(plugins or {}), *map(str, args)]


def pipeline_env(**extra: str) -> dict[str, str]:
    """The environment for pipeline_command: the test renderers importable."""
    return {**os.environ, "PYTHONPATH": str(ROOT / "tests"), **extra}


@pytest.fixture
def without_ace(monkeypatch):
    """For a test about something else that verifies e-books in a copy of a build: Ace takes
    about 20 s an e-book there (its verdicts are recorded per path). Ace itself is tested on
    the good build (test_verify.py)."""
    monkeypatch.setenv("PIPELINE_ACE", "pipeline-test-no-such-ace")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A folder holding source/cramps.yaml (MINIMAL) and out/cramps/ built in every installed
    format, shared by the `pipeline verify` tests (each copies it before breaking anything)."""
    from click.testing import CliRunner

    from pipeline.cli import cli

    folder = tmp_path_factory.mktemp("built")
    (folder / "source").mkdir()
    (folder / "source" / "cramps.yaml").write_text(MINIMAL, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--out", str(folder / "out"), str(folder / "source" / "cramps.yaml")])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="session")
def spoken_first_article(tmp_path_factory) -> Path:
    """The first article built as MP3, read-along e-book and web page in one build (one
    narration, about ten seconds): the article's output folder."""
    from click.testing import CliRunner

    from pipeline.cli import cli

    out = tmp_path_factory.mktemp("spoken")
    formats = ("-f", "audio", "-f", "epub-read-along", "-f", "html")
    result = CliRunner().invoke(cli, ["build", "--quiet", "--out", str(out), *formats, str(FIRST_ARTICLE)])
    assert result.exit_code == 0, result.output
    return out / FIRST_ARTICLE.stem


def pytest_terminal_summary(terminalreporter):
    """Print the corpus timings and the fuzz case count (see tests/figures.py)."""
    import figures

    for line in figures.summary_lines():
        terminalreporter.write_line(line)


HEAVY_MODULES = {
    "test_audio", "test_narration", "test_read_along", "test_web", "test_epub", "test_parallel", "test_code_digest",
    "test_verify", "test_verify_epub", "test_verify_audio", "test_verify_records", "test_verify_pdf",
    "test_fuzz", "test_hostile_content", "test_nothing_lost", "test_make",
    "test_reproducible", "test_startup", "test_library", "test_publisher_editions", "test_publisher_hostile", "test_locale_outputs", "test_leftovers", "test_verify_web", "test_verify_displayed", "test_verify_pdf_rules",
    "test_dask", "test_verify_catches",
}
"""Test modules that synthesise speech, run Java (EPUBCheck) or drive Chromium, or build every
format: `make test-fast` leaves them out (`-m "not heavy"`); `make test` runs everything."""


def pytest_collection_modifyitems(items):
    for item in items:
        if item.module.__name__ in HEAVY_MODULES:
            item.add_marker(pytest.mark.heavy)

