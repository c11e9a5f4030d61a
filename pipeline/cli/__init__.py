"""The `pipeline` command: argument handling and reporting only, one module per family of
commands (`sources`: validate, check, renderers; `authoring`: new, schema; `building`: build;
`verifying`: verify; `importing`: import).
The work itself is done by the packages they call."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from pipeline.cli import authoring, building, importing, sources, verifying
from pipeline.settings import SettingsError


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


for command in (sources.validate, sources.check, authoring.new, authoring.schema, building.build, verifying.verify, importing.import_, sources.renderers):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: never a traceback for a user's mistake; `PIPELINE_DEBUG=1` shows one for ours.
    The command line is kept for a build to leave its stamp under (`build/stamp.py`)."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        cli(args=argv, obj={"argv": argv}, standalone_mode=True)
    except Exception as error:
        if os.environ.get("PIPELINE_DEBUG"):
            raise
        click.echo(f"internal error: {type(error).__name__}: {error} (set PIPELINE_DEBUG=1 for details; please report it)", err=True)
        sys.exit(70)
