"""Passive-voice candidates: a form of "to be", perhaps an adverb, then a past participle.

A heuristic, so its finds are candidates: "is impaired" and "are often reversed" are
passive; "is tired" is an adjective that the same pattern catches. The writer decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.text import sentences

_BE = {"am", "is", "are", "was", "were", "be", "been", "being", "isn't", "aren't", "wasn't", "weren't"}
_ADVERBS = {"not", "often", "also", "always", "never", "usually", "still", "sometimes", "then", "now", "just", "all"}
_IRREGULAR = {"known", "seen", "given", "taken", "made", "done", "found", "shown", "written", "held", "felt", "kept", "left", "told", "thought", "brought", "bought", "caught", "taught", "put", "set", "cut", "hurt", "led", "fed", "meant", "built", "sent", "spent", "lost", "paid", "said", "sold", "born", "worn", "torn", "drawn", "grown", "thrown", "broken", "chosen", "spoken", "frozen", "forgotten", "hidden", "bitten", "eaten", "fallen", "driven", "beaten", "begun", "understood", "run", "become", "struck", "stuck", "shut", "spread", "bound", "ground"}


@dataclass(frozen=True)
class Candidate:
    start: int  # index in the sentence of the form of "to be"
    phrase: str


def candidates(sentence: str) -> list[Candidate]:
    """Each "be (+ adverb) + participle" run in one sentence of plain text."""
    found = []
    words = [(match.start(), match.group().lower().replace("’", "'")) for match in sentences.WORD.finditer(sentence)]
    for index, (start, word) in enumerate(words):
        if word not in _BE:
            continue
        following = words[index + 1 : index + 4]
        for offset, (_, after) in enumerate(following):
            if _is_participle(after):
                end = following[offset][0] + len(after)
                found.append(Candidate(start, sentence[start:end]))
                break
            if not (after in _ADVERBS or after.endswith("ly")):
                break
    return found


def _is_participle(word: str) -> bool:
    return word in _IRREGULAR or (len(word) > 3 and word.endswith("ed") and not word.endswith("eed"))
