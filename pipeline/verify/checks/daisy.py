"""Checks of the DAISY 2.02 talking book: its structure and metadata, its times, its headings
and its text, each read from the zipped book as a DAISY player reads it (`daisy_reading`)."""

from __future__ import annotations

from pipeline.verify.checks import Check, CheckResult, Output, Source
from pipeline.verify.checks.daisy_reading import XHTML, Book, UnreadableBook, clock_ms, read_book
from pipeline.verify.checks.parity import Parity
from pipeline.verify.sequence import Passage

MEDIA_TYPE = "application/zip"
REQUIRED = (
    "dc:creator", "dc:date", "dc:format", "dc:identifier", "dc:language", "dc:publisher", "dc:title",
    "ncc:charset", "ncc:depth", "ncc:files", "ncc:generator", "ncc:multimediaType", "ncc:narrator",
    "ncc:pageFront", "ncc:pageNormal", "ncc:pageSpecial", "ncc:setInfo", "ncc:tocItems", "ncc:totalTime",
)  # fmt: skip
"""The NCC metadata DAISY 2.02 requires (or recommends, and our books always have)."""
FIXED = {"dc:format": "Daisy 2.02", "ncc:multimediaType": "audioFullText", "ncc:setInfo": "1 of 1"}
HEADING_TAGS = {f"{XHTML}h{level}": level for level in range(1, 7)}


class DaisyCheck(Check):
    """Base of the DAISY checks: the book read once per check, an unreadable one a failure."""

    media_types = (MEDIA_TYPE,)
    renderers = ("daisy",)

    def run(self, source: Source | None, output: Output) -> CheckResult:
        try:
            book = read_book(self.checked_file(output))
        except UnreadableBook as error:
            return CheckResult("fail", "unreadable", (str(error),))
        return self.judge(book)

    def judge(self, book: Book) -> CheckResult:
        raise NotImplementedError


class DaisyStructure(DaisyCheck):
    name = "daisy-structure"
    description = "the DAISY book's NCC has the required metadata and its title first, and every link (NCC to SMIL, SMIL to text and audio) arrives"

    def judge(self, book: Book) -> CheckResult:
        problems = [f"ncc.html has no {name} metadata" for name in REQUIRED if not book.meta.get(name)]
        problems += [f"ncc.html's {name} is {book.meta.get(name)!r}, not {value!r}" for name, value in FIXED.items() if book.meta.get(name, value) != value]
        if not book.headings or not (book.headings[0].is_title and book.headings[0].level == 1):
            problems.append('ncc.html does not start with the book\'s title (an h1 of class "title"): a player would announce no title')
        counts = {"ncc:tocItems": len(book.headings), "ncc:files": len(book.files), "ncc:depth": max((heading.level for heading in book.headings), default=0)}
        problems += [f"ncc.html's {name} is {book.meta.get(name)}, but the book has {count}" for name, count in counts.items() if book.meta.get(name) not in (None, str(count))]
        problems += _broken_links(book)
        figure = f"{len(book.headings)} headings, {len(book.smils)} SMIL files, {len(book.files)} files"
        return CheckResult.judge(not problems, figure, problems)


def _broken_links(book: Book) -> list[str]:
    """Each link a player would follow and find nothing at."""
    par_ids = {(smil.name, par.id) for smil in book.smils.values() for par in smil.pars}
    problems = []
    for heading in book.headings:
        smil, _, par = heading.href.partition("#")
        if (smil, par) not in par_ids:
            problems.append(f"ncc.html: the heading '{heading.text}' links to {heading.href!r}, which is no par of a SMIL file of the book")
    for smil in book.smils.values():
        for par in smil.pars:
            document, _, target = par.text_src.partition("#")
            ids = {element.get("id") for element in book.content[document].iter()} if document in book.content else set()
            if target not in ids:
                problems.append(f"{smil.name} par {par.id}: its text {par.text_src!r} is no element of the book's content")
            if par.audio_src not in book.files:
                problems.append(f"{smil.name} par {par.id}: its audio {par.audio_src!r} is not in the book")
    return problems


