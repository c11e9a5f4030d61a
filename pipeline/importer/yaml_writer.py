"""The source as YAML the way the README writes it: its key order, block style, long text
folded at 88 columns (`>-`), short table rows in brackets, dates bare, and each warning as a
`# import:` comment where the author acts on it. The same input gives the same bytes.
Comments are one line each, whatever the file's name or the document holds (a name with a
new line in it is written `\\n`, so it can never become a key)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

from pipeline.importer.findings import Finding, Location
from pipeline.model import Article
from pipeline.model.rules import escaped

WIDTH = 88
MARK = "import: "
SOURCE_KEYS = tuple(name for name in Article.model_fields if name != "id")


def dump(data: dict[str, Any], findings: list[Finding], origin: str) -> str:
    root = _node(data, 0, 0, root=True)
    places: dict[tuple[str, int, Any], tuple[tuple[str, int, Any, int], list[str]]] = {}
    for finding in findings:
        if finding.at and finding.severity == "warning":
            anchor = _mark(root, finding.at)
            key = (anchor[0], anchor[1], anchor[2][1] if anchor[0] == "key" else None)
            places.setdefault(key, (anchor, []))[1].append(MARK + escaped(finding.message))
    tail = []
    for anchor, messages in places.values():
        if anchor[0] == "end":
            tail += messages
        else:
            _place(anchor, "\n".join(messages))
    yaml = YAML()
    yaml.width = WIDTH
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(root, out)
    header = f"# Imported from {escaped(origin)} by `pipeline import`."
    if any(finding.at for finding in findings):
        header += " Act on each `# import:` comment, then delete it."
    end = "".join(f"# {line}\n" for line in tail)
    return f"{header}\n{out.getvalue()}{end}"


def _node(value: Any, column: int, indent: int, root: bool = False) -> Any:
    """`value` for ruamel; `column` is where it starts (a mapping's keys, a list's dashes, a
    text's first character), `indent` where a folded text's lines start. Only the root's
    keys are put in order: below it, the mapping already holds the README's order."""
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key in sorted(value, key=_key_order) if root else value:
            child = value[key]
            mapping[key] = _node(child, column + (2 if isinstance(child, (dict, list)) else len(key) + 2), column + 2)
        return mapping
    if isinstance(value, list):
        sequence = CommentedSeq(_node(item, column + 2, column + 2) for item in value)
        if value and all(isinstance(item, str) for item in value) and _fits_in_brackets(value, column):
            sequence.fa.set_flow_style()
        return sequence
    if isinstance(value, str):
        if value.isascii() and len(value) == 10 and _is_iso_date(value):
            return dt.date.fromisoformat(value)
        if column + len(value) > WIDTH and " " in value and value == value.strip():
            return _folded(value, WIDTH - indent)
    return value


def _folded(value: str, width: int) -> FoldedScalarString:
    """`value` as `>-`, its lines broken at single spaces so none is longer than `width`."""
    folded = FoldedScalarString(value)
    breaks, line_start, last_space = [], 0, None
    for position, char in enumerate(value):
        if char == " " and value[position - 1] != " " and value[position + 1 : position + 2] not in (" ", ""):
            if position - line_start > width and last_space is not None:
                breaks.append(last_space)
                line_start = last_space + 1
            last_space = position
    if len(value) - line_start > width and last_space is not None and last_space > line_start:
        breaks.append(last_space)
    folded.fold_pos = breaks  # type: ignore[attr-defined]
    return folded


def _key_order(key: str) -> int:
    return SOURCE_KEYS.index(key) if key in SOURCE_KEYS else len(SOURCE_KEYS)


def _fits_in_brackets(items: list[str], column: int) -> bool:
    """A row short enough for one line: `[Remedy, How often]`, as the README writes tables."""
    return column + 4 + sum(len(item) + 4 for item in items) <= WIDTH


def _is_iso_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return value[4] == "-"


def _mark(root: CommentedMap, at: Location) -> tuple[str, int, Any, int]:
    """Where the comment for `at` goes: ("start", id, a list item's mapping, column) before its
    dash, ("key", id, mapping, column) before one of its keys, ("end", ...) at the end of
    the file. A missing key is marked where it would go."""
    trail: list[Any] = [root]
    steps: list[Any] = []
    for step in at:
        node = trail[-1]
        if not (step in node if isinstance(node, dict) else isinstance(step, int) and step < len(node)):
            break
        steps.append(step)
        trail.append(node[step])
    while len(trail) > 1:
        target, parent = trail[-1], trail[-2]
        if isinstance(target, dict) and isinstance(parent, list):
            return "start", id(target), target, 2 * (len(trail) - 2)
        if isinstance(parent, dict):
            first_of_item = len(trail) > 2 and isinstance(trail[-3], list) and steps[-1] == next(iter(parent))
            if first_of_item:  # ruamel writes a comment before an item's first key after its dash
                return "start", id(parent), parent, 2 * (len(trail) - 3)
            return "key", id(parent), (parent, steps[-1]), 2 * (len(trail) - 2)
        trail.pop()
        steps.pop()
    later = [key for key in root if _key_order(key) > _key_order(at[0])]
    if later:
        return "key", id(root), (root, later[0]), 0
    return "end", 0, None, 0


def _place(anchor: tuple[str, int, Any, int], comment: str) -> None:
    kind, _identity, target, column = anchor
    if kind == "start":
        target.yaml_set_start_comment(comment, indent=column)
    elif kind == "key":
        mapping, key = target
        mapping.yaml_set_comment_before_after_key(key, before=comment, indent=column)
