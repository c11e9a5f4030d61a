"""`pipeline verify` catches what a reader would get wrong: each test damages one edition of a
good build, keeping the file well-formed, and the right check must fail naming the place.

The damage functions are small on purpose: each says in a few lines what a careless or hostile
hand did to the edition. The untouched build passes every check, none skipped, under --strict.
"""

from __future__ import annotations

import re
import stat
import textwrap
from collections.abc import Callable
from pathlib import Path

import pdf_damage
import pikepdf
import pytest
from sound_damage import hum, reversed_sound, rewrite_sound, silenced, swapped
from verify_helpers import broken_copy, invoke, results, rewrite_zip, run_json

from pipeline.verify.checks.webvtt import parse

ARTICLE = "cramps"
INJECTED = "Take ten times the usual dose."


def edition(folder: Path, suffix: str) -> Path:
    return folder / "out" / ARTICLE / f"{ARTICLE}{suffix}"


def edit_text(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text("utf-8")), encoding="utf-8")


# ---------------------------------------------------------------- damage, one function each


def paragraphs_reversed(folder: Path) -> Path:
    """The plain text's paragraphs in reverse order: every word still there."""
    path = edition(folder, ".txt")
    edit_text(path, lambda text: "\n\n".join(reversed(text.split("\n\n"))))
    return path


def sentence_injected(folder: Path) -> Path:
    """A dangerous sentence nobody wrote, after the first paragraph of the plain text."""
    path = edition(folder, ".txt")
    edit_text(path, lambda text: text.replace("Drink enough water.\n", f"Drink enough water.\n{INJECTED}\n", 1))
    return path


def review_date_changed(folder: Path) -> Path:
    """The plain text promises a review a year later than the source."""
    path = edition(folder, ".txt")
    edit_text(path, lambda text: text.replace("Review due January 10, 2027", "Review due January 10, 2028"))
    return path


def cues_swapped(folder: Path) -> Path:
    """Two cues of the transcript trade their texts, times kept."""
    path = edition(folder, ".vtt")
    header, *cues = path.read_text("utf-8").rstrip("\n").split("\n\n")
    first, second = (cue.split("\n", 1) for cue in cues[5:7])
    cues[5:7] = [f"{first[0]}\n{second[1]}", f"{second[0]}\n{first[1]}"]
    path.write_text("\n\n".join([header, *cues]) + "\n", encoding="utf-8")
    return path


def epub_review_date_changed(folder: Path) -> Path:
    """The e-book's title page shows another review date."""
    path = edition(folder, ".epub")
    rewrite_zip(path, lambda name, data: data.replace(b"January 10, 2027", b"January 10, 2029") if name.endswith("title.xhtml") else data)
    return path


def epub_publication_date_declared_wrongly(folder: Path) -> Path:
    """The package's dc:date, which reading systems list, is not the publication date."""
    path = edition(folder, ".epub")
    rewrite_zip(path, lambda name, data: data.replace(b"<dc:date>2026-01-10</dc:date>", b"<dc:date>2025-01-10</dc:date>") if name.endswith(".opf") else data)
    return path


def epub_paragraph_removed(folder: Path) -> Path:
    """The e-book's section loses its first paragraph."""
    path = edition(folder, ".epub")
    paragraph = re.compile(rb"<p[^>]*>[^<]*Gentle stretching[^<]*</p>")
    rewrite_zip(path, lambda name, data: paragraph.sub(b"", data) if name.endswith("section-1.xhtml") else data)
    return path


def epub_paragraphs_hidden(folder: Path) -> Path:
    """Three paragraphs of the e-book marked `hidden`: still in the file, never on the screen."""
    path = edition(folder, ".epub")
    openings = (b"<p>Most night", b"<p>Gentle", b"<p>See a doctor")

    def hidden(name: str, data: bytes) -> bytes:
        for opening in openings:
            data = data.replace(opening, b'<p hidden="hidden">' + opening[3:], 1)
        return data

    rewrite_zip(path, hidden)
    return path


def epub_spine_reordered(folder: Path) -> Path:
    """The e-book's spine turns to the references before the questions and answers."""
    path = edition(folder, ".epub")
    faq, references = b'<itemref idref="faq"/>', b'<itemref idref="references"/>'
    rewrite_zip(path, lambda name, data: data.replace(faq, b"\0").replace(references, faq).replace(b"\0", references) if name.endswith(".opf") else data)
    return path


def web_paragraphs_and_items_removed(folder: Path) -> Path:
    """The web page without a paragraph or a list item: its headings, table and FAQ left."""
    path = folder / "out" / ARTICLE / "index.html"
    edit_text(path, lambda html: re.sub(r"<(p|li)\b[^>]*>.*?</\1>", "", html, flags=re.DOTALL))
    return path


def braille_lines_reversed(folder: Path) -> Path:
    """The lines of the second braille page (after the title page) in reverse order."""
    path = edition(folder, ".brf")
    title, second, rest = path.read_bytes().split(b"\f", 2)
    path.write_bytes(b"\f".join([title, b"\r\n".join(reversed(second.split(b"\r\n"))), rest]))
    return path


