"""Every validation rule: one broken source each, with its message and its line."""

from __future__ import annotations

import pytest
from conftest import FIRST_ARTICLE, MINIMAL
from pydantic import ValidationError

from pipeline.source.limits import Limits
from pipeline.source.problems import SourceError
from pipeline.source.validate import load_article


def problems_of(path, limits=None):
    with pytest.raises(SourceError) as caught:
        load_article(path, limits)
    return [str(problem) for problem in caught.value.problems]


def replaced(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new, 1)


def test_first_article_is_valid_and_complete():
    article = load_article(FIRST_ARTICLE)
    assert article.lang == "en"
    assert len(article.key_points) == 6
    assert len(article.faq) == 8
    assert all(entry.question.endswith("?") for entry in article.faq)
    assert len(article.references) >= 4
    tables = [block.table for section in article.sections for block in section.body if hasattr(block, "table")]
    assert len(tables) == 1 and len(tables[0].columns) == 3 and len(tables[0].rows) == 4
    assert article.review_due > article.published


def test_minimal_article_is_valid(write_source):
    article = load_article(write_source(MINIMAL))
    assert article.id == "article"
    assert article.sections[0].sections[0].heading == "When to see a doctor"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("question: Are night cramps dangerous?", 'question: ""', ":24:15: error: faq[0].question: is blank"),
        ("  - title: Muscle Cramps\n    publisher: MedlinePlus\n    url: https://medlineplus.gov/musclecramps.html", "  - {}",
         ":27:5: error: references[0].title: required key 'title' is missing"),
        ("sections:\n  - heading: What helps", "sectoins:\n  - heading: What helps", ":7:1: error: sectoins: unknown key 'sectoins': did you mean 'sections'?"),
        ("lang: en", "lang: 42", ":2:7: error: lang: expected text, found a number (42)"),
        ("lang: en", "lang: english language", ":2:7: error: lang: 'english language' is not a BCP 47 language tag"),
        ("url: https://medlineplus.gov/musclecramps.html", "url: javascript:alert(1)", ":29:10: error: references[0].url: 'javascript:alert(1)' is not a web address"),
        ("url: https://medlineplus.gov/musclecramps.html", "url: file:///etc/passwd", ":29:10: error: references[0].url: 'file:///etc/passwd' is not a web address"),
        ("url: https://medlineplus.gov/musclecramps.html", "url: /musclecramps.html", "references[0].url: '/musclecramps.html' is not a web address"),
        ("url: https://medlineplus.gov/musclecramps.html", "url: https://medlineplus.gov/muscle cramps", "remove the spaces"),
        ("            - [Stretching, Every evening]", "            - [Stretching, Every evening, Always]",
         ":18:15: error: sections[0].body[2].table.rows[0]: row has 3 cells but the table has 2 columns"),
        ("review_due: 2027-01-10", "review_due: 2025-01-10", ":32:13: error: review_due: review date 2025-01-10 is not after the publication date 2026-01-10"),
        ("published: 2026-01-10", "published: soon", ":31:12: error: published: expected a date written as YYYY-MM-DD"),
        ("      - heading: When to see a doctor", "      - heading: What helps", "duplicate heading 'What helps' (also at sections[0].heading)"),
        ("  - question: Are night cramps dangerous?\n    answer: Usually not. See a doctor if they are frequent.",
         "  - question: Are night cramps dangerous?\n    answer: No.\n  - question: are night cramps  dangerous?\n    answer: No.",
         ":26:15: error: faq[1].question: duplicate question"),
        ("      - Gentle stretching helps many people. Drink enough water.", "      - See ![a photo](https://example.org/a.png).", "images are not supported in text"),
        ("      - Gentle stretching helps many people. Drink enough water.", "      - Click [here](javascript:alert(1)).", "link [here]: 'javascript:alert(1)' is not a web address"),
        ("      - Gentle stretching helps many people. Drink enough water.", "      - {quote: Hello}", ":10:9: error: sections[0].body[0]: a block must be a paragraph (text)"),
        ("      - list:\n          - Stretch your calf muscles.\n          - Walk around for a minute.", "      - list: []", "sections[0].body[1].list: is empty"),
        ("summary: Most night cramps are harmless. Stretching helps.", "summary: \"Harmless\\u202Ereally\"", ":3:10: error: summary: invisible bidirectional control character U+202E"),
        ("key_points:\n  - title: Stretch\n    text: Stretch your calves before bed.", "key_points: []", "key_points: is empty: give at least one item"),
    ],
)
def test_broken_source_is_refused_with_its_line(write_source, old, new, expected):
    messages = problems_of(write_source(replaced(old, new)))
    assert any(expected in message for message in messages), messages


