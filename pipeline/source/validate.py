"""Parsed source -> Article, or every problem at once, each pointing at its line and column.

Two passes: the typed model (types, required and unknown keys, text rules), then the rules
that span fields (table shape, duplicates, dates, size limits). The second pass runs only
on a well-typed article, so each problem is reported once, where it is.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from pipeline import model
from pipeline.model import markup, rules, walk
from pipeline.source import placeholders
from pipeline.source.limits import Limits
from pipeline.source.load import load
from pipeline.source.positions import Document
from pipeline.source.problems import Problem, SourceError, kind_of
from pipeline.text import sentences

ARTICLE_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
RESERVED_ON_WINDOWS = re.compile(r"(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?", re.IGNORECASE)
"""Names Windows gives to devices, in any case and with any extension: a file `con.yaml` or
`outputs/con/` cannot be made or opened there, so a leaflet with that id could not be shared."""


MAX_REPORTED = 100
"""Problems shown per file; a generated file with thousands would only bury the first."""


def load_article(path: Path, limits: Limits | None = None) -> model.Article:
    """Load, validate and build the article in `path`; raise SourceError listing every problem."""
    return load_document(path, limits)[1]


def load_document(path: Path, limits: Limits | None = None) -> tuple[Document, model.Article]:
    """As `load_article`, with the parsed source too, for checks that point into the file."""
    limits = limits or Limits()
    document = load(path, limits)
    problems = list(_id_problems(path))
    for key, why in NOT_SOURCE_KEYS.items():
        if key in document.data:
            problems.append(document_problem(document, (key,), f"unknown key '{key}': {why}; remove the key"))
    left = dict(placeholders.left(document.data))
    problems += [document_problem(document, location, placeholders.message(location, found)) for location, found in left.items()]
    try:
        article = model.Article.model_validate({**document.data, "id": path.stem})
    except ValidationError as error:
        causes = _without_misspelt(_first_causes(error.errors()))
        problems += [_from_pydantic(document, item) for item in causes if not placeholders.within(_file_location(item["loc"]), set(left))]
        raise _reported(problems) from None
    across = [(location, message) for location, message in rule_problems(article, limits) if not placeholders.within(location, set(left))]
    problems += [document_problem(document, location, message) for location, message in across]
    if problems:
        raise _reported(problems)
    return document, article


def _reported(problems: list[Problem]) -> SourceError:
    """Every problem, or the first MAX_REPORTED and one line saying how many more there are."""
    problems = sorted(problems)
    if len(problems) <= MAX_REPORTED:
        return SourceError(problems)
    first_hidden = problems[MAX_REPORTED]
    more = Problem(
        first_hidden.file, first_hidden.line, first_hidden.column, f"{len(problems) - MAX_REPORTED:,} more problems not shown: fix these first"
    )
    return SourceError([*problems[:MAX_REPORTED], more])


def document_problem(document: Document, location: tuple[Any, ...], message: str) -> Problem:
    line, column = document.position(location)
    return Problem(str(document.path), line, column, message, walk.dotted_path(location))


def article_id_problem(article_id: str) -> str | None:
    """Why `article_id` cannot name an article (its files and folders, on every system) and
    what to do, for a message "... is not a usable article id: {why} (e.g. ...)"; None if it can."""
    if not ARTICLE_ID.fullmatch(article_id):
        return "use lower-case letters, digits and hyphens"
    if RESERVED_ON_WINDOWS.fullmatch(article_id):
        return "Windows keeps the name for a device, so the files could not be opened there: choose another"
    return None


def _id_problems(path: Path) -> Iterator[Problem]:
    why = article_id_problem(path.stem)
    if why:
        yield Problem(str(path), 1, 1, f"the file name '{path.stem}' is not a usable article id: {why} (e.g. hard-muscles.yaml)")


def _first_causes(errors: list[Any]) -> list[Any]:
    """Drop 'is empty' errors that pydantic adds when every item of a list was itself invalid."""
    inside = {error["loc"][:length] for error in errors for length in range(len(error["loc"]))}
    return [error for error in errors if error["type"] != "too_short" or error["loc"] not in inside]


def _without_misspelt(errors: list[Any]) -> list[Any]:
    """Drop 'required key X is missing' where an unknown key beside it is X misspelt: one mistake, one message."""
    unknown = [error["loc"] for error in errors if error["type"] == "extra_forbidden"]

    def misspelt(location: tuple[Any, ...]) -> bool:
        siblings = [str(other[-1]) for other in unknown if other[:-1] == location[:-1]]
        return bool(difflib.get_close_matches(str(location[-1]), siblings, n=1))

    return [error for error in errors if error["type"] != "missing" or not misspelt(error["loc"])]


def _from_pydantic(document: Document, error: Any) -> Problem:
    location = _file_location(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        message = f"required key '{location[-1]}' is missing: add it"
    elif kind == "extra_forbidden":
        message = _unknown_key_message(location)
    elif kind in ("string_type", "model_type", "tuple_type", "dict_type", "model_attributes_type"):
        expected = {"string_type": "text"}.get(kind, "a list" if kind == "tuple_type" else "a mapping of keys")
        message = f"expected {expected}, found {_describe(value)}"
        if kind == "string_type" and isinstance(value, (bool, int, float)):
            message += ": put it in quotes if it is meant as text"
    elif kind == "too_short":
        message = "is empty: give at least one item"
    else:
        message = error["msg"]
    return document_problem(document, location, message)


def _file_location(location: tuple[Any, ...]) -> tuple[Any, ...]:
    """Pydantic names the block kind (a union tag) after `body[i]`; the file has no such key."""
    kept: list[Any] = []
    for index, part in enumerate(location):
        is_tag = index >= 2 and location[index - 2] == "body" and isinstance(location[index - 1], int)
        if not (is_tag and part in ("paragraph", "list", "table")):
            kept.append(part)
    return tuple(kept)


def _unknown_key_message(location: tuple[Any, ...]) -> str:
    key = str(location[-1])
    allowed = _allowed_keys(location[:-1])
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"allowed keys are {', '.join(allowed)}"
    return f"unknown key {rules.quoted(key)}: {hint}"


def _allowed_keys(parent: tuple[Any, ...]) -> list[str]:
    node: type[BaseModel] = model.Article
    names = [part for part in parent if not isinstance(part, int)]
    for index, part in enumerate(names):
        if part == "body":
            # A block's only key names its kind; the keys inside are that kind's.
            kind = names[index + 1] if index + 1 < len(names) else None
            if kind not in _BLOCK_MODELS:
                return list(_BLOCK_MODELS)
            node = _BLOCK_MODELS[kind]
            continue
        field = node.model_fields.get(part)
        annotation = getattr(field, "annotation", None)
        inner = next((arg for arg in getattr(annotation, "__args__", ()) if isinstance(arg, type) and issubclass(arg, BaseModel)), None)
        if inner is None and isinstance(annotation, type) and issubclass(annotation, BaseModel):
            inner = annotation
        if inner is None:
            break
        node = inner
    return [field.alias or name for name, field in node.model_fields.items() if name not in NOT_SOURCE_KEYS]


_BLOCK_MODELS: dict[str, type[BaseModel]] = {"list": model.BulletList, "table": model.TableBlock}
NOT_SOURCE_KEYS = {
    "id": "the article id is the file name",
    "issuer": "who issues the leaflet is set in [tool.pipeline.publisher] of pyproject.toml",
}
"""Fields the build sets, never written in a source, and where each comes from instead."""


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{kind_of(value)} ({str(value).lower()})"
    return kind_of(value) + (f" ({value!r})" if isinstance(value, (int, float)) else "")


# ---------------------------------------------------------------- rules across fields


def rule_problems(article: model.Article, limits: Limits) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(location, message) for each rule the typed model cannot express on its own."""
    if article.review_due <= article.published:
        yield ("review_due",), f"review date {article.review_due} is not after the publication date {article.published}: set a later review date"
    yield from limit_problems(article, limits)
    yield from _duplicates([(("faq", i, "question"), entry.question) for i, entry in enumerate(article.faq)], "question")
    sections = list(walk.all_sections(article))
    yield from _duplicates([((*numbered.location, "heading"), numbered.section.heading) for numbered in sections], "heading")
    for numbered in sections:
        for index, block in enumerate(numbered.section.body):
            if isinstance(block, model.TableBlock):
                yield from _table_problems((*numbered.location, "body", index, "table"), block.table)


