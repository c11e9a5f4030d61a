"""EPUB checks that read the package itself: language, accessibility metadata, content parity.

EPUBCheck and Ace, the external validators, have modules of their own (`epub_epubcheck`, `epub_ace`).
"""

from __future__ import annotations

import posixpath
import tempfile
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.verify import details
from pipeline.verify.checks import Check, CheckResult, Output, Source, counted
from pipeline.verify.checks.displayed_parity import DisplayedParity
from pipeline.verify.displayed import displayed_passages
from pipeline.verify.sequence import Passage

MEDIA_TYPE = "application/epub+zip"
NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONFORMANCE_PREFIX = "EPUB Accessibility 1.1"
REBUILD_HINT = "reading systems and screen readers choose voice and hyphenation from it: rebuild with `pipeline build --force --format epub`"
ACCESSIBILITY_PROPERTIES = (
    "schema:accessMode",
    "schema:accessModeSufficient",
    "schema:accessibilityFeature",
    "schema:accessibilityHazard",
    "schema:accessibilitySummary",
)


@dataclass(frozen=True)
class Package:
    """The parsed package document and the spine's content documents, in reading order."""

    opf: ElementTree.Element
    documents: tuple[tuple[str, ElementTree.Element], ...]
    """(name in the archive, parsed XHTML) of each spine item, the navigation document excluded"""
    spine: tuple[str, ...] = ()
    """the name in the archive of every spine item, the navigation document's included"""
    navigation: tuple[str, ElementTree.Element] | None = None
    """(name in the archive, parsed XHTML) of the navigation document, if the manifest has one"""

    def metadata(self, name: str) -> list[str]:
        """The values of a `dc:` element ('dc:language') or a `meta property` ('schema:accessMode')."""
        metadata = self.opf.find("opf:metadata", NS)
        if metadata is None:
            return []
        if name.startswith("dc:"):
            elements = metadata.findall(name, NS)
        else:
            elements = [meta for meta in metadata.findall("opf:meta", NS) if meta.get("property") == name]
        return [" ".join("".join(element.itertext()).split()) for element in elements]


def read_package(path: Path) -> Package:
    with zipfile.ZipFile(path) as archive:
        container = ElementTree.fromstring(archive.read("META-INF/container.xml"))
        rootfile = container.find("c:rootfiles/c:rootfile", NS)
        if rootfile is None:
            raise ValueError("META-INF/container.xml names no package document")
        opf_name = rootfile.get("full-path", "")
        opf = ElementTree.fromstring(archive.read(opf_name))
        base = posixpath.dirname(opf_name)
        items = {item.get("id"): item for item in opf.iterfind("opf:manifest/opf:item", NS)}
        spine = [items[reference.get("idref")] for reference in opf.iterfind("opf:spine/opf:itemref", NS)]
        documents = tuple((name, ElementTree.fromstring(archive.read(name))) for name in _names(base, spine, navigation=False))
        navigation = next(((name, ElementTree.fromstring(archive.read(name))) for name in _names(base, items.values(), navigation=True)), None)
        return Package(opf, documents, tuple(_names(base, spine)), navigation)


def _names(base: str, items: Iterable[ElementTree.Element], navigation: bool | None = None) -> Iterator[str]:
    """The archive names of `items`: all of them, only the navigation document, or all but it."""
    for item in items:
        if navigation is None or navigation == ("nav" in (item.get("properties") or "").split()):
            yield posixpath.join(base, item.get("href", ""))


class EpubLanguage(Check):
    name = "epub-language"
    description = "dc:language, the package's xml:lang and every document's lang are the source's language"
    media_types = (MEDIA_TYPE,)
    needs_source = True

    def run(self, source: Source | None, output: Output) -> CheckResult:
        assert source is not None
        wanted = source.article.lang
        package = read_package(self.checked_file(output))
        places = [
            ("dc:language", _shown(package.metadata("dc:language"))),
            ("the package element's xml:lang", _shown([package.opf.get(XML_LANG)])),
            *((f"{name}: <html lang/xml:lang>", _shown([root.get("lang"), root.get(XML_LANG)])) for name, root in package.documents),
        ]
        wrong = [f"{place} is {found}, not {wanted!r} as in {source.document.path}" for place, found in places if found != repr(wanted)]
        figure = f"{wanted!r} in {len(places) - len(wrong)}/{len(places)} places (dc:language, package, {counted(len(package.documents), 'document')})"
        if wrong:
            wrong.append(REBUILD_HINT)
        return CheckResult.judge(not wrong, figure, wrong)


class EpubAccessibilityMetadata(Check):
    name = "epub-accessibility-metadata"
    description = "EPUB Accessibility 1.1 conformance and schema.org accessibility metadata are declared"
    media_types = (MEDIA_TYPE,)

    def run(self, source: Source | None, output: Output) -> CheckResult:
        package = read_package(self.checked_file(output))
        conformance = [value for value in package.metadata("dcterms:conformsTo") if value.startswith(CONFORMANCE_PREFIX)]
        problems = [] if conformance else [f"no dcterms:conformsTo naming {CONFORMANCE_PREFIX} (e.g. \"{CONFORMANCE_PREFIX} - WCAG 2.2 Level AA\")"]
        problems += [f"no {name} metadata" for name in ACCESSIBILITY_PROPERTIES if not any(package.metadata(name))]
        present = len(ACCESSIBILITY_PROPERTIES) + 1 - len(problems)
        figure = f"{present}/{len(ACCESSIBILITY_PROPERTIES) + 1} declared" + (f": {conformance[0]}" if conformance else "")
        return CheckResult.judge(not problems, figure, problems)


class EpubParity(DisplayedParity):
    name = "epub-parity"
    description = (
        "the e-book's content documents, in spine order, as Chromium displays them, show every sentence of the source, "
        "once and in order, and nothing the source or catalogue does not say"
    )
    media_types = (MEDIA_TYPE,)

    def passages(self, source: Source, output: Output) -> list[Passage]:
        path = self.checked_file(output)
        documents = [name for name, _root in read_package(path).documents]
        with tempfile.TemporaryDirectory(prefix="pipeline-epub-") as folder, zipfile.ZipFile(path) as archive:
            archive.extractall(folder)
            return displayed_passages(Path(folder), documents)

    def declared_details(self, source: Source, output: Output) -> list[str]:
        """The package's dc:date is the publication date; its dc:publisher, where a publisher
        issues the leaflet, is that publisher (reading systems show both in their library)."""
        package = read_package(self.checked_file(output))
        published = details.details(source.article, source.where, (details.DATES,))[0]
        declared = [("dc:date", published, source.article.published.isoformat())]
        declared += [("dc:publisher", publisher, publisher.text) for publisher in details.details(source.article, source.where, (details.PUBLISHER,))]
        return [
            f"missing detail: the package's {name} is {_shown(package.metadata(name))}, not the {detail.name} {wanted!r} ({detail.origin})"
            for name, detail, wanted in declared
            if package.metadata(name) != [wanted]
        ]


def _shown(values: list[str | None]) -> str:
    """'en' when every value is 'en'; else each, with None as missing."""
    distinct = sorted({repr(value) if value else "missing" for value in values}) or ["missing"]
    return distinct[0] if len(distinct) == 1 else " and ".join(distinct)
