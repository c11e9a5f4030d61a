"""Digests remembered between commands while the files they were made from are unchanged.

A no-change build still has to know every output's key: the digest of the code each renderer
runs and of its assets (stylesheets, fonts, liblouis's tables: over a thousand files). Each is
kept in `.cache/pipeline/digests.json` with the size and modification time (in nanoseconds) of
every file it was made from, and made again as soon as one of them differs, as make decides
by modification times.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pipeline.atomic import write_atomically

CACHE_FILE = Path(".cache") / "pipeline" / "digests.json"
_memory: dict[str, Any] = {"store": None, "changed": False, "used": set()}


def remembered(key: str, compute: Callable[[], tuple[Iterable[Path], Any]]) -> Any:
    """`compute()`'s value (JSON), reused while every file it names is as it was then."""
    store = _store()
    _memory["used"].add(key)
    entry = store.get(key)
    if isinstance(entry, dict) and _unchanged(entry.get("files", ())):
        return entry["value"]
    files, value = compute()
    store[key] = {"files": [[os.path.abspath(path), *signature(str(path))] for path in files], "value": value}
    _memory["changed"] = True
    return value


def files_used() -> set[str]:
    """Every file a value asked for in this process was made from: what this command's
    results depend on (a build's stamp holds their signatures)."""
    store = _store()
    return {item[0] for key in _memory["used"] if isinstance(store.get(key), dict) for item in store[key].get("files", ())}


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes."""
    return remembered(f"file:{os.path.abspath(path)}", lambda: ([path], hashlib.sha256(path.read_bytes()).hexdigest()))


def signature(name: str) -> list[int]:
    """A file's size and modification time in nanoseconds ([-1, -1] when it is not there)."""
    try:
        status = os.stat(name)
    except OSError:
        return [-1, -1]
    return [status.st_size, status.st_mtime_ns]


def _unchanged(files: Iterable[list[Any]]) -> bool:
    return all(isinstance(item, list) and len(item) == 3 and signature(item[0]) == item[1:] for item in files)


def _store() -> dict[str, Any]:
    if _memory["store"] is None:
        try:
            loaded = json.loads(CACHE_FILE.read_text("utf-8"))
        except (OSError, ValueError):
            loaded = {}
        _memory["store"] = loaded if isinstance(loaded, dict) else {}
        atexit.register(_save)
    return _memory["store"]


def _save() -> None:
    if not _memory["changed"]:
        return
    try:
        CACHE_FILE.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(CACHE_FILE, json.dumps(_memory["store"], sort_keys=True).encode())
    except OSError:
        pass  # a read-only project still builds, only without remembering
