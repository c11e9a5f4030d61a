"""pandoc in a box: the one program that reads a clinic's file, run so the file can make it do
nothing but read.

`--sandbox` keeps pandoc from every network address and every file but its input (an HTML
page's `<iframe src="http://...">` or `<img src="file:...">` is left a reference, never
fetched); `+RTS -M` caps its heap, a timeout its time, both from `[tool.pipeline.limits]`;
nothing is written (the tree comes back on stdout). A failure is our one line saying what to
do, quoting at most pandoc's last line, escaped and cut short.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from pipeline.importer.errors import ReadError, name_of
from pipeline.source.limits import Limits

HEAP_EXHAUSTED = 251
"""pandoc's exit status when its heap reaches the `-M` cap."""
_SHOWN_CHARACTERS = 200


def tree(path: Path, reader: str, limits: Limits) -> dict[str, Any]:
    """pandoc's document tree (JSON) of `path` read with `reader`; ReadError when it cannot be had."""
    import pypandoc

    command = [pypandoc.get_pandoc_path(), "+RTS", f"-M{limits.max_import_memory_bytes}", "-RTS", "--sandbox"]
    command += ["--from", reader, "--to", "json", "--", str(path.resolve())]
    kind = reader.split("-")[0]
    try:
        result = subprocess.run(command, capture_output=True, stdin=subprocess.DEVNULL, timeout=limits.max_import_seconds, check=False)
    except subprocess.TimeoutExpired:
        raise ReadError(
            f"{name_of(path)}: reading it took longer than {limits.max_import_seconds} s (max_import_seconds), so it was stopped: "
            "split it into one file per leaflet, or save it again from its editor"
        ) from None
    if result.returncode == HEAP_EXHAUSTED:
        raise ReadError(
            f"{name_of(path)}: reading it needs more than {limits.max_import_memory_bytes:,} bytes of memory (max_import_memory_bytes), "
            "so it was stopped: split it into one file per leaflet, or save it again from its editor"
        )
    if result.returncode != 0:
        raise ReadError(f"{name_of(path)}: not a readable {kind} file ({_last_line(result.stderr)}): save it again from its editor")
    try:
        return json.loads(result.stdout)
    except ValueError:
        raise ReadError(f"{name_of(path)}: not a readable {kind} file (pandoc gave no document): save it again from its editor") from None


def _last_line(stderr: bytes) -> str:
    """pandoc's last word on the failure, escaped and cut short."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    said = name_of(lines[-1]) if lines else "pandoc failed"
    return said if len(said) <= _SHOWN_CHARACTERS else said[: _SHOWN_CHARACTERS - 1] + "…"
