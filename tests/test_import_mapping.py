"""How the importer maps what leaflets write to the source's parts, and what it reports."""

from __future__ import annotations

import textwrap
from pathlib import Path

from ruamel.yaml import YAML

from pipeline.importer import Imported, import_file
from pipeline.model.walk import dotted_path
from pipeline.source.problems import SourceError
from pipeline.source.validate import load_article

FRONT = """\
---
title: Leg cramps at night
lang: en
---

Published: 10 May 2026. Review date: 10 May 2027.

Most night cramps are harmless.

# Key points

- **Stretch:** Stretch your calves before bed.

# What helps

Gentle stretching helps many people.
"""
END = "\nThis leaflet does not replace advice from your doctor.\n"


def assert_valid_but_for_the_warnings(imported: Imported, folder: Path) -> None:
    """Every problem `pipeline validate` finds in the written source is one a warning named."""
    path = folder / "written" / "leaflet.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(imported.yaml, encoding="utf-8")
    try:
        load_article(path)
    except SourceError as error:
        named = [dotted_path(finding.at) for finding in imported.findings.warnings if finding.at]
        unnamed = [str(problem) for problem in error.problems if not any(problem.path.startswith(place) for place in named)]
        assert unnamed == []


def _import(tmp_path: Path, body: str, name: str = "leaflet.md", front: str = FRONT):
    path = tmp_path / name
    path.write_text(front + textwrap.dedent(body) + END, encoding="utf-8")
    imported = import_file(path)
    assert_valid_but_for_the_warnings(imported, tmp_path)
    return YAML(typ="safe").load(imported.yaml), [line.split(": warning: ")[1] for line in imported.findings.lines() if ": warning: " in line], imported


def test_bold_question_lines_and_labels_become_questions(tmp_path: Path) -> None:
    data, warnings, _ = _import(
        tmp_path,
        """
        # Questions

        **Are cramps dangerous?**

        Usually not.

        **Do they last?** A few minutes.

        Q: Should I see a doctor?

        A: If they wake you every night.

        Can children get them?

        Yes, sometimes.
        """,
    )
    assert data["faq"] == [
        {"question": "Are cramps dangerous?", "answer": "Usually not."},
        {"question": "Do they last?", "answer": "A few minutes."},
        {"question": "Should I see a doctor?", "answer": "If they wake you every night."},
        {"question": "Can children get them?", "answer": "Yes, sometimes."},
    ]
    assert warnings == []


def test_a_question_without_answer_is_reported(tmp_path: Path) -> None:
    data, warnings, imported = _import(tmp_path, "\n# Frequently asked questions\n\n## Are cramps dangerous?\n")
    assert data["faq"] == [{"question": "Are cramps dangerous?"}]
    assert warnings == ["question 1 has no answer: write one ('Are cramps dangerous?')"]
    assert "  # import: question 1 has no answer" in imported.yaml


def test_key_point_without_title_is_marked_for_the_author(tmp_path: Path) -> None:
    front = FRONT.replace("- **Stretch:** Stretch your calves before bed.", "- Drink: Drink water in the day.\n- Walk around for a minute.")
    data, warnings, imported = _import(tmp_path, "", front=front)
    assert data["key_points"] == [{"title": "Drink", "text": "Drink water in the day."}, {"text": "Walk around for a minute."}]
    assert warnings == ["key point 2 has no title: write a few words before its text ('Walk around for a minute.')"]
    assert "  # import: key point 2 has no title" in imported.yaml


def test_images_are_dropped_with_their_alt_text_reported(tmp_path: Path) -> None:
    data, warnings, _ = _import(tmp_path, "\n![A calf stretch against a wall](stretch.png)\n\nHold it for 30 seconds ![icon](i.png).\n")
    assert data["sections"][0]["body"] == ["Gentle stretching helps many people.", "Hold it for 30 seconds ."]
    assert any("'A calf stretch against a wall'" in warning and warning.startswith("image in section 'What helps' dropped") for warning in warnings)
    assert any("alt text: 'icon'" in warning for warning in warnings)


