"""`pipeline import FILE [-o SOURCE] [--lang TAG] [--force] [--check]`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

CLEAN = textwrap.dedent(
    """\
    ---
    title: Leg cramps at night
    lang: en
    ---

    Published: 10 May 2026. Review date: 10 May 2027.

    Most night cramps are harmless. Stretching helps.

    # Key points

    - **Stretch:** Stretch your calves before bed.

    # What helps

    Gentle stretching helps **many** people.

    This leaflet does not replace advice from your doctor.
    """
)


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("Leg Cramps.md").write_text(CLEAN, encoding="utf-8")
    Path("no-date.md").write_text(CLEAN.replace("Published: 10 May 2026. Review date: 10 May 2027.", ""), encoding="utf-8")


def _run(*args: str):
    result = CliRunner().invoke(cli, ["import", *args])
    return result, {str(path): path.read_text("utf-8") for path in Path().rglob("*.yaml")}


def test_import_writes_source_named_from_the_file() -> None:
    result, written = _run("Leg Cramps.md")
    assert result.exit_code == 0, result.output
    assert list(written) == ["source/leg-cramps.yaml"]
    assert "wrote source/leg-cramps.yaml: 0 warning(s)" in result.output
    assert "  - title: Stretch\n    text: Stretch your calves before bed.\n" in written["source/leg-cramps.yaml"]
    assert "disclaimer: This leaflet does not replace advice from your doctor.\n" in written["source/leg-cramps.yaml"]


def test_existing_source_is_never_overwritten_without_force() -> None:
    Path("cramps.md").write_text(CLEAN, encoding="utf-8")
    Path("source").mkdir()
    Path("source/cramps.yaml").write_text("title: mine\n", encoding="utf-8")
    refused, _ = _run("cramps.md")
    kept = Path("source/cramps.yaml").read_text("utf-8")
    forced, _ = _run("cramps.md", "--force")
    replaced = Path("source/cramps.yaml").read_text("utf-8")
    assert refused.exit_code == 2 and "source/cramps.yaml exists: pass --force" in refused.output
    assert kept == "title: mine\n"
    assert forced.exit_code == 0 and replaced.startswith("# Imported from cramps.md")


def test_output_option_names_the_source() -> None:
    result, written = _run("Leg Cramps.md", "-o", "elsewhere/night-cramps.yaml")
    assert result.exit_code == 0 and list(written) == ["elsewhere/night-cramps.yaml"]


def test_check_writes_nothing_and_fails_on_warnings() -> None:
    clean, written_clean = _run("Leg Cramps.md", "--check")
    warned, written_warned = _run("no-date.md", "--check")
    assert clean.exit_code == 0 and written_clean == {}
    assert warned.exit_code == 1 and written_warned == {}
    assert "no-date.md:1: warning: the document gives no publication date" in warned.output
    assert "no-date.md: 2 warning(s)" in warned.output


def test_warnings_without_check_still_write_and_succeed() -> None:
    result, written = _run("no-date.md")
    assert result.exit_code == 0
    assert "# import: the document gives no publication date" in written["source/no-date.yaml"]


def test_unknown_format_is_a_usage_error() -> None:
    Path("leaflet.pdf").write_bytes(b"%PDF-1.7")
    result, _ = _run("leaflet.pdf")
    assert result.exit_code == 2 and "cannot import '.pdf' files: use .docx, .odt, .html or .md" in result.output


def test_unreadable_file_is_an_error_naming_it() -> None:
    Path("broken.docx").write_bytes(b"not a zip")
    result, _ = _run("broken.docx")
    assert result.exit_code == 1 and "error: broken.docx: not a readable docx file" in result.output


def test_lang_option_sets_the_language_and_must_be_a_tag() -> None:
    Path("plain.md").write_text(CLEAN.replace("lang: en\n", ""), encoding="utf-8")
    result, written = _run("plain.md", "--lang", "en-GB")
    assert result.exit_code == 0 and "lang: en-GB\n" in written["source/plain.yaml"]
    refused, _ = _run("plain.md", "--lang", "english please", "--force")
    assert refused.exit_code == 2 and "'english please' is not a BCP 47 language tag" in refused.output


def test_other_commands_do_not_load_the_importer() -> None:
    """pandoc's wrapper and the importer load only when `pipeline import` runs."""
    import subprocess
    import sys

    code = "import sys, pipeline.cli; print(sorted(name for name in sys.modules if name.startswith(('pipeline.importer', 'pypandoc'))))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"
