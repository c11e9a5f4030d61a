"""The shared HTML builder: escaped text, the only markup we allow, semantic structure."""

from __future__ import annotations

from html.parser import HTMLParser

from conftest import FIRST_ARTICLE, MINIMAL
from output_checks import article_sentences

from pipeline.model import markup
from pipeline.renderers import _html
from pipeline.source.validate import load_article
from pipeline.text import sentences


class TextAndTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def parsed(html: str) -> TextAndTags:
    parser = TextAndTags()
    parser.feed(html)
    return parser


def test_raw_html_in_source_is_escaped_and_inert(write_source):
    hostile = '<script>alert(1)</script> <img src="file:///etc/passwd"> <iframe src="http://127.0.0.1/"></iframe>'
    article = load_article(write_source(MINIMAL.replace("      - Gentle stretching", f"      - >-\n        {hostile}\n        Gentle stretching")))
    html = _html.body(article)
    result = parsed(html)
    assert not {"script", "img", "iframe"} & set(result.tags)
    assert hostile in sentences.fold_space("".join(result.text))


def test_inline_markup_becomes_strong_em_and_links():
    html = _html.inline('A **bold** and *soft* [link](https://example.org/?a=1&b=2) <b>')
    assert html == 'A <strong>bold</strong> and <em>soft</em> <a href="https://example.org/?a=1&amp;b=2">link</a> &lt;b&gt;'


def test_every_sentence_is_in_the_html_and_tables_have_header_scopes():
    article = load_article(FIRST_ARTICLE)
    html = _html.body(article)
    folded = sentences.fold_space("".join(parsed(html).text))
    assert [s for s in article_sentences(article) if s not in folded] == []
    assert html.count('<th scope="col">') == 3 and html.count('<th scope="row">') == 4
    assert "<caption>" in html and "<dl>" in html


def test_two_strong_spans_in_one_text_stay_two():
    """Found by fuzzing: '**a** and **b**' was one strong span 'a** and **b'."""
    assert _html.inline("**a** and **b**") == "<strong>a</strong> and <strong>b</strong>"
    assert markup.plain("**d** [x](https://www.nhs.uk/) **e**") == "d x e"


def test_marked_sentences_get_the_narrations_ids_even_across_bold_and_unmarked_text_is_unchanged():
    value = "**Drink. Enough** water. See [the NHS. Or](https://www.nhs.uk/) a GP. Rest."
    marked = {"r-x-1", "r-x-2", "r-x-3", "r-x-4"}  # not the fifth
    html = _html.said_sentences(value, "r-x", marked)
    assert html == (
        '<span id="r-x-1"><strong>Drink.</strong></span> <span id="r-x-2"><strong>Enough</strong> water.</span> '
        '<span id="r-x-3">See <a href="https://www.nhs.uk/">the NHS.</a></span> '
        '<span id="r-x-4"><a href="https://www.nhs.uk/">Or</a> a GP.</span> Rest.'
    )
    assert sentences.fold_space("".join(parsed(html).text)) == markup.plain(value)
    assert _html.said_sentences(value, "r-x", set()) == _html.inline(value)
    assert _html.said("A & B", "r-y", {"r-y"}) == '<span id="r-y">A &amp; B</span>' and _html.said("A", "r-y", ()) == "A"
