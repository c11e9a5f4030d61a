"""The reader's sequence: what an edition's reader perceives, in order, held to the source.

Every parity check reads its edition the way its reader does (the glyphs on a page, the text
a browser displays, the cues a listener hears) as a list of passages in reading order, each
with its place in the edition's own terms ("page 2, line 14", "cue 31 at 3:02.480"). Those
words are aligned with the source's sentences, word by word (difflib, not set membership):

- every sentence of the source must be read, whole and in the source's order: a sentence
  missing, changed, or read elsewhere than its place is reported with both places;
- a long sentence read twice is reported (a pasted copy is not what the source says);
- every word read that the alignment does not give to a source sentence must be one the
  pipeline adds: the catalogue's words, CLDR's month and day names, numbers, the addresses
  and contact details of the article and its publisher, and the short source texts an
  edition repeats (the title in running heads, a table's column names before each cell:
  `pipeline.verify.vocabulary`). Anything else is unexplained text, such as a sentence
  nobody wrote.

Words are compared case-folded, NFKC-normalised, without hyphens and apostrophes, so line
breaks, hyphenation and typographic quotes cannot hide or fake a match.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from pipeline.model import Article, walk
from pipeline.text import sentences
from pipeline.verify import details
from pipeline.verify.details import Detail
from pipeline.verify.vocabulary import addresses, explained, key, vocabulary, words_of

REPEAT_WORDS = 6
"""A sentence of at least this many words read twice is a repeat; shorter ones (a heading, a
table cell, a key point's title) recur inside other sentences by nature."""
SHOWN_FINDINGS = 3
"""Findings of each kind named in a report: the first, in reading order, and a few after."""
MAX_INSERTED = 12
"""Words that may come between two words of a sentence: an address print adds after a link."""


@dataclass(frozen=True)
class Passage:
    """A piece of an edition as its reader perceives it, and where it stands in the edition."""

    text: str
    where: str


@dataclass(frozen=True)
class Word:
    key: str
    shown: str
    owner: int
    """The index of the sentence (expected side) or passage (read side) it belongs to."""


@dataclass(frozen=True)
class Expected:
    """One source sentence: its words, and where it stands in the source file."""

    text: str
    where: str


@dataclass(frozen=True)
class Reading:
    """What the alignment found: sentences read in order out of all, and the findings."""

    total: int
    in_order: int
    missing: tuple[str, ...]
    out_of_order: tuple[str, ...]
    repeated: tuple[str, ...]
    unexplained: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not (self.missing or self.out_of_order or self.repeated or self.unexplained)

    @property
    def figure(self) -> str:
        found = f"{self.in_order}/{self.total} sentences of the source in order"
        wrong = [(len(items), name) for items, name in ((self.missing, "missing"), (self.out_of_order, "out of order"),
                                                          (self.repeated, "repeated"), (self.unexplained, "unexplained"))]
        return ", ".join([found, *(f"{count} {name}" for count, name in wrong if count)])

    @property
    def messages(self) -> tuple[str, ...]:
        return tuple(_first(list(self.missing)) + _first(list(self.out_of_order)) + _first(list(self.repeated)) + _first(list(self.unexplained)))


def expected_sentences(article: Article, where: Callable[[walk.Location, int], str]) -> list[Expected]:
    """The source's sentences in reading order; `where(location, index)` names their place."""
    return [
        Expected(sentence.text, f"{where(item.location, sentence.start)} {walk.dotted_path(item.location)}")
        for item in walk.source_texts(article)
        for sentence in sentences.located_sentences(item.value)
    ]


def compare(article: Article, expected: Sequence[Expected], passages: Sequence[Passage]) -> Reading:
    """Align what a reader perceives (`passages`) with the source's sentences (`expected`)."""
    wanted = _words(sentence.text for sentence in expected)
    read = _words(passage.text for passage in passages)
    alignment = Alignment(expected, passages, wanted, read, _matches(wanted, read))
    missing, out_of_order = alignment.unplaced()  # before `unexplained`: it marks the words moved
    return Reading(
        total=len(expected),
        in_order=len(alignment.placed),
        missing=tuple(missing),
        out_of_order=tuple(out_of_order),
        repeated=tuple(alignment.repeated()),
        unexplained=tuple(alignment.unexplained(vocabulary(article), addresses(article))),
    )


def _words(texts: Iterable[str]) -> list[Word]:
    """The words of each text in turn, each owned by its text's index, rejoined at hyphens."""
    return _rejoined([Word(key(word), word, index) for index, text in enumerate(texts) for word in words_of(text)])


def _rejoined(words: list[Word]) -> list[Word]:
    """A word that ends in a hyphen joined with the next: a line may break a word at its
    hyphen ('bar-' / 'bar', 'climate-' / 'change'), which the source writes as one word."""
    joined: list[Word] = []
    for word in words:
        before = joined[-1] if joined else None
        if before is not None and before.shown.endswith(("-", "\u2010")):
            joined[-1] = Word(before.key + word.key, before.shown + word.shown, before.owner)
        else:
            joined.append(word)
    return joined


def _matches(wanted: list[Word], read: list[Word]) -> dict[int, int]:
    """Index of a wanted word -> index of the read word it is aligned with."""
    matcher = difflib.SequenceMatcher(None, [word.key for word in wanted], [word.key for word in read], autojunk=False)
    return {block.a + offset: block.b + offset for block in matcher.get_matching_blocks() for offset in range(block.size)}


@dataclass
class Alignment:
    """The source's words aligned with the words read, and what that says of each sentence."""

    expected: Sequence[Expected]
    passages: Sequence[Passage]
    wanted: list[Word]
    read: list[Word]
    matched: dict[int, int]

    def __post_init__(self) -> None:
        self.keys = [word.key for word in self.read]
        self.sentence_words = {owner: list(group) for owner, group in itertools.groupby(range(len(self.wanted)), key=lambda index: self.wanted[index].owner)}
        self.moved: set[int] = set()
        """Read words of sentences found away from their place (reported as out of order)."""
        self.placed = {owner: (self.matched[indexes[0]], self.matched[indexes[-1]]) for owner, indexes in self.sentence_words.items() if self._whole(indexes)}
        """Sentence index -> (first, last) read word of each sentence read whole in its place."""

    def _whole(self, indexes: list[int]) -> bool:
        """Every word aligned, one after another: at most a few words apart (print adds a
        link's address, '(https://...)', after its text)."""
        if not all(index in self.matched for index in indexes):
            return False
        positions = [self.matched[index] for index in indexes]
        return all(after - before <= MAX_INSERTED + 1 for before, after in itertools.pairwise(positions))

    def where(self, read_index: int) -> str:
        return self.passages[self.read[read_index].owner].where

    def unplaced(self) -> tuple[list[str], list[str]]:
        """Messages for the sentences not read in their place: out of order where their words
        stand together elsewhere, else changed (most words in place) or missing."""
        missing, out_of_order = [], []
        for index, sentence in enumerate(self.expected):
            if index in self.placed or index not in self.sentence_words:
                continue
            indexes = self.sentence_words[index]
            elsewhere = _find(self.keys, [self.wanted[word].key for word in indexes])
            before = [last for owner, (_first, last) in self.placed.items() if owner < index]
            belongs = f"after {self.where(max(before))}" if before else "at the start"
            aligned = [self.matched[word] for word in indexes if word in self.matched]
            if elsewhere is not None:
                self.moved.update(range(elsewhere, elsewhere + len(indexes)))
                out_of_order.append(f'out of order: {sentence.where}: "{_short(sentence.text)}" is read at {self.where(elsewhere)}, not {belongs}')
            elif len(aligned) * 2 >= len(indexes):
                found = " ".join(self.read[position].shown for position in range(min(aligned), max(aligned) + 1))
                missing.append(f'changed: {sentence.where}: "{_short(sentence.text)}" reads "{_short(found)}" at {self.where(min(aligned))}')
            else:
                missing.append(f'missing: {sentence.where}: "{_short(sentence.text)}" is not read (it belongs {belongs})')
        return missing, out_of_order

    def repeated(self) -> list[str]:
        """Long sentences read again where no other sentence is read (a pasted copy): a
        sentence's words inside a longer sentence are that sentence's."""
        aligned = set(self.matched.values())
        found = []
        for index, indexes in self.sentence_words.items():
            sought = [self.wanted[word].key for word in indexes]
            copy = _find(self.keys, sought, aligned) if len(sought) >= REPEAT_WORDS and index in self.placed else None
            if copy is not None:
                sentence = self.expected[index]
                found.append(f'repeated: {sentence.where}: "{_short(sentence.text)}" is read at {self.where(self.placed[index][0])} and again at {self.where(copy)}')
        return found

    def unexplained(self, allowed: frozenset[str], addresses: frozenset[str]) -> list[str]:
        """Runs of read words given to no sentence that hold a word the pipeline does not add;
        inside a sentence, only an address may come between its words."""
        inside = {position for first, last in self.placed.values() for position in range(first, last + 1)}
        aligned = set(self.matched.values()) | self.moved
        found = []
        for is_aligned, run in itertools.groupby(range(len(self.read)), key=lambda index: index in aligned):
            indexes = list(run)
            strange = [index for index in indexes if not explained(self.read[index].key, addresses if index in inside else allowed)]
            if not is_aligned and strange:
                shown = " ".join(self.read[index].shown for index in indexes)
                unknown = ", ".join(dict.fromkeys(repr(self.read[index].shown) for index in strange[:SHOWN_FINDINGS]))
                found.append(f'unexplained: "{_short(shown)}" at {self.where(strange[0])}: neither the source nor the catalogue says {unknown}')
        return found


def unshown(wanted: Sequence[Detail], passages: Sequence[Passage]) -> list[str]:
    """A message for each detail the passages do not show word for word."""
    read = [word.key for word in _words(passage.text for passage in passages)]
    return [details.unshown(detail) for detail in wanted if _find(read, [key(word) for word in words_of(detail.text)]) is None]


def _find(keys: list[str], sought: list[str], taken: set[int] = frozenset()) -> int | None:  # type: ignore[assignment]
    """The index in `keys` where `sought` stands word for word, none of its words `taken`, or None."""
    if not sought:
        return None
    for index in range(len(keys) - len(sought) + 1):
        if keys[index] == sought[0] and keys[index : index + len(sought)] == sought and taken.isdisjoint(range(index, index + len(sought))):
            return index
    return None


def _short(text: str, width: int = 80) -> str:
    text = sentences.fold_space(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _first(items: list[str]) -> list[str]:
    """The first findings of a kind, and how many more there are."""
    more = len(items) - SHOWN_FINDINGS
    return items[:SHOWN_FINDINGS] + ([f"... and {more} more like these"] if more > 0 else [])