def test_a_review_month_without_its_day_is_reported_not_completed(tmp_path: Path) -> None:
    front = FRONT.replace("Review date: 10 May 2027.", "Review date: May 2028.")
    data, warnings, _ = _import(tmp_path, "", front=front)
    assert data["published"].isoformat() == "2026-05-10" and "review_due" not in data
    assert warnings == ["the review date 'May 2028' is not a whole date: write review_due: YYYY-MM-DD"]


def test_spanish_headings_and_dates(tmp_path: Path) -> None:
    leaflet = """\
---
title: Calambres nocturnos
lang: es
---

Publicado: 10 de mayo de 2026. Fecha de revisión: 10 de mayo de 2027.

La mayoría de los calambres no son graves.

# Puntos clave

- **Estirar:** Estire las pantorrillas antes de dormir.

# Qué ayuda

Estirar ayuda a muchas personas.

# Preguntas frecuentes

## ¿Son peligrosos?

Normalmente no.

# Referencias

1. *Calambres musculares*. MedlinePlus. <https://medlineplus.gov/spanish/musclecramps.html>

Este folleto no sustituye el consejo de su médico.
"""
    path = tmp_path / "calambres.md"
    path.write_text(leaflet, encoding="utf-8")
    imported = import_file(path)
    data = YAML(typ="safe").load(imported.yaml)
    assert imported.findings.warnings == []
    assert data["key_points"] == [{"title": "Estirar", "text": "Estire las pantorrillas antes de dormir."}]
    assert data["faq"] == [{"question": "¿Son peligrosos?", "answer": "Normalmente no."}]
    assert data["references"] == [{"title": "Calambres musculares", "publisher": "MedlinePlus", "url": "https://medlineplus.gov/spanish/musclecramps.html"}]
    assert data["disclaimer"] == "Este folleto no sustituye el consejo de su médico."
    assert (data["published"].isoformat(), data["review_due"].isoformat()) == ("2026-05-10", "2027-05-10")


def test_table_caption_from_the_line_before_it_or_reported(tmp_path: Path) -> None:
    data, warnings, _ = _import(
        tmp_path,
        """
        Simple remedies

        | Remedy | How often |
        |---|---|
        | Stretching | Every evening |

        | Food | Mineral |
        |---|---|
        | Nuts | Magnesium |
        """,
    )
    body = data["sections"][0]["body"]
    assert body[1] == {"table": {"caption": "Simple remedies", "columns": ["Remedy", "How often"], "rows": [["Stretching", "Every evening"]]}}
    assert "caption" not in body[2]["table"]
    assert warnings == ["the table in section 'What helps' has no caption: write one saying what it shows"]


def test_references_without_an_address_and_relative_links(tmp_path: Path) -> None:
    data, warnings, _ = _import(
        tmp_path,
        """
        See [our cramps page](/cramps/) for more.

        # Further reading

        - *Muscle Cramps*, a leaflet from our clinic.
        - [Muscle Cramps](https://medlineplus.gov/musclecramps.html), MedlinePlus.
        """,
    )
    assert data["sections"][0]["body"][1] == "See our cramps page for more."
    assert data["references"] == [
        {"title": "Muscle Cramps", "publisher": "a leaflet from our clinic"},
        {"title": "Muscle Cramps", "publisher": "MedlinePlus", "url": "https://medlineplus.gov/musclecramps.html"},
    ]
    assert "reference 1 ('Muscle Cramps') has no web address: add its url" in warnings
    assert "link 'our cramps page' in section 'What helps' points to '/cramps/', not a public web address: kept as plain text" in warnings


def test_inline_markup_is_kept(tmp_path: Path) -> None:
    data, _warnings, _ = _import(tmp_path, "\nStretch **gently**, *slowly*, and read [MedlinePlus](https://medlineplus.gov/).\n")
    assert data["sections"][0]["body"][1] == "Stretch **gently**, *slowly*, and read [MedlinePlus](https://medlineplus.gov/)."


