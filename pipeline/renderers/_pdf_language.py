"""Language of parts in a tagged PDF: the structure element of an HTML element that has its
own `lang` gets that language as /Lang (PDF/UA-1 7.2, WCAG 3.1.2), so a screen reader speaks
the English words of a language without a catalogue (marked `lang="en"`) in English.

WeasyPrint 70 writes only the document's /Lang. It builds the structure tree in
`weasyprint.pdf.tags._build_box_tree`, one call per box, recursing through the module's
global name; wrapping that function sees every box with the structure elements made for it.
If a WeasyPrint release renames it, nothing is wrapped and the PDF loses only these /Lang
entries (tests/test_locale_outputs.py then fails, and says so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pydyf
from weasyprint.pdf import tags

_WRAPPED = "_pipeline_language_of_parts"


def install() -> bool:
    """Wrap WeasyPrint's structure builder once; False if this WeasyPrint has none to wrap."""
    original = getattr(tags, "_build_box_tree", None)
    if original is None:
        return False
    if not getattr(original, _WRAPPED, False):
        tags._build_box_tree = _with_language(original)
    return True


def _with_language(original: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    def build(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        lang = _own_language(box)
        for element in original(box, *args, **kwargs):
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    setattr(build, _WRAPPED, True)
    return build


def _own_language(box: Any) -> str | None:
    """The `lang` of the box's own element; the root's is the document's, set on the catalog."""
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in ("html", "body"):
        return None
    return element.get("lang")
