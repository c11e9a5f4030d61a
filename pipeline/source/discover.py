"""Which source files a command reads, and every one of them loaded or its problems collected."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipeline.model import Article
from pipeline.source.cache import cached_load
from pipeline.source.limits import Limits
from pipeline.source.positions import Document
from pipeline.source.problems import Problem, SourceError
from pipeline.source.publisher import issued, read_profile
from pipeline.source.validate import load_document

DEFAULT_SOURCES = Path("source")


def source_files(paths: Iterable[Path]) -> list[Path]:
    """The given files, the `*.yaml` files in given folders, or all of `source/`."""
    found: list[Path] = []
    for path in list(paths) or [DEFAULT_SOURCES]:
        found += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return found


def load_documents(paths: Iterable[Path]) -> tuple[list[tuple[Document, Article]], list[Problem]]:
    """Every valid source with its parsed file, and every problem of the invalid ones."""
    loaded, problems = [], []
    limits = Limits.from_project()
    profile = read_profile()
    for path in source_files(paths):
        try:
            document, article = cached_load(path, limits, load_document)
            loaded.append((document, issued(article, profile)))
        except SourceError as error:
            problems += error.problems
    return loaded, problems
