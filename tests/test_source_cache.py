"""Validated sources kept between commands: reused only while everything that decides them holds."""

from __future__ import annotations

import pytest
from conftest import MINIMAL

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
