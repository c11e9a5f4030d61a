"""Source file -> plain YAML data with the line and column of every value.

Reading is defensive: size is checked before parsing, the text must be clean UTF-8, and a
first pass over the YAML events refuses anchors, aliases, tags, merge keys, duplicate and
non-text keys, deep nesting and too many values before anything is built, so no input can
expand, recurse or construct objects. Dates stay text: the model reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, MappingStartEvent, NodeEvent, ScalarEvent

from pipeline.model import rules
from pipeline.source import yaml_errors
from pipeline.source.limits import Limits
from pipeline.source.positions import Document, Position
from pipeline.source.problems import Problem, SourceError, kind_of


def load(path: Path, limits: Limits) -> Document:
    """Read and parse one source, or raise SourceError with every problem found."""
    try:
        _check_size(path, path.stat().st_size, limits)
        raw = path.read_bytes()
    except OSError as error:
        raise SourceError([_problem(path, 1, 1, f"cannot read the file: {error.strerror}")]) from None
    return parsed(path, raw, limits)


def parsed(path: Path, raw: bytes, limits: Limits) -> Document:
    """As `load`, for the bytes a source at `path` would hold (a source not written yet)."""
    _check_size(path, len(raw), limits)
    source = _decode(path, raw)
    _check_characters(path, source)
    _check_events(path, source, limits)
    data = _parse(path, source)
    if not isinstance(data, CommentedMap):
        found = "only comments" if data is None else kind_of(data)
        raise SourceError([_problem(path, 1, 1, f"the file must be a YAML mapping of keys (title:, lang:, ...), found {found}")])
    positions: dict[tuple[Any, ...], Position] = {(): (1, 1)}
    bad_keys: list[Problem] = []
    _record_positions(path, data, (), positions, bad_keys)
    if bad_keys:
        raise SourceError(bad_keys)
    return Document(path, data, positions, source)


def _check_size(path: Path, size: int, limits: Limits) -> None:
    if size > limits.max_file_bytes:
        raise SourceError([_problem(path, 1, 1, f"file is {size:,} bytes; the limit is {limits.max_file_bytes:,}: split the article")])


def _problem(path: Path, line: int, column: int, message: str) -> Problem:
    return Problem(str(path), line, column, message)


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raise SourceError([_problem(path, 1, 1, "the file starts with a byte-order mark (BOM): save it as UTF-8 without BOM")])
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise SourceError(
            [_problem(path, line, column, f"byte 0x{raw[error.start]:02X} is not valid UTF-8: save the file as UTF-8")]
        ) from None
    if not source.strip():
        raise SourceError([_problem(path, 1, 1, "the file is empty: write the article as a YAML mapping (see README)")])
    return source


def _check_characters(path: Path, source: str) -> None:
    problems = []
    for number, line in enumerate(source.split("\n"), start=1):
        line = line.removesuffix("\r")
        if "\r" in line:
            column = line.index("\r") + 1
            problems.append(_problem(path, number, column, "a carriage return (CR) without a line feed: save the file with LF or CRLF line endings"))
            continue
        found = rules.forbidden_character(line.replace("\t", " "))
        if found is not None:
            problems.append(_problem(path, number, found[0] + 1, found[1]))
    if problems:
        raise SourceError(problems)


def _check_events(path: Path, source: str, limits: Limits) -> None:
    """Refuse what could expand, recurse, construct objects or hide keys, before building anything."""
    open_collections: list[_Open] = []
    nodes = 0
    try:
        for event in YAML(typ="safe", pure=True).parse(source):
            if isinstance(event, CollectionEndEvent):
                open_collections.pop()
                continue
            if not isinstance(event, NodeEvent):
                continue
            nodes += 1
            if nodes > limits.max_nodes:
                raise SourceError(
                    [_problem(path, *_where(event), f"the file holds more than {limits.max_nodes:,} keys and values: split the article")]
                )
            parent = open_collections[-1] if open_collections else None
            is_key = parent is not None and parent.keys is not None and parent.count % 2 == 0
            if parent is not None:
                parent.count += 1
            _check_node(path, event, is_key)
            if is_key and isinstance(event, ScalarEvent):
                _check_duplicate(path, event, parent.keys)
            if isinstance(event, CollectionStartEvent):
                open_collections.append(_Open({} if isinstance(event, MappingStartEvent) else None))
                if len(open_collections) > limits.max_nesting:
                    raise SourceError(
                        [_problem(path, *_where(event), f"nesting is deeper than {limits.max_nesting} levels: flatten the structure")]
                    )
    except MarkedYAMLError as error:
        raise SourceError([yaml_errors.problem_from(str(path), error, source)]) from None


@dataclass
class _Open:
    """A collection the event pass is inside: its keys so far (None for a list) and node count."""

    keys: dict[str, int] | None
    count: int = 0


def _check_duplicate(path: Path, event: ScalarEvent, keys: dict[str, int]) -> None:
    line, column = _where(event)
    if event.value in keys:
        raise SourceError([_problem(path, line, column, f"duplicate key {rules.quoted(event.value)} (first at line {keys[event.value]}): keep one")])
    keys[event.value] = line


def _check_node(path: Path, event: NodeEvent, is_key: bool) -> None:
    where = _where(event)
    if isinstance(event, AliasEvent):
        raise SourceError([_problem(path, *where, f"alias *{event.anchor} is not allowed: write the text out in full")])
    if event.anchor is not None:
        raise SourceError([_problem(path, *where, f"anchor &{event.anchor} is not allowed: write the text out in full")])
    tag = getattr(event, "tag", None)
    if tag is not None and tag not in ("tag:yaml.org,2002:str", "!"):
        shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
        raise SourceError([_problem(path, *where, f"YAML tag {shown} is not allowed: remove it")])
    if is_key and isinstance(event, CollectionStartEvent):
        raise SourceError([_problem(path, *where, "a key must be a name such as title or heading, not a list or mapping: remove the '?' or brackets")])
    if is_key and isinstance(event, ScalarEvent) and event.style is None and event.value == "<<":
        raise SourceError([_problem(path, *where, "the merge key << is not allowed: write the keys out in full")])


def _where(event: NodeEvent) -> Position:
    return event.start_mark.line + 1, event.start_mark.column + 1


class _Constructor(RoundTripConstructor):
    """Dates stay text until the model reads them, so 2026-02-30 is a clear error, not a crash."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


def _parse(path: Path, source: str) -> Any:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(source)
    except MarkedYAMLError as error:
        raise SourceError([yaml_errors.problem_from(str(path), error, source)]) from None


def _record_positions(
    path: Path, node: Any, location: tuple[Any, ...], positions: dict[tuple[Any, ...], Position], bad_keys: list[Problem]
) -> None:
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            key_line, key_column, value_line, value_column = node.lc.data[key]
            if not isinstance(key, str):
                shown = "the key is empty" if key is None else f"the key {str(key).lower() if isinstance(key, bool) else key!r} is {kind_of(key)}, not a name"
                bad_keys.append(_problem(path, key_line + 1, key_column + 1, f"{shown}: keys are words such as title or heading"))
                continue
            child = (*location, key)
            # Scalars and flow collections: point at the value; block collections: at the key.
            if isinstance(value, (CommentedMap, CommentedSeq)) and value_line != key_line:
                positions[child] = (key_line + 1, key_column + 1)
            else:
                positions[child] = (value_line + 1, value_column + 1)
            _record_positions(path, value, child, positions, bad_keys)
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            line, column = node.lc.data[index]
            positions[(*location, index)] = (line + 1, column + 1)
            _record_positions(path, value, (*location, index), positions, bad_keys)


