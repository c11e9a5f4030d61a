"""Golden files: the braille edition (BRF and PEF) of the small golden articles, byte for byte,
in tests/golden/braille/. A change shows as a readable diff of the ASCII braille and of the PEF.
After a change you meant, `make golden` (GOLDEN_UPDATE=1) writes them anew; review the diff."""

from __future__ import annotations

import os

import pytest
from braille_helpers import needs_liblouis, render
from conftest import ROOT

from pipeline.source.validate import load_article

pytestmark = needs_liblouis
GOLDEN = ROOT / "tests" / "golden"
ARTICLES = sorted(path.stem for path in (GOLDEN / "sources").glob("*.yaml"))
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"


@pytest.mark.parametrize("article_id", ARTICLES)
def test_brf_and_pef_are_the_golden_ones(article_id, tmp_path):
    article = load_article(GOLDEN / "sources" / f"{article_id}.yaml")
    for path in render(article, tmp_path):
        golden = GOLDEN / "braille" / path.name
        if UPDATE:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(path.read_bytes())
        assert golden.is_file(), f"{golden} is missing: run `make golden`"
        assert path.read_bytes() == golden.read_bytes(), f"{path.name} differs from {golden}: if the change is meant, run `make golden` and review the diff"
