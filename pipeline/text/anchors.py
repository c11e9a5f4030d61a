"""Ids of the text a narration reads, shared by the spoken script and the HTML builder.

A read-along e-book highlights the words being spoken. For that, each spoken sentence
(`speech.Unit.target`) names the element that shows it, and the HTML builder, asked to mark
those ids, puts them on the same text: a `<span>` per sentence of running text, a heading's
words as one span, a table row as its `<tr>`. Both sides build the ids here from the same
place in the article, so they cannot drift apart. Every id starts with PREFIX, which no other
id of the builder uses.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.model.markup import plain

PREFIX = "r-"
TITLE = "r-title"
SUBTITLE = "r-subtitle"
READING_TIME = "r-reading-time"
INTRODUCTION = "r-introduction"
SUMMARY_LABEL = "r-summary-label"
SUMMARY = "r-summary"
KEY_POINTS_LABEL = "r-key-points-label"
FAQ_LABEL = "r-faq-label"
REFERENCES_LABEL = "r-references-label"
DISCLAIMER_LABEL = "r-disclaimer-label"
DISCLAIMER = "r-disclaimer"
CONTACT_LABEL = "r-contact-label"


def sentence(base: str, index: int) -> str:
    """Sentence `index` (from 0) of the text whose id is `base`."""
    return f"{base}-{index + 1}"


KEY_POINT, FAQ, REFERENCE = "kp", "faq", "ref"


def entry(kind: str, index: int, part: str) -> str:
    """A part of entry `index` of the article's KEY_POINTs ('title', 'text'), FAQ
    ('question', 'answer') or REFERENCEs ('title', 'publisher')."""
    return f"r-{kind}{index + 1}-{part}"


def heading(number: str) -> str:
    """The heading of section `number` ('2.1')."""
    return f"r-s{number}-h"


def block(number: str, index: int) -> str:
    """Block `index` of section `number`: a paragraph's id; a list's or table's parts are below it."""
    return f"r-s{number}-b{index + 1}"


def part(block_id: str, name: str, index: int | None = None) -> str:
    """A part of a block: a list's 'item' n; a table's 'caption', 'columns' (its header row,
    read as 'The table has N columns: ...') or 'row' n."""
    return f"{block_id}-{name}" if index is None else f"{block_id}-{name}{index + 1}"


def slug(value: str) -> str:
    folded = unicodedata.normalize("NFKD", plain(value)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "section"
