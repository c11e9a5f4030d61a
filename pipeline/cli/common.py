"""What the command families share: loading sources with their problems printed, and the
default output folder."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from pipeline.model import Article
from pipeline.source.discover import load_documents

DEFAULT_OUTPUTS = Path("outputs")


def load_all(paths: Iterable[Path]) -> tuple[list[Article], int]:
    """Every valid article, after printing every problem of the invalid ones."""
    loaded, problems = load_documents(paths)
    for problem in problems:
        click.echo(str(problem), err=True)
    return [article for _document, article in loaded], len({problem.file for problem in problems})