class DaisyTimes(DaisyCheck):
    name = "daisy-times"
    description = "the DAISY book's ncc:totalTime is the sum of its SMIL files' durations, each SMIL file's times add up, and every clip lies inside its audio"

    def judge(self, book: Book) -> CheckResult:
        problems, elapsed = [], 0
        for smil in sorted(book.smils.values(), key=lambda smil: smil.name):
            clips = sum(par.end_ms - par.begin_ms for par in smil.pars)
            declared = {"its seq's dur": smil.duration_ms, "ncc:timeInThisSmil": clock_ms(smil.meta.get("ncc:timeInThisSmil", ""))}
            problems += [f"{smil.name}: {name} is {_ms(value)}, but its clips last {_ms(clips)}" for name, value in declared.items() if value != clips]
            if clock_ms(smil.meta.get("ncc:totalElapsedTime", "")) != elapsed:
                problems.append(f"{smil.name}: ncc:totalElapsedTime is {smil.meta.get('ncc:totalElapsedTime')!r}, but the SMIL files before it last {_ms(elapsed)}")
            problems += _outside(book, smil.pars)
            elapsed += clips
        total = clock_ms(book.meta.get("ncc:totalTime", ""))
        if total is None or abs(total - elapsed) >= 500:
            problems.append(f"ncc.html's ncc:totalTime is {book.meta.get('ncc:totalTime')!r}, but the SMIL files last {_ms(elapsed)} in all")
        return CheckResult.judge(not problems, f"{_ms(elapsed)} in {len(book.smils)} SMIL files", problems)


def _outside(book: Book, pars) -> list[str]:
    """Each clip that starts before its audio, ends after it, or ends before it starts."""
    problems = []
    for par in pars:
        length = book.audio_ms(par.audio_src)
        if par.begin_ms < 0 or par.end_ms <= par.begin_ms or (length is not None and par.end_ms > length + 1):
            within = f" of {_ms(length)}" if length is not None else ""
            problems.append(f"{par.smil} par {par.id}: its clip {_ms(par.begin_ms)}-{_ms(par.end_ms)} is not inside {par.audio_src}{within}")
    return problems


def _ms(value: int | None) -> str:
    return "missing" if value is None else f"{value / 1000:.3f} s"


class DaisyHeadings(DaisyCheck):
    name = "daisy-headings"
    description = "every heading of the DAISY book's text is a heading of its NCC, at its level and in order"

    def judge(self, book: Book) -> CheckResult:
        written = [
            (HEADING_TAGS[element.tag], " ".join("".join(element.itertext()).split()))
            for root in book.content.values()
            for element in root.iter()
            if element.tag in HEADING_TAGS
        ]
        listed = [(heading.level, heading.text) for heading in book.headings]
        problems = [f"the heading '{text}' (h{level}) is not in ncc.html at its level: a player cannot go to it" for level, text in written if (level, text) not in listed]
        problems += [f"ncc.html lists '{text}' (h{level}), which is no heading of the text" for level, text in listed if (level, text) not in written]
        if not problems and listed != written:
            problems.append("ncc.html lists the headings in another order than the text has them")
        return CheckResult.judge(not problems, f"{len(listed)}/{len(written)} headings in the NCC", problems)


class DaisyParity(Parity):
    name = "daisy-parity"
    description = "the DAISY book's text holds every sentence of the source, once and in order, and nothing the source or catalogue does not say"
    media_types = (MEDIA_TYPE,)
    renderers = ("daisy",)

    def passages(self, source: Source, output: Output) -> list[Passage]:
        try:
            book = read_book(self.checked_file(output))
        except UnreadableBook:
            return []  # nothing to read: every sentence missing (daisy-structure says why)
        return [Passage(" ".join(body.itertext()), name) for name, root in book.content.items() for body in root.iter(f"{XHTML}body")]