def narration_reversed(folder: Path) -> Path:
    """The recording played backwards: as long as before, its transcript and chapters untouched."""
    path = edition(folder, ".mp3")
    rewrite_sound(path, reversed_sound)
    return path


def narration_hummed(folder: Path) -> Path:
    """A hum as loud and as long as the narration, instead of it."""
    path = edition(folder, ".mp3")
    rewrite_sound(path, hum)
    return path


def narration_silenced(folder: Path) -> Path:
    """The sound of the sixth cue's time span silenced."""
    path = edition(folder, ".mp3")
    cue = parse(edition(folder, ".vtt").read_text("utf-8"))[5]
    rewrite_sound(path, silenced(cue.start_ms, cue.end_ms))
    return path


def narration_cues_swapped(folder: Path) -> Path:
    """The sounds of the sixth and eighth cues change places."""
    path = edition(folder, ".mp3")
    cues = parse(edition(folder, ".vtt").read_text("utf-8"))
    rewrite_sound(path, swapped(cues[5], cues[7]))
    return path


def leaflet_damaged(change: Callable[[pikepdf.Pdf], None]) -> Callable[[Path], Path]:
    """A damage to the printed leaflet, made with one of `pdf_damage`'s changes."""

    def damage(folder: Path) -> Path:
        path = edition(folder, ".pdf")
        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            change(pdf)
            pdf.save(path)
        return path

    damage.__name__ = f"leaflet_{change.__name__}"
    return damage


HEARD_WRONG = r'^cue 6 at \d+:\d\d\.\d{3} \(".+"\) in chapter \d+ \(.+\) (does not sound like its text|sounds like the text of cue \d+)'

def braille_dates_line_blanked(folder: Path) -> Path:
    """The braille title page's line naming the review date left blank, its length kept."""
    path = edition(folder, ".brf")
    title, rest = path.read_bytes().split(b"\f", 1)
    lines = [b" " * len(line) if b",REVIEW" in line.upper() else line for line in title.split(b"\r\n")]
    path.write_bytes(b"\r\n".join(lines) + b"\f" + rest)
    return path


DAMAGE = [
    # damage, the check that must fail, what its message must say (a regular expression)
    (paragraphs_reversed, "text-parity", r'^out of order: .*cramps\.yaml:\d+:\d+ .*" is read at line \d+, not (after line \d+|at the start)$'),
    (sentence_injected, "text-parity", rf'^unexplained: "{INJECTED[:-1]}" at line 21: neither the source nor the catalogue says \'Take\''),
    (review_date_changed, "text-parity", r'^missing detail: the review date "January 10, 2027" \(.*cramps\.yaml:\d+:\d+ review_due\) is not shown$'),
    (cues_swapped, "transcript-parity", r'^out of order: .*cramps\.yaml:\d+:\d+ .*" is read at cue \d+ at \d+:\d\d\.\d{3}, not after cue \d+ at '),
    (epub_review_date_changed, "epub-parity", r'^missing detail: the review date "January 10, 2027" \(.*review_due\) is not shown$'),
    (epub_publication_date_declared_wrongly, "epub-parity", r"^missing detail: the package's dc:date is '2025-01-10', not the publication date '2026-01-10' \(.*published\)$"),
    (braille_lines_reversed, "braille-back-translation", r'^out of order: .*cramps\.yaml:\d+:\d+ .* is at BRF page 2, line \d+, not after BRF page 2, line \d+$'),
    (narration_reversed, "narration-matches-transcript", HEARD_WRONG),
    (narration_hummed, "narration-matches-transcript", HEARD_WRONG),
    (narration_silenced, "narration-matches-transcript", HEARD_WRONG),
    (narration_cues_swapped, "narration-matches-transcript", HEARD_WRONG),
    (leaflet_damaged(pdf_damage.every_glyph_invisible), "pdf-ink", r'^page 1, line 1: ".+" cannot be seen: drawn invisible \(text render mode 3\)'),
    (leaflet_damaged(pdf_damage.white_box_over_a_paragraph), "pdf-ink", r"^page 1, line \d+: .+ cannot be seen: not drawn where it stands: covered by something drawn over it, or clipped away$"),
    (leaflet_damaged(pdf_damage.near_white_text), "pdf-ink", r"^page 1, line 1: .+ cannot be seen: #f5f5f5 on #ffffff has a contrast of 1\.09:1"),
    (leaflet_damaged(pdf_damage.glyphs_reversed), "pdf-parity", r"at page 1, line \d+"),
    (leaflet_damaged(pdf_damage.structure_reversed), "pdf-reading-order", r"is read before the text the source has before it \(.+, page \d+, line \d+\)$"),
    (braille_dates_line_blanked, "braille-back-translation", r'^missing detail: the review date "January 10, 2027" \(.*review_due\) is not shown$'),
    (epub_paragraph_removed, "epub-parity", r'^missing: .*cramps\.yaml:10:9 sections\[0\]\.body\[0\]: "Gentle stretching helps many people\." is not read \(it belongs after section-1\.xhtml, <h1> 1 of <main>\)'),
    (epub_paragraphs_hidden, "epub-parity", r'^missing: .*cramps\.yaml:10:9 sections\[0\]\.body\[0\]: "Gentle stretching helps many people\." is not read \(it belongs after section-1\.xhtml, <h1> 1 of <main>\)'),
    (epub_spine_reordered, "epub-reading-order", r'^spine: out of order: "References" \(the catalogue\'s label\), spine item 4 \(references\.xhtml\), comes after "Questions and answers" in the source$'),
    (web_paragraphs_and_items_removed, "web-parity", r'^missing: .*cramps\.yaml:\d+:\d+ summary: "Most night cramps are harmless\." is not read \(it belongs after index\.html, <h1> 1 of <main>\)'),
]


