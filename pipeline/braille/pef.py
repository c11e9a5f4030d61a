"""PEF (Portable Embosser Format 2008-1): the same pages as Unicode braille in XML, with
Dublin Core metadata, for embossers and for archives. The RELAX NG schema that checks it
comes from DAISY's Braille Utilities (pipeline/assets/braille/).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

NAMESPACE = "http://www.daisy.org/ns/2008/pef"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
MEDIA_TYPE = "application/x-pef+xml"
SCHEMA = Path(__file__).resolve().parent.parent / "assets" / "braille" / "pef-2008-1.rng"


def document(
    *,
    identifier: str,
    title: str,
    lang: str,
    date: dt.date,
    publisher: str | None,
    sections: Sequence[Sequence[Sequence[str]]],
    cells: int,
    lines: int,
) -> bytes:
    """One volume of `sections` (each a run of pages: the title pages, then the text)."""
    root = etree.Element(f"{{{NAMESPACE}}}pef", nsmap={None: NAMESPACE}, version="2008-1")
    meta = etree.SubElement(etree.SubElement(root, f"{{{NAMESPACE}}}head"), f"{{{NAMESPACE}}}meta", nsmap={"dc": DUBLIN_CORE})
    metadata = {"format": MEDIA_TYPE, "identifier": identifier, "title": title, "language": lang, "date": date.isoformat(), "publisher": publisher}
    for name, value in metadata.items():
        if value:
            etree.SubElement(meta, f"{{{DUBLIN_CORE}}}{name}").text = value
    volume = etree.SubElement(
        etree.SubElement(root, f"{{{NAMESPACE}}}body"), f"{{{NAMESPACE}}}volume", cols=str(cells), rows=str(lines), rowgap="0", duplex="false"
    )
    for pages in sections:
        section = etree.SubElement(volume, f"{{{NAMESPACE}}}section")
        for page in pages:
            page_element = etree.SubElement(section, f"{{{NAMESPACE}}}page")
            for line in page:
                etree.SubElement(page_element, f"{{{NAMESPACE}}}row").text = line.rstrip("\u2800") or None
    etree.indent(root, space=" ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def pages(data: bytes) -> list[list[str]]:
    """Every page of a PEF file, in order, as its rows."""
    root = etree.fromstring(data, parser=_PARSER)
    return [[row.text or "" for row in page.iterfind(f"{{{NAMESPACE}}}row")] for page in root.iter(f"{{{NAMESPACE}}}page")]


def page_size(data: bytes) -> tuple[int, int]:
    """(cols, rows) of the PEF's first volume."""
    volume = etree.fromstring(data, parser=_PARSER).find(f".//{{{NAMESPACE}}}volume")
    return int(volume.get("cols")), int(volume.get("rows"))


def problems(data: bytes) -> list[str]:
    """Where the PEF breaks the PEF 2008-1 RELAX NG schema (none when it is valid)."""
    try:
        tree = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    if schema.validate(tree):
        return []
    return [f"line {entry.line}: {entry.message}" for entry in schema.error_log]


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
