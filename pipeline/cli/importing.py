"""`pipeline import`: an existing leaflet into a source (the work is `pipeline.importer`'s)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Source to write [default: source/<id>.yaml, the id from FILE's name].")
@click.option("--lang", metavar="TAG", help="The document's language (BCP 47), when the file does not say it.")
@click.option("--force", is_flag=True, help="Overwrite an existing source.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if there are warnings (for CI).")
def import_(file: Path, output: Path | None, lang: str | None, force: bool, check: bool) -> None:
    """Turn a leaflet (.docx, .odt, .html, .md) into a source; print what could not be placed."""
    from pipeline import importer

    if file.suffix.lower() not in importer.READERS:
        raise click.BadParameter(f"cannot import '{file.suffix}' files: use .docx, .odt, .html or .md", param_hint="FILE")
    if lang is not None and not importer.is_language_tag(lang):
        raise click.BadParameter(f"'{lang}' is not a BCP 47 language tag: write e.g. en, en-GB or es-419", param_hint="--lang")
    try:
        target = output or importer.default_source(file)
        if not check and target.exists() and not force:
            raise click.UsageError(f"{target} exists: pass --force to overwrite it, or -o to write elsewhere")
        imported = importer.import_file(file, lang)
    except importer.ReadError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    for line in imported.findings.lines():
        click.echo(line, err=True)
    warnings = len(imported.findings.warnings)
    if not check:
        importer.write(target, imported.yaml)
    click.echo(f"{file}: {warnings} warning(s)" if check else f"wrote {target}: {warnings} warning(s)")
    sys.exit(1 if check and warnings else 0)
