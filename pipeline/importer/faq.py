"""Questions and answers: question headings, bold question lines ("**Is it serious?** Rarely."),
lines that are a question, "Q:" and "A:" labels, or a definition list; each followed by its
answer. An answer with no question before it (a scraped page often loses them) is kept and
its question left for the author to write."""

from __future__ import annotations

import re
from typing import Any

from pipeline.importer import blocks as body_blocks
from pipeline.importer import inline
from pipeline.importer.document import Block, Node
from pipeline.importer.findings import Findings, shown
from pipeline.importer.words import Words
from pipeline.model.markup import plain
from pipeline.text.sentences import sentences

MAX_QUESTION_WORDS = 30


def entries(part_blocks: list[Block], words: Words, findings: Findings) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    lines: list[int] = []

    def add(question: str | None, answer: str | None, line: int) -> None:
        """A new entry; or, for an answer alone, the rest of the last question's answer."""
        if not question and not answer:
            return
        if question is None and found and "question" in found[-1]:
            last = found[-1]
            last["answer"] = f"{last['answer']} {answer}" if "answer" in last else answer
            return
        found.append({key: value for key, value in (("question", question), ("answer", answer)) if value})
        lines.append(line)

    for block in part_blocks:
        if block.kind == "Header":
            add(body_blocks.prose(block.inlines, block.line, findings, "the questions"), None, block.line)
        elif block.kind == "Para":
            add(*_question_and_answer(block, words, findings), block.line)
        elif block.kind == "DefinitionList":
            for term, definitions in block.node["c"]:
                answers = [" ".join(body_blocks.paragraphs(item, block.line, findings, "an answer")) for item in definitions]
                add(body_blocks.prose(term, block.line, findings, "a question"), " ".join(answers) or None, block.line)
        elif block.kind in ("BulletList", "OrderedList"):
            items = body_blocks.list_items(block, findings, "an answer")
            findings.warn(block.line, f"an answer holds a list of {len(items)} items, which an answer cannot: they are joined into its text; check")
            add(None, " ".join(items), block.line)
        elif block.kind == "Figure":
            body_blocks.figure(block, findings, "the questions")
        else:
            findings.warn(block.line, f"a {block.name} among the questions and answers cannot be placed there: move it into a section")
    _report(found, lines, findings)
    return found


def _report(found: list[dict[str, Any]], lines: list[int], findings: Findings) -> None:
    for index, (entry, line) in enumerate(zip(found, lines)):
        if "question" not in entry:
            findings.warn(line, f"answer {index + 1} has no question: write one ({shown(plain(entry['answer']))})", ("faq", index, "question"))
        if "answer" not in entry:
            findings.warn(line, f"question {index + 1} has no answer: write one ({shown(plain(entry['question']))})", ("faq", index, "answer"))


def _question_and_answer(block: Block, words: Words, findings: Findings) -> tuple[str | None, str | None]:
    """(question, answer) that one paragraph holds: either or both."""
    nodes = block.inlines
    labelled = _labelled(nodes, words)
    if labelled is not None:
        kind, rest = labelled
        value = body_blocks.prose(rest, block.line, findings, "the questions")
        return (value, None) if kind == "question" else (None, value)
    bold = inline.leading_strong(nodes)
    if bold is not None:
        question = inline.plain(bold[0]).strip()
        after = inline.plain(bold[1]).strip()
        if not after or question.endswith("?"):
            question_text = body_blocks.prose(bold[0], block.line, findings, "a question")
            return question_text, body_blocks.prose(bold[1], block.line, findings, "an answer") or None
    plain = block.plain
    if plain.endswith("?") and len(sentences(plain)) == 1 and len(plain.split()) <= MAX_QUESTION_WORDS:
        return body_blocks.prose(nodes, block.line, findings, "a question"), None
    return None, body_blocks.prose(nodes, block.line, findings, "an answer")


def _labelled(nodes: list[Node], words: Words) -> tuple[str, list[Node]] | None:
    """("question" or "answer", the words after the label) for "Q: ..." or "A: ..."."""
    for kind, labels in (("question", words.question_labels), ("answer", words.answer_labels)):
        pattern = re.compile(rf"(?:{'|'.join(labels)})[:.]", re.IGNORECASE)
        first = nodes[0] if nodes else None
        if first and first["t"] == "Str" and pattern.fullmatch(first["c"]):
            return kind, nodes[1:]
        if first and first["t"] == "Strong" and pattern.fullmatch(inline.plain(first["c"]).strip()):
            return kind, nodes[1:]
    return None
