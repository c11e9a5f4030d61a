"""Files written whole or not at all: a hidden temporary sibling, renamed over its target.

A reader (or a crash) sees the old file or the new one, never half of one. Every temporary
file or folder is named `.<name>.<pid>.<random>.tmp`, the id of the process that made it in
the name, so that a later build can tell which ones a killed process left
(`pipeline.build.leftovers`). The build's outputs, the narration cache and the library page
are all written this way.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from contextlib import suppress
from pathlib import Path

_UMASK = os.umask(0o022)
os.umask(_UMASK)

SUFFIX = ".tmp"
NAMED = re.compile(r"\..+\.(?P<pid>\d+)\.[a-z0-9_]{8}\.tmp")
"""`tempfile`'s random part is eight characters of [a-z0-9_]."""


def prefix(name: str) -> str:
    """The start of a temporary name for `name` made by this process (`tempfile`'s prefix)."""
    return f".{name}.{os.getpid()}."


def make_temporaries(directory: Path, names: Iterable[str]) -> dict[str, Path]:
    """An empty hidden temporary file beside each target `name` in `directory`."""
    paths: dict[str, Path] = {}
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name in names:
            handle, raw = tempfile.mkstemp(prefix=prefix(name), suffix=SUFFIX, dir=directory)
            os.close(handle)
            paths[name] = Path(raw)
            os.chmod(raw, 0o666 & ~_UMASK)  # mkstemp's 0600 would hide outputs from other users
    except BaseException:
        remove(paths.values())
        raise
    return paths


def scratch_folder(directory: Path, name: str) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for work on `name` in `directory`, named as the temporary files are."""
    return tempfile.TemporaryDirectory(prefix=prefix(name), suffix=SUFFIX, dir=directory)


def remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with suppress(FileNotFoundError):
            path.unlink()


def commit(temporaries: Mapping[str, Path]) -> None:
    """Rename each temporary file over its target."""
    for name, path in temporaries.items():
        os.replace(path, path.parent / name)


def write_atomically(path: Path, data: bytes) -> None:
    temporary = make_temporaries(path.parent, (path.name,))
    try:
        temporary[path.name].write_bytes(data)
        commit(temporary)
    finally:
        remove(temporary.values())
