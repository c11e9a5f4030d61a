"""Leaflets made from articles, as a clinic would hold them, for the importer's tests: Markdown
written from the model, turned into Word and OpenDocument by pandoc; the web edition's page."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pypandoc

from pipeline.model import Article, BulletList, Section, TableBlock
from pipeline.source.validate import load_article


def markdown(article: Article) -> str:
    """The article as Markdown (pandoc's), its parts under the headings leaflets use."""
    lines = ["---", f"title: {_quoted(article.title)}"]
    lines += [f"subtitle: {_quoted(article.subtitle)}"] if article.subtitle else []
    lines += [f"lang: {article.lang}", "---", "", f"Published: {article.published.isoformat()}. Review date: {article.review_due.isoformat()}.", ""]
    lines += [article.introduction, ""] if article.introduction else []
    lines += ["# Summary", "", article.summary, "", "# Key points", ""]
    lines += [f"- **{point.title}:** {point.text}" for point in article.key_points] + [""]
    for section in article.sections:
        lines += _section(section, 1)
    if article.faq:
        lines += ["# Frequently asked questions", ""]
        for entry in article.faq:
            lines += [f"## {entry.question}", "", entry.answer, ""]
    if article.references:
        lines += ["# References", ""]
        for number, reference in enumerate(article.references, start=1):
            publisher = f" {reference.publisher}." if reference.publisher else ""
            lines.append(f"{number}. *{reference.title}*.{publisher} <{reference.url}>")
        lines.append("")
    lines += ["# Medical disclaimer", "", article.disclaimer, ""]
    return "\n".join(lines)


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _section(section: Section, level: int) -> list[str]:
    lines = ["#" * level + " " + section.heading, ""]
    for block in section.body:
        if isinstance(block, BulletList):
            lines += [f"- {item}" for item in block.items] + [""]
        elif isinstance(block, TableBlock):
            table = block.table
            lines += [f"Table: {table.caption}", "", _row(table.columns), "|" + "---|" * len(table.columns)]
            lines += [_row(row) for row in table.rows] + [""]
        else:
            lines += [block, ""]
    for child in section.sections:
        lines += _section(child, level + 1)
    return lines


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def office_file(article: Article, folder: Path, extension: str) -> Path:
    """The article as a Word (.docx) or OpenDocument (.odt) file, written by pandoc."""
    source = folder / f"{article.id}.md"
    source.write_text(markdown(article), encoding="utf-8")
    target = folder / f"{article.id}{extension}"
    subprocess.run([pypandoc.get_pandoc_path(), "--from", "markdown-smart", str(source), "--output", str(target)], check=True)
    return target


def web_page(article: Article, folder: Path) -> Path:
    """The web edition's page (with its player and chapter links, the page's own chrome)."""
    from pipeline.renderers import web

    path = folder / f"{article.id}.html"
    chapters = [("Opening", 0), ("Key points", 12_000)]
    path.write_text(web.page(article, chapters, f"{article.id}.mp3", f"{article.id}.vtt"), encoding="utf-8")
    return path


def imported_article(yaml_text: str, folder: Path, article_id: str) -> Article:
    """The imported source, loaded and validated as `pipeline validate` does."""
    path = folder / "imported" / f"{article_id}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml_text, encoding="utf-8")
    return load_article(path)