def test_every_problem_is_reported_at_once(write_source):
    broken = replaced("lang: en", "lang: 42").replace("question: Are night cramps dangerous?", 'question: " "')
    broken = broken.replace("title: Leg cramps at night", "titel: Leg cramps at night")
    messages = problems_of(write_source(broken))
    assert len(messages) == 3, messages  # misspelt title (not also "title is missing"), bad lang, blank question
    assert messages == sorted(messages, key=lambda m: int(m.split(":")[1]))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", ":1:1: error: the file is empty"),
        (b"  \n\n", ":1:1: error: the file is empty"),
        (b"- a\n- b\n", ":1:1: error: the file must be a YAML mapping of keys (title:, lang:, ...), found a list"),
        (b"title: caf\xe9\n", ":1:11: error: byte 0xE9 is not valid UTF-8"),
        (b"\xef\xbb\xbftitle: x\n", ":1:1: error: the file starts with a byte-order mark"),
        (b"title: [unclosed\nlang: en\n", ":1:8: error: this [ is never closed: add the matching ]"),
        (b"title: a\n\tlang: en\n", ":2:1: error: a tab character is used for indentation"),
        (b"title: a\ntitle: b\n", ":2:1: error: duplicate key 'title' (first at line 1): keep one"),
        (b"a: &x [1]\nb: *x\n", ":1:4: error: anchor &x is not allowed"),
        (b"title: !!python/object:os.system x\n", ":1:8: error: YAML tag !!python/object:os.system is not allowed"),
        (b"title: ring\x07bell\n", ":1:12: error: control character U+0007: delete it"),
        (b"x: " + b"[" * 40 + b"]" * 40 + b"\n", ":1:19: error: nesting is deeper than 16 levels"),
    ],
)
def test_unreadable_file_is_refused_with_its_position(write_source, content, expected):
    messages = problems_of(write_source(content))
    assert len(messages) == 1 and expected in messages[0], messages


def test_file_over_the_size_limit_is_refused_before_parsing(write_source):
    path = write_source("title: " + "x" * 2000 + "\n")
    messages = problems_of(path, Limits(max_file_bytes=1000))
    assert "file is 2,008 bytes; the limit is 1,000" in messages[0]


def test_text_over_the_length_limit_is_refused(write_source):
    path = write_source(replaced("disclaimer: This leaflet does not replace advice from your doctor.", "disclaimer: " + "word " * 40))
    messages = problems_of(path, Limits(max_text_chars=100))
    assert any("disclaimer: text is 199 characters; the limit is 100" in message for message in messages)


def test_table_rows_over_the_limit_are_refused(write_source):
    rows = "\n".join(f"            - [Item {i}, Daily]" for i in range(5))
    path = write_source(replaced("            - [Stretching, Every evening]", rows))
    messages = problems_of(path, Limits(max_table_rows=3))
    assert any("table.rows: 5 rows; the limit is 3" in message for message in messages)


def test_bad_file_name_is_refused(write_source):
    messages = problems_of(write_source(MINIMAL, name="Leg Cramps.yaml"))
    assert "is not a usable article id" in messages[0]


def test_yaml_no_is_text_not_false(write_source):
    article = load_article(write_source(replaced("title: Leg cramps at night", "title: no")))
    assert article.title == "no"


def test_model_is_immutable(write_source):
    article = load_article(write_source(MINIMAL))
    with pytest.raises(ValidationError, match="frozen"):
        article.title = "changed"  # type: ignore[misc]


def test_a_value_with_line_breaks_is_shown_escaped_on_one_line(write_source):
    """Found by fuzzing: a quoted key or value holding a newline split its message in two."""
    messages = problems_of(write_source(MINIMAL + '"web\\nsite\\u2028": https://www.nhs.uk/\n'))
    assert "error: web\\nsite\\u2028: unknown key 'web\\nsite\\u2028': allowed keys are title, subtitle, lang, " in messages[0]
    assert messages[0].endswith(", web_url") or ", web_url, " in messages[0]
    assert len(messages[0].splitlines()) == 1


def test_every_bad_link_of_one_text_is_reported(write_source):
    summary = "summary: See [the clinic](http://127.0.0.1/notes), [the forum](ftp://forum.example/cramps) and [the NHS](https://www.nhs.uk/)."
    messages = problems_of(write_source(replaced("summary: Most night cramps are harmless. Stretching helps.", summary)))
    assert len(messages) == 1
    assert "summary: link [the clinic]: 'http://127.0.0.1/notes' points at this computer or a private network" in messages[0]
    assert "; link [the forum]: 'ftp://forum.example/cramps' is not a web address: links must start with https://" in messages[0]
    assert "the NHS" not in messages[0]
