"""What the command families share: loading sources with their problems (and language
warnings) printed, and the default output folder."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from pipeline.model import Article
from pipeline.source.discover import load_documents
from pipeline.source.positions import Document
from pipeline.source.problems import Problem

DEFAULT_OUTPUTS = Path("outputs")


def load_all(paths: Iterable[Path]) -> tuple[list[Article], int]:
    """Every valid article, after printing every problem of the invalid ones (and the
    warning of a language the pipeline has no words for)."""
    loaded, problems = load_documents(paths)
    for problem in problems:
        click.echo(str(problem), err=True)
    warn_of_languages(loaded)
    return [article for _document, article in loaded], len({problem.file for problem in problems})


def warn_of_languages(loaded: Iterable[tuple[Document, Article]]) -> None:
    """FILE:LINE:COL: warning: for each article whose `lang` has no catalogue of the words the
    pipeline adds (they will be English): printed before any work starts, so a build's
    renderers, in their own processes, never need to report it."""
    from pipeline.locale import language_warning  # Babel: only for commands that read sources

    for document, article in loaded:
        message = language_warning(article.lang)
        if message:
            line, column = document.position(("lang",))
            click.echo(str(Problem(str(document.path), line, column, message, severity="warning")), err=True)
