"""`pipeline import`: an existing leaflet into a source (the work is `pipeline.importer`'s)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Source to write [default: source/<id>.yaml, the id from FILE's name].")
@click.option("--lang", metavar="TAG", help="The document's language (BCP 47), when the file does not say it.")
@click.option("--force", is_flag=True, help="Overwrite an existing source.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if there are warnings (for CI).")
def import_(file: Path, output: Path | None, lang: str | None, force: bool, check: bool) -> None:
    """Turn a leaflet (.docx, .odt, .html, .md) into a source; print what could not be placed.

    pandoc reads the file with no network and no other file, within the sizes, memory and time
    of `[tool.pipeline.limits]`; the source is held to the limits of any source before it is written.
    """
    from pipeline import importer
    from pipeline.source.problems import SourceError

    _check_arguments(file, lang)
    limits = importer.Limits.from_project()
    try:
        target = output or importer.default_source(file)
        if not check and target.exists() and not force:
            raise click.UsageError(f"{importer.name_of(target)} exists: pass --force to overwrite it, or -o to write elsewhere")
        imported = importer.import_file(file, lang, limits)
        importer.check_source(target, imported.yaml, limits)
    except importer.ReadError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    except SourceError as error:  # each problem is already `FILE:LINE:COL: error: ...`
        click.echo(str(error), err=True)
        sys.exit(1)
    for line in imported.findings.lines():
        click.echo(line, err=True)
    warnings = len(imported.findings.warnings)
    if not check:
        importer.write(target, imported.yaml)
    click.echo(f"{importer.name_of(file)}: {warnings} warning(s)" if check else f"wrote {importer.name_of(target)}: {warnings} warning(s)")
    sys.exit(1 if check and warnings else 0)


def _check_arguments(file: Path, lang: str | None) -> None:
    """Usage errors (exit 2) with FILE and TAG shown escaped, as every name on the terminal is."""
    from pipeline import importer

    if not file.is_file():
        raise click.BadParameter(f"{importer.name_of(file)} is not a file: check the name", param_hint="FILE")
    if file.suffix.lower() not in importer.READERS:
        raise click.BadParameter(f"cannot import '{importer.name_of(file.suffix)}' files: use .docx, .odt, .html or .md", param_hint="FILE")
    if lang is not None and not importer.is_language_tag(lang):
        raise click.BadParameter(f"'{importer.name_of(lang)}' is not a BCP 47 language tag: write e.g. en, en-GB or es-419", param_hint="--lang")
