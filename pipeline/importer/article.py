"""A read document -> the source's mapping, in the README's key order, and its findings.

Nothing is invented: a part the document lacks is left out and reported (the validator then
names the same gap); every block that is neither placed nor chrome is reported.
"""

from __future__ import annotations

from typing import Any

from pipeline.importer import chrome, dates, faq, front, parts, references, sections
from pipeline.importer.document import Document
from pipeline.importer.findings import Findings, shown
from pipeline.importer.words import for_language, heading_languages
from pipeline.model.rules import is_language_tag


def source(document: Document, lang: str | None = None) -> tuple[dict[str, Any], Findings]:
    findings = Findings(str(document.path))
    lang = _language(document, lang, findings)
    words = for_language(lang)
    blocks = chrome.without_chrome(document.blocks, words, findings)
    blocks, found_dates = dates.without_dates(blocks, words)
    blocks = parts.bold_lines_as_headings(document, blocks, findings)
    split = parts.split(document, blocks, words, findings)
    data: dict[str, Any] = {}
    if split.title:
        data["title"] = split.title.markup
    if split.subtitle:
        data["subtitle"] = split.subtitle.markup
    if lang:
        data["lang"] = lang
    closing = front.disclaimer(split, words, findings)
    opening = front.introduction_and_summary(split, findings)
    data |= opening
    if "summary" not in opening:
        findings.warn(
            split.title.line if split.title else 1, "the document has no summary (a paragraph before the first heading, or under 'Summary'): write summary:", ("summary",)
        )
    data["key_points"] = front.key_points(split.named("key_points"), findings)
    if not data["key_points"]:
        findings.warn(_first_heading_line(split), "the document has no key points (a list under 'Key points' or 'At a glance'): write key_points:", ("key_points",))
    data["sections"] = sections.sections(split.named("section"), findings)
    if not data["sections"]:
        findings.warn(_first_heading_line(split), "the document has no sections (headings with text under them): write sections:", ("sections",))
    data["faq"] = [entry for part in split.named("faq") for entry in faq.entries(part.blocks, words, findings)]
    data["references"] = [item for part in split.named("references") for item in references.references(part.blocks, findings, part.heading.line if part.heading else 1)]
    data |= closing
    data |= dates.source_dates(found_dates, findings)
    for part in split.named("disclaimer"):
        for block in part.blocks:
            findings.warn(
                block.line,
                f"{shown(block.plain or part.kind)} under {shown(part.heading.plain if part.heading else part.kind)} has no place in a source: move it into a section",
            )
    return {key: value for key, value in data.items() if value not in ([], None, "")}, findings


def _language(document: Document, option: str | None, findings: Findings) -> str | None:
    lang = option or document.meta.get("lang")
    if lang:
        if not is_language_tag(lang):
            findings.warn(1, f"the language {shown(lang)} is not a BCP 47 tag: write lang: (e.g. en, es-419)", ("lang",))
            return None
        return lang
    named = heading_languages([block.plain for block in document.blocks if block.kind == "Header"])
    if named:
        findings.warn(1, f"the document does not say its language; its headings are {named[0]!r}: check lang: {named[0]} (or pass --lang)", ("lang",))
        return named[0]
    findings.warn(1, "the document does not say its language: write lang: (e.g. en), or pass --lang", ("lang",))
    return None


def _first_heading_line(split: parts.Parts) -> int:
    return next((part.heading.line for part in split.parts if part.heading), 1)
