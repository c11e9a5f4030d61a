"""One build per output folder: `OUT/.lock`, held for the whole of a command that uses it.

Two builds writing one folder at once would each leave some outputs of its own edition and a
manifest that matches neither. A build holds the lock exclusively (`fcntl.flock`, released by
the system however the process ends, SIGKILL included); `pipeline verify` holds it shared, so
that it never reads a folder half written. A command that finds the folder busy waits, saying
for whom, or with `--no-wait` gives up at once. The file stays empty (a build with nothing to
do touches no file): who holds it is read from the system's list of locks (`/proc/locks`), where
an exclusive holder is a build and a shared one a verify.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

LOCK = ".lock"


class Busy(Exception):
    """The folder is another command's: `holder` says whose."""

    def __init__(self, path: Path, holder: str) -> None:
        super().__init__(f"{holder} is using {path.parent} (it holds {path}): wait for it to end, or run again without --no-wait")
        self.holder = holder


@contextmanager
def holding(out_dir: Path, shared: bool, wait: bool, say: Callable[[str], object]) -> Iterator[None]:
    """Hold `out_dir`'s lock (shared for readers) while the block runs; if another command holds
    it, `say` so and wait, or raise Busy when not `wait`. A folder nobody may write to has no
    lock to take: nothing can build there either."""
    path = out_dir / LOCK
    handle = _open(path, make_folder=not shared)
    if handle is None:
        yield
        return
    with handle:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise Busy(path, _holder(handle)) from None
            say(f"waiting for {_holder(handle)} holding {path}")
            fcntl.flock(handle, mode)
        yield


def _open(path: Path, make_folder: bool) -> IO[str] | None:
    """The lock file, made if need be; read-only where it cannot be written; None where it
    cannot even be read."""
    try:
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    for mode in ("a+", "r"):
        try:
            return path.open(mode, encoding="utf-8")
        except OSError:
            continue
    return None


def _holder(handle: IO[str]) -> str:
    """Who holds the lock on `handle`'s file, e.g. "build PID 4242" (Linux; elsewhere, or if
    it was let go meanwhile, "another process")."""
    inode = str(os.fstat(handle.fileno()).st_ino)
    try:
        held = [line.split() for line in Path("/proc/locks").read_text("ascii").splitlines() if "->" not in line]  # "->": one waiting
    except (OSError, ValueError):
        held = []
    for fields in held:  # "1: FLOCK  ADVISORY  WRITE 4242 fe:00:5367364 0 EOF"
        if len(fields) > 5 and fields[1] == "FLOCK" and fields[5].rpartition(":")[2] == inode:
            return f"{'build' if fields[3] == 'WRITE' else 'verify'} PID {fields[4]}"
    return "another process"
