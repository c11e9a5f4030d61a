"""What the importer agrees to read, decided before pandoc or any parser sees a byte of it.

A file's size is not what reading it costs: a Word or OpenDocument file is a zip whose
parts can unpack to a thousand times their packed size, and pandoc's time grows with the
text it parses. So the file, the text (a Markdown or HTML file, each XML part of a zip),
the number of parts, every part as its zip declares it unpacked, and all parts together are
each held to `[tool.pipeline.limits]`. Then each part is unpacked to nowhere: Python's zip
reader stops at the declared size and checks the part's checksum, so a part that lies about
its size is refused before pandoc, which would unpack it all (and which runs under its own
memory cap besides).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Any

from pipeline.importer.errors import ReadError, name_of
from pipeline.source.limits import Limits

ZIPPED = ("docx", "odt")
_PARSED_PARTS = (".xml", ".rels")
_CHUNK = 1 << 20
_TEXT = "that is more text than a leaflet holds: split it into one file per leaflet"
_PICTURES = "make its pictures smaller or remove them, or split it into one file per leaflet, and save it again"


def check(path: Path, reader: str, limits: Limits) -> None:
    """ReadError saying which limit `path` passes, and how to get under it; None if it passes none."""
    size = path.stat().st_size
    if reader not in ZIPPED:
        if size > limits.max_import_text_bytes:
            raise ReadError(f"{name_of(path)}: the file is {size:,} bytes of text; the limit is {limits.max_import_text_bytes:,} (max_import_text_bytes): {_TEXT}")
        return
    if size > limits.max_import_bytes:
        raise ReadError(f"{name_of(path)}: the file is {size:,} bytes; the limit is {limits.max_import_bytes:,} (max_import_bytes): {_PICTURES}")
    _check_parts(path, reader, limits)


def check_text(path: Path, tree: dict[str, Any], limits: Limits) -> None:
    """ReadError when the words pandoc found already pass what a source may hold: the source
    holds every word (in UTF-8, at least a byte each), so it could not be written, and mapping
    that much text into a leaflet would only take time."""
    characters, pending = 0, [tree["blocks"], tree["meta"]]
    while pending and characters <= limits.max_file_bytes:
        node = pending.pop()
        if isinstance(node, dict) and node.get("t") == "Str":
            characters += len(node["c"])
        elif isinstance(node, dict):
            pending += node.values()
        elif isinstance(node, list):
            pending += node
    if characters > limits.max_file_bytes:
        raise ReadError(
            f"{name_of(path)}: its text is more than {limits.max_file_bytes:,} characters, and a source holds at most "
            f"{limits.max_file_bytes:,} bytes (max_file_bytes): {_TEXT}"
        )


def _check_parts(path: Path, reader: str, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            _check_declared(path, reader, parts, limits)
            for part in parts:
                _unpack(archive, part)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, ValueError, EOFError) as error:
        raise ReadError(f"{name_of(path)}: not a readable {reader} file ({name_of(error)}): save it again from its editor") from None


def _check_declared(path: Path, reader: str, parts: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(parts) > limits.max_import_parts:
        raise ReadError(
            f"{name_of(path)}: not a readable {reader} file: it has {len(parts):,} parts; the limit is {limits.max_import_parts:,} (max_import_parts): {_PICTURES}"
        )
    for part in parts:
        limit, setting, advice = _part_limit(part.filename, limits)
        if part.file_size > limit:
            raise ReadError(
                f"{name_of(path)}: not a readable {reader} file: its part {name_of(part.filename)} unpacks to {part.file_size:,} bytes; "
                f"the limit is {limit:,} ({setting}): {advice}"
            )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.max_import_unpacked_bytes:
        raise ReadError(
            f"{name_of(path)}: not a readable {reader} file: its parts unpack to {unpacked:,} bytes; "
            f"the limit is {limits.max_import_unpacked_bytes:,} (max_import_unpacked_bytes): {_PICTURES}"
        )


def _unpack(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Unpack `part` to nowhere: Python stops at the size the zip declares and then checks the
    part's checksum, so a part that unpacks to more than it declares fails here (Bad CRC-32),
    before pandoc, which would unpack it all."""
    with archive.open(part) as stream:
        while stream.read(_CHUNK):
            pass


def _part_limit(name: str, limits: Limits) -> tuple[int, str, str]:
    if name.lower().endswith(_PARSED_PARTS):
        return limits.max_import_text_bytes, "max_import_text_bytes", _TEXT
    return limits.max_import_member_bytes, "max_import_member_bytes", _PICTURES
