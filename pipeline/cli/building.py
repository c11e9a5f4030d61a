"""`pipeline build`: flags, one per renderer option, and the build's report and exit status."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pipeline import registry as registry_module
from pipeline.cli.common import DEFAULT_OUTPUTS, load_all, loadable_renderers
from pipeline.cli.verifying import STRICT_HELP, report_verification
from pipeline.registry import PluginError, Renderer
from pipeline.settings import source_date_epoch
from pipeline.source.discover import DEFAULT_SOURCES, source_files

if TYPE_CHECKING:
    from pipeline.build.outcome import Outcome
    from pipeline.model import Article


class BuildCommand(click.Command):
    """`build`, with one `--NAME` flag per option the installed renderers declare."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        return super().get_params(ctx) + list(_renderer_option_flags())


def _renderer_option_flags() -> Iterable[click.Option]:
    from pipeline.build.options import declared, flag

    for key, owners in declared(loadable_renderers(report=False)).items():
        _first, option = owners[0]
        choice = click.Choice(option.choices) if option.choices else None
        names = ", ".join(name for name, _option in owners)
        yield click.Option([flag(key), key], type=choice, default=None, help=f"{option.help} [{names}]")
    yield click.Option(
        ["--option", "scoped_options"], multiple=True, metavar="RENDERER.NAME=VALUE",
        help="Set an option for one renderer alone, e.g. pdf-large.max_pages=0 (repeatable).",
    )


def _cores() -> int:
    """Cores this process may use (a container's limit, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@click.command(cls=BuildCommand)
@click.argument("files", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "-f", "formats", multiple=True, help="Renderer to run (repeatable); default all. See `pipeline renderers`.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUTS, show_default=True)
@click.option("--no-wait", is_flag=True, help="If another build is writing to the output folder, exit 1 at once instead of waiting for it.")
@click.option("--force", is_flag=True, help="Rebuild even outputs that are up to date (and, with --verify, run every check again).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=_cores, metavar="N", show_default="the number of cores", help="Outputs rendered at once, each in its own worker process.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS", help="Stop any one output's rendering after this long and report it failed [default: each renderer's own, 600 s unless it says otherwise].")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="Render in worker processes here, or on a Dask cluster (needs pip install 'pipeline[dask]').")
@click.option("--scheduler", metavar="ADDRESS", help="With --executor dask: the running cluster's scheduler, e.g. tls://HOST:8786 (certificates in [tool.pipeline.dask]).")
@click.option("--workers", type=click.IntRange(min=1), metavar="N", help="With --executor dask: start a cluster of N worker processes here [default: --jobs].")
@click.option("--insecure", is_flag=True, help="With --scheduler: allow a plain tcp:// scheduler on another machine (unencrypted: anyone who reaches it runs code on the workers).")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.option("--verbose", "-v", is_flag=True, help="Also list outputs that were up to date, and each start.")
@click.option("--verify", "then_verify", is_flag=True, help="Then check the outputs as `pipeline verify` does; exit 1 if a check fails.")
@click.option("--strict", is_flag=True, help=f"With --verify: {STRICT_HELP[0].lower()}{STRICT_HELP[1:]}")
def build(
    files: tuple[Path, ...],
    formats: tuple[str, ...],
    out_dir: Path,
    no_wait: bool,
    force: bool,
    jobs: int,
    timeout: float | None,
    executor: str,
    scheduler: str | None,
    workers: int | None,
    insecure: bool,
    quiet: bool,
    verbose: bool,
    then_verify: bool,
    strict: bool,
    **given: Any,
) -> None:
    """Validate sources, then write OUT/<id>/<id>.<ext> for each format, atomically.

    Only outputs whose inputs changed are rebuilt (see OUT/<id>/manifest.json). Exit status:
    0 all built or up to date, 1 a source was invalid or a format failed, 2 usage error,
    130 interrupted.
    """
    from pipeline.build.engine import ExecutorError, Interrupted
    from pipeline.build.engine import build as run_build
    from pipeline.build.library import page_language
    from pipeline.build.progress import Progress

    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose contradict each other: choose one")
    if strict and not then_verify:
        raise click.UsageError("--strict is how --verify judges skipped checks: add --verify")
    started_ns = time.time_ns()  # an input changed after this leaves no stamp
    source_date_epoch()  # a malformed value is refused before anything is built
    library_lang = page_language()
    where = _executor(executor, scheduler, workers, jobs, insecure)
    registry = registry_module.installed()
    unknown = [name for name in formats if name not in registry.entry_points]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)}; installed: {', '.join(registry.names)}", param_hint="--format")
    articles, failures, warned = load_all(files)
    if not articles and not failures:
        raise click.UsageError("no sources found: pass .yaml files or a folder holding them")
    renderers, broken = [], 0
    try:  # a renderer chosen alone brings the ones it links to (html: audio)
        chosen = registry.with_requirements(list(formats)) if formats else registry.names
    except PluginError as error:
        chosen, broken = list(formats), 1
        click.echo(f"error: {error}", err=True)
    for name in chosen:
        try:
            renderers.append(registry.load(name))
        except PluginError as error:
            broken += 1
            click.echo(f"error: {error}", err=True)
    options, article_options = _chosen_options(renderers, articles, given)
    _hold(out_dir, no_wait)  # once every setting is known good: a refused build makes no folder
    progress = Progress(out_dir, quiet=quiet, verbose=verbose)
    try:
        outcomes = run_build(articles, renderers, registry, options, out_dir, progress, where, force=force, timeout=timeout, article_options=article_options, library_lang=library_lang)
    except ExecutorError as error:
        progress.summary([])
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    except Interrupted as stop:
        progress.summary([])
        click.echo(f"interrupted ({stop}): unfinished outputs were discarded, finished ones are in place", err=True)
        sys.exit(128 + stop.signum)
    progress.summary(outcomes)
    failed = failures + broken + sum(outcome.failed for outcome in outcomes)
    if failed:
        click.echo(f"{failed} problem(s): see the messages above", err=True)
    command_line = (click.get_current_context().find_root().obj or {}).get("argv")
    if command_line is not None and not (failed or warned or force or verbose or then_verify or executor != "local"):
        from pipeline.build import stamp

        stamp.record(command_line, out_dir, quiet, outcomes, source_files(files), list(files) or [DEFAULT_SOURCES], started_ns)
    if then_verify:
        failed += not _verify_built(outcomes, out_dir, {path.stem: path for path in source_files(files)}, quiet, force, strict)
    sys.exit(1 if failed else 0)


def _hold(out_dir: Path, no_wait: bool) -> None:
    """The output folder's lock, held until the command ends: one build writes it at a time."""
    from pipeline.build import lock

    try:
        click.get_current_context().with_resource(lock.holding(out_dir, shared=False, wait=not no_wait, say=lambda line: click.echo(line, err=True)))
    except lock.Busy as busy:
        click.echo(f"error: {busy}", err=True)
        sys.exit(1)


