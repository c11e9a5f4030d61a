"""Source file -> plain YAML data with the line and column of every value.

Reading is defensive: size is checked before parsing, the text must be clean UTF-8, and a
first pass over the YAML events refuses anchors, aliases, tags and deep nesting before
anything is built, so no input can expand, recurse or construct objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent

from pipeline import text
from pipeline.limits import Limits
from pipeline.problems import Problem, SourceError

Position = tuple[int, int]


@dataclass(frozen=True)
class Document:
    """Parsed source data and where each value stands (1-based line, column)."""

    path: Path
    data: Any
    positions: dict[tuple[Any, ...], Position] = field(repr=False)
    source: str = field(default="", repr=False)

    def position(self, location: tuple[Any, ...]) -> Position:
        """The position of `location`, or of its nearest ancestor that exists in the file."""
        node: Any = self.data
        found: tuple[Any, ...] = ()
        for part in location:
            if isinstance(node, dict) and part in node or isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
                found = (*found, part)
            elif isinstance(node, (dict, list)):
                # A part the file lacks (a missing key) or one pydantic adds (a union tag).
                continue
        return self.positions.get(found, (1, 1))

    def text_position(self, location: tuple[Any, ...], index: int) -> Position:
        """Where character `index` of the text value at `location` stands in the file.

        Follows the value's characters through the source from the value's start, skipping
        what YAML folds away (line breaks, indentation, block indicators, quotes) and reading
        escapes. Where the source cannot be followed, the position of the last character it
        could follow is given.
        """
        value = self._value(location)
        start = self.position(location)
        if not isinstance(value, str) or not self.source:
            return start
        return _follow(self.source.split("\n"), start, value[: index + 1])

    def _value(self, location: tuple[Any, ...]) -> Any:
        node: Any = self.data
        for part in location:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node


def _follow(lines: list[str], start: Position, value: str) -> Position:
    """The position of the last character of `value`, read through the source from `start`."""
    row, column = start[0] - 1, start[1] - 1
    opener = lines[row][column : column + 1] if row < len(lines) else ""
    if opener in (">", "|"):
        row, column = row + 1, 0
    elif opener in ("'", '"'):
        column += 1
    quote = opener if opener in ("'", '"') else ""
    found = start
    for char in value:
        if char.isspace():
            continue
        while True:
            if row >= len(lines):
                return found
            if column >= len(lines[row]):
                row, column = row + 1, 0
                continue
            here, width = _source_char(lines[row], column, quote)
            if here == char:
                break
            if here and not here.isspace():
                return found
            column += width
        found = (row + 1, column + 1)
        column += width
    return found


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029", "": ""}


def _source_char(line: str, column: int, quote: str) -> tuple[str, int]:
    """The character the source stands for at `column`, and how many columns it takes."""
    if quote == '"' and line[column] == "\\":
        code = line[column + 1 : column + 2]
        digits = {"x": 2, "u": 4, "U": 8}.get(code, 0)
        if digits:
            try:
                return chr(int(line[column + 2 : column + 2 + digits], 16)), 2 + digits
            except ValueError:
                return "\\", 1
        return _ESCAPES.get(code, code), 2
    if quote == "'" and line[column : column + 2] == "''":
        return "'", 2
    return line[column], 1


def load(path: Path, limits: Limits) -> Document:
    """Read and parse one source, or raise SourceError with every problem found."""
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise SourceError([_problem(path, 1, 1, f"file is {size:,} bytes; the limit is {limits.max_file_bytes:,}: split the article")])
        raw = path.read_bytes()
    except OSError as error:
        raise SourceError([_problem(path, 1, 1, f"cannot read the file: {error.strerror}")]) from None
    source = _decode(path, raw)
    _check_characters(path, source)
    _check_events(path, source, limits)
    data = _parse(path, source)
    if not isinstance(data, CommentedMap):
        found = "nothing" if data is None else _kind(data)
        raise SourceError([_problem(path, 1, 1, f"the file must be a YAML mapping of keys (title:, lang:, ...), found {found}")])
    positions: dict[tuple[Any, ...], Position] = {(): (1, 1)}
    _record_positions(data, (), positions)
    return Document(path, data, positions, source)


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
        found = text.forbidden_character(line.removesuffix("\r").replace("\t", " "))
        if found is not None:
            problems.append(_problem(path, number, found[0] + 1, f"{found[1]}: delete it"))
    if problems:
        raise SourceError(problems)


def _check_events(path: Path, source: str, limits: Limits) -> None:
    depth = 0
    try:
        for event in YAML(typ="rt").parse(source):
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1)
            if isinstance(event, AliasEvent):
                raise SourceError([_problem(path, *where, f"alias *{event.anchor} is not allowed: write the text out in full")])
            if isinstance(event, NodeEvent) and event.anchor is not None:
                raise SourceError([_problem(path, *where, f"anchor &{event.anchor} is not allowed: write the text out in full")])
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in ("tag:yaml.org,2002:str", "!"):
                raise SourceError([_problem(path, *where, f"YAML tag {tag} is not allowed: remove it")])
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > limits.max_nesting:
                    raise SourceError(
                        [_problem(path, *where, f"nesting is deeper than {limits.max_nesting} levels: flatten the structure")]
                    )
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except MarkedYAMLError as error:
        raise SourceError([_yaml_problem(path, error)]) from None


def _parse(path: Path, source: str) -> Any:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(source)
    except MarkedYAMLError as error:
        raise SourceError([_yaml_problem(path, error)]) from None


def _yaml_problem(path: Path, error: MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (error.problem or "invalid YAML").strip()
    if "found duplicate key" in problem:
        key = problem.split('"')[1] if '"' in problem else ""
        first = error.context_mark
        where = f" (first at line {first.line + 1})" if first else ""
        message = f"duplicate key '{key}'{where}: keep one"
    elif "'\\t'" in problem or "\t" in problem:
        message = "a tab character is used for indentation: indent with spaces"
    else:
        context = f"{error.context.strip()}: " if error.context else ""
        message = f"invalid YAML: {context}{problem}"
    return Problem(str(path), line, column, message)


def _record_positions(node: Any, location: tuple[Any, ...], positions: dict[tuple[Any, ...], Position]) -> None:
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            key_line, key_column, value_line, value_column = node.lc.data[key]
            child = (*location, key)
            # Scalars and flow collections: point at the value; block collections: at the key.
            if isinstance(value, (CommentedMap, CommentedSeq)) and value_line != key_line:
                positions[child] = (key_line + 1, key_column + 1)
            else:
                positions[child] = (value_line + 1, value_column + 1)
            _record_positions(value, child, positions)
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            line, column = node.lc.data[index]
            positions[(*location, index)] = (line + 1, column + 1)
            _record_positions(value, (*location, index), positions)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return f"a {type(value).__name__}"
