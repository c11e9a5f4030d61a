"""A build with nothing to do is answered from its stamp, and anything that could change an
output makes the build run as usual."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINIMAL

from pipeline.build import lock, stamp
from pipeline.cli import main
from pipeline.remembered import signature

COMMAND = ["build", "-f", "txt", "--out", "out"]


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A clinic's folder with one source, built once as text: its stamp is in place."""
    monkeypatch.chdir(tmp_path)
    for name in ("SOURCE_DATE_EPOCH", "LOUIS_TABLEPATH"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "cramps.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.pipeline.limits]\n", encoding="utf-8")
    assert build(COMMAND) == 0
    return tmp_path


def build(argv: list[str]) -> int:
    """`pipeline ARGV` run as usual (never from the stamp); its exit status."""
    with pytest.raises(SystemExit) as ended:
        main(list(argv))
    return ended.value.code


def test_a_build_leaves_a_stamp_that_answers_the_same_command_as_a_build_would(project, capsys):
    capsys.readouterr()
    assert build(COMMAND) == 0
    as_built = capsys.readouterr()
    assert stamp.replayed(COMMAND)
    replayed = capsys.readouterr()
    assert replayed.err == as_built.err == ""
    in_seconds = re.compile(r" in \d+\.\d s$", re.MULTILINE)
    assert in_seconds.sub("", replayed.out) == in_seconds.sub("", as_built.out)
    assert "1 output: 0 built, 1 up to date, 0 failed" in replayed.out and "out/cramps/cramps.txt" in replayed.out


def _write(path: str, text: str) -> Callable[[Path], None]:
    return lambda project: (project / path).write_text(text, encoding="utf-8")


