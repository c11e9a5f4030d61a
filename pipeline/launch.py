"""The `pipeline` program: a build with nothing to do is answered from its stamp, before the
command line is parsed (which loads every renderer and the model); anything else runs the
command."""

from __future__ import annotations

import sys

from pipeline.build import stamp


def main() -> None:
    if stamp.replayed(sys.argv[1:]):
        return
    from pipeline.cli import main as run

    run()
