"""The `pipeline` command: validate, check, build, verify, renderers. Argument handling and reporting only."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pipeline import registry as registry_module
from pipeline.limits import Limits
from pipeline.load import Document
from pipeline.model import Article
from pipeline.problems import Problem, SourceError
from pipeline.registry import PluginError, Renderer
from pipeline.validate import load_document

if TYPE_CHECKING:
    from pipeline.build import Outcome
    from pipeline.checks import Output
    from pipeline.lint.check import ArticleReport
    from pipeline.lint.settings import LintSettings
    from pipeline.verify import SourceFinder

DEFAULT_SOURCES = Path("source")
DEFAULT_OUTPUTS = Path("outputs")


def source_files(paths: Iterable[Path]) -> list[Path]:
    """The given files, the `*.yaml` files in given folders, or all of `source/`."""
    found: list[Path] = []
    for path in list(paths) or [DEFAULT_SOURCES]:
        found += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return found


def load_all(paths: Iterable[Path]) -> tuple[list[Article], int]:
    """Every valid article, after printing every problem of the invalid ones."""
    loaded, problems = load_documents(paths)
    for problem in problems:
        click.echo(str(problem), err=True)
    return [article for _document, article in loaded], len({problem.file for problem in problems})


def load_documents(paths: Iterable[Path]) -> tuple[list[tuple[Document, Article]], list[Problem]]:
    """Every valid source with its parsed file, and every problem of the invalid ones."""
    loaded, problems = [], []
    limits = Limits.from_project()
    for path in source_files(paths):
        try:
            loaded.append(load_document(path, limits))
        except SourceError as error:
            problems += error.problems
    return loaded, problems


@click.group()
@click.version_option(package_name="pipeline")
def cli() -> None:
    """Turn one structured health article into a leaflet, an e-book, plain text and speech."""


@cli.command()
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


@cli.command()
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
    loaded, problems = load_documents(files)
    if not loaded and not problems:
        raise click.UsageError("no sources found: pass .yaml files or a folder holding them")
    for problem in problems:
        click.echo(str(problem), err=True)
    return loaded, problems


def _lint_settings() -> LintSettings:
    from pipeline.lint.settings import LintSettings, SettingsError

    try:
        return LintSettings.from_project()
    except SettingsError as error:
        raise click.UsageError(str(error)) from None


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


class BuildCommand(click.Command):
    """`build`, with one `--NAME` flag per option the installed renderers declare."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        return super().get_params(ctx) + list(_renderer_option_flags())


def _renderer_option_flags() -> Iterable[click.Option]:
    seen: set[str] = set()
    for renderer in _loadable_renderers(report=False):
        for key, option in renderer.options.items():
            if key not in seen:
                seen.add(key)
                choice = click.Choice(option.choices) if option.choices else None
                yield click.Option([f"--{key.replace('_', '-')}", key], type=choice, default=None, help=f"{option.help} [{renderer.name}]")


def _loadable_renderers(report: bool) -> list[Renderer]:
    registry = registry_module.installed()
    renderers = []
    for name in registry.names:
        try:
            renderers.append(registry.load(name))
        except PluginError as error:
            if report:
                click.echo(f"warning: {error}", err=True)
    return renderers


def _options_for(renderer: Renderer, given: dict[str, Any]) -> dict[str, Any]:
    chosen = {}
    for key, option in renderer.options.items():
        raw = given.get(key)
        try:
            chosen[key] = option.default if raw is None else option.read(raw)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint=f"--{key.replace('_', '-')}") from None
    return chosen


