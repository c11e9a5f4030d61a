"""One reader of [tool.pipeline.*]: every table checked, every problem named with its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL

from pipeline import settings
from pipeline.cli import cli
from pipeline.lint.settings import LintSettings
from pipeline.source.limits import Limits


def pyproject(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_limits_refuse_an_unknown_key_and_a_bad_value_each_with_its_line(tmp_path):
    path = pyproject(tmp_path, '[project]\nname = "x"\n\n[tool.pipeline.limits]\nmax_rows = 5\nmax_faq = "many"\n')
    with pytest.raises(settings.SettingsError) as error:
        Limits.from_project(path)
    assert str(error.value).splitlines() == [
        f"{path}:5: error: [tool.pipeline.limits] max_rows: unknown key 'max_rows': did you mean 'max_table_rows'?",
        f"{path}:6: error: [tool.pipeline.limits] max_faq: expected a whole number above 0, found 'many'",
    ]


def test_limits_read_from_settings_reach_the_limits(tmp_path):
    assert Limits.from_project(pyproject(tmp_path, "[tool.pipeline.limits]\nmax_faq = 3\n")).max_faq == 3


def test_a_malformed_pyproject_is_an_error_with_its_line_not_silent_defaults(tmp_path):
    path = pyproject(tmp_path, "[tool.pipeline.lint]\nmax_grade = = 6\n")
    with pytest.raises(settings.SettingsError, match=rf"^{path}:2: error: not valid TOML"):
        LintSettings.from_project(path)


def test_a_missing_pyproject_gives_the_defaults(tmp_path):
    assert Limits.from_project(tmp_path / "pyproject.toml") == Limits()


def test_a_malformed_source_date_epoch_is_a_usage_error(write_source, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "-f", "txt", str(write_source(MINIMAL))])
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds since 1970" in result.output


def test_bad_limits_stop_the_command_with_exit_2_and_the_line(write_source, monkeypatch, tmp_path):
    source = write_source(MINIMAL)
    monkeypatch.chdir(tmp_path)
    pyproject(tmp_path, "[tool.pipeline.limits]\nmax_faq = 0\n")
    result = CliRunner().invoke(cli, ["validate", str(source)])
    assert result.exit_code == 2
    assert "pyproject.toml:2: error: [tool.pipeline.limits] max_faq: expected a whole number above 0, found 0" in result.output