@pytest.mark.parametrize(("damage", "check", "message"), DAMAGE, ids=[damage.__name__ for damage, _check, _message in DAMAGE])
def test_damage_fails_the_check_that_reads_it_naming_the_place(built, tmp_path, damage, check, message):
    folder = broken_copy(built, tmp_path)
    path = damage(folder)
    code, report = run_json(folder, path)
    [verdict] = results(report, check)
    assert code == 1 and verdict["status"] == "fail", verdict
    assert any(re.search(message, line) for line in verdict["messages"]), verdict["messages"]


def test_the_untouched_build_passes_every_check_none_skipped_under_strict(built):
    result = invoke(built, "--strict", "--quiet", built / "out")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"\d+ checks: \d+ passed, 0 failed, 0 skipped\n", result.output)


# ---------------------------------------------------------------- strict runs


def test_under_strict_a_check_skipped_for_want_of_its_tool_fails_with_the_reason(built, monkeypatch):
    monkeypatch.setenv("PIPELINE_ACE", "pipeline-test-no-such-ace")  # Ace is not there: its check skips
    epub = edition(built, ".epub")
    lenient = invoke(built, "--force", epub)
    assert lenient.exit_code == 0 and re.search(r"^SKIP .* ace ", lenient.output, re.M)
    strict = invoke(built, "--force", "--strict", "--quiet", epub)
    assert strict.exit_code == 1
    assert re.search(r"^FAIL  \S+cramps\.epub\s+ace\s+skipped under --strict$", strict.output, re.M)
    assert "the check could not run: Ace by DAISY is not installed" in strict.output
    assert strict.output.splitlines()[-1].endswith("1 failed, 0 skipped")


def fake_ace(folder: Path, report: str) -> Path:
    """An `ace` command that writes `report` as its report.json, as a broken Ace might."""
    script = folder / "fake-ace"
    script.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        while [ "$1" != "--outdir" ]; do shift; done
        printf '%s' '{report}' > "$2/report.json"
        """), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.mark.parametrize("report", ["{}", '{"assertions": [], "earl:result": {"earl:outcome": "fail"}}', '{"assertions": [{"assertions": [{}]}]}'],
                         ids=["empty", "fail-with-no-findings", "assertion-without-outcome"])
def test_an_ace_report_that_cannot_be_read_is_a_failure_not_zero_violations(built, tmp_path, monkeypatch, report):
    monkeypatch.setenv("PIPELINE_ACE", str(fake_ace(tmp_path, report)))
    code, verify_report = run_json(built, "--force", edition(built, ".epub"))
    [verdict] = results(verify_report, "ace")
    assert code == 1 and verdict["status"] == "fail" and verdict["figure"] == "not run"
    assert verdict["messages"][0].startswith("Ace's report could not be read (")


def test_under_make_test_a_skipped_test_fails(tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / "test_skips.py").write_text("import pytest\n\ndef test_needs_a_tool():\n    pytest.skip('the tool is missing')\n", encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "strict_skips", str(tmp_path / "test_skips.py")]
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
    strict = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env={**environment, "PIPELINE_STRICT": "1"})
    lenient = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env={**environment, "PIPELINE_STRICT": "0"})
    assert strict.returncode == 1 and "skipped where PIPELINE_STRICT=1" in strict.stdout
    assert lenient.returncode == 0 and "1 skipped" in lenient.stdout


def test_a_report_shows_control_characters_escaped_never_raw(built, tmp_path):
    """A folder name holding an escape sequence (or a new line) cannot drive the terminal or
    forge a line of the report."""
    from click.testing import CliRunner

    from pipeline.cli import cli

    folder = broken_copy(built, tmp_path)
    sources = folder / "sources\x1b[2J\nPASS"
    (folder / "source").rename(sources)
    path = edition(folder, ".txt")
    edit_text(path, lambda text: text.replace("Drink enough water.\n", ""))
    result = CliRunner().invoke(cli, ["verify", "--sources", str(sources), str(path)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "sources\\x1b[2J\\nPASS" in result.output
    assert [line for line in result.output.splitlines() if line.startswith("PASS")] == []
