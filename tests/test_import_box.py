"""`pipeline import` in a box: a hostile or broken file fetches nothing, reads nothing beside
itself, runs within the limits of `[tool.pipeline.limits]`, writes nothing when refused, and
says in one line what is wrong, where, and what to do (exit 1, never an internal error).

Every case runs with a local HTTP listener that counts requests, and a secret file beside the
input that nothing may read; each refused case asserts the folder holds what it held before.
"""

from __future__ import annotations

import random
import struct
import subprocess
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pypandoc
import pytest
from click.testing import CliRunner
from test_hostile_content import Trap, serving_trap
from test_import_cli import CLEAN

from pipeline.cli import cli
from pipeline.importer import pandoc
from pipeline.source.validate import load_article

LEAFLET = CLEAN.replace("- **Stretch:** Stretch your calves before bed.\n", "- **Stretch:** Stretch your calves before bed.\n- **Drink:** Drink water through the day.\n")
"""The clean leaflet, with two key points (to pass a limit of one)."""
WORD_XML = '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
WORD_XML_END = "</w:t></w:r></w:p></w:body></w:document>"


@dataclass
class Box(Trap):
    programs: list[list[str]] = field(default_factory=list)
    """The command line of each program the import started."""


@pytest.fixture
def trap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The listener and the secret, the folder the import runs in (with HOME and TMPDIR inside
    it, where a program writes unasked), and every program the import starts, recorded."""
    monkeypatch.chdir(tmp_path)
    for variable in ("HOME", "TMPDIR"):
        (tmp_path / variable.lower()).mkdir()
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    with serving_trap(tmp_path) as serving:
        box = Box(**vars(serving))

        def recorded(command, *args, **kwargs):
            box.programs.append([str(part) for part in command])
            return subprocess.run(command, *args, **kwargs)

        monkeypatch.setattr(pandoc, "subprocess", SimpleNamespace(run=recorded, TimeoutExpired=subprocess.TimeoutExpired, DEVNULL=subprocess.DEVNULL))
        yield box


def files_in(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


def run_import(*args: str):
    return CliRunner().invoke(cli, ["import", *args])


def refused(trap: Box, name: str, *args: str, pandoc_ran: bool = False) -> str:
    """Import `name`, which must be refused: exit 1, one error line, nothing written, nothing
    fetched, and no program run but pandoc in its box (none at all when refused before it)."""
    before, started = files_in(Path.cwd()), len(trap.programs)
    result = run_import(name, *args)
    assert result.exit_code == 1, result.output
    assert trap.requests == []
    assert files_in(Path.cwd()) == before
    assert_boxed(trap.programs[started:], 1 if pandoc_ran else 0)
    lines = result.output.splitlines()
    assert len(lines) == 1 and "error: " in lines[0], result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    return lines[0]


def assert_boxed(programs: list[list[str]], count: int) -> None:
    assert len(programs) == count, programs
    for command in programs:
        assert Path(command[0]).name == "pandoc" and command[1] == "+RTS" and command[2].startswith("-M") and command[3] == "-RTS", command
        assert "--sandbox" in command and "--filter" not in command and "--lua-filter" not in command, command


def word_file(path: Path, markdown: str = LEAFLET) -> Path:
    pypandoc.convert_text(markdown, "docx", format="markdown", outputfile=str(path), extra_args=["--sandbox"])
    return path


def with_part(source: Path, target: Path, name: str, write) -> Path:
    """`source` copied to `target` with part `name` written by `write(stream)` instead."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for part in original.infolist():
            if part.filename != name:
                copy.writestr(part, original.read(part.filename))
        replaced = zipfile.ZipInfo(name)
        replaced.compress_type = zipfile.ZIP_DEFLATED
        with copy.open(replaced, "w") as stream:
            write(stream)
    return target


