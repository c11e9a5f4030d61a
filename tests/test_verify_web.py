"""`pipeline verify` on the web edition: axe-core in Chromium in both colour schemes, reflow at
320 CSS pixels, the page's language; each passes on a good build and names what it catches."""

from __future__ import annotations

import pytest
from browser import needs_browser
from verify_helpers import broken_copy, check_file

from pipeline.verify.checks.web import WebAxe, WebLanguage, WebReflow


def page_of(folder):
    return folder / "out" / "cramps" / "index.html"


def edit(folder, old: str, new: str) -> None:
    path = page_of(folder)
    html = path.read_text("utf-8")
    assert old in html
    path.write_text(html.replace(old, new, 1), encoding="utf-8")


@needs_browser
def test_good_page_passes_axe_in_both_schemes_and_reflows(built):
    axe = check_file(built, page_of(built), WebAxe()).result
    assert axe.status == "pass" and axe.figure.startswith("0 violations in the light and dark colour schemes (axe-core 4.")
    reflow = check_file(built, page_of(built), WebReflow()).result
    assert (reflow.status, reflow.figure) == ("pass", "320 CSS pixels of content in a 320-pixel window")


@needs_browser
def test_text_too_faint_in_the_dark_scheme_only_fails_axe_for_dark(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    edit(folder, "</head>", "<style>@media (prefers-color-scheme: dark) { main p { color: #555 !important; } }</style></head>")
    result = check_file(folder, page_of(folder), WebAxe()).result
    assert result.status == "fail" and result.figure.startswith("1 violation in the light and dark colour schemes")
    assert [message.split(":")[0:2] for message in result.messages] == [["dark", " color-contrast (serious)"]]


@needs_browser
def test_a_line_wider_than_320_pixels_fails_reflow_and_is_named(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    edit(folder, "<main", f'<pre id="wide">{"Preformatted " * 8}</pre><main')  # a line that never wraps
    result = check_file(folder, page_of(folder), WebReflow()).result
    assert result.status == "fail" and result.figure.endswith("CSS pixels of content in a 320-pixel window")
    assert result.messages[0].startswith("the page scrolls sideways at 320 CSS pixels: wider than the window: <pre id=wide>")


def test_page_in_another_language_than_its_source_fails(built, tmp_path):
    folder = broken_copy(built, tmp_path)
    edit(folder, ' lang="en" xml:lang="en">', ' lang="fr" xml:lang="fr">')
    result = check_file(folder, page_of(folder), WebLanguage()).result
    assert (result.status, result.figure) == ("fail", "lang fr")
    assert result.messages[0].startswith("<html lang> is fr, not 'en' as in ")
    assert check_file(built, page_of(built), WebLanguage()).result.figure == "lang en"


@pytest.mark.parametrize("check", [WebAxe, WebReflow])
def test_without_chromium_the_browser_checks_skip_and_say_how_to_get_it(built, monkeypatch, check):
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("PUPPETEER_EXECUTABLE_PATH", raising=False)
    result = check().run(None, next(iter([_output(built)])))
    assert (result.status, result.figure) == ("skip", "Chromium is not installed: `make all` or `make test` installs Debian's (apt-get, as root)")


def _output(built):
    from pipeline.verify.checks import Output

    return Output("cramps", "html", {"text/html": page_of(built)})
