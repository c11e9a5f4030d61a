"""`pipeline new`: a template with every key explained, placeholders validation names by line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL, ROOT

from pipeline import model
from pipeline.cli import cli
from pipeline.locale import catalogue_for
from pipeline.source.validate import NOT_SOURCE_KEYS
from pipeline.text import labels

FILLED = {
    "<<Title>>": "Leg cramps at night",
    "<<Subtitle>>": "What helps",
    "<<Organisation>>": "Riverside Clinic",
    "<<Leaflet code>>": "PIL-0423",
    '"<<Version>>"': '"2.1"',
    "<<Opening paragraph>>": "Many people wake with a cramp.",
    "<<Main message>>": "Most night cramps are harmless.",
    "<<Key point>>": "Stretch",
    "<<What the reader should know or do>>": "Stretch your calves before bed.",
    "<<Section heading>>": "What helps",
    "<<Paragraph>>": "Gentle stretching helps many people.",
    "<<List item>>": "Walk around",
    "<<Caption>>": "Simple remedies",
    "<<Column name>>": "Remedy",
    "<<Cell>>": "Stretching",
    "<<Question>>": "Are night cramps dangerous?",
    "<<Answer>>": "Usually not.",
    "<<Title of the source>>": "Muscle Cramps",
    "<<Who published it>>": "MedlinePlus",
    '"<<https://...>>"': "https://medlineplus.gov/musclecramps.html",
    "<<Disclaimer>>": "This leaflet does not replace advice from your doctor.",
}


def top_level_keys(source: str) -> list[str]:
    return [found[1] for line in source.splitlines() if (found := re.match(r"([a-z_]+):", line))]


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def new(*args: str):
    return CliRunner().invoke(cli, ["new", *args])


def validate(path: Path):
    return CliRunner().invoke(cli, ["validate", str(path)])


def test_new_writes_every_key_in_the_readmes_order_each_with_a_comment_above(project):
    result = new("leg-cramps", "--lang", "cy")
    assert result.exit_code == 0, result.output
    path = project / "source" / "leg-cramps.yaml"
    assert f"wrote {Path('source/leg-cramps.yaml')}" in result.stdout
    template = path.read_text("utf-8")
    readme = (ROOT / "README.md").read_text("utf-8").split("## Source format", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    assert top_level_keys(template) == [name for name in model.Article.model_fields if name not in NOT_SOURCE_KEYS] == top_level_keys(readme)
    lines = template.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../pipeline.schema.json"
    assert "lang: cy" in lines
    for number, line in enumerate(lines):
        if re.match(r"\s*(- )?[a-z_]+:", line):
            assert lines[number - 1].strip().startswith("# "), f"no comment above: {line}"
    for nested in ("title:", "text:", "heading:", "body:", "question:", "answer:", "publisher:", "url:", "list:", "table:", "caption:", "columns:", "rows:", "sections:"):
        assert nested in template


def test_validate_names_each_placeholder_left_with_its_line_and_nothing_else(project):
    new("leg-cramps")
    path = project / "source" / "leg-cramps.yaml"
    result = validate(path)
    assert result.exit_code == 1
    expected = {
        (number, found)
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if not line.lstrip().startswith("#")
        for found in re.findall(r"<<[^<>]*>>", line)
    }
    reported = set()
    for line in result.stderr.splitlines():
        found = re.fullmatch(rf"{re.escape(str(path))}:(\d+):\d+: error: [\w\[\].]+: placeholder (<<[^<>]*>>) is still here: replace it with your text.*", line)
        assert found, line
        reported.add((int(found[1]), found[2]))
    assert reported == expected and len(expected) == 20
    assert "published: placeholder <<YYYY-MM-DD>> is still here: replace it with your text" in result.stderr
    assert "subtitle: placeholder <<Subtitle>> is still here: replace it with your text, or remove the line" in result.stderr


def test_the_template_filled_in_with_its_examples_uncommented_is_a_valid_article(project):
    new("leg-cramps")
    path = project / "source" / "leg-cramps.yaml"
    source = path.read_text("utf-8")
    for placeholder, words in FILLED.items():
        source = source.replace(placeholder, words)
    source = source.replace("published: <<YYYY-MM-DD>>", "published: 2026-01-10").replace("review_due: <<YYYY-MM-DD>>", "review_due: 2027-01-10")
    source = re.sub(r"(?m)^(\s*)# (- list|- table|    caption|    columns|    rows|sections|  - heading|    body)", r"\1\2", source)
    source = source.replace("columns: [Remedy, Remedy]", "columns: [Remedy, How often]").replace("      - heading: What helps", "      - heading: When to see a doctor")
    path.write_text(source, encoding="utf-8")
    result = validate(path)
    assert not [line for line in source.splitlines() if "<<" in line and not line.lstrip().startswith("#")]
    assert result.exit_code == 0, result.output + source
    assert result.stdout == "ok: leg-cramps\n"


def test_new_never_overwrites_an_existing_source(project):
    assert new("leg-cramps").exit_code == 0
    path = project / "source" / "leg-cramps.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    result = new("leg-cramps", "--lang", "fr")
    assert result.exit_code == 1
    assert f"error: {Path('source/leg-cramps.yaml')} already exists: edit it, or choose another id" in result.stderr
    assert path.read_text("utf-8") == MINIMAL


@pytest.mark.parametrize(("args", "message"), [(("Leg_Cramps",), "not a usable article id"), (("cramps", "--lang", "English"), "not a BCP 47 language tag")])
def test_new_refuses_a_bad_id_or_language_and_writes_nothing(project, args, message):
    result = new(*args)
    assert result.exit_code == 2 and message in result.stderr
    assert not (project / "source").exists()


def test_a_placeholder_left_in_a_finished_article_is_named_beside_its_other_problems(write_source):
    path = write_source(MINIMAL.replace("- [Stretching, Every evening]", "- [Stretching, <<Cell>>]").replace("lang: en", "lang: English"))
    result = validate(path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:2:7: error: lang: 'English' is not a BCP 47 language tag: write e.g. 'en', 'en-GB' or 'es-419'",
        f"{path}:18:28: error: sections[0].body[2].table.rows[0][1]: placeholder <<Cell>> is still here: replace it with your text",
    ]


LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "pl", "ro", "cy", "ar", "ur", "hi", "bn", "pa", "zh-Hans")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_template_is_in_the_articles_language_and_filled_in_it_is_valid(project, lang):
    """Every comment and placeholder comes from the language's catalogue (none falls back to
    English), `validate` names all 20 placeholders, and the template, each placeholder replaced,
    is a valid article: the translations keep the YAML sound."""
    assert new("leaflet", "--lang", lang).exit_code == 0
    path = project / "source" / "leaflet.yaml"
    template = path.read_text("utf-8")
    words = catalogue_for(lang)
    assert f"# {words.pgettext(labels.TEMPLATE, labels.TEMPLATE_HEADER)}" in template.splitlines()
    for text in [*(text for kind in ("Article", "Section", "FaqEntry") for text in labels.KEYS[kind].values()), *labels.PLACEHOLDERS.values()]:
        translation = labels.translated(lang, labels.TEMPLATE, text)
        assert translation in template
        if lang != "en" and text not in labels.UNTRANSLATED:
            assert translation != text or "Same in" in str(words.messages.get(text, labels.TEMPLATE).user_comments), f"{lang}: {text!r} is English"
    assert len(re.findall(r"(?m)^[^#\n]*?(<<[^<>]*>>)", template)) == validate(path).stderr.count("is still here") == 20
    filled = iter(range(1, 100))
    source = template.replace("<<https://...>>", "https://example.org/source").replace("<<YYYY-MM-DD>>", "2026-01-10", 1).replace("<<YYYY-MM-DD>>", "2027-01-10")
    source = re.sub(r"<<[^<>]*>>", lambda _: f"Text {next(filled)}", source)
    path.write_text(source, encoding="utf-8")
    result = validate(path)
    assert result.exit_code == 0, result.output + source


@pytest.mark.parametrize("article_id", ["con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9"])
def test_an_id_windows_keeps_for_a_device_is_refused_and_nothing_is_written(project, article_id):
    result = new(article_id)
    assert result.exit_code == 2
    assert f"'{article_id}' is not a usable article id: Windows keeps the name for a device, so the files could not be opened there: choose another" in result.output
    assert not (project / "source").exists()


@pytest.mark.parametrize("article_id", ["CON", "Con.yaml", "con.txt", "LPT1"])
def test_a_device_name_in_any_case_or_with_an_extension_is_refused(project, article_id):
    result = new(article_id)
    assert result.exit_code == 2 and "is not a usable article id" in result.output
    assert not (project / "source").exists()


@pytest.mark.parametrize("article_id", ["con-leaflet", "console", "com10", "lpt0", "nul-results"])
def test_ids_that_only_begin_like_a_device_name_are_written(project, article_id):
    assert new(article_id).exit_code == 0
    assert (project / "source" / f"{article_id}.yaml").is_file()


def test_a_source_named_as_a_windows_device_is_a_problem_of_validate(project):
    path = project / "con.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    result = validate(path)
    assert result.exit_code == 1
    assert "con.yaml:1:1: error: the file name 'con' is not a usable article id: Windows keeps the name for a device" in result.output
