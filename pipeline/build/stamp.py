"""A build with nothing to do, answered before a renderer or the model is loaded.

A build that changes nothing must still import every renderer (the command line's options
come from them) and the model, only to find every output's key as recorded: most of its half
second is imports. So a build that ends with every output in place and nothing to warn of
leaves a stamp, `.cache/pipeline/stamps/<digest>.json`, for its very command line, folder,
interpreter (and its module search path) and environment: the size and modification time (in nanoseconds) of every file
its outputs' keys were made from or could be (the sources and their folders, pyproject.toml
and the logo it names, the package's code, catalogues and assets, every file a remembered
digest was made from, and its folder: fonts, braille tables, plug-ins' code), of the
outputs, their folders and manifests, and of the folders packages are installed in; and the
day, which the library page's review marks depend on. Folders count because a file added
to one or taken from it changes the folder's modification time.

Run again while every one of those is as it was, the same command prints the summary a
build would (every output up to date) and ends, as make decides on modification times. Any
difference, a missing stamp or an unreadable one runs the build as usual, and the engine
decides from the outputs' keys. `--force`, `--verify`, `--verbose` and Dask builds never
leave a stamp.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pipeline import settings
from pipeline.atomic import write_atomically
from pipeline.build import lock
from pipeline.build.files import DEFAULT_OUTPUTS, MANIFEST
from pipeline.build.outcome import Outcome
from pipeline.remembered import files_used, signature

STAMPS = Path(".cache") / "pipeline" / "stamps"
FORMAT = 1
PACKAGE = Path(__file__).resolve().parents[1]
ENVIRONMENT = ("SOURCE_DATE_EPOCH", "LOUIS_TABLEPATH", "TERM")
"""Variables a build reads (the moment reproducible builds write, liblouis's extra tables, the display)."""


def replayed(argv: Sequence[str]) -> bool:
    """True, after printing the build's summary, when `argv` is a build whose stamp holds."""
    if not argv or argv[0] != "build":
        return False
    try:
        with lock.holding(_out_dir(argv), shared=True, wait=False, say=print):
            return _replay(argv)
    except lock.Busy:  # a build is writing the folder: the command waits for it as a build
        return False


def _replay(argv: Sequence[str]) -> bool:
    try:
        stamp = json.loads(_path(argv).read_text("utf-8"))
        if stamp["context"] != _context(argv) or not all(signature(name) == [size, mtime] for name, size, mtime in stamp["files"]):
            return False
        if not _outputs_in_place(stamp, argv):
            return False
        outcomes = [
            Outcome(article, renderer, tuple(name for name, _size in sizes), "up to date", record={"files": {name: {"size": size} for name, size in sizes}})
            for article, renderer, sizes in stamp["outputs"]
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    from pipeline.build.progress import Progress

    Progress(Path(stamp["out_dir"]), quiet=stamp["quiet"]).summary(outcomes)
    return True


def record(argv: Sequence[str], out_dir: Path, quiet: bool, outcomes: Sequence[Outcome], sources: Iterable[Path], folders: Iterable[Path], started_ns: int) -> None:
    """Leave the stamp of a build of `argv`, started at `started_ns` (time.time_ns()), that
    ended with every output in `outcomes` in place and nothing said on stderr; `folders` are
    those its sources were looked for in. None is left when an input changed while the build
    ran (its time is after the start, as ninja judges): the outputs may hold the old one."""
    out = out_dir.resolve()
    article_dirs = {out / outcome.article_id for outcome in outcomes}
    built = {
        out,
        out / "index.html",
        *article_dirs,
        *(folder / MANIFEST for folder in article_dirs),
        *(out / outcome.article_id / name for outcome in outcomes for name in outcome.files),
    }
    used = [Path(name).resolve() for name in files_used()]
    inputs = {
        settings.PYPROJECT.resolve(),
        *(path.resolve() for path in (*sources, *folders)),
        *_logo(),
        *_package_files(),
        *used,
        *(path.parent for path in used),
        *(Path(entry).resolve() for entry in sys.path if entry and Path(entry).is_dir()),
    }
    signatures = {path: signature(str(path)) for path in inputs | built}
    if any(signatures[path][1] >= started_ns for path in inputs if not path.is_relative_to(out)):
        return
    stamp = {
        "format": FORMAT,
        "context": _context(argv),
        "out_dir": str(out_dir),
        "quiet": quiet,
        "outputs": [[outcome.article_id, outcome.renderer, [(name, signatures[out / outcome.article_id / name][0]) for name in outcome.files]] for outcome in outcomes],
        "files": [[str(path), *signatures[path]] for path in sorted(signatures)],
    }
    try:
        _path(argv).parent.mkdir(parents=True, exist_ok=True)
        write_atomically(_path(argv), json.dumps(stamp, sort_keys=True).encode())
    except OSError:
        pass  # a read-only project still builds, only without the shortcut


def _outputs_in_place(stamp: dict[str, Any], argv: Sequence[str]) -> bool:
    """Whether the stamp speaks of the folder `argv` builds into, and every output it calls up
    to date is there with its size and among the files it checked: a stamp is a file anyone
    with write access can edit, and none may turn a missing output into one up to date."""
    out = Path(stamp["out_dir"])
    if out != _out_dir(argv):
        return False
    checked = {name: size for name, size, _mtime in stamp["files"]}
    named = [(str((out / article / name).resolve()), size) for article, _renderer, sizes in stamp["outputs"] for name, size in sizes]
    return all(size >= 0 and checked.get(path) == size == signature(path)[0] for path, size in named)


def _out_dir(argv: Sequence[str]) -> Path:
    """The output folder `build` would write to: the last --out given, else its default."""
    chosen = str(DEFAULT_OUTPUTS)
    for option, value in zip(argv, [*argv[1:], None]):
        if option == "--out" and value is not None:
            chosen = value
        elif option.startswith("--out="):
            chosen = option.partition("=")[2]
    return Path(chosen)


def _path(argv: Sequence[str]) -> Path:
    name = hashlib.sha256(json.dumps([FORMAT, os.getcwd(), sys.executable, list(argv)]).encode()).hexdigest()
    return STAMPS / f"{name}.json"


def _context(argv: Sequence[str]) -> dict[str, Any]:
    return {
        "argv": list(argv),
        "cwd": os.getcwd(),
        "python": [sys.executable, sys.version, *sys.path],
        "environment": {name: os.environ.get(name) for name in ENVIRONMENT},
        "terminal": sys.stdout.isatty(),
        "today": today(),
    }


def today() -> str:
    return dt.date.today().isoformat()


def _logo() -> list[Path]:
    """The logo pyproject.toml names, read into every edition that shows it."""
    logo = settings.table("publisher").values.get("logo")
    return [(settings.PYPROJECT.resolve().parent / logo).resolve()] if isinstance(logo, str) else []


def _package_files() -> list[Path]:
    """The package's files and folders: a file added to a folder changes the folder's time."""
    return [PACKAGE, *(path for path in PACKAGE.rglob("*") if "__pycache__" not in path.parts)]
