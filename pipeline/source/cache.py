"""Validated sources kept between commands, so that a build with nothing changed does not parse
its YAML again (ruamel's safe, position-keeping parse is most of a no-change build's time).

An entry is keyed by everything that decides the result: the file's path and bytes, the limits
it was read under, and the code of the loader and validator (with the model they build). A
source with problems is never kept: its messages are always made afresh.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path

from pipeline.atomic import write_atomically
from pipeline.code_digest import code_digest
from pipeline.model import Article
from pipeline.source.limits import Limits
from pipeline.source.positions import Document

CACHE_DIR = Path(".cache") / "pipeline" / "sources"
FORMAT = "1"


def cached_load(path: Path, limits: Limits, load: Callable[[Path, Limits], tuple[Document, Article]], folder: Path = CACHE_DIR) -> tuple[Document, Article]:
    """`load(path, limits)`, or what it gave for the same input before."""
    try:
        data = path.read_bytes()
    except OSError:
        return load(path, limits)  # the loader reports an unreadable file as a problem
    key = hashlib.sha256(f"{FORMAT}\0{path}\0{limits!r}\0{code_digest(load.__module__)}\0".encode() + data).hexdigest()
    entry = folder / f"{key}.pickle"
    try:
        return pickle.loads(entry.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        pass
    result = load(path, limits)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(entry, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a read-only project still builds, only without the saving
    return result
