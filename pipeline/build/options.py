"""Renderer options as a build chooses them: each renderer declares its own, and a value reaches
only the renderers that declare that name.

`--NAME VALUE` sets NAME for every chosen renderer that declares it (`--paper letter` for both
PDF editions); `--option RENDERER.NAME=VALUE` sets it for one renderer alone, so two renderers
that declare one name with different meanings or defaults can be set apart
(`--max-pages 4 --option pdf-large.max_pages=0`). The scoped value wins over the shared one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pipeline.registry import Option, Renderer


class OptionError(ValueError):
    """An option value no renderer can take; `where` is the flag to name in the message."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where


def flag(key: str) -> str:
    return f"--{key.replace('_', '-')}"


def declared(renderers: Iterable[Renderer]) -> dict[str, list[tuple[str, Option]]]:
    """Each option name -> the (renderer, option) pairs that declare it, in the renderers' order."""
    found: dict[str, list[tuple[str, Option]]] = {}
    for renderer in renderers:
        for key, option in renderer.options.items():
            found.setdefault(key, []).append((renderer.name, option))
    return found


def scoped(assignments: Sequence[str], renderers: Iterable[Renderer]) -> dict[str, dict[str, str]]:
    """`RENDERER.NAME=VALUE` assignments, checked against what each renderer declares."""
    by_name = {renderer.name: renderer for renderer in renderers}
    chosen: dict[str, dict[str, str]] = {}
    for assignment in assignments:
        target, equals, raw = assignment.partition("=")
        name, dot, key = target.strip().rpartition(".")
        if not equals or not dot:
            raise OptionError("--option", f"'{assignment}' is not RENDERER.NAME=VALUE, e.g. pdf-large.max_pages=0")
        key = key.replace("-", "_")
        if name not in by_name:
            raise OptionError("--option", f"'{assignment}': no renderer '{name}' in this build; chosen: {', '.join(by_name)}")
        if key not in by_name[name].options:
            declared_here = ", ".join(by_name[name].options) or "none"
            raise OptionError("--option", f"'{assignment}': renderer '{name}' has no option '{key}'; its options: {declared_here}")
        chosen.setdefault(name, {})[key] = raw
    return chosen


def choose(renderer: Renderer, shared: Mapping[str, str | None], own: Mapping[str, str]) -> dict[str, Any]:
    """The renderer's options: its own scoped value, else the shared flag's, else its default."""
    chosen = {}
    for key, option in renderer.options.items():
        raw = own.get(key, shared.get(key))
        try:
            chosen[key] = option.default if raw is None else option.read(raw)
        except ValueError as error:
            where = f"--option {renderer.name}.{key}" if key in own else flag(key)
            raise OptionError(where, str(error)) from None
    return chosen