def zeros(megabytes: int):
    def write(stream) -> None:
        stream.write(WORD_XML.encode())
        for _ in range(megabytes):
            stream.write(b"0" * (1 << 20))
        stream.write(WORD_XML_END.encode())

    return write


def test_an_html_leaflet_fetches_no_address_and_reads_no_other_file(trap):
    page = LEAFLET.split("---\n\n", 1)[1].replace("# ", "## ")
    Path("leaflet.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><title>Leg cramps at night</title>"
        f"<link rel='stylesheet' href='{trap.url}/style.css'></head><body><main><h1>Leg cramps at night</h1>"
        f"{pypandoc.convert_text(page, 'html', format='markdown')}"
        f"<iframe src='{trap.url}/latest/meta-data/iam'></iframe><iframe src='file://{trap.secret}'></iframe>"
        f"<img src='{trap.url}/pixel.png' alt='Pixel'><img src='file://{trap.secret}' alt='Secret'>"
        f"<object data='{trap.url}/object'></object></main></body></html>",
        encoding="utf-8",
    )
    result = run_import("leaflet.html", "-o", "source/leaflet.yaml")
    written = Path("source/leaflet.yaml").read_text("utf-8")
    assert result.exit_code == 0, result.output
    assert trap.requests == []
    assert trap.token not in written and trap.token not in result.output
    assert_boxed(trap.programs, 1)
    assert files_in(Path.cwd()) == {"leaflet.html", "secret.txt", "source", "source/leaflet.yaml", "home", "tmpdir"}


def test_a_zip_bomb_docx_is_refused_before_pandoc_unpacks_it(trap):
    bomb = with_part(word_file(Path("plain.docx")), Path("bomb.docx"), "word/document.xml", zeros(64))
    Path("plain.docx").unlink()
    assert bomb.stat().st_size < 200_000
    started = time.monotonic()
    line = refused(trap, "bomb.docx")
    assert time.monotonic() - started < 10
    declared = zipfile.ZipFile(bomb).getinfo("word/document.xml").file_size
    assert line == (
        f"error: bomb.docx: not a readable docx file: its part word/document.xml unpacks to {declared:,} bytes; "
        "the limit is 2,000,000 (max_import_text_bytes): that is more text than a leaflet holds: split it into one file per leaflet"
    )


def test_a_docx_part_that_unpacks_to_more_than_it_declares_is_refused(trap):
    bomb = with_part(word_file(Path("plain.docx")), Path("liar.docx"), "word/document.xml", zeros(8))
    Path("plain.docx").unlink()
    declared_size(bomb, "word/document.xml", 1000)
    assert zipfile.ZipFile(bomb).getinfo("word/document.xml").file_size == 1000
    assert refused(trap, "liar.docx") == "error: liar.docx: not a readable docx file (Bad CRC-32 for file 'word/document.xml'): save it again from its editor"


def declared_size(path: Path, name: str, size: int) -> None:
    """Make the zip at `path` declare `size` bytes unpacked for part `name`, in its local header
    and in the central directory, as a hand-made bomb would."""
    data = bytearray(path.read_bytes())
    for signature, size_at, name_length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        position = data.find(signature)
        while position >= 0:
            (name_length,) = struct.unpack_from("<H", data, position + name_length_at)
            if data[position + name_at : position + name_at + name_length] == name.encode():
                struct.pack_into("<I", data, position + size_at, size)
            position = data.find(signature, position + 4)
    path.write_bytes(bytes(data))


PICTURES = "make its pictures smaller or remove them, or split it into one file per leaflet, and save it again"


