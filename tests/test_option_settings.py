"""Option defaults in [tool.pipeline.options.*]: they reach the renderers, the command line and an
article override them, the chosen values key the outputs, and mistakes are named by line."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import MINIMAL
from test_registry import plugins  # noqa: F401

from pipeline.cli import cli

SHOUTING = """\
[tool.pipeline.options.title]
shout = "yes"
"""


@pytest.fixture
def project(tmp_path, monkeypatch, plugins):  # noqa: F811
    """A clinic's project folder (the current directory) with two articles and the title renderer."""
    plugins(title="fake_renderers:TitleRenderer")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "cramps.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "source" / "calm.yaml").write_text(MINIMAL.replace("Leg cramps at night", "Calm nights"), encoding="utf-8")
    return tmp_path


def settings(text: str) -> None:
    Path("pyproject.toml").write_text(textwrap.dedent(text), encoding="utf-8")


def build(*args: str):
    return CliRunner().invoke(cli, ["build", "--quiet", "-f", "title", *args])


def title(article: str) -> str:
    return Path(f"outputs/{article}/{article}.title").read_text("utf-8").strip()


def recorded(article: str, renderer: str = "title") -> dict:
    return json.loads(Path(f"outputs/{article}/manifest.json").read_text("utf-8"))["outputs"][renderer]["options"]


def test_a_renderers_default_in_settings_reaches_it_and_is_recorded(project):
    settings(SHOUTING)
    assert build().exit_code == 0
    assert (title("cramps"), title("calm")) == ("LEG CRAMPS AT NIGHT", "CALM NIGHTS")
    assert recorded("cramps") == {"shout": "yes"}


def test_a_shared_default_reaches_every_renderer_declaring_the_name(project):
    settings('[tool.pipeline.options]\nshout = "yes"\n')
    assert build().exit_code == 0
    assert title("cramps") == "LEG CRAMPS AT NIGHT"


def test_the_command_line_overrides_settings(project):
    settings(SHOUTING)
    assert build("--shout", "no").exit_code == 0
    assert title("cramps") == "Leg cramps at night"
    assert build("--option", "title.shout=no").exit_code == 0
    assert recorded("calm") == {"shout": "no"}


def test_an_article_overrides_settings_for_itself_and_the_command_line_overrides_the_article(project):
    settings(SHOUTING)
    (project / "source" / "calm.yaml").write_text(MINIMAL.replace("Leg cramps at night", "Calm nights") + "options:\n  title: {shout: 'no'}\n", encoding="utf-8")
    assert build().exit_code == 0
    assert (title("cramps"), title("calm")) == ("LEG CRAMPS AT NIGHT", "Calm nights")
    assert recorded("calm") == {"shout": "no"}
    (project / "source" / "cramps.yaml").write_text(MINIMAL + "options:\n  shout: 'no'\n", encoding="utf-8")
    assert build("--shout", "yes").exit_code == 0
    assert (title("cramps"), title("calm")) == ("LEG CRAMPS AT NIGHT", "CALM NIGHTS")


def test_a_changed_default_rebuilds_only_the_outputs_it_reaches(project):
    settings(SHOUTING)
    assert build("-f", "txt").exit_code == 0
    before = {path: path.stat().st_mtime_ns for path in Path("outputs").rglob("*.t*") if path.is_file()}
    settings(SHOUTING.replace('"yes"', '"no"'))
    assert build("-f", "txt").exit_code == 0
    changed = {path.name for path, mtime in before.items() if path.stat().st_mtime_ns != mtime}
    assert changed == {"cramps.title", "calm.title"}
    assert title("cramps") == "Leg cramps at night"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (SHOUTING.replace("shout", "shuot"), "pyproject.toml:2: error: [tool.pipeline.options.title] shuot: unknown key 'shuot': did you mean 'shout'?"),
        (SHOUTING.replace('"yes"', '"loud"'), "pyproject.toml:2: error: [tool.pipeline.options.title] shout: 'loud' is not one of yes, no, found 'loud'"),
        ('# defaults\n[tool.pipeline.options.titel]\nshout = "yes"\n', "pyproject.toml:2: error: [tool.pipeline.options] titel: unknown key 'titel': did you mean 'title'?"),
        ("[tool.pipeline.options]\nshout = [1, 2]\n", "pyproject.toml:2: error: [tool.pipeline.options] shout: expected one value: text, a number, true or false, found [1, 2]"),
        ("[tool.pipeline.options]\nrate = 20\n", "pyproject.toml:2: error: [tool.pipeline.options] rate: 20 words per minute is outside 80-300 (for audio), found 20"),
    ],
)
def test_a_bad_setting_is_refused_with_its_line_before_anything_is_built(project, written, expected):
    settings(written)
    result = build()
    assert result.exit_code == 2
    assert result.stderr.strip() == expected
    assert not Path("outputs").exists()


def test_every_bad_setting_is_reported_at_once(project):
    settings('[tool.pipeline.options]\nshout = "loud"\n\n[tool.pipeline.options.title]\nshuot = "yes"\n')
    result = build()
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "pyproject.toml:2: error: [tool.pipeline.options] shout: 'loud' is not one of yes, no (for title), found 'loud'",
        "pyproject.toml:5: error: [tool.pipeline.options.title] shuot: unknown key 'shuot': did you mean 'shout'?",
    ]


def test_a_bad_option_in_an_article_is_a_source_error_with_its_line(project):
    bad = project / "source" / "calm.yaml"
    bad.write_text(MINIMAL + "options:\n  shuot: 'yes'\n  title: {shout: loud}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{Path('source/calm.yaml')}:34:10: error: options.shuot: no installed renderer has an option 'shuot': did you mean 'shout'?",
        f"{Path('source/calm.yaml')}:35:18: error: options.title.shout: 'loud' is not one of yes, no (for title)",
    ]
    assert result.stdout == "ok: cramps\n"
    assert build().exit_code == 1
    assert title("cramps") == "Leg cramps at night" and not Path("outputs/calm").exists()


def test_the_letter_paper_set_in_settings_reaches_both_pdf_editions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("cramps.yaml").write_text(MINIMAL, encoding="utf-8")
    settings('[tool.pipeline.options]\npaper = "letter"\n\n[tool.pipeline.options.pdf]\nmax_pages = 5\n')
    result = CliRunner().invoke(cli, ["build", "--quiet", "-f", "pdf", "-f", "pdf-large", "cramps.yaml"])
    assert result.exit_code == 0, result.output
    for name in ("cramps.pdf", "cramps.large-print.pdf"):
        with pikepdf.open(f"outputs/cramps/{name}") as pdf:
            assert [round(float(value)) for value in pdf.pages[0].mediabox] == [0, 0, 612, 792]
    assert recorded("cramps", "pdf") == {"max_pages": 5, "paper": "letter"}
    assert recorded("cramps", "pdf-large")["paper"] == "letter"
