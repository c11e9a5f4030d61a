"""Which liblouis tables write a language, and the liblouis binding itself.

liblouis comes from Debian (`liblouis-bin`, `python3-louis`, installed by the Makefile).
Debian's `louis` module is a small ctypes binding made for Debian's own Python; the Makefile
links it into the project's venv through a `.pth` file that names a folder holding only
`louis`, so nothing else of Debian's site-packages leaks in. In-process calls (not
`lou_translate`) are what give emphasis (typeforms), back-translation and a per-character
check for characters a table lacks, without a process per text.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

from pipeline.remembered import remembered

DISPLAY_TABLE = "unicode.dis"
"""First in every table list: liblouis then writes Unicode braille cells (U+2800-U+283F),
never a mix of cells and ASCII."""
TABLE_DIRECTORY = Path("/usr/share/liblouis/tables")

# Literary tables that write six-dot braille, per language: {grade: table}, the language's
# usual grade first (the default). English is UEB, contracted, as adult readers in the UK, US,
# Australia and Canada use it; most other languages are usually read uncontracted.
TABLES: dict[str, dict[int, str]] = {
    "en": {2: "en-ueb-g2.ctb", 1: "en-ueb-g1.ctb"},
    "cy": {2: "cy-cy-g2.ctb", 1: "cy-cy-g1.utb"},
    "ga": {2: "ga-g2.ctb", 1: "ga-g1.utb"},
    "es": {1: "es-g1.ctb", 2: "es-g2.ctb"},
    "fr": {1: "fr-bfu-comp6.utb", 2: "fr-bfu-g2.ctb"},
    "de": {1: "de-g0.utb", 2: "de-g2.ctb"},
    "pt": {1: "pt-pt-g1.utb", 2: "pt.tbl"},
    "it": {1: "it-it-comp6.utb"},
    "nl": {1: "nl-NL-g0.utb"},
    "pl": {1: "Pl-Pl-g1.utb"},
    "ar": {1: "ar-ar-g1.utb", 2: "ar-ar-g2.ctb"},
    "ur": {1: "ur-pk-g1.utb", 2: "ur-pk-g2.ctb"},
    "he": {1: "he-IL.utb"},
    "hi": {1: "hi.tbl"},
    "bn": {1: "bn.tbl"},
    "pa": {1: "pa.tbl"},
    "ru": {1: "ru-litbrl.ctb"},
    "uk": {1: "uk.utb"},
    "sr": {1: "sr-g1.ctb"},
    "hr": {1: "hr-g1.ctb"},
    "vi": {1: "vi-vn-g0.utb", 2: "vi-vn-g2.ctb"},
    "ko": {1: "ko-g1.ctb"},
    "zh": {1: "zhcn-g1.ctb"},
    "zh-hk": {1: "zh-hk.ctb"},
    "yue": {1: "zh-hk.ctb"},
    "da": {1: "da-dk-g16.ctb", 2: "da-dk-g26.ctb"},
    "no": {1: "no-no-g0.utb"},
    "nb": {1: "no-no-g0.utb"},
    "nn": {1: "no-no-g0.utb"},
    "fi": {1: "fi.utb"},
}
GRADES = ("1", "2")


class BrailleError(Exception):
    pass


@dataclass(frozen=True)
class Tables:
    """The table list for one language and grade, display table first."""

    lang: str
    grade: int
    names: tuple[str, ...]

    @property
    def contracted(self) -> bool:
        return self.grade == 2


def tables_for(lang: str, grade: int | None = None) -> Tables:
    """The tables for `lang` (a BCP 47 tag): the longest known prefix of it decides."""
    subtags = lang.lower().split("-")
    for length in range(len(subtags), 0, -1):
        grades = TABLES.get("-".join(subtags[:length]))
        if grades:
            break
    else:
        known = ", ".join(sorted(TABLES))
        raise BrailleError(
            f"no braille table for language '{lang}': the pipeline knows liblouis's tables for {known}; "
            "correct the article's lang, or build the other formats (--format)"
        )
    chosen = next(iter(grades)) if grade is None else grade
    if chosen not in grades:
        raise BrailleError(f"liblouis has no grade {chosen} braille for '{lang}': use --braille-grade {next(iter(grades))}")
    return Tables(lang, chosen, (DISPLAY_TABLE, grades[chosen]))


def louis() -> ModuleType:
    """Debian's liblouis binding, quiet; a clear error when liblouis is not installed."""
    try:
        import louis as binding
    except ImportError:
        raise BrailleError(
            "liblouis is not installed: run `make` (it installs Debian's liblouis-bin and python3-louis "
            "with apt-get and links the `louis` module into .venv), or build the other formats with --format"
        ) from None
    binding.setLogLevel(binding.LOG_OFF)
    return binding


def available() -> bool:
    try:
        louis()
    except BrailleError:
        return False
    return True


_INCLUDE = re.compile(rb"^[ \t]*include[ \t]+(\S+)", re.MULTILINE)


@cache
def table_files(name: str) -> tuple[Path, ...]:
    """A table's file and every file it includes: what a change of liblouis's tables touches."""
    found: list[Path] = []
    waiting = [name]
    while waiting:
        path = _located(waiting.pop())
        if path is not None and path not in found:
            found.append(path)
            waiting += _included(path)
    return tuple(found)


def _located(name: str) -> Path | None:
    directories = [Path(part) for part in os.environ.get("LOUIS_TABLEPATH", "").split(",") if part] + [TABLE_DIRECTORY]
    return next((directory / name for directory in directories if (directory / name).is_file()), None)


@cache
def _included(path: Path) -> list[str]:
    return [name.decode("utf-8", errors="replace") for name in _INCLUDE.findall(path.read_bytes())]


def all_table_files() -> list[Path]:
    """Every file of every table above: a renderer's assets (one build serves every language).
    Found by following their includes, remembered while none of those files changes."""
    names = sorted({DISPLAY_TABLE, *(name for grades in TABLES.values() for name in grades.values())})

    def found() -> tuple[list[Path], list[str]]:
        files = sorted({path for name in names for path in table_files(name)})
        return files, [str(path) for path in files]

    return [Path(name) for name in remembered(f"louis-tables:{','.join(names)}", found)]
