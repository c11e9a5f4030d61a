"""`pipeline verify` on e-books: EPUBCheck, the language, the accessibility claims, and Ace
(from the report Ace 1.4.6 really wrote), each caught on a copy of a good build."""

from __future__ import annotations

import re
import stat
import sys
from pathlib import Path

import jsonschema
import pytest
from verify_helpers import broken_copy, check_file, results, rewrite_zip, run_json, schema

from pipeline.verify.checks.epub import EpubAccessibilityMetadata
from pipeline.verify.checks.epub_ace import Ace

DATA = Path(__file__).resolve().parent / "data"


def test_epub_without_language_fails_epubcheck_and_the_language_check(built, tmp_path, without_ace):
    folder = broken_copy(built, tmp_path)

    def without_language(name: str, data: bytes) -> bytes:
        if name.endswith(".opf"):
            return re.sub(rb"<dc:language>[^<]*</dc:language>", b"", data).replace(b' xml:lang="en"', b"")
        return data

    path = folder / "out" / "cramps" / "cramps.epub"
    rewrite_zip(path, without_language)
    code, report = run_json(folder, path)
    jsonschema.validate(report, schema())
    assert code == 1 and report["passed"] is False
    [epubcheck] = results(report, "epubcheck")
    assert epubcheck["status"] == "fail" and epubcheck["figure"].startswith("0 fatal, 1 errors, 0 warnings")
    assert re.fullmatch(r'ERROR RSC-005 EPUB/content\.opf:\d+:\d+: .*missing required element "dc:language"', epubcheck["messages"][0])
    [language] = results(report, "epub-language")
    assert language["status"] == "fail" and language["figure"] == "'en' in 5/7 places (dc:language, package, 5 documents)"
    assert language["messages"][:2] == [
        f"dc:language is missing, not 'en' as in {folder / 'source' / 'cramps.yaml'}",
        f"the package element's xml:lang is missing, not 'en' as in {folder / 'source' / 'cramps.yaml'}",
    ]
    assert [result["status"] for result in results(report, "epub-parity")] == ["pass"]  # the rest is untouched




def test_epub_without_accessibility_metadata_names_what_is_missing(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    path = folder / "out" / "cramps" / "cramps.epub"

    def without_claims(name: str, data: bytes) -> bytes:
        if name.endswith(".opf"):
            return re.sub(rb'<meta property="(dcterms:conformsTo|schema:accessibilitySummary)">[^<]*</meta>', b"", data)
        return data

    rewrite_zip(path, without_claims)
    verdict = check_file(folder, path, EpubAccessibilityMetadata())
    assert (verdict.result.status, verdict.result.figure) == ("fail", "4/6 declared")
    assert verdict.result.messages == (
        'no dcterms:conformsTo naming EPUB Accessibility 1.1 (e.g. "EPUB Accessibility 1.1 - WCAG 2.2 Level AA")',
        "no schema:accessibilitySummary metadata",
    )




@pytest.fixture
def fake_ace(tmp_path, monkeypatch) -> None:
    """An `ace` that writes the report Ace 1.4.6 wrote for an e-book without language."""
    script = tmp_path / "ace"
    script.write_text(
        f"#!{sys.executable}\nimport shutil, sys\n"
        f"outdir = sys.argv[sys.argv.index('--outdir') + 1]\n"
        f"shutil.copy({str(DATA / 'ace-report-without-language.json')!r}, outdir + '/report.json')\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PIPELINE_ACE", str(script))
    monkeypatch.setenv("PUPPETEER_EXECUTABLE_PATH", sys.executable)  # any file: the fake drives no browser


def test_ace_violations_are_listed_with_impact_rule_document_and_help(built, fake_ace):
    verdict = check_file(built, built / "out" / "cramps" / "cramps.epub", Ace())
    assert (verdict.result.status, verdict.result.figure) == ("fail", "2 violations: 2 serious (Ace 1.4.6)")
    assert verdict.result.messages == (
        "serious epub-lang in EPUB/content.opf: The language must be specified (xml:lang in OPF package) (http://kb.daisy.org/publishing/docs/epub/language.html)",
        "serious html-has-lang in section-1.xhtml: The <html> element does not have a lang attribute (http://kb.daisy.org/publishing/docs/html/lang.html)",
    )