def _touch_package_file(project: Path) -> None:
    """A line of the pipeline's own code changed (its time moved on; put back at the end)."""
    path = Path(stamp.__file__).parent.parent / "renderers" / "text.py"
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1000))
    project.joinpath("restore").write_text(f"{path}\n{status.st_atime_ns}\n{status.st_mtime_ns}", encoding="utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "a source edited": _write("source/cramps.yaml", MINIMAL.replace("Leg cramps at night", "Leg cramps by night")),
    "a source added": _write("source/aches.yaml", MINIMAL.replace("Leg cramps at night", "Aches")),
    "a source removed": lambda project: (project / "source" / "cramps.yaml").unlink(),
    "the settings": _write("pyproject.toml", '[tool.pipeline.library]\nlang = "cy"\n'),
    "an output edited": _write("out/cramps/cramps.txt", "edited by hand"),
    "an output removed": lambda project: (project / "out" / "cramps" / "cramps.txt").unlink(),
    "a leftover in the output folder": _write("out/cramps/.cramps.txt.1.x.tmp", "half"),
    "the library page removed": lambda project: (project / "out" / "index.html").unlink(),
    "the pipeline's code": _touch_package_file,
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_anything_that_could_change_an_output_runs_the_build(project, change):
    CHANGES[change](project)
    try:
        assert not stamp.replayed(COMMAND)
    finally:
        if (project / "restore").exists():
            name, atime, mtime = (project / "restore").read_text("utf-8").splitlines()
            os.utime(name, ns=(int(atime), int(mtime)))
    if change == "a source removed":
        return  # nothing left to build
    assert build(COMMAND) == 0
    assert stamp.replayed(COMMAND), "the build after the change leaves a stamp again"


def test_another_command_line_environment_or_day_runs_the_build(project, monkeypatch):
    assert stamp.replayed(COMMAND)
    assert not stamp.replayed([*COMMAND, "--quiet"])
    assert not stamp.replayed(["build", "-f", "txt", "--out", "elsewhere"])
    sys.path.insert(0, str(project / "plugins"))  # PYTHONPATH: other plug-ins may be found
    try:
        assert not stamp.replayed(COMMAND)
    finally:
        sys.path.remove(str(project / "plugins"))
    assert stamp.replayed(COMMAND)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert not stamp.replayed(COMMAND)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    monkeypatch.setattr(stamp, "today", lambda: "2099-01-01")  # a leaflet may pass its review date
    assert not stamp.replayed(COMMAND)


@pytest.mark.parametrize(
    ("argv", "source"),
    [
        (["build", "-f", "txt", "--out", "out", "--force"], MINIMAL),
        (["build", "-f", "txt", "--out", "out", "--verbose"], MINIMAL),
        (COMMAND, MINIMAL.replace("lang: en", "lang: sw")),  # warned of: the warning must be said each time
    ],
    ids=["forced", "verbose", "warned"],
)
def test_no_stamp_is_left_by_a_forced_or_verbose_build_or_one_that_warned(project, argv, source):
    (project / "source" / "cramps.yaml").write_text(source, encoding="utf-8")
    for path in (project / ".cache" / "pipeline" / "stamps").glob("*.json"):
        path.unlink()
    assert build(argv) == 0
    assert not list((project / ".cache" / "pipeline" / "stamps").glob("*.json"))
    assert not stamp.replayed(argv)


def test_a_source_changed_while_the_build_ran_leaves_no_stamp(project):
    """Its time is after the build's start: the outputs may hold what it said before."""
    source = project / "source" / "cramps.yaml"
    source.write_text(MINIMAL.replace("Leg cramps at night", "Leg cramps by night"), encoding="utf-8")
    later = time.time_ns() + 60 * 10**9
    os.utime(source, ns=(later, later))
    for path in (project / ".cache" / "pipeline" / "stamps").glob("*.json"):
        path.unlink()
    assert build(COMMAND) == 0
    assert not list((project / ".cache" / "pipeline" / "stamps").glob("*.json"))


def test_an_unreadable_stamp_runs_the_build(project):
    for path in (project / ".cache" / "pipeline" / "stamps").glob("*.json"):
        path.write_text("{not json", encoding="utf-8")
    assert not stamp.replayed(COMMAND)
    assert build(COMMAND) == 0
    assert stamp.replayed(COMMAND)


def _stamp_file(project: Path) -> Path:
    [found] = (project / ".cache" / "pipeline" / "stamps").glob("*.json")
    return found


def _edit_stamp(project: Path, edit: Callable[[dict, Path], None]) -> None:
    path = _stamp_file(project)
    data = json.loads(path.read_text("utf-8"))
    edit(data, project)
    path.write_text(json.dumps(data), encoding="utf-8")


def _resigned(files: list[list]) -> list[list]:
    """Every file's signature as it now is: an editor making the stamp agree with the folder."""
    return [[name, *signature(name)] for name, _size, _mtime in files]


def _as_if_missing(data: dict, project: Path) -> None:
    data["files"] = _resigned(data["files"])
    data["outputs"][0][2] = [["cramps.txt", -1]]


def _unchecked(data: dict, project: Path) -> None:
    data["files"] = _resigned([entry for entry in data["files"] if not entry[0].endswith("cramps.txt")])


def _elsewhere(data: dict, project: Path) -> None:
    """The stamp pointed at another folder holding the output, every signature made to hold."""
    copy = project / "elsewhere" / "cramps" / "cramps.txt"
    copy.parent.mkdir(parents=True)
    copy.write_text("elsewhere", encoding="utf-8")
    data["out_dir"] = "elsewhere"
    data["outputs"][0][2] = [["cramps.txt", copy.stat().st_size]]
    data["files"] = _resigned([*data["files"], [str(copy.resolve()), 0, 0]])


EDITS: dict[str, Callable[[dict, Path], None]] = {
    "its signature made that of a missing file": _as_if_missing,
    "taken out of the files it checks": _unchecked,
    "another folder named": _elsewhere,
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_an_edited_stamp_never_calls_a_missing_output_up_to_date(project, edit):
    assert stamp.replayed(COMMAND)  # the clean stamp holds
    (project / "out" / "cramps" / "cramps.txt").unlink()
    _edit_stamp(project, EDITS[edit])
    assert not stamp.replayed(COMMAND)
    assert build(COMMAND) == 0
    assert (project / "out" / "cramps" / "cramps.txt").is_file()


def test_no_stamp_answers_while_a_build_holds_the_output_folder(project):
    with lock.holding(project / "out", shared=False, wait=False, say=print):
        assert not stamp.replayed(COMMAND)
    assert stamp.replayed(COMMAND)
