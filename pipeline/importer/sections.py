"""Section headings and their levels -> the source's nested sections (three levels at most)."""

from __future__ import annotations

from typing import Any

from pipeline.importer import blocks
from pipeline.importer.findings import Findings, shown
from pipeline.importer.parts import Part

MAX_DEPTH = 3


def sections(parts: list[Part], findings: Findings) -> list[dict[str, Any]]:
    """Each section part nested under the last shallower one; a skipped level counts as one."""
    top: list[dict[str, Any]] = []
    open_sections: list[tuple[int, dict[str, Any], tuple[Any, ...]]] = []  # (level, section, location)
    for part in parts:
        assert part.heading is not None
        while open_sections and open_sections[-1][0] >= part.level:
            open_sections.pop()
        if len(open_sections) >= MAX_DEPTH:
            findings.warn(
                part.heading.line,
                f"section {shown(part.heading.plain)} is nested {len(open_sections) + 1} deep; a source holds {MAX_DEPTH} levels: it is placed at level {MAX_DEPTH}",
            )
            open_sections = open_sections[: MAX_DEPTH - 1]
        siblings = open_sections[-1][1].setdefault("sections", []) if open_sections else top
        location = (*open_sections[-1][2], "sections", len(siblings)) if open_sections else ("sections", len(siblings))
        heading = blocks.prose(part.heading.inlines, part.heading.line, findings, "a heading")
        section: dict[str, Any] = {"heading": heading}
        body = blocks.body(part.blocks, findings, location, part.heading.plain)
        if body:
            section["body"] = body
        siblings.append(section)
        open_sections.append((part.level, section, location))
    return [_ordered(section) for section in top]


def _ordered(section: dict[str, Any]) -> dict[str, Any]:
    """heading, body, sections: the order the README shows (subsections are added last)."""
    ordered = {key: section[key] for key in ("heading", "body") if key in section}
    if "sections" in section:
        ordered["sections"] = [_ordered(child) for child in section["sections"]]
    return ordered
