"""The plugin road: renderers arrive through entry points, broken ones are named and skipped."""

from __future__ import annotations

import json
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL

from pipeline import registry
from pipeline.cli import cli


@pytest.fixture
def plugins(monkeypatch):
    """Install the project's own renderers plus the given test ones, as entry points."""

    def install(**extra: str) -> None:
        entries = dict(registry.installed.__wrapped__().entry_points)
        entries.update({name: EntryPoint(name, value, registry.GROUP) for name, value in extra.items()})
        monkeypatch.setattr(registry, "installed", lambda: registry.Registry(entries))

    return install


def test_third_party_renderer_builds_through_entry_point(plugins, write_source, tmp_path):
    plugins(title="fake_renderers:TitleRenderer")
    source = write_source(MINIMAL, name="cramps.yaml")
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "--shout", "yes", "-f", "title", str(source)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "cramps" / "cramps.title").read_text() == "LEG CRAMPS AT NIGHT\n"


def test_renderer_option_choices_come_from_the_renderer(plugins, write_source):
    plugins(title="fake_renderers:TitleRenderer")
    result = CliRunner().invoke(cli, ["build", "--shout", "loud", str(write_source(MINIMAL))])
    assert result.exit_code == 2
    assert "'loud' is not one of 'yes', 'no'" in result.output


def test_broken_plugin_is_named_and_other_formats_still_build(plugins, write_source, tmp_path):
    plugins(broken="no_such_module:Renderer", odd="fake_renderers:NotARenderer")
    source = write_source(MINIMAL, name="cramps.yaml")
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "-f", "broken", "-f", "odd", "-f", "txt", str(source)])
    assert result.exit_code == 1
    assert "renderer 'broken' (no_such_module:Renderer) could not be loaded: ModuleNotFoundError" in result.output
    assert "renderer 'odd' (fake_renderers:NotARenderer) lacks name, extension, media_type, render" in result.output
    assert (tmp_path / "out" / "cramps" / "cramps.txt").is_file()


def test_renderers_command_lists_plugins_and_marks_broken_ones(plugins):
    plugins(title="fake_renderers:TitleRenderer", broken="no_such_module:Renderer")
    output = CliRunner().invoke(cli, ["renderers"]).output
    assert "title" in output and "<id>.title" in output
    assert "broken           BROKEN: renderer 'broken'" in output


def test_changed_renderer_code_changes_its_fingerprint(tmp_path, monkeypatch):
    module = tmp_path / "edited_renderer.py"
    source = "from pipeline.registry import Renderer\nclass R(Renderer):\n    name = 'r'\n    extension = '.r'\n    media_type = 'text/plain'\n"
    module.write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    renderer = importlib.import_module("edited_renderer").R()
    before = renderer.fingerprint({})
    module.write_text(source + "# a changed line\n")
    registry.code_digest.cache_clear()
    assert renderer.fingerprint({}) != before


def test_every_renderer_that_runs_the_narration_is_spoken_and_declares_the_share():
    """A renderer whose code reaches the narration must be a SpokenRenderer (one voice and rate
    option set, the narration shared); found from the code it runs, not from what it declares."""
    from pipeline.code_digest import source_files
    from pipeline.renderers._spoken import SpokenRenderer

    installed = registry.installed()
    narration_file = Path(registry.__file__).parent / "speech" / "narration.py"
    runs_narration = {name for name in installed.names if narration_file in source_files(installed.entry_points[name].value.partition(":")[0])}
    assert {"audio", "epub-read-along", "html"} <= runs_narration
    for name in installed.names:
        renderer = installed.load(name)
        assert isinstance(renderer, SpokenRenderer) == (name in runs_narration), name
        assert ("narration" in renderer.shares) == (name in runs_narration), name


def test_an_option_reaches_only_the_renderers_that_declare_it_and_can_be_set_for_one(plugins, write_source, tmp_path):
    plugins(title="fake_renderers:TitleRenderer", shouting="fake_renderers:ShoutingTitleRenderer")
    source = write_source(MINIMAL, name="cramps.yaml")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--out", str(out), "-f", "title", "-f", "shouting", "-f", "txt", "--shout", "yes", "--option", "shouting.shout=no", str(source)])
    assert result.exit_code == 0, result.output
    assert (out / "cramps" / "cramps.title").read_text("utf-8") == "LEG CRAMPS AT NIGHT\n"
    assert (out / "cramps" / "cramps.shouting").read_text("utf-8") == "Leg cramps at night\n"
    manifest = json.loads((out / "cramps" / "manifest.json").read_text("utf-8"))
    assert manifest["outputs"]["txt"]["options"] == {}


def test_an_option_for_a_renderer_that_does_not_declare_it_is_refused(plugins, write_source, tmp_path):
    plugins(title="fake_renderers:TitleRenderer")
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "-f", "title", "-f", "txt", "--option", "txt.shout=yes", str(write_source(MINIMAL))])
    assert result.exit_code == 2
    assert "renderer 'txt' has no option 'shout'" in result.output
