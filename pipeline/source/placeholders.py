"""Placeholders: the `<<...>>` marks `pipeline new` leaves for the author to replace.

A source holding one is not an article yet: validation names each placeholder with its line,
and says nothing else about that value (a `<<YYYY-MM-DD>>` is not also "not a date").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pipeline import model
from pipeline.model.article import Node

MARK = re.compile(r"<<[^<>\n]*>>")


def mark(words: str) -> str:
    return f"<<{words}>>"


def left(data: Any, location: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(location, placeholder) for each value of the parsed source that still holds one."""
    if isinstance(data, str):
        found = MARK.search(data)
        if found:
            yield location, found[0]
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from left(value, (*location, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from left(value, (*location, index))


def message(location: tuple[Any, ...], placeholder: str) -> str:
    optional = "" if _required(location) else ", or remove the line if there is nothing to say"
    return f"placeholder {placeholder} is still here: replace it with your text{optional}"


def within(location: tuple[Any, ...], placeholders: set[tuple[Any, ...]]) -> bool:
    """Whether `location` is a placeholder's value or inside one."""
    return any(location[: len(found)] == found for found in placeholders)


def _required(location: tuple[Any, ...]) -> bool:
    """Whether the key at `location` must be there (a list item counts as its list's key)."""
    node: Any = model.Article
    required = True
    for part in location:
        if isinstance(part, int) or not (isinstance(node, type) and issubclass(node, Node)):
            continue
        field = node.model_fields.get(part) or next((item for item in node.model_fields.values() if item.alias == part), None)
        if field is None:
            return True
        required = field.is_required()
        node = next((arg for arg in _inner(field.annotation) if isinstance(arg, type) and issubclass(arg, Node)), None)
    return required


def _inner(annotation: Any) -> Iterator[Any]:
    """The types inside an annotation: Section in tuple[Section, ...], Reference in Reference | None."""
    yield annotation
    for argument in getattr(annotation, "__args__", ()):
        yield from _inner(argument)
