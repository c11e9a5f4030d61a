"""The documents of a DAISY 2.02 talking book: the navigation control centre (`ncc.html`) and
one SMIL 1.0 file per heading.

A DAISY player navigates by the NCC's headings; each heading links to the first `par` of its
SMIL file, whose pars (one per sentence the narration reads, as the read-along e-book's
clips: `_smil.clips`, each running on to the next, pauses included) pair an element of the
content document with its stretch of the one narration MP3. The NCC's metadata are those the DAISY 2.02 specification requires of an
"audioFullText" book (section 2.1.2 and appendix 2): `ncc:totalTime` is the sum of the SMIL
files' durations, and each SMIL file says its own and the time elapsed before it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from html import escape

from pipeline.renderers._smil import Clip, duration_ms
from pipeline.text.clock import timestamp

FORMAT = "Daisy 2.02"
NCC = "ncc.html"
CONTENT = "content.html"
AUDIO = "narration.mp3"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
XHTML = "{http://www.w3.org/1999/xhtml}"
XHTML_DOCTYPE = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
SMIL_DOCTYPE = '<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">'


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    target: str
    """The id of the element the narration reads as this heading."""


@dataclass
class SmilFile:
    """One heading and the clips that read it and what follows, up to the next heading."""

    name: str
    heading: Heading
    clips: list[Clip] = field(default_factory=list)

    @property
    def duration_ms(self) -> int:
        return duration_ms(self.clips)


@dataclass(frozen=True)
class Book:
    identifier: str
    title: str
    lang: str
    generator: str
    metadata: Sequence[tuple[str, str]]
    """The NCC's dc: and ncc: metadata besides those the files decide (format, times, counts)."""


def headings(content: str, read: frozenset[str]) -> dict[str, Heading]:
    """Each heading of the content document, by the id of the element the narration reads as it."""
    found = {}
    for element in ElementTree.fromstring(content).iter():
        tag = element.tag.removeprefix(XHTML)
        if tag not in HEADINGS:
            continue
        text = " ".join("".join(element.itertext()).split())
        target = next((inner.get("id") for inner in element.iter() if inner.get("id") in read), None)
        if target is None:
            raise ValueError(f"the heading '{text}' is not read by the narration: the script and the content document disagree on its id")
        found[target] = Heading(int(tag[1]), text, target)
    return found


def continuous(clips: Sequence[Clip]) -> list[Clip]:
    """The clips, each running on to where the next begins: a player plays par after par, and
    would otherwise leave out the pause after every sentence and run the sentences together."""
    following = [clip.start_ms for clip in clips[1:]]
    return [replace(clip, end_ms=max(clip.end_ms, start)) for clip, start in zip(clips, following)] + list(clips[-1:])


def smil_files(clips: Sequence[Clip], by_target: dict[str, Heading]) -> list[SmilFile]:
    """The clips cut at each heading: one SMIL file per heading, the title's first."""
    files: list[SmilFile] = []
    for clip in clips:
        heading = by_target.get(clip.target)
        if heading is not None:
            files.append(SmilFile(f"s{len(files) + 1:04d}.smil", heading))
        elif not files:
            raise ValueError(f"the narration reads '{clip.target}' before the title: the book would start without a heading")
        files[-1].clips.append(clip)
    return files


def smil(book: Book, smil_file: SmilFile, elapsed_ms: int) -> str:
    """The SMIL 1.0 file: a `seq` of one `par` per clip."""
    pars = "\n".join(
        f'      <par endsync="last" id="p{number}">\n'
        f'        <text src="{CONTENT}#{escape(clip.target)}" id="t{number}"/>\n'
        f'        <audio src="{AUDIO}" clip-begin="npt={clip.start_ms / 1000:.3f}s" clip-end="npt={clip.end_ms / 1000:.3f}s" id="a{number}"/>\n'
        "      </par>"
        for number, clip in enumerate(smil_file.clips, start=1)
    )
    metadata = [
        ("dc:format", FORMAT),
        ("dc:identifier", book.identifier),
        ("dc:title", book.title),
        ("ncc:generator", book.generator),
        ("ncc:timeInThisSmil", timestamp(smil_file.duration_ms)),
        ("ncc:totalElapsedTime", timestamp(elapsed_ms)),
    ]
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n{SMIL_DOCTYPE}\n<smil>\n  <head>\n{_meta(metadata, "    ")}\n'
        '    <layout>\n      <region id="textView"/>\n    </layout>\n  </head>\n'
        f'  <body>\n    <seq dur="{smil_file.duration_ms / 1000:.3f}s">\n{pars}\n    </seq>\n  </body>\n</smil>\n'
    )


def ncc(book: Book, files: Sequence[SmilFile], file_count: int) -> str:
    """The NCC: the book's metadata, then every heading at its level, linked to its SMIL file."""
    total_seconds = round(sum(smil_file.duration_ms for smil_file in files) / 1000)
    metadata = [
        ("dc:format", FORMAT),
        ("dc:identifier", book.identifier),
        ("dc:language", book.lang),
        ("dc:title", book.title),
        *book.metadata,
        ("ncc:charset", "utf-8"),
        ("ncc:depth", str(max(smil_file.heading.level for smil_file in files))),
        ("ncc:files", str(file_count)),
        ("ncc:footnotes", "0"),
        ("ncc:generator", book.generator),
        ("ncc:maxPageNormal", "0"),
        ("ncc:multimediaType", "audioFullText"),
        ("ncc:pageFront", "0"),
        ("ncc:pageNormal", "0"),
        ("ncc:pageSpecial", "0"),
        ("ncc:prodNotes", "0"),
        ("ncc:setInfo", "1 of 1"),
        ("ncc:sidebars", "0"),
        ("ncc:tocItems", str(len(files))),
        ("ncc:totalTime", timestamp(total_seconds * 1000).partition(".")[0]),
    ]
    entries = "\n".join(_ncc_entry(index, smil_file) for index, smil_file in enumerate(files))
    lang = escape(book.lang)
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n{XHTML_DOCTYPE}\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}" xml:lang="{lang}">\n<head>\n'
        f'  <meta http-equiv="Content-type" content="text/html; charset=utf-8"/>\n  <title>{escape(book.title, quote=False)}</title>\n'
        f"{_meta(metadata, '  ')}\n</head>\n<body>\n{entries}\n</body>\n</html>\n"
    )


def _ncc_entry(index: int, smil_file: SmilFile) -> str:
    """A heading of the NCC; the first is the book's title (`class="title"`, as 2.02 requires)."""
    level, title = smil_file.heading.level, ' class="title"' if index == 0 else ""
    return f'<h{level}{title} id="h{index + 1}"><a href="{smil_file.name}#p1">{escape(smil_file.heading.text, quote=False)}</a></h{level}>'


def _meta(pairs: Sequence[tuple[str, str]], indent: str) -> str:
    return "\n".join(f'{indent}<meta name="{name}" content="{escape(value)}"/>' for name, value in pairs)
