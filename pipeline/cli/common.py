"""What the command families share: loading sources with their problems (and language
warnings) printed, an article's `options:` checked against the installed renderers, the
renderers that load, and the default output folder."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from pipeline import registry
from pipeline.build.files import DEFAULT_OUTPUTS as DEFAULT_OUTPUTS  # where builds write unless told: the stamp reads it too
from pipeline.model import Article
from pipeline.registry import PluginError, Renderer
from pipeline.source.discover import load_documents
from pipeline.source.positions import Document
from pipeline.source.problems import Problem


def load_all(paths: Iterable[Path]) -> tuple[list[Article], int, int]:
    """Every valid article, after printing every problem of the invalid ones (and the
    warning of a language the pipeline has no words for); the number of files with problems,
    and of warnings."""
    loaded, problems = load_checked(paths)
    for problem in problems:
        click.echo(str(problem), err=True)
    warned = warn_of_languages(loaded)
    return [article for _document, article in loaded], len({problem.file for problem in problems}), warned


def load_checked(paths: Iterable[Path]) -> tuple[list[tuple[Document, Article]], list[Problem]]:
    """Every valid source with its parsed file, and every problem of the invalid ones; an
    article's `options:` are checked against the installed renderers (loaded only then)."""
    loaded, problems = load_documents(paths)
    if not any(article.options for _document, article in loaded):
        return loaded, problems
    from pipeline.build.options import article_problems

    renderers, valid = loadable_renderers(report=False), []
    for document, article in loaded:
        found = article_problems(document, article, renderers)
        problems += found
        if not found:
            valid.append((document, article))
    return valid, problems


def loadable_renderers(report: bool) -> list[Renderer]:
    """Every installed renderer that loads (`report`: a warning for each that does not)."""
    installed = registry.installed()
    renderers = []
    for name in installed.names:
        try:
            renderers.append(installed.load(name))
        except PluginError as error:
            if report:
                click.echo(f"warning: {error}", err=True)
    return renderers


def warn_of_languages(loaded: Iterable[tuple[Document, Article]]) -> int:
    """FILE:LINE:COL: warning: for each article whose `lang` has no catalogue of the words the
    pipeline adds (they will be English): printed before any work starts, so a build's
    renderers, in their own processes, never need to report it."""
    from pipeline.locale import language_warning  # Babel: only for commands that read sources

    warned = 0
    for document, article in loaded:
        message = language_warning(article.lang)
        if message:
            line, column = document.position(("lang",))
            click.echo(str(Problem(str(document.path), line, column, message, severity="warning")), err=True)
            warned += 1
    return warned
