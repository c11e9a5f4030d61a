"""Many articles at once: a process pool whose results do not depend on --jobs; failures stay local."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from conftest import MINIMAL
from test_registry import plugins  # noqa: F401 - fixture

from pipeline.build.lock import LOCK
from pipeline.cli import cli


def build(*args):
    return CliRunner().invoke(cli, ["build", *map(str, args)])


def contents(out: Path) -> dict[str, bytes]:
    """Every file the build wrote (its lock aside: a build holds it, it writes nothing in it)."""
    return {str(path.relative_to(out)): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file() and path != out / LOCK}


def library(folder: Path, count: int) -> Path:
    folder.mkdir()
    for number in range(count):
        text = MINIMAL.replace("Leg cramps at night", f"Leg cramps, part {number}").replace("Drink enough water.", f"Drink {number + 1} glasses of water.")
        (folder / f"cramps-{number}.yaml").write_text(text, encoding="utf-8")
    return folder


def messages(result, out: Path) -> list[str]:
    """The lines printed, in any order (workers finish in any order), without timings and out folder."""
    return sorted(re.sub(r"\d+\.\d s", "T", result.output.replace(str(out), "OUT")).splitlines())


def test_jobs_1_and_jobs_2_give_identical_files_messages_and_status(plugins, tmp_path):  # noqa: F811
    plugins(title="fake_renderers:TitleRenderer", picky="fake_renderers:PickyRenderer")
    sources = library(tmp_path / "source", 4)
    flags = ("-f", "txt", "-f", "title", "-f", "picky", "--refuse", "cramps-2", sources)
    serial = build("--out", tmp_path / "one", "--jobs", "1", *flags)
    parallel = build("--out", tmp_path / "two", "--jobs", "2", *flags)
    assert serial.exit_code == parallel.exit_code == 1
    assert contents(tmp_path / "one") == contents(tmp_path / "two")
    assert len(contents(tmp_path / "one")) == 4 * 3 - 1 + 4 + 1  # every output but one, four manifests and the library page
    assert messages(serial, tmp_path / "one") == messages(parallel, tmp_path / "two")


def test_a_folder_builds_every_article_and_a_broken_one_fails_only_itself(tmp_path):
    sources = library(tmp_path / "source", 3)
    (sources / "broken.yaml").write_text(MINIMAL.replace("lang: en", "lang: [en"), encoding="utf-8")
    out = tmp_path / "out"
    result = build("--out", out, "-f", "txt", sources)
    assert result.exit_code == 1
    assert "broken.yaml:2:7: error: this [ is never closed" in result.output
    assert sorted(path.name for path in out.iterdir()) == [LOCK, "cramps-0", "cramps-1", "cramps-2", "index.html"]
    assert all((out / f"cramps-{number}" / f"cramps-{number}.txt").is_file() for number in range(3))
    assert "1 problem(s)" in result.output


def test_a_renderer_failing_on_one_article_leaves_the_others_and_other_formats_built(plugins, tmp_path):  # noqa: F811
    plugins(picky="fake_renderers:PickyRenderer")
    sources = library(tmp_path / "source", 3)
    out = tmp_path / "out"
    result = build("--out", out, "-f", "picky", "-f", "txt", "--refuse", "cramps-1", sources)
    assert result.exit_code == 1
    assert "error: cramps-1: picky failed: ValueError: cannot lay out cramps-1" in result.output
    assert sorted(path.name for path in out.rglob("*.picky")) == ["cramps-0.picky", "cramps-2.picky"]
    assert len(list(out.rglob("*.txt"))) == 3


def test_outputs_sharing_work_are_not_rendered_at_once_for_one_article(plugins, tmp_path):  # noqa: F811
    plugins(sharing="fake_renderers:SharingRenderer", **{"sharing-twin": "fake_renderers:SharingTwinRenderer"})
    sources = library(tmp_path / "source", 2)
    out = tmp_path / "out"
    result = build("--out", out, "--jobs", "2", "-f", "sharing", "-f", "sharing-twin", "-f", "txt", sources)
    assert result.exit_code == 0, result.output
    for number in range(2):
        lines = (out / ".cache" / f"cramps-{number}" / "intervals").read_text("utf-8").splitlines()
        (first, start_1, end_1), (second, start_2, end_2) = (line.split() for line in lines)
        assert {first, second} == {"sharing", "sharing-twin"}
        assert float(end_1) <= float(start_2)  # the second began after the first had made the shared work


def test_the_next_task_skips_one_whose_shared_work_is_being_made(tmp_path):
    from dataclasses import replace

    from pipeline import registry
    from pipeline.build import engine, local
    from pipeline.source.validate import load_article

    source = tmp_path / "cramps.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    article = load_article(source)
    other = article.model_copy(update={"id": "other"})
    renderers = registry.installed()
    by_name = {name: renderers.load(name) for name in ("audio", "epub-read-along", "epub")}
    task = engine.Task(article, "audio", None, {}, tmp_path, "key", ("cramps.mp3",), 1.0, None)
    running = {("cramps", "audio"): (task, 0.0)}
    waiting = replace(task, renderer="epub-read-along")
    free = replace(task, renderer="epub")
    elsewhere = replace(waiting, article=other)
    queue = local.deque([waiting, free, elsewhere])
    assert local._next(queue, running, by_name) is free
    assert local._next(queue, running, by_name) is elsewhere
    assert local._next(queue, running, by_name) is None and list(queue) == [waiting]
    assert local._next(queue, {}, by_name) is waiting


def test_the_costliest_outputs_start_first_so_that_short_ones_fill_the_end(plugins, tmp_path):  # noqa: F811
    plugins(title="fake_renderers:TitleRenderer", costly="fake_renderers:CostlyRenderer")
    sources = library(tmp_path / "source", 2)
    result = build("--out", tmp_path / "out", "--jobs", "1", "-v", "-f", "title", "-f", "txt", "-f", "costly", sources)
    assert result.exit_code == 0, result.output
    started = [line.split()[1:] for line in result.output.splitlines() if line.split()[:1] == ["started"]]
    assert started[:2] == [["costly", "cramps-0"], ["costly", "cramps-1"]]
    assert [renderer for renderer, _ in started[2:]] == ["title", "title", "txt", "txt"]  # then by cost, articles in order
