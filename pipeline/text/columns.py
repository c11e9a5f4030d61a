"""Text set in fixed-width columns, as a terminal shows it: Chinese characters take two.

`textwrap` counts characters and breaks only at spaces, so a Chinese paragraph (no spaces)
became one line of any length and its heading's underline half as long as the heading. Here a
line may also break between two Han or kana characters, except before the punctuation that
must not start a line (。，、！？）」 ...), and widths are counted in columns.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

from pipeline.text.sentences import HAN

_NO_LINE_START = "\u3001\u3002\uff0c\uff01\uff1f\uff1a\uff1b\uff09\u300d\u300f\u3009\u300b\u201d\u2019"
_PIECE = re.compile(rf"[{HAN}][{_NO_LINE_START}]*|\s+|[^\s{HAN}]+")


def width(value: str) -> int:
    """Columns `value` takes in a terminal: two for wide and full-width characters."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in value)


def wrap(value: str, columns: int, initial_indent: str = "", subsequent_indent: str = "") -> list[str]:
    """`value` in lines of at most `columns` (a word longer than that stands alone), breaking
    at spaces and between Han characters; like `textwrap.wrap` for text with neither."""
    if not re.search(f"[{HAN}]", value):
        return textwrap.wrap(
            value,
            columns,
            initial_indent=initial_indent,
            subsequent_indent=subsequent_indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    lines, line = [], initial_indent
    for piece in _PIECE.findall(" ".join(value.split())):
        indent = initial_indent if not lines else subsequent_indent
        if piece.isspace():
            line += " " if line != indent else ""
        elif width(line) + width(piece) <= columns or line.strip() == "":
            line += piece
        else:
            lines.append(line.rstrip())
            line = subsequent_indent + piece
    if line.strip():
        lines.append(line.rstrip())
    return lines
