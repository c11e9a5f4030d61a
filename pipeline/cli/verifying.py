"""`pipeline verify`: the checks of built outputs, as lines for people or JSON for CI."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline import registry as registry_module
from pipeline.cli.common import DEFAULT_OUTPUTS
from pipeline.source.discover import DEFAULT_SOURCES

if TYPE_CHECKING:
    from pipeline.verify.checks import Output
    from pipeline.verify.engine import SourceFinder


STRICT_HELP = "Fail every check that was skipped (a tool missing here), and print the count even with --quiet: for CI."


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Lines for people, or JSON for CI (schema: pipeline/assets/verify-report.schema.json).")
@click.option("--sources", "sources_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_SOURCES, show_default=True, help="Folder of the sources (<id>.yaml) that outputs are compared with.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the failed checks (text format).")
@click.option("--force", is_flag=True, help="Run every check again, even where the verdict recorded in OUT/<id>/verify.json still holds.")
@click.option("--strict", is_flag=True, help=STRICT_HELP)
def verify(paths: tuple[Path, ...], output_format: str, sources_dir: Path, quiet: bool, force: bool, strict: bool) -> None:
    """Check built outputs: output files, article folders or output roots (default: outputs/).

    Prints one line per check, PASS, FAIL or SKIP, with the figure behind it, and under it
    what was found; exits 1 if any check fails. Checks are the entry points in group
    `pipeline.checks` (EPUBCheck, Ace, PDF tags, audio chapters, content parity ...). A check
    runs only when what it reads changed (files, source, settings, its code, the programs it
    runs); otherwise its recorded verdict is reported again, failures included.
    """
    from pipeline.build import lock
    from pipeline.verify.engine import NoOutputs, find_outputs, output_roots

    for root in output_roots(paths or [DEFAULT_OUTPUTS]):  # held until the command ends: no build writes meanwhile
        click.get_current_context().with_resource(lock.holding(root, shared=True, wait=True, say=lambda line: click.echo(line, err=True)))
    try:
        outputs = find_outputs(paths or [DEFAULT_OUTPUTS], registry_module.installed())
    except NoOutputs as error:
        raise click.UsageError(str(error)) from None
    if not report_verification(outputs, lambda article_id: sources_dir / f"{article_id}.yaml", output_format, quiet, force, strict):
        sys.exit(1)


def report_verification(outputs: list[Output], source_path: SourceFinder, output_format: str, quiet: bool, force: bool, strict: bool) -> bool:
    """Run every applicable check whose recorded verdict does not hold, print the report
    (quiet: only failures; strict: every skip a failure, and the count always); True when
    nothing failed."""
    from pipeline.verify import checks
    from pipeline.verify import report as verify_report
    from pipeline.verify.engine import counts, load_checks, strictly, verify
    from pipeline.verify.records import Records

    loaded, errors = load_checks(checks.installed())
    for error in errors:
        click.echo(f"error: {error}", err=True)
    records = Records(force)
    verdicts = verify(outputs, loaded, source_path, records)
    for problem in records.save():
        click.echo(f"warning: {problem}", err=True)
    if strict:
        verdicts = strictly(verdicts)
    if output_format == "json":
        click.echo(verify_report.as_json(verdicts, errors), nl=False)
    else:
        click.echo(verify_report.text(verdicts, only_failures=quiet, summary_always=strict), nl=False)
    return not errors and not counts(verdicts)["fail"]
