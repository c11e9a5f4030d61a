"""Braille page layout, on any words: none divided unless longer than a line, every line and
page within its size, every page numbered. Needs no liblouis: cells are given."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.braille.layout import PAGE_NUMBER_GAP, Block, Division, Formatter
from pipeline.braille.translation import BLANK, BREAK, LINE_CONTINUATION

_cells = st.text(st.sampled_from("⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚⠅⠇⠍⠝⠕⠏⠟⠗⠎⠞⠥⠧⠺⠭⠽⠵"), min_size=1, max_size=60)
_block = st.builds(
    Block,
    st.lists(_cells, min_size=1, max_size=30).map(tuple),
    st.sampled_from((0, 2, 4, 6)),
    st.sampled_from((0, 2, 4)),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)


def numbered(number: int) -> str:
    return "⠼" + "⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚"[number % 10] * (1 + number // 10)


@settings(max_examples=150, deadline=None)
@given(st.lists(_block, min_size=1, max_size=8), st.integers(20, 40), st.integers(5, 25))
def test_words_stay_whole_lines_and_pages_fit_and_every_page_is_numbered(blocks, cells, lines):
    formatter = Formatter(cells, lines, numbered)
    for block in blocks:
        formatter.add(block)
    pages = formatter.finish()
    placed: list[str] = []
    divided: set[int] = set()
    for index, page in enumerate(pages, start=1):
        assert len(page) == lines and all(len(line) <= cells for line in page)
        assert page[-1].endswith(numbered(index))
        last = page[-1][: -len(numbered(index))]
        assert not last.strip(BLANK) or last.endswith(BLANK * PAGE_NUMBER_GAP)
        for line in (*page[:-1], last):
            for word in filter(None, line.split(BLANK)):
                if placed and placed[-1].endswith(LINE_CONTINUATION):
                    placed[-1] = placed[-1][:-1] + word
                    divided.add(len(placed) - 1)
                else:
                    placed.append(word)
    assert placed == [word for block in blocks for word in block.words]
    assert all(len(placed[index]) > cells - 6 for index in divided)  # only what no line of its block holds


def test_an_over_long_address_is_divided_at_its_last_break_point_that_fits():
    formatter = Formatter(20, 5, numbered)
    address = BREAK.join(["⠁" * 8 + "⠸⠌", "⠃" * 8 + "⠸⠌", "⠉" * 6])
    formatter.add(Block((address,)))
    first, second, *_ = formatter.finish()[0]
    assert first == "⠁" * 8 + "⠸⠌" + LINE_CONTINUATION  # the second piece and the indicator: 21 cells
    assert second == "⠃" * 8 + "⠸⠌" + "⠉" * 6


def test_chinese_fills_its_lines_dividing_a_run_between_syllables_unmarked():
    """A run of syllables (BREAK between them) is divided to fill the line, never inside a
    syllable, with no mark; a run of UEB (an address) that a line holds goes whole to the next."""
    syllables = ["⠞⠩⠁", "⠅⠊⠆", "⠩⠂", "⠚⠢⠆", "⠱⠂⠐"]
    chinese = Formatter(12, 5, numbered, Division("", fills_lines=True))
    chinese.add(Block(("⠕⠄⠍⠴", BREAK.join(syllables))))
    assert chinese.finish()[0][:2] == ["⠕⠄⠍⠴⠀⠞⠩⠁⠅⠊⠆", "⠩⠂⠚⠢⠆⠱⠂⠐"]
    ueb = Formatter(12, 5, numbered)
    ueb.add(Block(("⠕⠄⠍⠴", BREAK.join(syllables))))
    assert ueb.finish()[0][:2] == ["⠕⠄⠍⠴", "⠞⠩⠁⠅⠊⠆⠩⠂⠚⠢⠆" + LINE_CONTINUATION]


_syllable = st.builds(lambda initial, tone: initial + tone, st.text(st.sampled_from("⠃⠏⠍⠙⠞⠝⠇⠛⠅⠓⠱⠴⠩⠢⠥"), min_size=1, max_size=2), st.sampled_from("⠁⠂⠄⠆"))
_run = st.lists(_syllable, min_size=1, max_size=14).map(BREAK.join)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(_run, min_size=1, max_size=6), min_size=1, max_size=6), st.integers(20, 40), st.integers(5, 25))
def test_chinese_lines_end_between_syllables_and_hold_every_cell_in_order(blocks, cells, lines):
    """Each syllable ends with its tone cell (dots 1, 2, 3 or 23 here): a line ends with one."""
    formatter = Formatter(cells, lines, numbered, Division("", fills_lines=True))
    for words in blocks:
        formatter.add(Block(tuple(words), first=2))
    pages = formatter.finish()
    texts = []
    for index, page in enumerate(pages, start=1):
        assert len(page) == lines and all(len(line) <= cells for line in page)
        texts += [line.strip(BLANK) for line in (*page[:-1], page[-1][: -len(numbered(index))])]
    assert all(text[-1] in "⠁⠂⠄⠆" for text in texts if text)
    assert "".join(texts).replace(BLANK, "") == "".join(run for words in blocks for run in words).replace(BREAK, "")