def _cores() -> int:
    """Cores this process may use (a container's limit, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _check_source_date_epoch() -> None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is not None and not value.strip().isdigit():
        raise click.UsageError(f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds since 1970: set it like SOURCE_DATE_EPOCH=$(git log -1 --format=%ct), or unset it")


@cli.command(cls=BuildCommand)
@click.argument("files", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "-f", "formats", multiple=True, help="Renderer to run (repeatable); default all. See `pipeline renderers`.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUTS, show_default=True)
@click.option("--force", is_flag=True, help="Rebuild even outputs that are up to date (and, with --verify, run every check again).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=_cores, metavar="N", show_default="the number of cores", help="Outputs rendered at once, each in its own worker process.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS", help="Stop any one output's rendering after this long and report it failed [default: each renderer's own, 600 s unless it says otherwise].")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.option("--verbose", "-v", is_flag=True, help="Also list outputs that were up to date, and each start.")
@click.option("--verify", "then_verify", is_flag=True, help="Then check the outputs as `pipeline verify` does; exit 1 if a check fails.")
def build(
    files: tuple[Path, ...],
    formats: tuple[str, ...],
    out_dir: Path,
    force: bool,
    jobs: int,
    timeout: float | None,
    quiet: bool,
    verbose: bool,
    then_verify: bool,
    **given: Any,
) -> None:
    """Validate sources, then write OUT/<id>/<id>.<ext> for each format, atomically.

    Only outputs whose inputs changed are rebuilt (see OUT/<id>/manifest.json). Exit status:
    0 all built or up to date, 1 a source was invalid or a format failed, 2 usage error,
    130 interrupted.
    """
    from pipeline.build import Interrupted
    from pipeline.build import build as run_build
    from pipeline.progress import Progress

    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose contradict each other: choose one")
    _check_source_date_epoch()
    registry = registry_module.installed()
    unknown = [name for name in formats if name not in registry.entry_points]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)}; installed: {', '.join(registry.names)}", param_hint="--format")
    articles, failures = load_all(files)
    if not articles and not failures:
        raise click.UsageError("no sources found: pass .yaml files or a folder holding them")
    renderers, broken = [], 0
    for name in formats or registry.names:
        try:
            renderers.append(registry.load(name))
        except PluginError as error:
            broken += 1
            click.echo(f"error: {error}", err=True)
    options = {renderer.name: _options_for(renderer, given) for renderer in renderers}
    progress = Progress(out_dir, quiet=quiet, verbose=verbose)
    try:
        outcomes = run_build(articles, renderers, registry, options, out_dir, progress, force=force, jobs=jobs, timeout=timeout)
    except Interrupted as stop:
        progress.summary([])
        click.echo(f"interrupted ({stop}): unfinished outputs were discarded, finished ones are in place", err=True)
        sys.exit(128 + stop.signum)
    progress.summary(outcomes)
    failed = failures + broken + sum(outcome.failed for outcome in outcomes)
    if failed:
        click.echo(f"{failed} problem(s): see the messages above", err=True)
    if then_verify:
        failed += not _verify_built(outcomes, out_dir, {path.stem: path for path in source_files(files)}, quiet, force)
    sys.exit(1 if failed else 0)


def _verify_built(outcomes: list[Outcome], out_dir: Path, sources: dict[str, Path], quiet: bool, force: bool) -> bool:
    """Verify what the build wrote or found up to date (not the formats that failed); with
    --force, every check runs again too."""
    from pipeline.verify import article_outputs

    outputs = []
    for article_id in dict.fromkeys(outcome.article_id for outcome in outcomes):
        renderers = [outcome.renderer for outcome in outcomes if outcome.article_id == article_id and not outcome.failed]
        outputs += article_outputs(out_dir / article_id, registry_module.installed(), renderers)
    return _report_verification(outputs, sources.__getitem__, "text", quiet, force)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Lines for people, or JSON for CI (schema: pipeline/assets/verify-report.schema.json).")
@click.option("--sources", "sources_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_SOURCES, show_default=True, help="Folder of the sources (<id>.yaml) that outputs are compared with.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the failed checks (text format).")
@click.option("--force", is_flag=True, help="Run every check again, even where the verdict recorded in OUT/<id>/verify.json still holds.")
def verify(paths: tuple[Path, ...], output_format: str, sources_dir: Path, quiet: bool, force: bool) -> None:
    """Check built outputs: output files, article folders or output roots (default: outputs/).

    Prints one line per check, PASS, FAIL or SKIP, with the figure behind it, and under it
    what was found; exits 1 if any check fails. Checks are the entry points in group
    `pipeline.checks` (EPUBCheck, Ace, PDF tags, audio chapters, content parity ...). A check
    runs only when what it reads changed (files, source, settings, its code, the programs it
    runs); otherwise its recorded verdict is reported again, failures included.
    """
    from pipeline.verify import NoOutputs, find_outputs

    try:
        outputs = find_outputs(paths or [DEFAULT_OUTPUTS], registry_module.installed())
    except NoOutputs as error:
        raise click.UsageError(str(error)) from None
    if not _report_verification(outputs, lambda article_id: sources_dir / f"{article_id}.yaml", output_format, quiet, force):
        sys.exit(1)


def _report_verification(outputs: list[Output], source_path: SourceFinder, output_format: str, quiet: bool, force: bool) -> bool:
    """Run every applicable check whose recorded verdict does not hold, print the report
    (quiet: only failures); True when nothing failed."""
    from pipeline import checks, verify_report
    from pipeline.verify import counts, load_checks, verify
    from pipeline.verify_records import Records

    loaded, errors = load_checks(checks.installed())
    for error in errors:
        click.echo(f"error: {error}", err=True)
    records = Records(force)
    verdicts = verify(outputs, loaded, source_path, records)
    for problem in records.save():
        click.echo(f"warning: {problem}", err=True)
    if output_format == "json":
        click.echo(verify_report.as_json(verdicts, errors), nl=False)
    else:
        click.echo(verify_report.text(verdicts, only_failures=quiet), nl=False)
    return not errors and not counts(verdicts)["fail"]


@cli.command("new")
@click.argument("article_id", metavar="ID")
@click.option("--lang", default="en", show_default=True, metavar="TAG", help="The article's language (BCP 47 tag): the template's words are in it.")
@click.option("--sources", "sources_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_SOURCES, show_default=True, help="Folder to write ID.yaml in.")
def new(article_id: str, lang: str, sources_dir: Path) -> None:
    """Start an article: write SOURCES/ID.yaml from a template, never over an existing file.

    Every key is there with a comment saying what belongs in it; `pipeline validate` names each
    <<placeholder>> left, with its line, until the article is written.
    """
    from pipeline import template, text
    from pipeline.validate import ARTICLE_ID

    if not ARTICLE_ID.fullmatch(article_id):
        raise click.BadParameter(f"'{article_id}' is not a usable article id: use lower-case letters, digits and hyphens (e.g. leg-cramps)", param_hint="ID")
    if not text.is_language_tag(lang):
        raise click.BadParameter(f"'{lang}' is not a BCP 47 language tag: write e.g. 'en', 'en-GB' or 'cy'", param_hint="--lang")
    path = sources_dir / f"{article_id}.yaml"
    schema = os.path.relpath(Path("pipeline.schema.json").resolve(), sources_dir.resolve())
    try:
        sources_dir.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(template.source(lang, Path(schema).as_posix()))
    except FileExistsError:
        click.echo(f"error: {path} already exists: edit it, or choose another id", err=True)
        sys.exit(1)
    except OSError as error:
        click.echo(f"error: cannot write {path}: {error.strerror}", err=True)
        sys.exit(1)
    click.echo(f"wrote {path}: replace each <<...>> with your text, then run `pipeline validate {path}`")


@cli.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the schema to FILE (only when it changed) instead of printing it.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema (draft 2020-12) of the source format, for editors (see README)."""
    from pipeline import outputs
    from pipeline.schema import as_json

    written = as_json()
    if output is None:
        click.echo(written, nl=False)
    elif not output.is_file() or output.read_text("utf-8") != written:
        outputs.write_atomically(output, written.encode())


@cli.command()
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


def main() -> None:
    """Entry point: never a traceback for a user's mistake; `PIPELINE_DEBUG=1` shows one for ours."""
    try:
        cli(standalone_mode=True)
    except Exception as error:  # noqa: BLE001
        if os.environ.get("PIPELINE_DEBUG"):
            raise
        click.echo(f"internal error: {type(error).__name__}: {error} (set PIPELINE_DEBUG=1 for details; please report it)", err=True)
        sys.exit(70)
