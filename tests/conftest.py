from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIRST_ARTICLE = ROOT / "source" / "hard-muscles.yaml"

MINIMAL = """\
title: Leg cramps at night
lang: en
summary: Most night cramps are harmless. Stretching helps.
key_points:
  - title: Stretch
    text: Stretch your calves before bed.
sections:
  - heading: What helps
    body:
      - Gentle stretching helps many people. Drink enough water.
      - list:
          - Stretch your calf muscles.
          - Walk around for a minute.
      - table:
          caption: Simple remedies
          columns: [Remedy, How often]
          rows:
            - [Stretching, Every evening]
    sections:
      - heading: When to see a doctor
        body:
          - See a doctor if cramps wake you every night.
faq:
  - question: Are night cramps dangerous?
    answer: Usually not. See a doctor if they are frequent.
references:
  - title: Muscle Cramps
    publisher: MedlinePlus
    url: https://medlineplus.gov/musclecramps.html
disclaimer: This leaflet does not replace advice from your doctor.
published: 2026-01-10
review_due: 2027-01-10
"""


@pytest.fixture
def write_source(tmp_path: Path):
    """Write YAML text (dedented) as a source file and return its path."""

    def write(content: str | bytes, name: str = "article.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        return path

    return write


def pytest_terminal_summary(terminalreporter):
    """Print the corpus timings and the fuzz case count (see tests/figures.py)."""
    import figures

    for line in figures.summary_lines():
        terminalreporter.write_line(line)
