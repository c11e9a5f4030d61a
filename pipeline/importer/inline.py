"""pandoc inline elements -> our inline markup: `**strong**`, `*emphasis*`, `[text](https://...)`.

Anything else keeps its words and loses its styling (underline, small caps, superscript,
quotes, code). Markup that would not read back as written (a bold run inside a word,
emphasis inside a link) is dropped rather than risk garbling the words; `markup.plain` of the
result is always the plain text of the inlines. Images and footnotes cannot be placed in
prose: they are collected in `Inlines.dropped` for the importer to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.model import markup as markup_module
from pipeline.model.rules import url_problem
from pipeline.text.sentences import fold_space

Node = dict[str, Any]

_QUOTES = {"SingleQuote": "'", "DoubleQuote": '"'}


@dataclass
class Dropped:
    """Something in the text the source format cannot hold: an image (with its alt text), a
    footnote, or a link whose address is not a public web address."""

    kind: str  # image | footnote | link
    words: str
    target: str = ""


@dataclass
class Inlines:
    """One run of pandoc inlines as markup and plain text, with what had to be left out."""

    markup: str
    plain: str
    dropped: list[Dropped] = field(default_factory=list)


def convert(nodes: list[Node]) -> Inlines:
    """The markup for `nodes`, falling back to plain text if the markup would misread."""
    dropped: list[Dropped] = []
    written = _tidy(_inner(nodes, dropped, FULL))
    words = _tidy(_inner(nodes, [], PLAIN))
    if fold_space(markup_module.plain(written)) != words or list(markup_module.markup_problems(written)):
        written = words
    return Inlines(written, words, dropped)


def plain(nodes: list[Node]) -> str:
    return convert(nodes).plain


FULL, PLAIN = "full", "plain"
"""How much markup to write: all of it, or none (a link's label, a run inside bold)."""


def children(node: Node) -> list[Node]:
    """The inlines inside an inline element (none for a word or a space)."""
    kind, content = node["t"], node.get("c")
    if kind in ("Strong", "Emph", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
        return content
    if kind in ("Span", "Quoted", "Cite"):
        return content[1]
    if kind in ("Link", "Image"):
        return content[1]
    return []


def _tidy(value: str) -> str:
    """Runs of ordinary white space folded; a no-break space the author chose (French puts one
    before '?') is kept, as the source format keeps it."""
    return re.sub(r"[ \t\n\r\f\v]+", " ", value).strip(" \t\n\r\f\v")


def _markup(node: Node, dropped: list[Dropped], mode: str) -> str:
    kind, content = node["t"], node.get("c")
    if kind == "Str":
        return content
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind in ("Code", "Math"):
        return content[-1]
    if kind == "Quoted":
        mark = _QUOTES[content[0]["t"]]
        return mark + _inner(children(node), dropped, mode) + mark
    if kind in ("Strong", "Emph"):
        return _styled(children(node), "**" if kind == "Strong" else "*", dropped, mode)
    if kind == "Link":
        return _link(content, dropped, mode)
    if kind == "Image":
        dropped.append(Dropped("image", _tidy(_inner(children(node), [], PLAIN)), content[2][0]))
        return ""
    if kind == "Note":
        dropped.append(Dropped("footnote", " ".join(plain_blocks(content))))
        return ""
    return _inner(children(node), dropped, mode)  # RawInline and unknown elements have none


def _inner(nodes: list[Node], dropped: list[Dropped], mode: str) -> str:
    return "".join(_markup(node, dropped, mode) for node in nodes)


def _styled(nodes: list[Node], mark: str, dropped: list[Dropped], mode: str) -> str:
    """`**run**` around each stretch of `nodes` between links (our markup nests nothing), any
    spaces at a run's ends moved outside its marks."""
    if mode != FULL:
        return _inner(nodes, dropped, mode)
    parts, run = [], []
    for node in [*nodes, None]:
        if node is not None and node["t"] != "Link":
            run.append(node)
            continue
        inner = _inner(run, dropped, PLAIN)
        core = inner.strip()
        if core:
            parts.append(f"{inner[: len(inner) - len(inner.lstrip())]}{mark}{core}{mark}{inner[len(inner.rstrip()) :]}")
        else:
            parts.append(inner)
        run = []
        if node is not None:
            parts.append(_markup(node, dropped, mode))
    return "".join(parts)


def _link(content: list[Any], dropped: list[Dropped], mode: str) -> str:
    label = _tidy(_inner(content[1], dropped, PLAIN))
    url = content[2][0]
    if mode == PLAIN or url.startswith("#") or not label:
        return label
    if url_problem(url):
        dropped.append(Dropped("link", label, url))
        return label
    return f"[{label}]({url})"


def plain_blocks(blocks: list[Node]) -> list[str]:
    """The plain text of each paragraph-like block in `blocks`, nested lists included."""
    found: list[str] = []
    for block in blocks:
        kind, content = block["t"], block.get("c")
        if kind in ("Para", "Plain", "Header"):
            found.append(plain(content if kind != "Header" else content[2]))
        elif kind in ("BulletList", "OrderedList"):
            for item in content if kind == "BulletList" else content[1]:
                found += plain_blocks(item)
        elif kind in ("BlockQuote", "Div"):
            found += plain_blocks(content if kind == "BlockQuote" else content[1])
    return [item for item in found if item]


def leading_strong(nodes: list[Node]) -> tuple[list[Node], list[Node]] | None:
    """(the bold run a paragraph opens with, the rest), or None when it does not open bold."""
    start = 0
    while start < len(nodes) and nodes[start]["t"] in ("Space", "SoftBreak"):
        start += 1
    if start < len(nodes) and nodes[start]["t"] == "Strong":
        return nodes[start]["c"], nodes[start + 1 :]
    return None


def web_links(nodes: list[Node]) -> list[tuple[str, str]]:
    """(label, address) of each link to a public web address, in reading order."""
    found: list[tuple[str, str]] = []
    for node in nodes:
        if node["t"] == "Link":
            if not url_problem(node["c"][2][0]):
                found.append((plain(node["c"][1]), node["c"][2][0]))
        else:
            found += web_links(children(node))
    return found


BARE_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")