@pytest.mark.parametrize(
    ("setting", "refusal"),
    [
        ("max_import_bytes", "the file is {size:,} bytes; the limit is 5,000 (max_import_bytes)"),
        ("max_import_unpacked_bytes", "not a readable docx file: its parts unpack to {unpacked:,} bytes; the limit is 5,000 (max_import_unpacked_bytes)"),
        ("max_import_parts", "not a readable docx file: it has {parts:,} parts; the limit is 5 (max_import_parts)"),
        ("max_import_member_bytes", "not a readable docx file: its part word/media/photo.jpeg unpacks to 6,000 bytes; the limit is 5,000 (max_import_member_bytes)"),
    ],
)
def test_a_word_file_over_a_size_limit_is_refused_before_pandoc_and_passes_without_it(trap, setting, refusal):
    """Each limit as the project sets it; the same file imports under the defaults."""
    with_part(word_file(Path("plain.docx")), Path("leaflet.docx"), "word/media/photo.jpeg", lambda stream: stream.write(random.randbytes(6000)))
    Path("plain.docx").unlink()
    size = Path("leaflet.docx").stat().st_size
    unpacked = sum(part.file_size for part in zipfile.ZipFile("leaflet.docx").infolist())
    parts = len(zipfile.ZipFile("leaflet.docx").infolist())
    Path("pyproject.toml").write_text(f"[tool.pipeline.limits]\n{setting} = {5 if setting == 'max_import_parts' else 5000}\n", encoding="utf-8")
    line = refused(trap, "leaflet.docx")
    assert line.startswith(f"error: leaflet.docx: {refusal.format(size=size, unpacked=unpacked, parts=parts)}") and line.endswith(PICTURES)
    Path("pyproject.toml").unlink()
    assert run_import("leaflet.docx").exit_code == 0


def test_a_markdown_file_over_the_text_limit_is_refused_before_pandoc_reads_it(trap):
    Path("big.md").write_text(LEAFLET + "Stretching helps many people.\n\n" * 70_000, encoding="utf-8")
    size = Path("big.md").stat().st_size
    started = time.monotonic()
    line = refused(trap, "big.md")
    assert time.monotonic() - started < 10
    assert line == (
        f"error: big.md: the file is {size:,} bytes of text; the limit is 2,000,000 (max_import_text_bytes): "
        "that is more text than a leaflet holds: split it into one file per leaflet"
    )


def test_a_document_with_more_words_than_a_source_holds_is_refused_before_it_is_mapped(trap):
    Path("long.md").write_text(LEAFLET + "Stretching helps many people every night.\n\n" * 8_000, encoding="utf-8")
    assert refused(trap, "long.md", pandoc_ran=True) == (
        "error: long.md: its text is more than 262,144 characters, and a source holds at most 262,144 bytes (max_file_bytes): "
        "that is more text than a leaflet holds: split it into one file per leaflet"
    )


def test_the_written_source_is_held_to_the_limits_of_any_source_before_it_is_written(trap):
    Path("leaflet.md").write_text(LEAFLET, encoding="utf-8")
    Path("pyproject.toml").write_text("[tool.pipeline.limits]\nmax_key_points = 1\n", encoding="utf-8")
    assert refused(trap, "leaflet.md", pandoc_ran=True) == "source/leaflet.yaml:5:1: error: key_points: 2 key points; the limit is 1: shorten it"
    Path("pyproject.toml").write_text("[tool.pipeline.limits]\nmax_file_bytes = 400\n", encoding="utf-8")
    line = refused(trap, "leaflet.md", pandoc_ran=True)
    assert line.startswith("source/leaflet.yaml:1:1: error: file is ") and line.endswith(" bytes; the limit is 400: split the article")
    Path("pyproject.toml").unlink()
    assert run_import("leaflet.md").exit_code == 0


@pytest.mark.heavy
def test_pandoc_is_stopped_at_its_memory_cap(trap):
    Path("pyproject.toml").write_text("[tool.pipeline.limits]\nmax_import_memory_bytes = 70000000\nmax_file_bytes = 2000000\n", encoding="utf-8")
    Path("long.md").write_text(LEAFLET + "Stretching **helps** many [people](https://www.nhs.uk/) every night.\n\n" * 20_000, encoding="utf-8")
    assert refused(trap, "long.md", pandoc_ran=True) == (
        "error: long.md: reading it needs more than 70,000,000 bytes of memory (max_import_memory_bytes), so it was stopped: "
        "split it into one file per leaflet, or save it again from its editor"
    )


