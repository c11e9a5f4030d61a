"""The library page, outputs/index.html: every built output linked, by language, accessible."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import axe_violations, serve
from click.testing import CliRunner
from conftest import MINIMAL
from test_web import browser  # noqa: F401  (Chromium, or the test skipped saying why)

from pipeline.build import library
from pipeline.cli import cli
from pipeline.locale import catalogue_for
from pipeline.text import labels

WELSH = (
    MINIMAL.replace("title: Leg cramps at night", "title: Crampiau yn y nos").replace("lang: en", "lang: cy").replace("review_due: 2027-01-10", "review_due: 2026-02-01")
)
ARABIC = MINIMAL.replace("title: Leg cramps at night", "title: تشنجات الساق ليلاً").replace("lang: en", "lang: ar")


class Page(HTMLParser):
    """Links, the language of each heading, and the text under each leaflet heading."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []
        self.headings: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a":
            self.links.append(attributes)
        if tag in ("h2", "h3"):
            self.headings.append((tag, attributes))
        self.scripts += tag == "script"

    def handle_data(self, data):
        self.text.append(data)


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def shelf(built, tmp_path_factory) -> Path:
    """The every-format build of the minimal article, and a Welsh leaflet past its review date
    and an Arabic one built as text: an output folder holding three languages."""
    out = tmp_path_factory.mktemp("shelf") / "out"
    shutil.copytree(built / "out", out)
    sources = out.parent / "source"
    sources.mkdir()
    (sources / "crampiau.yaml").write_text(WELSH, encoding="utf-8")
    (sources / "tashannujat.yaml").write_text(ARABIC, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--quiet", "--out", str(out), "-f", "txt", "-f", "epub", str(sources)])
    assert result.exit_code == 0, result.output
    return out


def manifest_files(out: Path) -> set[str]:
    return {
        f"{folder.name}/{name}"
        for folder in out.iterdir()
        if (folder / "manifest.json").is_file()
        for record in json.loads((folder / "manifest.json").read_text("utf-8"))["outputs"].values()
        for name in record["files"]
    }


def test_the_build_writes_a_page_linking_every_output_in_every_manifest_and_nothing_else(shelf):
    page = parsed((shelf / "index.html").read_text("utf-8"))
    outputs = {link["href"] for link in page.links if not link["href"].startswith("#")}
    assert outputs == manifest_files(shelf)
    assert len(outputs) >= 10
    assert page.scripts == 0


def test_each_link_names_its_format_and_size_in_the_readers_words(shelf):
    html = (shelf / "index.html").read_text("utf-8")
    size = (shelf / "cramps" / "cramps.large-print.pdf").stat().st_size
    assert (
        f'<a href="cramps/cramps.large-print.pdf" hreflang="en" type="application/pdf">Large-print PDF</a> <span class="size">(<bdi>{library.file_size(size)}</bdi>)</span>' in html
    )
    assert '<a href="cramps/cramps.vtt" hreflang="en">Transcript (WebVTT)</a>' in html
    assert html.index("cramps/index.html") < html.index("cramps/cramps.pdf") < html.index("cramps/cramps.txt")
    for leaflet in library.leaflets(shelf):
        names = [download.label for download in leaflet.downloads]
        assert len(names) == len(set(names)), f"two links of {leaflet.id} share a name: {names}"
    assert library.file_size(812) == "812 byte"
    assert (library.file_size(12_345), library.file_size(5_293_386)) == ("12.3 kB", "5.3 MB")


def test_leaflets_are_grouped_by_language_each_heading_in_its_own_language(shelf):
    page = parsed((shelf / "index.html").read_text("utf-8"))
    groups = [attributes["id"] for tag, attributes in page.headings if tag == "h2"]
    assert groups == ["lang-ar", "lang-en", "lang-cy"]  # Arabic, English, Welsh
    titles = {attributes["id"]: (attributes["lang"], attributes["dir"]) for tag, attributes in page.headings if tag == "h3"}
    assert titles == {"leaflet-cramps": ("en", "ltr"), "leaflet-crampiau": ("cy", "ltr"), "leaflet-tashannujat": ("ar", "rtl")}
    html = (shelf / "index.html").read_text("utf-8")
    assert 'Welsh (<span lang="cy" dir="ltr">Cymraeg</span>)' in html
    assert '<time datetime="2026-01-10">January 10, 2026</time>' in html


def test_only_a_leaflet_past_its_review_date_is_marked_so_in_words(shelf):
    html = library.page(library.leaflets(shelf), dt.date(2026, 6, 1))
    marked = [part.split("</h3>")[0].split(">")[-1] for part in html.split('<li class="leaflet overdue">')[1:]]
    assert marked == ["Crampiau yn y nos"]
    assert html.count("Past its review date") == 1
    assert "Past its review date" not in library.page(library.leaflets(shelf), dt.date(2026, 1, 31))


def test_a_build_that_changes_nothing_rewrites_nothing_and_a_changed_output_updates_the_page(tmp_path):
    source = tmp_path / "cramps.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", "-q", "--out", str(out), "-f", "txt", str(source)]).exit_code == 0
    page = out / "index.html"
    before = (page.stat().st_ino, page.stat().st_mtime_ns, page.read_bytes())
    assert CliRunner().invoke(cli, ["build", "-q", "--out", str(out), "-f", "txt", str(source)]).exit_code == 0
    assert (page.stat().st_ino, page.stat().st_mtime_ns, page.read_bytes()) == before
    source.write_text(MINIMAL.replace("title: Leg cramps at night", "title: Leg cramps by night"), encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", "-q", "--out", str(out), "-f", "txt", str(source)]).exit_code == 0
    assert "Leg cramps by night" in page.read_text("utf-8") and "Leg cramps at night" not in page.read_text("utf-8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_and_the_page_reflows_without_script(shelf, browser, scheme):  # noqa: F811
    with serve(shelf) as base:
        context = browser.new_context(color_scheme=scheme, bypass_csp=True, viewport={"width": 320, "height": 640})  # the policy would refuse axe
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base + "index.html")
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert requests == [base + "index.html"]
        context.close()
        quiet = browser.new_context(java_script_enabled=False)
        plain = quiet.new_page()
        plain.goto(base + "index.html")
        plain.get_by_role("link", name="Plain text").first.click()
        assert plain.url.endswith(".txt")
        quiet.close()


def test_the_page_is_in_the_clinics_language_its_words_dates_and_sizes_from_the_catalogue(shelf):
    words = catalogue_for("cy")
    html = library.page(library.leaflets(shelf, "cy"), dt.date(2026, 6, 1), "cy")
    title = words.pgettext(labels.LIBRARY_PAGE, labels.LIBRARY["title"])
    assert title != labels.LIBRARY["title"]
    assert '<html lang="cy" dir="ltr">' in html and f"<h1>{title}</h1>" in html
    assert f">{words.pgettext(labels.LIBRARY_PAGE, labels.FORMATS['pdf-large'])}</a>" in html
    assert f">{escape(words.pgettext(labels.LIBRARY_PAGE, labels.LIBRARY['overdue']))}</p>" in html
    assert '<time datetime="2026-01-10">10 Ionawr 2026</time>' in html
    assert 'Saesneg (<span lang="en" dir="ltr">English</span>)' in html
    assert "Past its review date" not in html and "Large-print PDF" not in html
    assert "January" not in html, "every date is in the page's language, the English leaflet's too"
    arabic = library.page(library.leaflets(shelf, "ar"), dt.date(2026, 6, 1), "ar")
    assert '<html lang="ar" dir="rtl">' in arabic and ">10 يناير 2026<" in arabic


def test_a_page_language_without_a_catalogue_is_english_and_says_so():
    html = library.page([], dt.date(2026, 6, 1), "sw")
    assert '<html lang="en" dir="ltr">' in html and "<h1>Patient information leaflets</h1>" in html


def test_the_pages_language_is_set_in_settings_and_a_bad_one_refused_with_its_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cramps.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline.library]\nlang = "cy"\n', encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", "-q", "--out", "out", "-f", "txt", "cramps.yaml"]).exit_code == 0
    assert '<html lang="cy" dir="ltr">' in (tmp_path / "out" / "index.html").read_text("utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline.library]\n\nlang = "Welsh"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "-q", "--out", "out", "-f", "txt", "cramps.yaml"])
    assert result.exit_code == 2
    assert "pyproject.toml:3: error: [tool.pipeline.library] lang: expected a BCP 47 language tag" in result.output