def limit_problems(article: model.Article, limits: Limits) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(location, message) for each of `[tool.pipeline.limits]` the article passes: counts, depths and lengths."""
    yield from _count_problems(("key_points",), article.key_points, limits.max_key_points, "key points")
    yield from _count_problems(("faq",), article.faq, limits.max_faq, "questions")
    yield from _count_problems(("references",), article.references, limits.max_references, "references")
    count = 0
    for numbered in walk.all_sections(article):
        location, section, depth = numbered.location, numbered.section, numbered.depth
        count += 1
        if depth > limits.max_section_depth:
            yield location, f"sections are nested {depth} deep; the limit is {limits.max_section_depth}: move this section up a level"
        yield from _count_problems((*location, "body"), section.body, limits.max_blocks, "blocks")
        for index, block in enumerate(section.body):
            yield from _block_limit_problems((*location, "body", index), block, limits)
    if count > limits.max_sections:
        yield ("sections",), f"{count} sections; the limit is {limits.max_sections}: split the article"
    yield from _length_problems(article, limits)


def _block_limit_problems(location: tuple[Any, ...], block: Any, limits: Limits) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(block, model.BulletList):
        yield from _count_problems((*location, "list"), block.items, limits.max_list_items, "list items")
    elif isinstance(block, model.TableBlock):
        here = (*location, "table")
        yield from _count_problems((*here, "columns"), block.table.columns, limits.max_table_columns, "columns")
        yield from _count_problems((*here, "rows"), block.table.rows, limits.max_table_rows, "rows")


def _table_problems(here: tuple[Any, ...], table: model.Table) -> Iterator[tuple[tuple[Any, ...], str]]:
    yield from _duplicates([((*here, "columns", i), column) for i, column in enumerate(table.columns)], "column name")
    for index, row in enumerate(table.rows):
        if len(row) != len(table.columns):
            yield (*here, "rows", index), f"row has {len(row)} {'cell' if len(row) == 1 else 'cells'} but the table has {len(table.columns)} columns: give one cell per column"


def _count_problems(location: tuple[Any, ...], items: tuple[Any, ...], limit: int, what: str) -> Iterator[tuple[tuple[Any, ...], str]]:
    if len(items) > limit:
        yield location, f"{len(items)} {what}; the limit is {limit}: shorten it"


def _duplicates(items: list[tuple[tuple[Any, ...], str]], what: str) -> Iterator[tuple[tuple[Any, ...], str]]:
    seen: dict[str, tuple[Any, ...]] = {}
    for location, value in items:
        key = sentences.fold_space(markup.plain(value)).casefold()
        if key in seen:
            yield location, f"duplicate {what} {rules.quoted(markup.plain(value))} (also at {walk.dotted_path(seen[key])}): make each one distinct"
        else:
            seen[key] = location


def _length_problems(article: model.Article, limits: Limits) -> Iterator[tuple[tuple[Any, ...], str]]:
    def walk(node: Any, location: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
        if isinstance(node, str):
            if len(node) > limits.max_text_chars:
                yield location, f"text is {len(node):,} characters; the limit is {limits.max_text_chars:,}: split it into paragraphs"
        elif isinstance(node, tuple):
            for index, item in enumerate(node):
                yield from walk(item, (*location, index))
        elif isinstance(node, BaseModel):
            for name, field in type(node).model_fields.items():
                yield from walk(getattr(node, name), (*location, field.alias or name))

    yield from walk(article, ())
