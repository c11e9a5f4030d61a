"""A zipped DAISY 2.02 book read as a player reads it: the NCC's metadata and headings, each
SMIL file's pars (text reference and audio clip), the content document, the audio's length."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
import zipfile
from dataclasses import dataclass
from pathlib import Path
from posixpath import dirname

XHTML = "{http://www.w3.org/1999/xhtml}"
HEADINGS = {f"h{level}": level for level in range(1, 7)}
_NPT = re.compile(r"npt=(\d+(?:\.\d+)?)s")
_CLOCK = re.compile(r"(\d+):(\d\d):(\d\d)(?:\.(\d{1,3}))?")


@dataclass(frozen=True)
class NccHeading:
    level: int
    text: str
    href: str
    is_title: bool


@dataclass(frozen=True)
class Par:
    smil: str
    id: str
    text_src: str
    audio_src: str
    begin_ms: int
    end_ms: int


@dataclass(frozen=True)
class Smil:
    name: str
    pars: tuple[Par, ...]
    duration_ms: int | None
    """The `seq`'s dur."""
    meta: dict[str, str]


@dataclass(frozen=True)
class Book:
    path: Path
    files: dict[str, bytes]
    """Every file of the book's folder, by its name in the folder."""
    meta: dict[str, str]
    headings: tuple[NccHeading, ...]
    smils: dict[str, Smil]
    content: dict[str, ElementTree.Element]
    """Each text document a SMIL file points into, parsed."""

    def audio_ms(self, name: str) -> int | None:
        """The length of an audio file of the book, or None when it is not there or unreadable."""
        from mutagen import MutagenError
        from mutagen.mp3 import MP3

        if name not in self.files:
            return None
        try:
            return round(MP3(io.BytesIO(self.files[name])).info.length * 1000)
        except MutagenError:
            return None


class UnreadableBook(ValueError):
    """The file is no zipped DAISY book; the message says why."""


def clock_ms(value: str) -> int | None:
    """'00:01:26' or '00:00:08.046' in milliseconds; None if it is neither."""
    match = _CLOCK.fullmatch(value.strip())
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int((fraction or "0").ljust(3, "0"))


def read_book(path: Path) -> Book:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    except (OSError, zipfile.BadZipFile) as error:
        raise UnreadableBook(f"{path} is not a readable ZIP archive ({error}): build it again") from None
    nccs = [name for name in entries if name.rsplit("/", 1)[-1] == "ncc.html"]
    if len(nccs) != 1:
        raise UnreadableBook(f"{path} holds {len(nccs)} ncc.html files, not one: a DAISY 2.02 book has one NCC")
    folder = dirname(nccs[0])
    files = {name.removeprefix(f"{folder}/") if folder else name: data for name, data in entries.items()}
    ncc = _parsed(path, "ncc.html", files["ncc.html"])
    smils = {name: _smil(name, _parsed(path, name, data)) for name, data in files.items() if name.endswith(".smil")}
    texts = {par.text_src.partition("#")[0] for smil in smils.values() for par in smil.pars}
    content = {name: _parsed(path, name, files[name]) for name in sorted(texts) if name in files}
    return Book(path, files, _meta(ncc), tuple(_ncc_headings(ncc)), smils, content)


def _parsed(path: Path, name: str, data: bytes) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise UnreadableBook(f"{path}: {name} is not well-formed XML ({error})") from None


def _meta(root: ElementTree.Element) -> dict[str, str]:
    return {meta.get("name", ""): meta.get("content", "") for meta in root.iter() if _local(meta.tag) == "meta" and meta.get("name")}


def _ncc_headings(ncc: ElementTree.Element):
    body = next((element for element in ncc.iter() if _local(element.tag) == "body"), None)
    for element in body.iter() if body is not None else ():
        level = HEADINGS.get(_local(element.tag))
        if level:
            link = next((inner for inner in element.iter() if _local(inner.tag) == "a"), None)
            text = " ".join("".join(element.itertext()).split())
            yield NccHeading(level, text, link.get("href", "") if link is not None else "", "title" in element.get("class", "").split())


def _smil(name: str, root: ElementTree.Element) -> Smil:
    pars = []
    for par in root.iter("par"):
        text, audio = par.find("text"), par.find("audio")
        begin = _NPT.fullmatch(audio.get("clip-begin", "")) if audio is not None else None
        end = _NPT.fullmatch(audio.get("clip-end", "")) if audio is not None else None
        pars.append(
            Par(
                name,
                par.get("id", ""),
                text.get("src", "") if text is not None else "",
                audio.get("src", "") if audio is not None else "",
                round(float(begin[1]) * 1000) if begin else -1,
                round(float(end[1]) * 1000) if end else -1,
            )
        )
    seq = root.find("body/seq")
    duration = _NPT.fullmatch(f"npt={seq.get('dur', '')}") if seq is not None else None
    return Smil(name, tuple(pars), round(float(duration[1]) * 1000) if duration else None, _meta(root))


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]
