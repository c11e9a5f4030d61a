"""`pipeline new` and `pipeline schema`: starting a source, and the schema editors check it with."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from pipeline.cli.common import loadable_renderers
from pipeline.source.discover import DEFAULT_SOURCES

SCHEMA_FILE = Path("pipeline.schema.json")


@click.command("new")
@click.argument("article_id", metavar="ID")
@click.option("--lang", default="en", show_default=True, metavar="TAG", help="The article's language (BCP 47 tag): the template's words are in it.")
@click.option(
    "--sources", "sources_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_SOURCES, show_default=True, help="Folder to write ID.yaml in."
)
def new(article_id: str, lang: str, sources_dir: Path) -> None:
    """Start an article: write SOURCES/ID.yaml from a template, never over an existing file.

    Every key is there with a comment saying what belongs in it; `pipeline validate` names each
    <<placeholder>> left, with its line, until the article is written.
    """
    from pipeline.model import rules
    from pipeline.source import template
    from pipeline.source.validate import article_id_problem

    why = article_id_problem(article_id)
    if why:
        raise click.BadParameter(f"'{rules.escaped(article_id)}' is not a usable article id: {why} (e.g. leg-cramps)", param_hint="ID")
    if not rules.is_language_tag(lang):
        raise click.BadParameter(f"'{lang}' is not a BCP 47 language tag: write e.g. 'en', 'en-GB' or 'cy'", param_hint="--lang")
    path = sources_dir / f"{article_id}.yaml"
    schema = Path(os.path.relpath(SCHEMA_FILE.resolve(), sources_dir.resolve())).as_posix()
    try:
        sources_dir.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(template.source(lang, schema))
    except FileExistsError:
        click.echo(f"error: {path} already exists: edit it, or choose another id", err=True)
        sys.exit(1)
    except OSError as error:
        click.echo(f"error: cannot write {path}: {error.strerror}", err=True)
        sys.exit(1)
    click.echo(f"wrote {path}: replace each <<...>> with your text, then run `pipeline validate {path}`")


@click.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the schema to FILE (only when it changed) instead of printing it.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema (draft 2020-12) of the source format, for editors (see README).

    Its `options:` name the options the installed renderers declare."""
    from pipeline.build.files import write_atomically
    from pipeline.source.schema import as_json

    written = as_json({renderer.name: {key: (option.help, option.choices) for key, option in renderer.options.items()} for renderer in loadable_renderers(report=False)})
    if output is None:
        click.echo(written, nl=False)
    elif not output.is_file() or output.read_text("utf-8") != written:
        write_atomically(output, written.encode())
