"""BRF (Braille Ready Format): six-dot cells as North American ASCII braille, the file braille
embossers, notetakers and braille displays read. Lines end in CR LF; each page ends in a form
feed. The 64 characters are those of liblouis's `en-us-brf.dis` (a test holds them to it).
"""

from __future__ import annotations

from collections.abc import Sequence

ASCII_BRAILLE = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
"""ASCII_BRAILLE[dots] is the character of the cell with those dots (bit 0 is dot 1 ... bit 5 dot 6)."""
_TO_ASCII = {0x2800 + dots: char for dots, char in enumerate(ASCII_BRAILLE)}
_FROM_ASCII = str.maketrans({char: chr(0x2800 + dots) for dots, char in enumerate(ASCII_BRAILLE)})
LINE_END, PAGE_END = "\r\n", "\f"


def encode(pages: Sequence[Sequence[str]]) -> bytes:
    """Pages of Unicode braille lines as a BRF file, trailing blank cells dropped."""
    return "".join(
        "".join(line.translate(_TO_ASCII).rstrip(" ") + LINE_END for line in page) + PAGE_END for page in pages
    ).encode("ascii")


def decode(data: bytes) -> list[list[str]]:
    """A BRF file's pages as lines of Unicode braille; ValueError naming the first character
    that is not ASCII braille."""
    document = data.decode("ascii", errors="replace").removesuffix(PAGE_END)
    pages = []
    for number, page in enumerate(document.split(PAGE_END), start=1):
        lines = page.removesuffix(LINE_END).split(LINE_END)
        for line_number, line in enumerate(lines, start=1):
            for column, char in enumerate(line, start=1):
                if char not in ASCII_BRAILLE:
                    raise ValueError(f"page {number}, line {line_number}, cell {column}: {char!r} is not ASCII braille")
        pages.append([line.translate(_FROM_ASCII) for line in lines])
    return pages