@pytest.mark.heavy
def test_pandoc_is_stopped_at_its_time_limit(trap):
    Path("pyproject.toml").write_text("[tool.pipeline.limits]\nmax_import_seconds = 1\n", encoding="utf-8")
    Path("long.md").write_text(LEAFLET + "Stretching **helps** many [people](https://www.nhs.uk/) every night.\n\n" * 25_000, encoding="utf-8")
    started = time.monotonic()
    line = refused(trap, "long.md", pandoc_ran=True)
    assert time.monotonic() - started < 10
    assert line == (
        "error: long.md: reading it took longer than 1 s (max_import_seconds), so it was stopped: "
        "split it into one file per leaflet, or save it again from its editor"
    )


def test_a_malformed_styles_part_is_not_a_readable_docx_file(trap):
    original = word_file(Path("plain.docx"))
    styles = zipfile.ZipFile(original).read("word/styles.xml")
    with_part(original, Path("broken.docx"), "word/styles.xml", lambda stream: stream.write(styles[: len(styles) // 2]))
    original.unlink()
    line = refused(trap, "broken.docx", pandoc_ran=True)
    assert line.startswith("error: broken.docx: not a readable docx file: its part word/styles.xml is not well-formed XML (")
    assert line.endswith("): save it again from its editor")


def test_a_file_that_is_not_a_zip_is_not_a_readable_docx_file(trap):
    Path("leaflet.docx").write_text(LEAFLET, encoding="utf-8")
    assert refused(trap, "leaflet.docx") == "error: leaflet.docx: not a readable docx file (File is not a zip file): save it again from its editor"


def test_a_file_name_with_new_lines_stays_one_comment_line_and_adds_no_key(trap):
    name = "leaflet\npublisher: Evil Pharma Ltd\nreference: x.md"
    Path(name).write_text(LEAFLET, encoding="utf-8")
    result = run_import(name, "-o", "source/leaflet.yaml")
    written = Path("source/leaflet.yaml").read_text("utf-8")
    assert result.exit_code == 0, result.output
    assert written.splitlines()[0] == "# Imported from leaflet\\npublisher: Evil Pharma Ltd\\nreference: x.md by `pipeline import`."
    article = load_article(Path("source/leaflet.yaml"))
    assert article.publisher is None and article.reference is None
    assert "Evil" not in "".join(line for line in written.splitlines() if not line.startswith("#"))
    assert trap.requests == []
    assert_boxed(trap.programs, 1)


def test_a_file_name_with_an_escape_sequence_is_printed_escaped(trap):
    name = "leaf\x1b[2J\x1b]0;owned\x07let.md"
    Path(name).write_text(LEAFLET.replace("Published: 10 May 2026. Review date: 10 May 2027.", ""), encoding="utf-8")
    result = run_import(name, "-o", "source/leaflet.yaml")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "leaf\\x1b[2J\\x1b]0;owned\\x07let.md:" in result.output  # the warning about the missing dates names the file
    assert "\x1b" not in Path("source/leaflet.yaml").read_text("utf-8")
    missing = run_import("gone\x1b[31m.md")
    assert missing.exit_code == 2 and "\x1b" not in missing.output and "gone\\x1b[31m.md is not a file" in missing.output


@pytest.mark.parametrize("name", ["con.md", "CON.md", "Lpt1.md", "nul.docx"])
def test_a_file_named_as_a_windows_device_gives_no_article_id(trap, name):
    Path(name).write_text(LEAFLET, encoding="utf-8")
    line = refused(trap, name)
    assert line.startswith(f"error: {name}: its name gives no usable article id (Windows keeps the name for a device")
    assert line.endswith("name the source with -o source/<id>.yaml")
