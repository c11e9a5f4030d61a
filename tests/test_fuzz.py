"""Property-based fuzzing: generated valid articles always build; broken ones never crash.

Two profiles (FUZZ_PROFILE): `test`, bounded and derandomized so `make test` is fast and
repeatable, and `fuzz` for `make fuzz`, randomized and over 10,000 cases. The case count is
printed at the end of the run (tests/figures.py).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

import figures
from click.testing import CliRunner
from conftest import FIRST_ARTICLE, MINIMAL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from output_checks import article_sentences, build_outputs, dump_yaml, html_parts, html_text, installed_renderers, live_content

from pipeline.cli import cli
from pipeline.model import markup, rules, walk
from pipeline.renderers import _html
from pipeline.source.limits import Limits
from pipeline.source.validate import load_article
from pipeline.text import sentences
from pipeline.verify.checks.webvtt import parse as parse_vtt

settings.register_profile("test", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("FUZZ_PROFILE", "test")
settings.load_profile(PROFILE)

# Examples per property. Building in every installed format is the slow one once the PDF,
# EPUB and audio renderers are installed (about a second each per article), so it gets fewer
# examples; the fast properties check plain text and the shared HTML builder on many more.
BUDGET = {
    "test": {"valid": 30, "every_format": 4, "mutated": 60, "broken": 40},
    "fuzz": {"valid": 1_500, "every_format": 100, "mutated": 6_500, "broken": 2_500},
}[PROFILE]

# ---------------------------------------------------------------- valid articles

EMOJI = ("👩‍⚕️", "🩺", "💊", "🇬🇧", "👍🏽", "❤️", "🧑🏿‍🦽", "1️⃣")
MARKUP_LOOKALIKES = ("*", "**", "[", "]", "(", ")", "!", "_", "`", "#", "<b>", "&amp;", "5 * 3", "a*b*c", "[1]", "(see above)", "\\")

_letters = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"),
    exclude_characters="\ufeff\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
)


def _marked(word: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A word wrapped in the markup the source format allows: strong, emphasis, a link."""
    path = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._~%/", max_size=24)
    host = st.sampled_from(("www.nhs.uk", "medlineplus.gov", "example.org", "bücher.example", "xn--bcher-kva.example"))
    return st.one_of(
        st.builds(lambda w: f"**{w}**", word),
        st.builds(lambda w: f"*{w}*", word),
        st.builds(lambda w, h, p: f"[{w}](https://{h}/{p})", word, host, path),
    )


_plain_word = st.one_of(
    st.text(_letters, min_size=1, max_size=12),
    st.text(st.characters(min_codepoint=0x05D0, max_codepoint=0x05EA), min_size=1, max_size=10),  # Hebrew
    st.text(st.characters(min_codepoint=0x0621, max_codepoint=0x064A), min_size=1, max_size=10),  # Arabic
    st.builds(lambda base, marks: base + "".join(marks), st.sampled_from("aeiouncAZ"), st.lists(st.characters(min_codepoint=0x300, max_codepoint=0x36F), max_size=4)),
    st.sampled_from(EMOJI),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzαβγδабвг", min_size=60, max_size=300),  # a very long word
    st.sampled_from(MARKUP_LOOKALIKES),
    st.sampled_from(("Stretch", "your", "calf", "muscles", "before", "bed", "Magnesium", "helps", "2", "mg")),
)
_word = st.one_of(_plain_word, _marked(st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=10)))
_sentence = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(_word, min_size=1, max_size=6),
    st.sampled_from((".", "!", "?", "", "…", "。", ":")),
)


def _valid_text(value: str) -> bool:
    return bool(markup.plain(value).strip()) and rules.forbidden_character(value) is None and not list(markup.markup_problems(value))


prose = st.builds(
    lambda sentences, separator: separator.join(sentences), st.lists(_sentence, min_size=1, max_size=3), st.sampled_from((" ", "  ", "\n", " \n "))
).filter(_valid_text)
public_url = st.builds(
    lambda host, path: f"https://{host}/{path}",
    st.sampled_from(("www.nhs.uk", "medlineplus.gov", "www.example.org", "bücher.example")),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._~%/?=&", max_size=40),
)
table = st.integers(1, 4).flatmap(
    lambda width: st.fixed_dictionaries(
        {
            "caption": prose,
            "columns": st.lists(prose, min_size=width, max_size=width),
            "rows": st.lists(st.lists(prose, min_size=width, max_size=width), min_size=1, max_size=3),
        }
    )
)
block = st.one_of(prose, st.fixed_dictionaries({"list": st.lists(prose, min_size=1, max_size=4)}), st.fixed_dictionaries({"table": table}))


