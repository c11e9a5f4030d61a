"""The article, as every renderer sees it: typed, immutable, already validated.

The field names are the source format's key names, so a validation error's path in the
document is the path in this model. Rules that span several fields (table shape, duplicate
headings, date order, size limits) live in `validate.py`, which can point at the exact item.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    Tag,
)
from pydantic_core import PydanticCustomError

from pipeline.model import markup, rules


def _check_text(value: str) -> str:
    if not markup.plain(value).strip():
        raise PydanticCustomError("blank", "is blank: write the text, or remove the key if it is optional")
    found = rules.forbidden_character(value)
    if found is not None:
        raise PydanticCustomError("forbidden_character", found[1])
    problems = list(dict.fromkeys(markup.markup_problems(value)))
    if problems:  # every bad link of the text, not only the first: one round of fixes
        raise PydanticCustomError("markup", "; ".join(problems))
    return value


def _check_url(value: str) -> str:
    problem = rules.url_problem(value)
    if problem:
        raise PydanticCustomError("url", problem)
    return value


def _check_lang(value: str) -> str:
    if not rules.is_language_tag(value):
        raise PydanticCustomError(
            "lang", "{value} is not a BCP 47 language tag: write e.g. 'en', 'en-GB' or 'es-419'", {"value": rules.quoted(value)}
        )
    return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _to_date(value: Any) -> dt.date:
    """A date from the source's text (the loader keeps YAML dates as text)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                "date", "{value} is not a date in the calendar: check the month (01-12) and the day", {"value": rules.quoted(value)}
            ) from None
    shown = rules.quoted(value) if isinstance(value, str) else repr(value)
    raise PydanticCustomError("date", "expected a date written as YYYY-MM-DD, found {value}", {"value": shown})


def _is_setting(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def _check_option(value: Any) -> Any:
    """One renderer option's value (text, a number, true or false), or a table of one renderer's."""
    if _is_setting(value) or isinstance(value, dict) and value and all(_is_setting(item) for item in value.values()):
        return value
    raise PydanticCustomError("option", "expected a value (text, a number, true or false) or a mapping of one renderer's options, e.g. pdf: {max_pages: 6}")


Text = Annotated[str, Strict(), AfterValidator(_check_text)]
"""Prose with the inline markup `**strong**`, `*emphasis*` and `[text](https://...)`."""
Url = Annotated[str, Strict(), AfterValidator(_check_url)]
LanguageTag = Annotated[str, Strict(), AfterValidator(_check_lang)]
Date = Annotated[dt.date, BeforeValidator(_to_date)]
OptionValue = Annotated[Any, AfterValidator(_check_option)]
"""An option for every renderer declaring its name (`voice: cy`), or one renderer's (`pdf: {max_pages: 6}`)."""


class Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KeyPoint(Node):
    title: Text
    text: Text


class BulletList(Node):
    items: tuple[Text, ...] = Field(alias="list", min_length=1)


class Table(Node):
    caption: Text
    columns: tuple[Text, ...] = Field(min_length=1)
    rows: tuple[tuple[Text, ...], ...] = Field(min_length=1)


class TableBlock(Node):
    table: Table


def _block_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "paragraph"
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        return key if key in ("list", "table") else None
    if isinstance(value, (BulletList, TableBlock)):
        return "list" if isinstance(value, BulletList) else "table"
    return None


Block = Annotated[
    Annotated[Text, Tag("paragraph")] | Annotated[BulletList, Tag("list")] | Annotated[TableBlock, Tag("table")],
    Discriminator(
        _block_kind,
        custom_error_type="block",
        custom_error_message="a block must be a paragraph (text), a {list: [...]} or a {table: {caption, columns, rows}}",
    ),
]
"""A paragraph is a plain string; lists and tables are one-key mappings."""


class Section(Node):
    heading: Text
    body: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()


class FaqEntry(Node):
    question: Text
    answer: Text


class Reference(Node):
    title: Text
    publisher: Text | None = None
    url: Url


class Logo(Node):
    """The publisher's logo as read (and, for SVG, made safe) from the project: an image every
    edition that shows it embeds. Its bytes and digest stay out of the article's key: only the
    outputs that show the logo are keyed on it (`Renderer.shows_logo`)."""

    media_type: str
    alt: Text
    data: bytes = Field(exclude=True, repr=False)
    digest: str = Field(exclude=True)


class Issuer(Node):
    """Who issues the leaflet and how a patient reaches them: the project's publisher profile
    (`[tool.pipeline.publisher]`), named by the article's own `publisher:` where it has one."""

    name: Text
    logo: Logo | None = None
    phone: Text | None = None
    email: Text | None = None
    website: Url | None = None
    address: Text | None = None

    @property
    def has_contact(self) -> bool:
        return any((self.phone, self.email, self.website, self.address))


class Article(Node):
    id: str = Field(exclude=True)
    title: Text
    subtitle: Text | None = None
    lang: LanguageTag
    publisher: Text | None = None
    reference: Text | None = None
    """The clinic's leaflet code for its document control, e.g. PIL-0423."""
    version: Text | None = None
    issuer: Issuer | None = None
    """Not a source key: the build sets it from the project's settings (`source/publisher.py`)."""
    introduction: Text | None = None
    summary: Text
    key_points: tuple[KeyPoint, ...] = Field(min_length=1)
    sections: tuple[Section, ...] = Field(min_length=1)
    faq: tuple[FaqEntry, ...] = ()
    references: tuple[Reference, ...] = ()
    disclaimer: Text
    published: Date
    review_due: Date
    web_url: Url | None = None
    options: dict[str, OptionValue] = {}
    """Renderer options for this article alone; the build checks them against the renderers'."""

