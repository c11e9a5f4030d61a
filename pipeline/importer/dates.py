"""Publication and review dates from lines such as "Published: 10 May 2026" or
"Review date: May 2028". A date without its day is reported, never completed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.importer.document import Block
from pipeline.importer.findings import Findings, shown
from pipeline.importer.words import Words, normalised, spaced

_SEPARATORS = re.compile(r"(?<=[.!?])\s+|\s+[|·•]\s+")
_SENTENCE_ENDS = ".。।۔"


def _line(key: str, written: str, words: Words) -> DateLine:
    return DateLine(key, written, parse(written, words))


@dataclass(frozen=True)
class DateLine:
    key: str  # published | review_due
    words: str  # the date as the document writes it
    date: dt.date | None  # None when the words are not a whole date


def _date_lines(paragraph: str, words: Words, is_chrome: re.Pattern[str]) -> list[DateLine] | None:
    """The dates a paragraph states, or None unless every part of it is a date (or chrome,
    such as the reading time beside them)."""
    for pattern in words.dates_lines:  # the pipeline's own dates line, in its language
        whole = re.fullmatch(pattern, spaced(paragraph).strip())
        if whole and (not whole["rest"] or is_chrome.fullmatch(normalised(whole["rest"]))):
            return [_line(key, whole[key].strip().rstrip(_SENTENCE_ENDS), words) for key in ("published", "review_due")]
    found: list[DateLine] = []
    for sentence in filter(None, (part.strip() for part in _SEPARATORS.split(paragraph))):
        line = _date_line(sentence.rstrip("."), words)
        if line is not None:
            found.append(line)
        elif not is_chrome.fullmatch(normalised(sentence)):
            return None
    return found or None


def _date_line(sentence: str, words: Words) -> DateLine | None:
    for key, labels in (("review_due", words.review_due), ("published", words.published)):
        label = re.match(rf"(?:{'|'.join(labels)})\b\s*(?:on\b|el\b|:|-|–)?\s*", sentence, re.IGNORECASE)
        if label and sentence[label.end() :]:
            written = sentence[label.end() :].strip()
            parsed = parse(written, words)
            if parsed is not None or _looks_like_date(written, words):
                return DateLine(key, written, parsed)
    return None


def parse(written: str, words: Words) -> dt.date | None:
    """A whole calendar date written the ways leaflets write them, or None."""
    for pattern in words.long_dates:
        cldr = re.fullmatch(pattern, written.strip())
        if cldr:
            month = int(cldr["month"]) if cldr["month"].isdigit() else words.months.get(normalised(cldr["month"]))
            try:
                return dt.date(int(cldr["year"]), month, int(cldr["day"])) if month else None
            except ValueError:
                return None
    value = normalised(written).replace(" de ", " ").replace(" del ", " ")
    iso = re.fullmatch(r"(\d{4}) (\d{1,2}) (\d{1,2})", value)
    day_first = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th|º)? (\w+) (\d{4})", value)
    month_first = re.fullmatch(r"(\w+) (\d{1,2})(?:st|nd|rd|th)? (\d{4})", value)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if day_first and day_first[2] in words.months:
            return dt.date(int(day_first[3]), words.months[day_first[2]], int(day_first[1]))
        if month_first and month_first[1] in words.months:
            return dt.date(int(month_first[3]), words.months[month_first[1]], int(month_first[2]))
    except ValueError:
        return None
    return None


def _looks_like_date(written: str, words: Words) -> bool:
    """A month with its year, or digits and slashes: a date, though not a whole one."""
    value = normalised(written).replace(" de ", " ")
    return bool(re.fullmatch(r"(\w+) (\d{4})", value) and value.split()[0] in words.months) or bool(re.fullmatch(r"\d{1,4}[/.]\d{1,2}[/.]\d{1,4}", written.strip()))


def without_dates(blocks: list[Block], words: Words) -> tuple[list[Block], list[tuple[int, DateLine]]]:
    """The blocks less the paragraphs that only state dates, and those dates with their lines."""
    reading = words.chrome_line()
    kept, found = [], []
    for block in blocks:
        lines = _date_lines(block.plain, words, reading) if block.kind == "Para" else None
        if lines:
            found += [(block.line, line) for line in lines]
        else:
            kept.append(block)
    return kept, found


def source_dates(found: list[tuple[int, DateLine]], findings: Findings) -> dict[str, str]:
    """published and review_due as the source writes them; a date missing or not whole is reported."""
    result: dict[str, str] = {}
    for line, date in found:
        if date.date is None:
            findings.warn(line, f"the {_DATE_NAMES[date.key]} {shown(date.words)} is not a whole date: write {date.key}: YYYY-MM-DD", (date.key,))
        elif date.key not in result:
            result[date.key] = date.date.isoformat()
    for key, name in _DATE_NAMES.items():
        if key not in result and not any(date.key == key for _line, date in found):
            findings.warn(1, f"the document gives no {name} (a line such as '{_EXAMPLES[key]}'): write {key}: YYYY-MM-DD", (key,))
    return result


_DATE_NAMES = {"published": "publication date", "review_due": "review date"}
_EXAMPLES = {"published": "Published: 10 May 2026", "review_due": "Review date: 10 May 2028"}
