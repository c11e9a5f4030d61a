"""Renderer options as a build chooses them: each renderer declares its own, and a value reaches
only the renderers that declare that name.

Values come from three places, each able to set a name for every renderer declaring it or for
one renderer alone (the latter wins within a place): the command line (`--NAME VALUE`,
`--option RENDERER.NAME=VALUE`), the article (`options: {voice: cy}`, `options: {pdf:
{max_pages: 6}}`) and the project (`[tool.pipeline.options]`, `[tool.pipeline.options.RENDERER]`). The
command line wins over the article, the article over the project, the project over the
renderer's own default. Values are checked where they are written, so a mistake is reported
with its place: a flag, a source's line, or pyproject.toml's line.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline import settings
from pipeline.model import Article
from pipeline.registry import Option, Renderer
from pipeline.source.positions import Document
from pipeline.source.problems import Problem
from pipeline.source.validate import document_problem


class OptionError(ValueError):
    """An option value no renderer can take; `where` is the flag to name in the message."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where


def flag(key: str) -> str:
    return f"--{key.replace('_', '-')}"


@dataclass(frozen=True)
class Given:
    """Option values written in one place, as text: `shared` for every renderer declaring the
    name, `own` for one renderer; `where(renderer, key)` names the place in a message."""

    shared: Mapping[str, str] = field(default_factory=dict)
    own: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    where: Callable[[str, str], str] = lambda renderer, key: f"{renderer}.{key}"

    def value(self, renderer: str, key: str) -> str | None:
        return self.own.get(renderer, {}).get(key, self.shared.get(key))


def declared(renderers: Iterable[Renderer]) -> dict[str, list[tuple[str, Option]]]:
    """Each option name -> the (renderer, option) pairs that declare it, in the renderers' order."""
    found: dict[str, list[tuple[str, Option]]] = {}
    for renderer in renderers:
        for key, option in renderer.options.items():
            found.setdefault(key, []).append((renderer.name, option))
    return found


def command_line(shared: Mapping[str, str | None], assignments: Sequence[str], renderers: Iterable[Renderer]) -> Given:
    """The `--NAME VALUE` flags given and the `--option RENDERER.NAME=VALUE` assignments."""
    own = scoped(assignments, renderers)
    return Given(
        {key: raw for key, raw in shared.items() if raw is not None},
        own,
        lambda renderer, key: f"--option {renderer}.{key}" if key in own.get(renderer, {}) else flag(key),
    )


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


def choose(renderer: Renderer, places: Sequence[Given]) -> dict[str, Any]:
    """The renderer's options: from the first place (highest first) that sets each, else its default."""
    chosen = {}
    for key, option in renderer.options.items():
        place = next((place for place in places if place.value(renderer.name, key) is not None), None)
        try:
            chosen[key] = option.default if place is None else option.read(place.value(renderer.name, key) or "")
        except ValueError as error:
            raise OptionError(place.where(renderer.name, key) if place else flag(key), str(error)) from None
    return chosen


def as_text(value: Any) -> str:
    """A setting's value as the command line would give it: options read text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise ValueError("expected one value: text, a number, true or false")


# ---------------------------------------------------------------- the project's defaults


def project(renderers: Sequence[Renderer], pyproject: Path = settings.PYPROJECT) -> Given:
    """`[tool.pipeline.options]` and its `[tool.pipeline.options.RENDERER]` tables, checked
    against every installed renderer's options: settings.SettingsError names each mistake's line."""
    by_name = {renderer.name: renderer for renderer in renderers}
    top = settings.table("options", pyproject)
    headers = {name: settings.table(f"options.{name}", pyproject).lines.get("") for name, value in top.values.items() if isinstance(value, dict)}
    top = replace(top, lines={**{name: line for name, line in headers.items() if line}, **top.lines})  # a table's mistakes at its header
    tables = dict.fromkeys(by_name, _renderer_table)
    own, problems = {}, []
    try:
        shared = top.read({**{key: _shared_reader(owners) for key, owners in declared(renderers).items()}, **tables})
    except settings.SettingsError as error:
        shared = {}
        problems.append(str(error))
    for name in [name for name, value in top.values.items() if name in tables and isinstance(value, dict)]:
        try:
            own[name] = settings.table(f"options.{name}", pyproject).read({key: _reader(option) for key, option in by_name[name].options.items()})
        except settings.SettingsError as error:
            problems.append(str(error))
    if problems:
        raise settings.SettingsError("\n".join(problems))
    return Given({key: value for key, value in shared.items() if key not in tables}, own)


def _renderer_table(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError("expected a table of the renderer's options, e.g. [tool.pipeline.options.pdf] paper = \"letter\"")
    return value


def _reader(option: Option) -> settings.Reader:
    def read(value: Any) -> str:
        text = as_text(value)
        option.read(text)
        return text

    return read


def _shared_reader(owners: list[tuple[str, Option]]) -> settings.Reader:
    def read(value: Any) -> str:
        text = as_text(value)
        for name, option in owners:
            try:
                _reader(option)(value)
            except ValueError as error:
                raise ValueError(f"{error} (for {name})") from None
        return text

    return read


# ---------------------------------------------------------------- an article's own


def article(chosen: Article) -> Given:
    """The article's `options:`, already checked by `article_problems`."""
    shared = {key: as_text(value) for key, value in chosen.options.items() if not isinstance(value, dict)}
    own = {name: {key: as_text(value) for key, value in table.items()} for name, table in chosen.options.items() if isinstance(table, dict)}
    return Given(shared, own)


def article_problems(document: Document, chosen: Article, renderers: Sequence[Renderer]) -> list[Problem]:
    """Each option of the article no installed renderer declares or can take, at its line."""
    by_name = {renderer.name: renderer for renderer in renderers}
    owners = declared(renderers)
    found = []
    for key, value in chosen.options.items():
        if isinstance(value, dict):
            if key not in by_name:
                found.append(((key,), _unknown(f"no renderer '{key}' is installed", key, list(by_name))))
                continue
            for name, item in value.items():
                option = by_name[key].options.get(name)
                missing = f"renderer '{key}' has no option '{name}'"
                problem = _unknown(missing, name, list(by_name[key].options)) if option is None else _value_problem([(key, option)], item)
                if problem:
                    found.append(((key, name), problem))
        else:
            missing = f"no installed renderer has an option '{key}'"
            problem = _unknown(missing, key, list(owners)) if key not in owners else _value_problem(owners[key], value)
            if problem:
                found.append(((key,), problem))
    return [document_problem(document, ("options", *location), message) for location, message in found]


def _unknown(missing: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"{missing}: " + (f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(known)) or 'none'}")


def _value_problem(owners: list[tuple[str, Option]], value: Any) -> str | None:
    try:
        _shared_reader(owners)(value)
    except ValueError as error:
        return str(error)
    return None
