"""The engine: atomic writes, manifest, incremental rebuilds of exactly what changed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL
from test_registry import plugins  # noqa: F401 - fixture

from pipeline.cli import cli


def build(out, *args):
    return CliRunner().invoke(cli, ["build", "--out", str(out), *map(str, args)])


def stamps(out: Path) -> dict[str, tuple[int, int, str]]:
    """Each file's inode, mtime and hash: a rename into place changes the inode even within one clock tick."""
    return {
        str(path.relative_to(out)): (path.stat().st_ino, path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


@pytest.fixture
def source(write_source):
    return write_source(MINIMAL, name="cramps.yaml")


@pytest.fixture
def two_articles(write_source):
    return write_source(MINIMAL, name="cramps.yaml"), write_source(MINIMAL.replace("Leg cramps", "Foot cramps"), name="foot.yaml")


def test_manifest_records_hash_size_and_renderer(source, tmp_path):
    out = tmp_path / "out"
    assert build(out, "-f", "txt", source).exit_code == 0
    manifest = json.loads((out / "cramps" / "manifest.json").read_text())
    entry = manifest["outputs"]["txt"]
    data = (out / "cramps" / "cramps.txt").read_bytes()
    assert entry["renderer"] == "txt"
    assert entry["files"]["cramps.txt"] == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def test_manifest_is_deterministic_with_sorted_keys_and_no_timestamps(plugins, source, tmp_path):  # noqa: F811
    plugins(title="fake_renderers:TitleRenderer")
    build(tmp_path / "a", "-f", "title", "-f", "txt", source)
    build(tmp_path / "b", "-f", "txt", "-f", "title", "--jobs", "1", source)
    first = (tmp_path / "a" / "cramps" / "manifest.json").read_bytes()
    assert first == (tmp_path / "b" / "cramps" / "manifest.json").read_bytes()
    assert first.decode() == json.dumps(json.loads(first), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_no_change_rebuild_touches_no_file(plugins, two_articles, tmp_path):  # noqa: F811
    plugins(title="fake_renderers:TitleRenderer")
    out = tmp_path / "out"
    assert build(out, "-f", "txt", "-f", "title", *two_articles).exit_code == 0
    before = stamps(out)
    result = build(out, "-f", "txt", "-f", "title", *two_articles)
    assert result.exit_code == 0
    assert "4 outputs: 0 built, 4 up to date, 0 failed" in result.output
    assert stamps(out) == before


def test_changed_source_rebuilds_only_that_articles_outputs(plugins, two_articles, tmp_path):  # noqa: F811
    plugins(title="fake_renderers:TitleRenderer")
    out = tmp_path / "out"
    build(out, "-f", "txt", "-f", "title", *two_articles)
    before = stamps(out)
    two_articles[0].write_text(MINIMAL.replace("Leg cramps at night", "Night cramps"), encoding="utf-8")
    assert build(out, "-f", "txt", "-f", "title", *two_articles).exit_code == 0
    assert changed(before, stamps(out)) == {"cramps/cramps.txt", "cramps/cramps.title", "cramps/manifest.json", "index.html"}  # the library page shows the new title
    assert "Night cramps" in (out / "cramps" / "cramps.txt").read_text()


def test_changed_renderer_option_rebuilds_only_that_renderers_outputs(plugins, two_articles, tmp_path):  # noqa: F811
    plugins(title="fake_renderers:TitleRenderer")
    out = tmp_path / "out"
    build(out, "-f", "txt", "-f", "title", *two_articles)
    before = stamps(out)
    assert build(out, "-f", "txt", "-f", "title", "--shout", "yes", *two_articles).exit_code == 0
    assert changed(before, stamps(out)) == {"cramps/cramps.title", "cramps/manifest.json", "foot/foot.title", "foot/manifest.json"}
    assert json.loads((out / "foot" / "manifest.json").read_text())["outputs"]["title"]["options"] == {"shout": "yes"}


def test_changed_renderer_asset_rebuilds_only_that_renderers_outputs(plugins, source, tmp_path, monkeypatch):  # noqa: F811
    plugins(styled="fake_renderers:StyledRenderer")
    stylesheet = tmp_path / "style.css"
    stylesheet.write_text("plain")
    monkeypatch.setenv("FAKE_STYLESHEET", str(stylesheet))
    out = tmp_path / "out"
    build(out, "-f", "txt", "-f", "styled", source)
    before = stamps(out)
    stylesheet.write_text("bold")
    assert build(out, "-f", "txt", "-f", "styled", source).exit_code == 0
    assert changed(before, stamps(out)) == {"cramps/cramps.styled", "cramps/manifest.json", "index.html"}  # the page shows its new size
    assert (out / "cramps" / "cramps.styled").read_text() == "[bold] Leg cramps at night\n"


def test_new_renderer_version_rebuilds_its_outputs_and_is_recorded(plugins, source, tmp_path, monkeypatch):  # noqa: F811
    plugins(title="fake_renderers:TitleRenderer")
    out = tmp_path / "out"
    build(out, "-f", "txt", "-f", "title", source)
    before = stamps(out)
    import fake_renderers

    monkeypatch.setattr(fake_renderers.TitleRenderer, "version", "2")
    assert build(out, "-f", "txt", "-f", "title", source).exit_code == 0
    assert changed(before, stamps(out)) == {"cramps/cramps.title", "cramps/manifest.json"}
    assert json.loads((out / "cramps" / "manifest.json").read_text())["outputs"]["title"]["version"] == "2"


def test_changed_source_date_epoch_rebuilds(source, tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    build(out, "-f", "txt", source)
    before = stamps(out)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    build(out, "-f", "txt", source)
    assert changed(before, stamps(out)) == {"cramps/cramps.txt", "cramps/manifest.json"}


def test_malformed_source_date_epoch_is_a_usage_error(source, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = build(tmp_path / "out", "-f", "txt", source)
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds" in result.output


def test_force_rebuilds_every_output(plugins, two_articles, tmp_path):  # noqa: F811
    plugins(title="fake_renderers:TitleRenderer")
    out = tmp_path / "out"
    build(out, "-f", "txt", "-f", "title", *two_articles)
    before = stamps(out)
    result = build(out, "--force", "-f", "txt", "-f", "title", *two_articles)
    assert "4 outputs: 4 built, 0 up to date, 0 failed" in result.output
    rebuilt = {name for name in before if before[name][0] != stamps(out)[name][0]}
    assert rebuilt == {"cramps/cramps.txt", "cramps/cramps.title", "foot/foot.txt", "foot/foot.title"}


def test_hand_edited_output_is_rebuilt(source, tmp_path):
    out = tmp_path / "out"
    build(out, "-f", "txt", source)
    (out / "cramps" / "cramps.txt").write_text("tampered")
    build(out, "-f", "txt", source)
    assert "Leg cramps at night" in (out / "cramps" / "cramps.txt").read_text()


def test_failing_renderer_keeps_the_old_file_and_leaves_no_temporary(plugins, source, tmp_path):  # noqa: F811
    plugins(failing="fake_renderers:FailingRenderer")
    out = tmp_path / "out"
    (out / "cramps").mkdir(parents=True)
    (out / "cramps" / "cramps.txt").write_text("previous good output")
    result = build(out, "-f", "failing", source)
    assert result.exit_code == 1
    assert "cramps: failing failed: RuntimeError: disk on fire" in result.output
    assert (out / "cramps" / "cramps.txt").read_text() == "previous good output"
    assert sorted(path.name for path in (out / "cramps").iterdir()) == ["cramps.txt"]


def test_outputs_are_readable_by_others(source, tmp_path):
    out = tmp_path / "out"
    build(out, "-f", "txt", source)
    assert (out / "cramps" / "cramps.txt").stat().st_mode & 0o044 == 0o044


def test_a_renderer_chosen_alone_builds_what_it_links_to_and_names_its_files(plugins, source, tmp_path):  # noqa: F811
    plugins(title="fake_renderers:TitleRenderer", index="fake_renderers:IndexRenderer")
    out = tmp_path / "out"
    result = build(out, "-f", "index", source)
    assert result.exit_code == 0, result.output
    assert (out / "cramps" / "cramps.index").read_text("utf-8") == "see cramps.title\n"
    assert (out / "cramps" / "cramps.title").is_file()
    assert set(json.loads((out / "cramps" / "manifest.json").read_text("utf-8"))["outputs"]) == {"index", "title"}


def test_a_required_renderer_that_is_not_installed_is_named(plugins, source, tmp_path):  # noqa: F811
    plugins(index="fake_renderers:IndexRenderer")
    result = build(tmp_path / "out", "-f", "index", source)
    assert result.exit_code == 1
    assert "renderer 'index' requires 'title', which is not installed" in result.output
