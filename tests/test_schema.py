"""`pipeline schema`: the JSON Schema editors check sources with says what the validator says."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIRST_ARTICLE, MINIMAL, ROOT
from hypothesis import given, settings
from jsonschema import Draft202012Validator
from output_checks import dump_yaml
from test_corpus import CORPUS, EXPECTED, GENERATORS
from test_fuzz import articles, mutated

from pipeline import registry
from pipeline.cli import cli
from pipeline.model import rules
from pipeline.source.limits import Limits
from pipeline.source.load import load
from pipeline.source.problems import SourceError
from pipeline.source.schema import source_schema
from pipeline.source.validate import load_article

SCHEMA = source_schema()
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)

BEYOND_A_SCHEMA = {
    "blank-markup-only": "'** **' is blank once the markup is read; a pattern cannot read markup",
    "table-duplicate-column": "duplicates: a rule across items",
    "table-row-extra-cell": "a row's length against the number of columns",
    "table-row-missing-cell": "a row's length against the number of columns",
    "review-before-publication": "date order: a rule across fields",
    "review-same-day": "date order: a rule across fields",
    "duplicate-faq-question": "duplicates: a rule across items",
    "duplicate-heading": "duplicates: a rule across items",
    "sections-too-deep": "a size limit the project sets in pyproject.toml",
    "Leg_Cramps": "the file name, which the schema never sees",
    "huge-string": "a size limit the project sets in pyproject.toml",
}
"""Corpus cases the YAML parser accepts and only `pipeline validate` refuses, and why."""


def errors(data: object) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in VALIDATOR.iter_errors(data)]


def loaded(path: Path) -> object:
    """The source's data as an editor's YAML language server sees it (dates stay text)."""
    return load(path, Limits()).data


def test_schema_is_a_valid_draft_2020_12_schema_with_every_key_described():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["additionalProperties"] is False and "id" not in SCHEMA["properties"]
    assert set(SCHEMA["required"]) == {"title", "lang", "summary", "key_points", "sections", "disclaimer", "published", "review_due"}
    for definition in [SCHEMA, *SCHEMA["$defs"].values()]:
        for key, value in definition.get("properties", {}).items():
            assert value["description"], key


@pytest.mark.parametrize("path", sorted((ROOT / "source").glob("*.yaml")) + [FIRST_ARTICLE], ids=lambda path: path.name)
def test_schema_accepts_every_source(path):
    load_article(path)
    assert errors(loaded(path)) == []


def test_schema_accepts_the_tests_minimal_article(write_source):
    assert errors(loaded(write_source(MINIMAL))) == []


@settings(max_examples=30)
@given(articles)
def test_schema_accepts_every_generated_valid_article(data):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "generated.yaml"
        path.write_text(dump_yaml(data), encoding="utf-8")
        load_article(path)
        assert errors(loaded(path)) == []


@settings(max_examples=60)
@given(mutated())
def test_schema_refuses_a_mutated_source_only_when_the_validator_does(content):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "mutated.yaml"
        path.write_bytes(content)
        try:
            data = loaded(path)
        except SourceError:
            return  # a YAML mistake: the editor's parser reports it, not the schema
        if errors(data):
            with pytest.raises(SourceError):
                load_article(path)


def corpus_cases() -> list[str]:
    return sorted(name for name in EXPECTED)


@pytest.mark.parametrize("name", corpus_cases())
def test_schema_refuses_what_the_validator_refuses_in_the_corpus(name, tmp_path):
    path = CORPUS / f"{name}.yaml"
    if name in GENERATORS:
        path = tmp_path / f"{name}.yaml"
        path.write_text(GENERATORS[name](), encoding="utf-8")
    try:
        data = loaded(path)
    except SourceError:
        assert name not in BEYOND_A_SCHEMA
        return  # refused while reading the YAML: the editor's parser shows it
    if name in BEYOND_A_SCHEMA:
        assert errors(data) == [], f"{name} is refused by the schema: take it off BEYOND_A_SCHEMA"
    else:
        assert errors(data), f"the schema accepts {name}, which the validator refuses"


def test_schema_refuses_an_unknown_key_a_missing_key_and_a_wrong_type(write_source):
    data = loaded(write_source(MINIMAL))
    assert any("sectoins" in error for error in errors({**data, "sectoins": []}))
    assert any("'title' is a required property" in error for error in errors({key: value for key, value in data.items() if key != "title"}))
    assert any(error.startswith("lang:") for error in errors({**data, "lang": 42}))
    assert any(error.startswith("faq/0:") for error in errors({**data, "faq": [{"question": "Why?", "answr": "Because."}]}))


LANGUAGE_TAGS = [
    "en", "EN", "en-GB", "en-gb", "es-419", "zh-Hant-TW", "de-CH-1996", "sr-Latn", "cy", "x-klingon", "en-x-clinic",
    "EN-X-CLINIC", "en-a-bbb-x-a-ccc", "English", "en_GB", "e", "en-", "-en", "en--GB", "zh-Hant-TW-x", "i-klingon", "abcd",
]  # fmt: skip


@pytest.mark.parametrize("tag", LANGUAGE_TAGS)
def test_language_tag_pattern_agrees_with_the_validator(tag):
    assert (errors({**loaded_minimal(), "lang": tag}) == []) == rules.is_language_tag(tag)


def loaded_minimal() -> dict:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "minimal.yaml"
        path.write_text(MINIMAL, encoding="utf-8")
        return dict(loaded(path))


def test_forbidden_characters_agree_with_the_validator_across_the_basic_multilingual_plane():
    pattern = re.compile(next(part["not"]["pattern"] for part in SCHEMA["$defs"]["Text"]["allOf"] if "\\u0000" in part.get("not", {}).get("pattern", "")))
    for code in (*range(0xD800), *range(0xE000, 0x10000)):
        char = chr(code)
        assert bool(pattern.search(char)) == (rules.forbidden_character(char) is not None), f"U+{code:04X}"


URLS = [
    "https://medlineplus.gov/musclecramps.html", "HTTPS://WWW.NHS.UK/", "http://bücher.example/a?b=c#d", "https://example.org:8443/x",
    "https://example.org:/x", "https://[2001:db8::1]/", "https://localhost/", "http://127.0.0.1:8000/", "https://10.0.0.1/",
    "https://192.168.1.1/", "https://172.20.0.1/", "https://intranet/", "https://printer.local/", "https://a.b:99999/",
    "https://a.b:65535/", "ftp://example.org/", "//example.org/", "https://user@example.org/", "https://example.org/a b",
]  # fmt: skip


@pytest.mark.parametrize("url", URLS)
def test_url_pattern_refuses_only_what_the_validator_refuses(url):
    accepted = errors({**loaded_minimal(), "web_url": url}) == []
    valid = rules.url_problem(url) is None
    assert accepted or not valid, f"the schema refuses {url}, which the validator accepts"
    if url in ("https://localhost/", "http://127.0.0.1:8000/", "https://a.b:99999/", "ftp://example.org/", "https://example.org/a b"):
        assert not accepted


def installed_options() -> dict:
    loaded = [registry.installed().load(name) for name in registry.installed().names]
    return {renderer.name: {key: (option.help, option.choices) for key, option in renderer.options.items()} for renderer in loaded}


@pytest.mark.parametrize(
    ("options", "accepted"),
    [
        ({"voice": "cy", "pdf": {"paper": "letter", "max_pages": 5}}, True),
        ({"rate": 150, "paper": "a4"}, True),
        ({"voic": "cy"}, False),
        ({"pdf": {"paper": "a5"}}, False),
        ({"paper": "a5"}, False),
        ({"brail": {"width": 32}}, False),
        ({"pdf": {"voice": "cy"}}, False),
    ],
)
def test_the_schema_command_names_the_options_the_installed_renderers_declare(options, accepted, write_source):
    schema = json.loads(CliRunner().invoke(cli, ["schema"]).stdout)
    source = write_source(MINIMAL + f"options: {json.dumps(options)}\n", name="opted.yaml")
    assert (list(Draft202012Validator(schema).iter_errors(loaded(source))) == []) == accepted
    result = CliRunner().invoke(cli, ["validate", str(source)])
    assert (result.exit_code == 0) == accepted, result.output


def test_schema_command_prints_the_schema_and_writes_a_file_only_when_it_changed(tmp_path):
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0 and json.loads(result.stdout) == source_schema(installed_options())
    target = tmp_path / "pipeline.schema.json"
    assert CliRunner().invoke(cli, ["schema", "--output", str(target)]).exit_code == 0
    assert target.read_text("utf-8") == result.stdout
    before = target.stat().st_mtime_ns
    assert CliRunner().invoke(cli, ["schema", "--output", str(target)]).exit_code == 0
    assert target.stat().st_mtime_ns == before
