"""Real-world input: the first article as it was scraped from the web (tests/data/import/,
copied from the team's seed), on its web page with the site's chrome around it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from pipeline.importer import import_file
from pipeline.model.markup import plain
from pipeline.source.problems import SourceError
from pipeline.source.validate import load_article
from pipeline.text.sentences import sentences

DATA = ROOT / "tests" / "data" / "import"
SCRAPED_TEXT = DATA / "hard-muscles-article.txt"
PAGE = DATA / "hard-muscles-page.html"

CHROME = (
    "Skip to content",
    "4 min read",
    "In This Article",
    "Share on Facebook",
    "Share on X",
    "Related Articles",
    "Night cramps",
    "All rights reserved",
    "Privacy",
    "About us",
)
PART_NAMES = {"Quick Summary", "Key Points", "Frequently Asked Questions", "References", "Medical Disclaimer"}


def _body_lines() -> list[str]:
    """Every line of the scraped text a reader would call the article (not the chrome, not
    the headings that name parts, not the numbers left of its references)."""
    lines = [line.strip().lstrip("•").strip() for line in SCRAPED_TEXT.read_text("utf-8").splitlines()]
    return [line for line in lines if line and line not in CHROME and line not in PART_NAMES and not re.fullmatch(r"\d+\. \d+", line)]


def _imported_words(yaml_text: str) -> str:
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(yaml_text)

    def texts(node: object) -> list[str]:
        if isinstance(node, dict):
            return [text for value in node.values() for text in texts(value)]
        if isinstance(node, list):
            return [text for value in node for text in texts(value)]
        return [plain(str(node))]

    return " ".join(texts(data))


@pytest.fixture(scope="module")
def imported():
    return import_file(PAGE)


def _words(value: str) -> str:
    return " ".join(re.findall(r"\w+", value))


def test_every_sentence_of_the_body_is_kept(imported) -> None:
    """Word for word, in order (a key point's title and text, a table row's cells, are separate
    values of the source, so punctuation between them is not compared)."""
    words = _words(_imported_words(imported.yaml))
    missing = [sentence for line in _body_lines() for sentence in sentences(line.replace("\t", " ")) if _words(sentence) not in words]
    assert missing == []
    assert len(_body_lines()) == 52  # every heading, paragraph, item and row of the scraped text


def test_answers_without_questions_and_the_empty_reference_list_are_reported(imported) -> None:
    lines = imported.findings.lines()
    warnings = [line for line in lines if ": warning: " in line]
    for number in range(1, 9):
        assert any(f": warning: answer {number} has no question: write one" in line for line in warnings)
    assert any("the table in section 'Comparison: Key Nutrients and Muscle Impact' has no caption" in line for line in warnings)
    assert any("the reference list has 4 entries with neither title nor address ('1', '2', '3', '4')" in line for line in warnings)
    assert all(re.match(rf"{re.escape(str(PAGE))}:\d+: (warning|note): ", line) for line in lines)
    answer_one = next(line for line in warnings if "answer 1 has" in line)
    line_number = int(answer_one.split(":")[1])
    assert "A severe vitamin D deficiency" in PAGE.read_text("utf-8").splitlines()[line_number - 1]


def test_the_written_source_is_valid_but_for_what_the_warnings_name(imported, tmp_path: Path) -> None:
    path = tmp_path / "hard-muscles.yaml"
    path.write_text(imported.yaml, encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_article(path)
    named = {problem.path for problem in raised.value.problems}
    assert named == {"published", "review_due", "sections[2].body[0].table.caption", *(f"faq[{index}].question" for index in range(8))}
    assert imported.yaml.count("# import: answer") == 8


def test_site_chrome_is_dropped_and_noted(imported) -> None:
    words = _imported_words(imported.yaml)
    assert [chrome for chrome in CHROME if chrome in words] == []
    notes = "\n".join(line for line in imported.findings.lines() if ": note: " in line)
    assert "'In This Article'" in notes and "4 min read" in notes and "Share on Facebook" in notes


def test_a_page_without_a_main_element_loses_the_same_chrome(imported, tmp_path: Path) -> None:
    """Without <main>, pandoc reads the whole page: the site's header, navigation and footer
    are then recognised by their words and their links within the site."""
    page = tmp_path / "hard-muscles.html"
    page.write_text(re.sub(r"</?main[^>]*>", "", PAGE.read_text("utf-8")), encoding="utf-8")
    again = import_file(page)
    assert again.yaml.replace("hard-muscles.html", "hard-muscles-page.html") == imported.yaml


def test_key_points_split_at_the_bold_run(imported) -> None:
    assert "  - title: Magnesium Deficiency\n    text: >-\n      A lack of magnesium impairs" in imported.yaml


def test_the_page_saved_as_a_word_file_imports_to_the_same_source(imported, tmp_path: Path) -> None:
    """Word keeps the page's tab title ("... | Example Health") as the file's title: the
    page's own heading, which it starts, stays the title."""
    import subprocess

    import pypandoc

    word = tmp_path / "hard-muscles-page.docx"
    subprocess.run([pypandoc.get_pandoc_path(), "--from", "html", str(PAGE), "--output", str(word)], check=True)
    again = import_file(word)
    assert again.yaml.replace(".docx", ".html") == imported.yaml
    assert [finding.message for finding in again.findings.warnings] == [finding.message for finding in imported.findings.warnings]
