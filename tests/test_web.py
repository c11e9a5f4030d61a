"""The web edition: one self-contained page, accessible (axe-core in Chromium), with the narration."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from html.parser import HTMLParser

import pytest
from browser import axe_violations, chromium, missing, serve
from conftest import FIRST_ARTICLE
from output_checks import article_sentences
from test_audio import chapters

from pipeline.registry import installed
from pipeline.source.validate import load_article
from pipeline.text import sentences
from pipeline.verify.checks.webvtt import parse

MP3, VTT = "hard-muscles.mp3", "hard-muscles.vtt"


class Elements(HTMLParser):
    """Every start tag with its attributes, the text, and the contents of style and script."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.inline: dict[str, str] = {}
        self._inside = ""

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._inside = tag if tag in ("style", "script") else ""

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self._inside = ""

    def handle_data(self, data):
        if self._inside:
            self.inline[self._inside] = self.inline.get(self._inside, "") + data
        else:
            self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.elements if name == tag]


@pytest.fixture(scope="module")
def html(spoken_first_article) -> str:
    return (spoken_first_article / "index.html").read_text("utf-8")


@pytest.fixture(scope="module")
def parsed(html) -> Elements:
    elements = Elements()
    elements.feed(html)
    return elements


@pytest.fixture(scope="module")
def site(spoken_first_article):
    with serve(spoken_first_article) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    if missing():
        pytest.skip(missing())
    with chromium() as running:
        yield running


def sha256(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()


def test_page_is_one_file_that_loads_nothing_but_its_recording_and_transcript(parsed):
    assert not {"link", "img", "iframe", "object", "embed", "source"} & {tag for tag, _ in parsed.elements}
    assert [attrs.get("src") for attrs in parsed.all("script")] == [None]
    assert [attrs["src"] for attrs in parsed.all("audio")] == [MP3]
    assert parsed.all("track") == [{"kind": "captions", "src": VTT, "srclang": "en", "label": "Transcript", "default": "default"}]
    policy = next(attrs["content"] for attrs in parsed.all("meta") if attrs.get("http-equiv") == "Content-Security-Policy")
    assert policy.startswith("default-src 'none'; ")
    assert f"style-src '{sha256(parsed.inline['style'])}'" in policy and f"script-src '{sha256(parsed.inline['script'])}'" in policy
    hrefs = {attrs["href"] for attrs in parsed.all("a")}
    assert all(re.fullmatch(rf"#main|{MP3}(#t=\d+\.\d{{3}})?|{VTT}|https://\S+", href) for href in hrefs), hrefs


def test_chapter_links_start_the_recording_where_the_mp3s_chapters_start(parsed, spoken_first_article):
    links = [attrs for attrs in parsed.all("a") if "data-seek" in attrs]
    expected = chapters(spoken_first_article / MP3)
    assert [link["href"] for link in links] == [f"{MP3}#t={start / 1000:.3f}" for _title, start, _end in expected]
    assert [link["data-seek"] for link in links] == [f"{start / 1000:.3f}" for _title, start, _end in expected]
    assert all(title in "".join(parsed.text) for title, _start, _end in expected)


def test_every_sentence_of_the_source_is_on_the_page(parsed):
    shown = sentences.fold_space("".join(parsed.text))
    assert [sentence for sentence in article_sentences(load_article(FIRST_ARTICLE)) if sentence not in shown] == []


def test_a_skip_link_comes_first_and_headings_descend_one_level_at_a_time(parsed):
    tags = [tag for tag, _ in parsed.elements]
    body = tags.index("body")
    assert tags[body + 1] == "a" and parsed.elements[body + 1][1] == {"class": "skip-link", "href": "#main"}
    assert [attrs.get("id") for attrs in parsed.all("main")] == ["main"]
    levels = [int(tag[1]) for tag in tags if re.fullmatch(r"h[1-6]", tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(following <= level + 1 for level, following in zip(levels, levels[1:]))


def test_html_is_a_registered_renderer_writing_index_html():
    renderer = installed().load("html")
    assert renderer.filename("cramps") == "index.html" and renderer.media_type == "text/html"
    assert {"voice", "rate"} <= renderer.options.keys()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_core_finds_no_violations(scheme, browser, site):
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)  # the page's policy would refuse axe's script
    page = context.new_page()
    page.goto(f"{site}index.html")
    assert axe_violations(page) == []
    context.close()


def test_browser_fetches_only_the_page_recording_and_transcript_and_the_policy_allows_them(browser, site, spoken_first_article):
    context = browser.new_context()
    page = context.new_page()
    requests, console = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{site}index.html")
    cues = page.evaluate(
        """() => new Promise(resolve => {
            const track = document.querySelector("track");
            track.track.mode = "hidden";
            const count = () => resolve(track.track.cues.length);
            if (track.readyState === 2) count(); else track.addEventListener("load", count);
        })"""
    )
    max_width = page.evaluate("getComputedStyle(document.body).maxWidth")
    context.close()
    assert cues == len(parse((spoken_first_article / VTT).read_text("utf-8")))
    assert max_width == "704px"  # 44rem: the inline stylesheet applied under the page's policy
    assert {url.removeprefix(site).split("#")[0] for url in requests} <= {"index.html", MP3, VTT}
    assert console == []


def test_page_reflows_at_320_css_pixels_without_horizontal_scrolling(browser, site):
    """320 CSS pixels is a 1280-pixel window at 400 % zoom (WCAG 1.4.10)."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{site}index.html")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert widths == [320, 320]


def test_keyboard_users_meet_the_skip_link_first_with_a_visible_focus_ring(browser, site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site}index.html")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const element = document.activeElement, box = element.getBoundingClientRect(), style = getComputedStyle(element);
                   return [element.className, box.top >= 0 && box.bottom <= innerHeight, style.outlineStyle, parseFloat(style.outlineWidth)]; }"""
    )
    page.keyboard.press("Enter")
    landed = page.evaluate("document.activeElement.id")
    context.close()
    assert focused == ["skip-link", True, "solid", 3]
    assert landed == "main"


def test_chapter_link_plays_the_recording_from_its_chapter(browser, site, spoken_first_article):
    _title, start_ms, _end = chapters(spoken_first_article / MP3)[2]
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site}index.html")
    page.locator("a[data-seek]").nth(2).click()
    page.wait_for_function("document.getElementById('narration').currentTime > 0 && !document.getElementById('narration').paused")
    position = page.evaluate("document.getElementById('narration').currentTime")
    still_here = page.url
    context.close()
    assert still_here == f"{site}index.html"
    assert start_ms / 1000 <= position < start_ms / 1000 + 2


def test_without_script_a_chapter_link_opens_the_recording_at_its_time(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}index.html")
    link = page.locator("a[data-seek]").nth(2)
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"{site}{href}")
    context.close()


def test_screenshot_shows_the_whole_page(browser, site, tmp_path):
    from PIL import Image

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site}index.html")
    height = page.evaluate("document.documentElement.scrollHeight")
    path = tmp_path / "index.png"
    page.screenshot(path=path, full_page=True)
    context.close()
    image = Image.open(io.BytesIO(path.read_bytes()))
    assert image.size == (1280, height) and height > 3000
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 16) or range(1 << 16)) > 50  # text, not a blank page
