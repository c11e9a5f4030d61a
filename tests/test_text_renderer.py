"""Plain text: every sentence of the source, 72 columns, the structure a listener can follow."""

from __future__ import annotations

from conftest import FIRST_ARTICLE
from output_checks import article_sentences

from pipeline.renderers.text import to_text
from pipeline.source.validate import load_article
from pipeline.text import sentences


def rendered():
    article = load_article(FIRST_ARTICLE)
    return article, to_text(article)


def test_every_sentence_of_the_source_is_in_the_text():
    article, output = rendered()
    folded = sentences.fold_space(output)
    missing = [sentence for sentence in article_sentences(article) if sentence not in folded]
    assert missing == []


def test_lines_fit_72_columns_except_unbreakable_addresses():
    _, output = rendered()
    long_lines = [line for line in output.splitlines() if len(line) > 72]
    assert all("https://" in line for line in long_lines), long_lines


def test_structure_headings_bullets_table_faq_references():
    article, output = rendered()
    lines = output.splitlines()
    heading = "1. The critical role of minerals and vitamins in muscle function"
    assert lines[lines.index(heading) + 1] == "-" * len(heading)
    assert "1.1. How magnesium controls muscle relaxation" in lines
    assert "- Tingling or numbness in the hands and feet." in lines
    assert "  Magnesium. Primary muscle role: Aids in muscle relaxation and nerve" in lines
    assert "Q: Can dehydration cause hard muscles?" in lines
    assert "   https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/" in lines
    assert "Published November 25, 2026. Review due November 25, 2027." in lines  # CLDR long form for en
    assert "  Link: National Institutes of Health (NIH) <https://ods.od.nih.gov/factsheets/VitaminD-HealthProfessional/>" in lines


def test_raw_html_stays_literal_text(write_source):
    from conftest import MINIMAL

    article = load_article(write_source(MINIMAL.replace("Drink enough water.", "<script>alert(1)</script> <img src=file:///etc/passwd>")))
    assert "<script>alert(1)</script> <img src=file:///etc/passwd>" in sentences.fold_space(to_text(article))


def test_reading_time_of_a_short_article_is_one_minute_singular(write_source):
    from conftest import MINIMAL

    assert "Reading time: about 1 minute." in to_text(load_article(write_source(MINIMAL)))


def test_markup_is_read_once_per_source_text_never_across_joined_texts(write_source):
    """Found by fuzzing: 'x *y' + ': ' + 'z* w' used to become emphasis and lose both stars."""
    from conftest import MINIMAL

    source = MINIMAL.replace("  - title: Stretch\n    text: Stretch your calves before bed.", "  - title: 5 *3\n    text: 4* 2 [daily](https://www.nhs.uk/a)")
    source = source.replace("columns: [Remedy, How often]", "columns: ['Remedy *a', 'b* often']")
    article = load_article(write_source(source))
    output = to_text(article)
    assert "- 5 *3: 4* 2 daily" in output
    assert "    Link: daily <https://www.nhs.uk/a>" in output
    assert "Columns: Remedy *a; b* often." in output