def _executor(name: str, scheduler: str | None, workers: int | None, jobs: int, insecure: bool) -> Any:
    """The local pool, or the Dask executor once the options agree and Dask is installed."""
    if insecure and not scheduler:
        raise click.UsageError("--insecure allows a plain tcp:// --scheduler on another machine: it has no use without one")
    if name != "dask":
        if scheduler or workers:
            raise click.UsageError("--scheduler and --workers choose a Dask cluster: add --executor dask")
        from pipeline.build.local import LocalPool

        return LocalPool(jobs)
    if scheduler and workers:
        raise click.UsageError("--scheduler uses a running cluster, --workers starts one here: choose one")
    return _dask(scheduler, workers or jobs, insecure)


def _dask(scheduler: str | None, workers: int, insecure: bool) -> Any:
    """The Dask executor on `scheduler` (checked: see dask_security) or `workers` processes here."""
    try:
        from pipeline.build import dask_security
        from pipeline.build.dask_executor import DaskExecutor
    except ImportError as error:
        raise click.UsageError(f"--executor dask needs Dask's distributed scheduler ({error}): install it with pip install 'pipeline[dask]'") from None
    if not scheduler:
        return DaskExecutor(None, workers)
    try:
        warning = dask_security.warning_for(scheduler, insecure)
        security = dask_security.security_for(scheduler)
    except dask_security.ClusterRefused as refused:
        raise click.UsageError(str(refused)) from None
    if warning:
        click.echo(f"warning: {warning}", err=True)
    return DaskExecutor(scheduler, security=security)


def _chosen_options(
    renderers: list[Renderer], articles: list[Article], given: dict[str, Any]
) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], dict[str, Any]]]:
    """Each renderer's options for the build, and for each article that sets its own: the command
    line over the article over the project's settings (checked against every installed renderer)."""
    from pipeline.build import options

    defaults = options.project(loadable_renderers(report=False))
    try:
        flags = options.command_line(given, given.pop("scoped_options", ()), renderers)
        chosen = {renderer.name: options.choose(renderer, [flags, defaults]) for renderer in renderers}
        own = {
            (article.id, renderer.name): options.choose(renderer, [flags, options.article(article), defaults])
            for article in articles
            if article.options
            for renderer in renderers
        }
    except options.OptionError as error:
        raise click.BadParameter(str(error), param_hint=error.where) from None
    return chosen, own


def _verify_built(outcomes: list[Outcome], out_dir: Path, sources: dict[str, Path], quiet: bool, force: bool, strict: bool) -> bool:
    """Verify what the build wrote or found up to date (not the formats that failed); with
    --force, every check runs again too."""
    from pipeline.verify.engine import article_outputs

    outputs = []
    for article_id in dict.fromkeys(outcome.article_id for outcome in outcomes):
        renderers = [outcome.renderer for outcome in outcomes if outcome.article_id == article_id and not outcome.failed]
        outputs += article_outputs(out_dir / article_id, registry_module.installed(), renderers)
    return report_verification(outputs, sources.__getitem__, "text", quiet, force, strict)
