"""Every article, made into the files clinics hold (Word, OpenDocument, Markdown, the web
edition's page), imports back to the same article: every sentence, heading, list item, table
cell, question and answer, reference title and address."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT
from import_helpers import imported_article, markdown, office_file, web_page

from pipeline.importer import import_file
from pipeline.model import Article
from pipeline.source.validate import load_article

ARTICLES = sorted((ROOT / "source").glob("*.yaml")) + sorted((ROOT / "tests" / "golden" / "sources").glob("*.yaml"))


def _articles() -> list[Article]:
    return [load_article(path) for path in ARTICLES]


@pytest.fixture(params=[*ARTICLES, "minimal"], ids=lambda item: getattr(item, "stem", item))
def article(request: pytest.FixtureRequest, tmp_path: Path) -> Article:
    if request.param == "minimal":
        path = tmp_path / "cramps.yaml"
        path.write_text(MINIMAL, encoding="utf-8")
        return load_article(path)
    return load_article(request.param)


def _made(article: Article, folder: Path, kind: str) -> Path:
    if kind == "html":
        return web_page(article, folder)
    if kind == "md":
        path = folder / f"{article.id}.md"
        path.write_text(markdown(article), encoding="utf-8")
        return path
    return office_file(article, folder, f".{kind}")


@pytest.mark.parametrize("kind", ["docx", "html", "odt", "md"])
def test_article_imports_back_to_itself(article: Article, kind: str, tmp_path: Path) -> None:
    leaflet = _made(article, tmp_path, kind)
    imported = import_file(leaflet)
    assert [finding for finding in imported.findings.items if finding.severity == "warning"] == []
    again = imported_article(imported.yaml, tmp_path, article.id)
    assert again.model_dump() == article.model_dump()


def test_import_writes_the_same_bytes_every_run(tmp_path: Path) -> None:
    article = load_article(ARTICLES[0])
    leaflet = office_file(article, tmp_path, ".docx")
    assert import_file(leaflet).yaml == import_file(leaflet).yaml


def test_written_source_is_the_readme_format(tmp_path: Path) -> None:
    """Keys in the README's order, block style, folded long text, lines of at most 88 columns."""
    article = load_article(ARTICLES[0])
    yaml_text = import_file(web_page(article, tmp_path)).yaml
    keys = [line.split(":")[0] for line in yaml_text.splitlines() if line[:1].isalpha()]
    assert keys == ["title", "subtitle", "lang", "introduction", "summary", "key_points", "sections", "faq", "references", "disclaimer", "published", "review_due"]
    assert "introduction: >-\n  According to recent studies" in yaml_text
    assert "columns: [Nutrient, Primary muscle role, Potential deficiency symptom]" in yaml_text
    assert max(len(line) for line in yaml_text.splitlines() if not line.startswith("#")) <= 88
    assert "published: 2026-11-25\n" in yaml_text


LANGUAGE_ARTICLES = sorted((ROOT / "tests" / "articles" / "lang").glob("*.yaml"))


@pytest.mark.parametrize("path", LANGUAGE_ARTICLES, ids=lambda path: path.stem)
def test_a_web_page_the_pipeline_made_in_any_of_its_languages_imports_back(path: Path, tmp_path: Path) -> None:
    """The heading words, the dates line and the page's own furniture come from the catalogue
    of the page's language, so the importer knows them in all fifteen."""
    article = load_article(path)
    imported = import_file(_made(article, tmp_path, "html"))
    assert [finding.message for finding in imported.findings.items if finding.severity == "warning"] == []
    assert imported_article(imported.yaml, tmp_path, article.id).model_dump() == article.model_dump()