def sections(depth: int = 1) -> st.SearchStrategy[list[dict]]:
    optional = {"sections": sections(depth + 1)} if depth < Limits().max_section_depth else {}
    section = st.fixed_dictionaries({"heading": prose}, optional={"body": st.lists(block, max_size=3), **optional})
    return st.lists(section, min_size=1, max_size=2 if depth > 1 else 3)


def _dated(data: dict, published: dt.date, days: int, as_text: bool) -> dict:
    review = published + dt.timedelta(days=days)
    data["published"], data["review_due"] = (published.isoformat(), review.isoformat()) if as_text else (published, review)
    return data


articles = st.builds(
    _dated,
    st.fixed_dictionaries(
        {
            "title": prose,
            "lang": st.sampled_from(("en", "en-GB", "es-419", "ar", "he", "zh-Hant-TW", "fr-CA", "de-CH-1996", "sr-Latn", "cy")),
            "summary": prose,
            "key_points": st.lists(st.fixed_dictionaries({"title": prose, "text": prose}), min_size=1, max_size=3),
            "sections": sections(),
            "disclaimer": prose,
        },
        optional={
            "subtitle": prose,
            "publisher": prose,
            "introduction": prose,
            "faq": st.lists(st.fixed_dictionaries({"question": prose, "answer": prose}), max_size=3),
            "references": st.lists(st.fixed_dictionaries({"title": prose, "url": public_url}, optional={"publisher": prose}), max_size=2),
            "web_url": public_url,
        },
    ),
    st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)),
    st.integers(1, 3650),
    st.booleans(),
).map(lambda data: _distinct(data))


def _distinct(data: dict) -> dict:
    """Make headings, questions and column names unique, as the rules require."""
    seen: set[str] = set()

    def unique(value: str, taken: set[str]) -> str:
        number = 1
        while sentences.fold_space(markup.plain(value)).casefold() in taken:
            value, number = f"{value} {number}", number + 1
        taken.add(sentences.fold_space(markup.plain(value)).casefold())
        return value

    def walk(items: list[dict]) -> None:
        for section in items:
            section["heading"] = unique(section["heading"], seen)
            for item in section.get("body", []):
                if isinstance(item, dict) and "table" in item:
                    columns: set[str] = set()
                    item["table"]["columns"] = [unique(column, columns) for column in item["table"]["columns"]]
            walk(section.get("sections", []))

    walk(data["sections"])
    questions: set[str] = set()
    for entry in data.get("faq", []):
        entry["question"] = unique(entry["question"], questions)
    return data


def _texts_in(data: object, key: str = "") -> list[str]:
    """Every prose string of generated article data (not its dates, language or addresses)."""
    if isinstance(data, str):
        return [] if key in ("lang", "url", "web_url", "published", "review_due") else [data]
    if isinstance(data, dict):
        return [found for name, value in data.items() for found in _texts_in(value, name)]
    if isinstance(data, list):
        return [found for value in data for found in _texts_in(value, key)]
    return []


def _written(directory: str, content: str | bytes) -> Path:
    path = Path(directory) / "fuzzed.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _validated_and_built(directory: str, data: dict, formats: tuple[str, ...] | None = None):
    """Dump generated data to YAML, load it as a user's file would be, build it in `formats`."""
    article = load_article(_written(directory, dump_yaml(data)))
    return article, build_outputs(article, Path(directory) / "out", installed_renderers(formats))


