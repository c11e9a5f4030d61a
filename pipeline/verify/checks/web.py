"""Web edition checks: what its readers meet in a real browser, and its language.

axe-core in Chromium (the rules of WCAG 2.2 A and AA it can decide) in the light and the dark
colour scheme; reflow at 320 CSS pixels, a 1280-pixel window at 400 % zoom (WCAG 1.4.10),
without horizontal scrolling; every sentence of the source among the text Chromium displays
(`pipeline.verify.displayed`); and `<html lang>`, from which screen readers choose their voice.
The page is opened from a server on 127.0.0.1 serving its folder, as it would be on the clinic's
site (its recording and transcript beside it). Without Chromium, Playwright or axe-core the
browser checks are skipped with the reason (`pipeline.verify.browser`).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from pipeline.verify import browser
from pipeline.verify.checks import Check, CheckResult, Output, Source, counted, program
from pipeline.verify.checks.displayed_parity import DisplayedParity
from pipeline.verify.checks.headings import source_headings
from pipeline.verify.displayed import displayed_passages
from pipeline.verify.sequence import Passage

MEDIA_TYPE = "text/html"
SCHEMES = ("light", "dark")
NARROW = 320
"""CSS pixels: WCAG 1.4.10's reflow width."""


class WebCheck(Check):
    media_types = (MEDIA_TYPE,)
    renderers = ("html",)


class BrowserCheck(WebCheck):
    runs_a_program = True
    needs_axe = False

    def environment(self) -> str:
        axe = f"; axe-core {program(str(browser.axe_script()) if browser.axe_script() else None)}" if self.needs_axe else ""
        return f"chromium {program(browser.chromium_path())}{axe}"

    def run(self, source: Source | None, output: Output) -> CheckResult:
        reason = browser.missing(axe=self.needs_axe)
        if reason:
            return CheckResult.skip(reason)
        page = self.checked_file(output)
        with browser.serve(page.parent) as site, browser.chromium() as chromium:
            return self.look(chromium, f"{site}{page.name}")

    def look(self, chromium: object, url: str) -> CheckResult:
        raise NotImplementedError


class WebAxe(BrowserCheck):
    name = "web-axe"
    description = "axe-core in Chromium finds no accessibility violation, in the light and the dark colour scheme"
    needs_axe = True

    def look(self, chromium: object, url: str) -> CheckResult:
        found, version = [], "?"
        for scheme in SCHEMES:
            context = chromium.new_context(color_scheme=scheme, bypass_csp=True)  # type: ignore[attr-defined]  # the page's policy would refuse axe's script
            page = context.new_page()
            page.goto(url)
            found += [f"{scheme}: {violation}" for violation in browser.axe_violations(page)]
            version = browser.axe_version(page)
            context.close()
        figure = f"{counted(len(found), 'violation')} in the light and dark colour schemes (axe-core {version})"
        return CheckResult.judge(not found, figure, found)


class WebReflow(BrowserCheck):
    name = "web-reflow"
    description = f"the page reflows at {NARROW} CSS pixels (400 % zoom) without horizontal scrolling"

    def look(self, chromium: object, url: str) -> CheckResult:
        context = chromium.new_context(viewport={"width": NARROW, "height": 640})  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(url)
        content, window = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        wide = page.evaluate(_WIDE_ELEMENTS, window)
        context.close()
        figure = f"{content} CSS pixels of content in a {window}-pixel window"
        problems = [] if content <= window else [f"the page scrolls sideways at {NARROW} CSS pixels: wider than the window: {', '.join(wide) or 'the page itself'}"]
        return CheckResult.judge(not problems, figure, problems)


_WIDE_ELEMENTS = """width => {
    const wide = element => element.getBoundingClientRect().right > width + 0.5
        || (element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1);
    const found = [...document.body.querySelectorAll('*')].filter(wide);
    return found.filter(element => !found.some(other => other !== element && element.contains(other)))
        .slice(0, 5).map(element => `<${element.localName}${element.id ? ' id=' + element.id : ''}>`);
}"""
"""The innermost elements wider than the window or overflowing their own box (at most five)."""


class WebParity(DisplayedParity, WebCheck):
    name = "web-parity"
    description = (
        "the web page, as Chromium displays it in the light and the dark colour scheme, shows every sentence of the source, "
        "once and in order, and nothing the source or catalogue does not say"
    )

    def passages(self, source: Source, output: Output) -> list[Passage]:
        page = self.checked_file(output)
        headings = [part.label for part in source_headings(source, nested=True)]
        return displayed_passages(page.parent, [page.name], SCHEMES, headings)  # the chapter links name them


class WebLanguage(WebCheck):
    name = "web-language"
    description = "the page's <html lang> is the source's language"
    needs_source = True

    def run(self, source: Source | None, output: Output) -> CheckResult:
        assert source is not None
        lang = _html_lang(self.checked_file(output))
        wanted = source.article.lang
        problems = [] if lang == wanted else [f"<html lang> is {lang or 'missing'}, not {wanted!r} as in {source.document.path}: screen readers would read it in the wrong voice"]
        return CheckResult.judge(not problems, f"lang {lang or 'missing'}", problems)


class _RootLanguage(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html" and self.lang is None:
            self.lang = dict(attrs).get("lang") or ""


def _html_lang(path: Path) -> str | None:
    parser = _RootLanguage()
    parser.feed(path.read_text("utf-8"))
    return parser.lang or None
