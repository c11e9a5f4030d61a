"""Validated sources kept between commands, so that a build with nothing changed does not parse
its YAML again (ruamel's safe, position-keeping parse is most of a no-change build's time).

An entry is keyed by everything that decides the result: the file's path and bytes, the limits
it was read under, and the code of the loader and validator (with the model they build). A
source with problems is never kept: its messages are always made afresh.

An entry is data, never code: JSON holding the parsed values, their positions and the article,
with what it was made from (the source's path, the digest of its bytes, the article's id, the
limits and the code). Anyone who can write in the cache folder can plant a file, so an entry is
believed only when every one of those matches the source being read, and its article is
validated again on the way in; anything else is ignored and the source loaded afresh.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.atomic import write_atomically
from pipeline.code_digest import code_digest
from pipeline.model import Article
from pipeline.source.limits import Limits
from pipeline.source.positions import Document

CACHE_DIR = Path(".cache") / "pipeline" / "sources"
FORMAT = 2

Loader = Callable[[Path, Limits], tuple[Document, Article]]


def cached_load(path: Path, limits: Limits, load: Loader, folder: Path = CACHE_DIR) -> tuple[Document, Article]:
    """`load(path, limits)`, or what it gave for the same input before."""
    try:
        data = path.read_bytes()
    except OSError:
        return load(path, limits)  # the loader reports an unreadable file as a problem
    made_from = {
        "format": FORMAT,
        "path": str(path),
        "sha256": hashlib.sha256(data).hexdigest(),
        "id": path.stem,
        "limits": repr(limits),
        "code": code_digest(load.__module__),
    }
    entry = folder / f"{hashlib.sha256(json.dumps(made_from, sort_keys=True).encode()).hexdigest()}.json"
    kept = _read(entry, made_from, path, data)
    if kept is not None:
        return kept
    result = load(path, limits)
    _write(entry, made_from, *result)
    return result


def _read(entry: Path, made_from: dict[str, Any], path: Path, data: bytes) -> tuple[Document, Article] | None:
    """The entry's document and article, if it holds one made from exactly `made_from`."""
    try:
        stored = json.loads(entry.read_bytes())
        if not isinstance(stored, dict) or stored.get("made_from") != made_from:
            return None
        positions = {tuple(location): (line, column) for location, line, column in stored["positions"]}
        article = Article.model_validate({**stored["article"], "id": made_from["id"]})
        return Document(path, stored["data"], positions, data.decode("utf-8")), article
    except (OSError, ValueError, KeyError, TypeError, ValidationError):
        return None


def _write(entry: Path, made_from: dict[str, Any], document: Document, article: Article) -> None:
    """Keep the result, unless the article would not come back from JSON as it is."""
    dumped = article.model_dump(mode="json", by_alias=True)
    if Article.model_validate({**dumped, "id": article.id}) != article:
        return
    stored = {
        "made_from": made_from,
        "data": document.data,
        "positions": [[list(location), line, column] for location, (line, column) in document.positions.items()],
        "article": dumped,
    }
    try:
        text = json.dumps(stored, ensure_ascii=False)
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(entry, text.encode("utf-8"))
    except (OSError, TypeError, ValueError):
        pass  # a value JSON cannot hold, or a read-only project: it still builds, only without the saving
