"""Temporary files named for the process that made them, and removing those a dead build left.

Every temporary file or folder the pipeline makes in the output folder is named
`.<name>.<pid>.<random>.tmp`: the hidden target name, the id of the process that made it, and
`tempfile`'s random part. A build stopped by SIGKILL (the out-of-memory killer, a CI timeout)
cannot remove its own; the next build removes every one whose process has ended. A process
that still runs holds its files, whichever build it belongs to, so two builds side by side
never remove each other's. (A process id the system gave to another program since is taken
as running: such a file waits for a later build, it is never removed too early.)
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

from pipeline.atomic import NAMED


def sweep(out_dir: Path, say: Callable[[str], object]) -> None:
    """Remove what killed builds left in `out_dir`, and `say` how many, if any."""
    removed = remove_stale(out_dir)
    if removed:
        say(f"removed {removed} temporary file{'s' * (removed != 1)} that killed builds left in {out_dir}")


def remove_stale(out_dir: Path) -> int:
    """Remove the temporary files and folders of ended processes in `out_dir`, its article
    folders and their cache folders; how many were removed."""
    removed = 0
    for path in _named(out_dir, depth=2):
        if not _running(int(NAMED.fullmatch(path.name)["pid"])):  # type: ignore[index]
            with suppress(FileNotFoundError):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed += 1
    return removed


def _named(folder: Path, depth: int) -> Iterator[Path]:
    """Paths of our temporary naming in `folder` and its subfolders, `depth` levels down."""
    try:
        entries = list(os.scandir(folder))
    except OSError:  # missing (a first build) or unreadable: nothing of ours to remove
        return
    for entry in entries:
        if NAMED.fullmatch(entry.name):
            yield Path(entry.path)
        elif depth and entry.is_dir(follow_symlinks=False):
            yield from _named(Path(entry.path), depth - 1)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # ended; a number no process can have
        return False
    except PermissionError:  # another user's process
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Ended but not yet reaped (a killed build's worker, until init collects it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):  # no /proc (not Linux), or the process is gone
        return False
    return state in ("Z", "X")
