"""Every word the braille edition adds to the article's own, in one place.

The team's rule is no literal labels in renderers: these move to the `pipeline.locale`
catalogue (one per language) when it lands; until then they are English in every language,
as the text edition's are.
"""

from __future__ import annotations

LABELS = {
    "summary": "Summary",
    "key_points": "Key points",
    "faq": "Questions and answers",
    "question": "Q",
    "answer": "A",
    "references": "References",
    "disclaimer": "Medical disclaimer",
    "published": "Published",
    "review_due": "Review due",
    "table": "Table",
    "columns": "Columns",
    "link": "Link",
    "preliminary_page": "p",
}


def label(key: str, lang: str) -> str:
    """The label `key` in language `lang` (English for now: see the module's docstring)."""
    return LABELS[key]