def test_sections_deeper_than_three_levels_are_reported(tmp_path: Path) -> None:
    data, warnings, _ = _import(tmp_path, "\n## Two\n\nText two.\n\n### Three\n\nText three.\n\n#### Four\n\nText four.\n")
    three = data["sections"][0]["sections"][0]["sections"]
    assert [section["heading"] for section in three] == ["Three", "Four"]
    assert warnings == ["section 'Four' is nested 4 deep; a source holds 3 levels: it is placed at level 3"]


def test_missing_parts_are_reported_not_invented(tmp_path: Path) -> None:
    path = tmp_path / "bare.md"
    path.write_text("# Leg cramps\n\n## What helps\n\nGentle stretching helps many people.\n", encoding="utf-8")
    imported = import_file(path)
    assert_valid_but_for_the_warnings(imported, tmp_path)
    data = YAML(typ="safe").load(imported.yaml)
    assert set(data) == {"title", "sections"}
    messages = " | ".join(finding.message for finding in imported.findings.warnings)
    for missing in ("language", "summary", "key points", "disclaimer", "publication date", "review date"):
        assert missing in messages


def test_introduction_and_summary_headings_say_which_is_which(tmp_path: Path) -> None:
    front = FRONT.replace("Most night cramps are harmless.", "# Introduction\n\nCramps wake many people.\n\n# Summary\n\nMost night cramps are harmless.")
    data, warnings, _ = _import(tmp_path, "", front=front)
    assert (data["introduction"], data["summary"]) == ("Cramps wake many people.", "Most night cramps are harmless.")
    assert warnings == []


def test_table_problems_are_marked_at_their_place(tmp_path: Path) -> None:
    """A table with no header row, an empty cell and a cell spanning two columns, after an
    image: each problem reported, and marked in the YAML just above what it names."""
    imported = import_file(Path(__file__).parent / "data" / "import" / "table-without-header.html")
    assert_valid_but_for_the_warnings(imported, tmp_path)
    data = YAML(typ="safe").load(imported.yaml)
    assert data["sections"][0]["body"] == [{"table": {"columns": ["Remedy", "How often"], "rows": [["Stretching", ""], ["Ask your doctor"]]}}]
    assert [finding.line for finding in imported.findings.warnings] == [6, 8, 8, 8, 8, 8]
    assert "image in section 'What helps' dropped (its alt text: 'A stretch')" in imported.findings.warnings[0].message
    assert "    body:\n      # import: the table in section 'What helps' has no caption" in imported.yaml
    assert "      - table:\n          # import: the table in section 'What helps' has no header row" in imported.yaml
    assert "# import: cell 2 of row 1 of the table in section 'What helps' is empty: write its text\n" in imported.yaml


def test_bold_lines_stand_for_headings_in_a_file_without_any(tmp_path: Path) -> None:
    """A Word file styled by hand: short bold lines are its headings, bold questions stay questions."""
    path = tmp_path / "by-hand.md"
    path.write_text(
        textwrap.dedent(
            """\
            **Leg cramps at night**

            Published: 10 May 2026. Review date: 10 May 2027.

            Most night cramps are harmless.

            **Key points:**

            - Stretch: Stretch your calves before bed.

            **What helps**

            Gentle stretching helps many people.

            **Frequently asked questions**

            **Are cramps dangerous?**

            Usually not.

            **Medical disclaimer**

            This leaflet does not replace advice from your doctor.
            """
        ),
        encoding="utf-8",
    )
    imported = import_file(path, "en")
    data = YAML(typ="safe").load(imported.yaml)
    assert imported.findings.warnings == []
    assert data["title"] == "Leg cramps at night"
    assert [section["heading"] for section in data["sections"]] == ["What helps"]
    assert data["faq"] == [{"question": "Are cramps dangerous?", "answer": "Usually not."}]
    assert data["disclaimer"] == "This leaflet does not replace advice from your doctor."
    assert imported.findings.lines() == [f"{path}:1: note: the document has no headings: 5 short bold lines are taken as its headings"]
