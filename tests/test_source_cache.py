"""Validated sources kept between commands: reused only while everything that decides them holds."""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL

import pipeline
from pipeline.source.cache import cached_load
from pipeline.source.limits import Limits
from pipeline.source.problems import SourceError
from pipeline.source.validate import load_document


def counting(calls: list[str]):
    def load(path, limits):
        calls.append(path.name)
        return load_document(path, limits)

    load.__module__ = load_document.__module__  # keyed by the validator's code, as the real one is
    return load


def test_a_second_load_of_the_same_file_parses_nothing(write_source, tmp_path):
    source, calls = write_source(MINIMAL), []
    first = cached_load(source, Limits(), counting(calls), tmp_path / "cache")
    again = cached_load(source, Limits(), counting(calls), tmp_path / "cache")
    assert calls == [source.name] and again[1] == first[1] and again[0].position(("title",)) == first[0].position(("title",))


def test_a_changed_file_or_other_limits_are_loaded_again(write_source, tmp_path):
    source, calls = write_source(MINIMAL), []
    cached_load(source, Limits(), counting(calls), tmp_path / "cache")
    cached_load(source, Limits(max_faq=3), counting(calls), tmp_path / "cache")
    source.write_text(MINIMAL.replace("Leg cramps at night", "Cramps at night"), encoding="utf-8")
    article = cached_load(source, Limits(), counting(calls), tmp_path / "cache")[1]
    assert len(calls) == 3 and article.title == "Cramps at night"


def test_a_source_with_problems_is_never_kept(write_source, tmp_path):
    source, calls = write_source(MINIMAL.replace("lang: en", "lang: English")), []
    for _ in range(2):
        with pytest.raises(SourceError, match="not a BCP 47 language tag"):
            cached_load(source, Limits(), counting(calls), tmp_path / "cache")
    assert len(calls) == 2 and not list((tmp_path / "cache").glob("*"))


def entries(folder):
    return sorted(folder.glob("*"))


def test_an_entry_is_json_data_naming_the_source_its_digest_and_the_article(write_source, tmp_path):
    source = write_source(MINIMAL, name="cramps.yaml")
    cached_load(source, Limits(), load_document, tmp_path / "cache")
    [entry] = entries(tmp_path / "cache")
    made_from = json.loads(entry.read_text("utf-8"))["made_from"]
    assert entry.suffix == ".json"
    assert made_from["path"] == str(source) and made_from["id"] == "cramps"
    assert made_from["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()


def test_another_articles_entry_copied_over_the_key_is_ignored_and_rebuilt(write_source, tmp_path):
    cramps = write_source(MINIMAL, name="cramps.yaml")
    other = write_source(MINIMAL.replace("Leg cramps at night", "Hard muscles"), name="hard-muscles.yaml")
    cache, calls = tmp_path / "cache", []
    cached_load(cramps, Limits(), counting(calls), cache)
    [own] = entries(cache)
    cached_load(other, Limits(), counting(calls), cache)
    [theirs] = set(entries(cache)) - {own}
    shutil.copyfile(theirs, own)
    document, article = cached_load(cramps, Limits(), counting(calls), cache)
    assert calls == ["cramps.yaml", "hard-muscles.yaml", "cramps.yaml"]
    assert (article.id, article.title, document.path) == ("cramps", "Leg cramps at night", cramps)


def test_an_entry_edited_to_hold_another_article_is_validated_again_and_ignored(write_source, tmp_path):
    source, cache, calls = write_source(MINIMAL, name="cramps.yaml"), tmp_path / "cache", []
    cached_load(source, Limits(), counting(calls), cache)
    [entry] = entries(cache)
    stored = json.loads(entry.read_text("utf-8"))
    stored["article"]["lang"] = "English"
    entry.write_text(json.dumps(stored), encoding="utf-8")
    article = cached_load(source, Limits(), counting(calls), cache)[1]
    assert len(calls) == 2 and article.lang == "en"
    assert json.loads(entry.read_text("utf-8"))["article"]["lang"] == "en"  # rebuilt


class Planted:
    """What a pickle would run when read: a file written as the loading process."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "ran"))


def test_a_planted_pickle_in_the_cache_runs_nothing(write_source, tmp_path):
    source, cache, marker, calls = write_source(MINIMAL, name="cramps.yaml"), tmp_path / "cache", tmp_path / "ran", []
    cached_load(source, Limits(), counting(calls), cache)
    [entry] = entries(cache)
    payload = pickle.dumps(Planted(marker))
    for planted in (entry, entry.with_suffix(".pickle")):
        planted.write_bytes(payload)
    article = cached_load(source, Limits(), counting(calls), cache)[1]
    assert not marker.exists() and len(calls) == 2 and article.title == "Leg cramps at night"


def test_the_clean_entry_is_believed(write_source, tmp_path):
    source, cache, calls = write_source(MINIMAL, name="cramps.yaml"), tmp_path / "cache", []
    first = cached_load(source, Limits(), counting(calls), cache)
    again = cached_load(source, Limits(), counting(calls), cache)
    assert calls == ["cramps.yaml"] and again[1] == first[1] and again[0].positions == first[0].positions and again[0].data == first[0].data


def test_no_module_of_the_pipeline_reads_or_writes_pickles():
    package = Path(pipeline.__file__).parent
    assert [str(path) for path in package.rglob("*.py") if "pickle" in path.read_text("utf-8")] == []
