"""Reproducible EPUB archives: the same book always gives the same bytes.

ebooklib stamps every ZIP entry with the clock's time and leaves `xml:lang` off the package
element (Ace flags that). `repack` rewrites its archive: `mimetype` first and stored
uncompressed (as the OCF container format requires), then the container, the package
document and the rest in ebooklib's own fixed order; every entry gets one timestamp (the
book's modification time), Unix permissions 0644 and the same compression level, except files
that are compressed already (audio, PNG, fonts): `stored` puts them in as they are.
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Mapping
from posixpath import dirname, join

MIMETYPE = "mimetype"
CONTAINER = "META-INF/container.xml"
_CONTAINER_NAMESPACE = "urn:oasis:names:tc:opendocument:xmlns:container"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ZIP_RANGE = (dt.datetime(1980, 1, 1, tzinfo=dt.UTC), dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC))


def repack(epub: bytes, lang: str, moment: dt.datetime, stored: Mapping[str, bytes] | None = None) -> bytes:
    """The archive `epub` rewritten in a fixed order and stamped with `moment` (UTC); `stored`
    gives the content of files (named as in the package) to put in uncompressed."""
    with zipfile.ZipFile(io.BytesIO(epub)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    package = package_path(entries[CONTAINER])
    entries[package] = with_language(entries[package], lang)
    uncompressed = {MIMETYPE}
    for file_name, content in (stored or {}).items():
        name = join(dirname(package), file_name)
        if name not in entries:
            raise ValueError(f"the EPUB has no {name} to put the stored content in")
        entries[name] = content
        uncompressed.add(name)
    first = [MIMETYPE, CONTAINER, package]
    stamp = min(max(moment, _ZIP_RANGE[0]), _ZIP_RANGE[1]).timetuple()[:6]
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name in first + [name for name in entries if name not in first]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name in uncompressed else zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name], compresslevel=9)
    return output.getvalue()


def package_path(container: bytes) -> str:
    """Where META-INF/container.xml says the package document (OPF) is."""
    rootfile = ElementTree.fromstring(container).find(f".//{{{_CONTAINER_NAMESPACE}}}rootfile")
    if rootfile is None or not rootfile.get("full-path"):
        raise ValueError("the EPUB container names no package document (META-INF/container.xml has no rootfile)")
    return rootfile.get("full-path", "")


def with_language(package: bytes, lang: str) -> bytes:
    """The package document with `xml:lang` on its root element, the rest untouched."""
    from lxml import etree  # installed with ebooklib, and keeps the document's own prefixes

    root = etree.fromstring(package)
    root.set(_XML_LANG, lang)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
