"""Golden files: the braille edition of a small article, byte for byte. A change in the output
shows as a readable diff of the BRF (ASCII braille) and the PEF. After a deliberate change,
rewrite them with `make golden` (REWRITE_GOLDEN=1) and read the diff before committing."""

from __future__ import annotations

import os

from braille_helpers import needs_liblouis, render
from conftest import ROOT

from pipeline.validate import load_article

pytestmark = needs_liblouis
GOLDEN = ROOT / "tests" / "golden" / "braille"
REWRITE = os.environ.get("REWRITE_GOLDEN") == "1"


def test_brf_and_pef_of_a_small_article_are_the_golden_ones(tmp_path):
    article = load_article(GOLDEN / "night-cramps.yaml")
    made = render(article, tmp_path)
    for path in made:
        golden = GOLDEN / path.name
        if REWRITE:
            golden.write_bytes(path.read_bytes())
        assert golden.is_file(), f"{golden} is missing: run `make golden`"
        assert path.read_bytes() == golden.read_bytes(), f"{path.name} differs from {golden}: if the change is meant, run `make golden` and commit"