@settings(max_examples=BUDGET["valid"])
@given(articles)
def test_generated_valid_article_validates_and_keeps_every_sentence_in_text_and_html(data):
    figures.fuzz_cases["valid articles (text, HTML)"] += 1
    with tempfile.TemporaryDirectory() as directory:
        article, outputs = _validated_and_built(directory, data, ("txt",))
        plain_text = sentences.fold_space(outputs["txt"][0].read_text("utf-8"))
    prose_in = _texts_in({key: value for key, value in data.items() if key != "publisher"})  # shown by no format yet
    assert sorted(walk.article_texts(article)) == sorted(prose_in)  # nothing lost or changed on the way in
    html = _html.document(article, "style.css", _html.body(article))
    assert live_content(html) == []
    expected = article_sentences(article)
    assert [sentence for sentence in expected if sentence not in plain_text] == []
    assert [sentence for sentence in expected if sentence not in html_text(html)] == []


def _printable(data: object) -> object:
    """The same article with each character the leaflet's fonts lack replaced by one they have.

    The PDF refuses, by design, text it would print as empty boxes (a test in
    test_pdf_security.py holds it to that); the bundled fonts cover Latin, Greek, Cyrillic,
    Hebrew, Arabic, combining marks and emoji, so only other scripts are swapped here.
    """
    from pipeline.renderers._weasyprint import missing_glyphs

    if isinstance(data, str):
        missing = set(missing_glyphs(data))
        return "".join(PRINTABLE[ord(char) % len(PRINTABLE)] if char in missing else char for char in data)
    if isinstance(data, dict):
        return {key: _printable(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_printable(value) for value in data]
    return data


PRINTABLE = "abcdefghijklmnopqrstuvwxyzαβγδабвгאבגדابتث"
printable_articles = articles.map(_printable).map(_distinct)


@settings(max_examples=BUDGET["every_format"])
@given(printable_articles)
def test_generated_valid_article_builds_in_every_installed_format_and_keeps_every_sentence(data):
    figures.fuzz_cases["valid articles (every format)"] += 1
    with tempfile.TemporaryDirectory() as directory:
        article, outputs = _validated_and_built(directory, data)
        for files in outputs.values():
            for path in files:
                assert path.stat().st_size > 0
                assert [problem for _name, html in html_parts(path) for problem in live_content(html)] == []
        plain_text = sentences.fold_space(outputs["txt"][0].read_text("utf-8"))
        [vtt] = [path for path in outputs["audio"] if path.suffix == ".vtt"]
        transcript = sentences.fold_space(" ".join(cue.text for cue in parse_vtt(vtt.read_text("utf-8"))))
    expected = article_sentences(article)
    assert expected
    assert [sentence for sentence in expected if sentence not in plain_text] == []
    assert [sentence for sentence in expected if sentence not in transcript] == []


# ---------------------------------------------------------------- broken documents

SEEDS = (MINIMAL, FIRST_ARTICLE.read_text("utf-8"))
WRONG_VALUES = (b"42", b"true", b"null", b"~", b"[]", b"{}", b"[a, b]", b"{a: b}", b"-1.5e3", b"2026-13-01", b"0x1F", b"''", b'""', b"|", b">-")
TOKENS = (
    b"[", b"]", b"{", b"}", b":", b": ", b"- ", b"&a ", b"*a", b"!!python/object:os.system ", b"!x ", b"? ", b"<<: ", b"|", b">",
    b"'", b'"', b"#", b"%", b"@", b"`", b"---\n", b"...\n", b"\xef\xbb\xbf", b"\r", b"\x00", "\u202e".encode(), b"\xff",
    b"\xc3", b"\t", b"\\", b"\\u0000", b"![x](https://a.b/c.png)", b"[x](javascript:alert(1))", b"2026-02-30", b"en_GB",
)  # fmt: skip
SOURCE_LINE = re.compile(r"^(?P<file>.+):(?P<line>[0-9]+):(?P<column>[0-9]+): error: \S.*$")
TOP_LEVEL_KEY = re.compile(rb"^[a-z_]+:")


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real source with one to three random edits: lines lost, doubled, moved, re-indented,
    values of the wrong type, YAML tokens and raw bytes dropped in, text cut short."""
    lines = draw(st.sampled_from(SEEDS)).encode().split(b"\n")
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        position = draw(st.integers(0, len(line)))
        edit = draw(st.sampled_from(("delete", "duplicate", "move", "indent", "dedent", "value", "token", "bytes", "cut")))
        if edit == "delete" and len(lines) > 1:
            del lines[index]
        elif edit == "duplicate":
            lines.insert(index, line)
        elif edit == "move":
            lines.insert(draw(st.integers(0, len(lines) - 1)), lines.pop(index))
        elif edit == "indent":
            lines[index] = draw(st.sampled_from((b" ", b"  ", b"    ", b"\t"))) + line
        elif edit == "dedent":
            lines[index] = line[1:] if line.startswith(b" ") else line
        elif edit == "value" and b": " in line:
            lines[index] = line.split(b": ", 1)[0] + b": " + draw(st.sampled_from(WRONG_VALUES))
        elif edit == "token":
            lines[index] = line[:position] + draw(st.sampled_from(TOKENS)) + line[position:]
        elif edit == "bytes":
            lines[index] = line[:position] + draw(st.binary(min_size=1, max_size=6)) + line[position:]
        elif edit == "cut":
            lines[index] = line[:position]
    return b"\n".join(lines)


@st.composite
def broken(draw: st.DrawFn) -> bytes:
    """A real source with one edit that always makes it invalid."""
    lines = draw(st.sampled_from(SEEDS)).encode().split(b"\n")
    keys = [index for index, line in enumerate(lines) if TOP_LEVEL_KEY.match(line)]
    index = draw(st.sampled_from(keys))
    edit = draw(st.sampled_from(("duplicate key", "required key lost", "wrong type", "invalid UTF-8")))
    if edit == "duplicate key":
        lines.insert(index, lines[index])
    elif edit == "required key lost":
        required = [i for i in keys if re.match(rb"^(title|lang|summary|key_points|sections|disclaimer|published|review_due):", lines[i])]
        del lines[draw(st.sampled_from(required))]
    elif edit == "wrong type":
        single_line = [i for i in keys if i + 1 == len(lines) or not lines[i + 1].startswith(b" ")]  # not `summary: >-` and text below
        required = [i for i in single_line if re.match(rb"^(title|lang|summary|disclaimer|published|review_due): ", lines[i])]
        chosen = draw(st.sampled_from(required))
        lines[chosen] = lines[chosen].split(b":", 1)[0] + b": " + draw(st.sampled_from((b"42", b"[]", b"{}", b"null", b"true", b"[a, b]")))
    else:
        position = draw(st.integers(0, len(lines[index])))
        lines[index] = lines[index][:position] + draw(st.sampled_from((b"\xff", b"\xc3(", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"))) + lines[index][position:]
    return b"\n".join(lines)


def _validated(content: bytes) -> tuple[int, list[str], Path, str]:
    with tempfile.TemporaryDirectory() as directory:
        path = _written(directory, content)
        result = CliRunner().invoke(cli, ["validate", str(path)])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)  # a crash
        assert result.exit_code in (0, 1)
        return result.exit_code, result.stderr.splitlines(), path, result.stdout


def _assert_points_into_the_file(errors: list[str], path: Path, content: bytes) -> None:
    lines = content.decode("utf-8", "replace").split("\n")
    assert errors, "exit 1 without a message"
    for error in errors:
        found = SOURCE_LINE.match(error)
        assert found and found["file"] == str(path), error
        line, column = int(found["line"]), int(found["column"])
        assert 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1, error


@settings(max_examples=BUDGET["mutated"])
@given(mutated())
def test_mutated_source_is_refused_with_positions_or_else_still_builds(content):
    status, errors, path, stdout = _validated(content)
    if status == 0:
        figures.fuzz_cases["mutated documents (still valid)"] += 1
        assert errors == [] and stdout.startswith("ok: fuzzed")
        with tempfile.TemporaryDirectory() as directory:
            build_outputs(load_article(_written(directory, content)), Path(directory) / "out", installed_renderers(("txt",)))
    else:
        figures.fuzz_cases["mutated documents (refused)"] += 1
        assert stdout == ""
        _assert_points_into_the_file(errors, path, content)


@settings(max_examples=BUDGET["broken"])
@given(broken())
def test_broken_source_always_exits_1_with_positions(content):
    figures.fuzz_cases["broken documents"] += 1
    status, errors, path, _stdout = _validated(content)
    assert status == 1
    _assert_points_into_the_file(errors, path, content)
