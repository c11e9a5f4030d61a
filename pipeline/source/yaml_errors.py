"""The YAML parser's complaints, reworded for the clinician who wrote the file.

ruamel.yaml says "while parsing a flow sequence: expected ',' or ']', but got ':'" and points
at the line after the mistake. A writer needs "this [ is never closed", at the bracket. Each
rule below matches one family of parser messages and says which mark is the better place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ruamel.yaml.error import MarkedYAMLError

from pipeline.source.problems import Problem


@dataclass(frozen=True)
class _Rule:
    problem: str  # regular expression searched in the parser's problem text
    context: str  # regular expression searched in its context text ("" matches any)
    message: str  # a str.format template: may use {char} and {problem}; literal braces doubled
    at_context: bool = False  # point at where the construct began, not where parsing failed


_RULES = (
    _Rule(r"expected ',' or '\]'", r"flow sequence", "this [ is never closed: add the matching ], or put text holding ', ' or ': ' in quotes", True),
    _Rule(r"expected ',' or '\}'", r"flow mapping", "this {{ is never closed: add the matching }}, or put text holding ', ' or ': ' in quotes", True),
    _Rule(r"end of stream", r"quoted scalar", "this quoted text is never closed: add the closing quote", True),
    _Rule(r"unknown escape character", r"", "{problem} in double-quoted text: write \\\\ for a backslash, or use single quotes"),
    _Rule(r"mapping values are not allowed", r"", "unexpected ':' here: put text that holds ': ' in quotes, or check the indentation"),
    _Rule(r"could not find expected ':'", r"simple key", "this line is neither 'key: value' nor a list item: add the key, or indent it as part of the text above", True),
    _Rule(r"expected <block end>", r"", "this line does not line up with the lines above it: check its indentation"),
    _Rule(r"another document", r"", "a second document starts here: one file holds one article; remove the '---' or '...' line"),
    _Rule(r"found character '(?P<char>.)' that cannot start any token", r"", "text cannot start with '{char}': put the text in quotes"),
)


def problem_from(path: str, error: MarkedYAMLError, source: str) -> Problem:
    """One Problem, at the most useful position, for a parser or constructor error."""
    problem = (error.problem or "invalid YAML").strip()
    context = (error.context or "").strip()
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if "\t" in problem or "'\\t'" in problem:
        return Problem(path, line, column, _tab_message(source, line, column))
    if "found duplicate key" in problem:
        key = problem.split('"')[1] if '"' in problem else ""
        return Problem(path, line, column, f"duplicate key '{key}': keep one")
    for rule in _RULES:
        found = re.search(rule.problem, problem)
        if found and re.search(rule.context, context):
            if rule.at_context and error.context_mark:
                line, column = error.context_mark.line + 1, error.context_mark.column + 1
            return Problem(path, line, column, rule.message.format(char=found.groupdict().get("char"), problem=problem))
    return Problem(path, line, column, f"invalid YAML: {context + ': ' if context else ''}{problem}")


def _tab_message(source: str, line: int, column: int) -> str:
    lines = source.split("\n")
    before = lines[line - 1][: column - 1] if line <= len(lines) else ""
    if before.strip():
        return "a tab character is not allowed here: replace it with a space"
    return "a tab character is used for indentation: indent with spaces"
