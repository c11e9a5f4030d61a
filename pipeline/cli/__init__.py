"""The `pipeline` command: argument handling and reporting only, one module per family of
commands (`sources`: validate, check, renderers; `building`: build; `verifying`: verify).
The work itself is done by the packages they call."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from pipeline import registry
from pipeline.model import Article
from pipeline.registry import PluginError, Renderer
from pipeline.settings import SettingsError
from pipeline.source.discover import load_documents
from pipeline.source.positions import Document
from pipeline.source.problems import Problem

DEFAULT_OUTPUTS = Path("outputs")


def load_all(paths: Iterable[Path]) -> tuple[list[Article], int]:
    """Every valid article, after printing every problem of the invalid ones."""
    loaded, problems = load_checked(paths)
    for problem in problems:
        click.echo(str(problem), err=True)
    return [article for _document, article in loaded], len({problem.file for problem in problems})


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


class _SettingsProblem(click.ClickException):
    """Unusable settings: a usage error (exit 2), shown as the settings reader wrote it."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


class _Commands(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SettingsError as error:
            raise _SettingsProblem(str(error)) from None


@click.group(cls=_Commands)
@click.version_option(package_name="pipeline")
def cli() -> None:
    """Turn one structured health article into a leaflet, an e-book, plain text and speech."""


def main() -> None:
    """Entry point: never a traceback for a user's mistake; `PIPELINE_DEBUG=1` shows one for ours."""
    try:
        cli(standalone_mode=True)
    except Exception as error:
        if os.environ.get("PIPELINE_DEBUG"):
            raise
        click.echo(f"internal error: {type(error).__name__}: {error} (set PIPELINE_DEBUG=1 for details; please report it)", err=True)
        sys.exit(70)


from pipeline.cli import authoring, building, sources, verifying  # noqa: E402, F401  (registers their commands)
