"""`pipeline validate`, `pipeline check` and `pipeline renderers`: what the sources and the installed renderers are."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline import registry as registry_module
from pipeline.cli.common import load_checked, warn_of_languages
from pipeline.model import Article
from pipeline.registry import PluginError
from pipeline.source.positions import Document
from pipeline.source.problems import Problem

if TYPE_CHECKING:
    from pipeline.lint.check import ArticleReport
    from pipeline.lint.settings import LintSettings


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--lint", is_flag=True, help="Also print the plain-language warnings of `pipeline check`.")
@click.option("--strict", is_flag=True, help="Exit 1 when there is any plain-language warning (implies --lint).")
def validate(files: tuple[Path, ...], lint: bool, strict: bool) -> None:
    """Check sources (default: source/*.yaml); print every problem as FILE:LINE:COL."""
    loaded, problems = _load_sources(files)
    warnings = _print_warnings(_lint_reports(loaded)) if lint or strict else 0
    for _document, article in loaded:
        click.echo(f"ok: {article.id}")
    sys.exit(1 if problems or (strict and warnings) else 0)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True, help="A table for people, or JSON for CI.")
@click.option("--strict", is_flag=True, help="Exit 1 when there is any warning, so CI can hold the line.")
def check(files: tuple[Path, ...], output_format: str, strict: bool) -> None:
    """Plain-language report: words, reading time, readability, long sentences, passive voice, jargon.

    Thresholds come from [tool.pipeline.lint] in pyproject.toml. Warnings are printed as
    FILE:LINE:COL: warning: ... (in JSON they are part of the report).
    """
    from pipeline.lint import output

    loaded, problems = _load_sources(files)
    settings = _lint_settings()
    reports = _lint_reports(loaded, settings)
    if output_format == "json":
        click.echo(output.as_json(reports, problems, settings), nl=False)
        warnings = sum(len(report.findings) for report in reports)
    else:
        click.echo(output.table(reports, settings), nl=False)
        warnings = _print_warnings(reports)
    sys.exit(1 if problems or (strict and warnings) else 0)


def _load_sources(files: tuple[Path, ...]) -> tuple[list[tuple[Document, Article]], list[Problem]]:
    """The valid sources, after printing every problem; a usage error when there are none."""
    loaded, problems = load_checked(files)
    if not loaded and not problems:
        raise click.UsageError("no sources found: pass .yaml files or a folder holding them")
    for problem in problems:
        click.echo(str(problem), err=True)
    warn_of_languages(loaded)
    return loaded, problems


def _lint_settings() -> LintSettings:
    from pipeline.lint.settings import LintSettings

    return LintSettings.from_project()


def _lint_reports(loaded: list[tuple[Document, Article]], settings: LintSettings | None = None) -> list[ArticleReport]:
    from pipeline.lint.check import check_article

    settings = settings or _lint_settings()
    return [check_article(document, article, settings) for document, article in loaded]


def _print_warnings(reports: list[ArticleReport]) -> int:
    """Each warning on stderr, as compilers print them; returns how many there were."""
    findings = [finding for report in reports for finding in report.findings]
    for finding in findings:
        click.echo(str(finding), err=True)
    if findings:
        click.echo(f"{len(findings)} warning(s)", err=True)
    return len(findings)


@click.command()
@click.option("--names", is_flag=True, help="Only the names, one per line (for scripts and the Makefile).")
def renderers(names: bool) -> None:
    """List the installed renderers (entry-point group `pipeline.renderers`)."""
    registry = registry_module.installed()
    if names:
        click.echo("\n".join(registry.names))
        return
    for name in registry.names:
        try:
            renderer = registry.load(name)
        except PluginError as error:
            click.echo(f"{name:<16} BROKEN: {error}")
            continue
        click.echo(f"{name:<16} {renderer.filename('<id>'):<24} {renderer.media_type:<28} {renderer.description}")
