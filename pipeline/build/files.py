"""The output folder's records: manifest.json, file hashes, and what a failed write means.

Files are written whole or not at all (`pipeline.atomic`); one a killed build left is removed
by the next (build/leftovers.py). The manifest records each output's key, hash and size; its content depends only on what was
built (sorted keys, no timestamps), so two builds of the same sources write the same bytes.
"""

from __future__ import annotations

import errno
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline.atomic import write_atomically

MANIFEST = "manifest.json"
DEFAULT_OUTPUTS = Path("outputs")
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def file_record(path: Path) -> dict[str, Any]:
    """What the manifest keeps of a file: its hash and size."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def disk_full(error: OSError) -> bool:
    return error.errno in _FULL


def write_problem(error: OSError, where: Path) -> str | None:
    """A message a user can act on when the output folder cannot take a file, else None."""
    if error.errno in _FULL:
        return f"no space left for {where} ({error.strerror}): free some space, or build elsewhere with --out"
    if error.errno in _READ_ONLY:
        return f"cannot write in {where} ({error.strerror}): make the folder writable, or build elsewhere with --out"
    return None


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object the pipeline wrote, or {} when it is missing or damaged (then it is rebuilt)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Atomically, with sorted keys: the same content always gives the same bytes."""
    write_atomically(path, (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode())


def read_manifest(article_dir: Path) -> dict[str, Any]:
    return read_json(article_dir / MANIFEST)


def update_manifest(article_dir: Path, header: Mapping[str, Any], records: Mapping[str, Mapping[str, Any]]) -> None:
    """Merge the new records (renderer name -> record) in; leave the file alone if nothing changed."""
    manifest = read_manifest(article_dir)
    updated = {**header, "outputs": {**manifest.get("outputs", {}), **records}}
    if updated != manifest:
        write_json(article_dir / MANIFEST, updated)
