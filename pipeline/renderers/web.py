"""The web edition: one self-contained, accessible page, with the narration to listen to.

`outputs/<id>/index.html` is the shared semantic HTML (`_html`) with its stylesheet
(`assets/web/web.css`) inlined, and a "Listen" block under the title: an <audio> player for
the audio renderer's MP3 beside the page, its WebVTT transcript as the captions track,
download links, and the chapters as links that start the recording there. Chapter times come
from the narration (`pipeline.speech.narration`: the same cached recording as the MP3's, never made
twice). A chapter link is a plain link to the MP3 at that time (a media fragment, `#t=42.1`)
and works without script; a few lines of inline script (`assets/web/seek.js`) make it play
the page's own player instead. Nothing is fetched from anywhere else: no font, image or
script, and a Content-Security-Policy says so to the browser.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from pipeline import ASSETS
from pipeline.model import Article
from pipeline.registry import RenderJob
from pipeline.renderers import _html, _issuer
from pipeline.renderers._spoken import SpokenRenderer
from pipeline.text import issuing, wording
from pipeline.text.clock import clock

ASSETS = ASSETS / "web"
STYLESHEET_PATH = ASSETS / "web.css"
SCRIPT_PATH = ASSETS / "seek.js"
SKIP_TARGET = "main"


class WebRenderer(SpokenRenderer):
    name = "html"
    extension = ".html"
    media_type = "text/html"
    description = "Accessible web page (index.html) with an audio player and chapter links to the audio edition"
    requires = ("audio",)
    cost = 0.1
    shows_logo = True
    lists_formats = True

    def filename(self, article_id: str) -> str:
        return "index.html"

    def assets(self) -> Iterable[Path]:
        return (STYLESHEET_PATH, SCRIPT_PATH, *super().assets())

    def render(self, article: Article, job: RenderJob) -> None:
        with self.narrated(article, job) as (script, recording):
            chapters = [(title, recording.ms(span.start)) for title, span in zip(script.chapters, recording.chapters)]
        mp3, vtt = job.linked["audio"]
        job.path.write_text(page(article, chapters, mp3, vtt, job.formats), encoding="utf-8", newline="\n")


def page(article: Article, chapters: Sequence[tuple[str, int]], mp3: str, vtt: str, formats: tuple[str, ...] = ()) -> str:
    """The whole page; `chapters` are (title, start in milliseconds) of the recording `mp3`,
    whose transcript is `vtt` (file names beside the page); the publisher, if any, in the
    header and, with the `formats` its notice names, in the footer."""
    css, script = STYLESHEET_PATH.read_text("utf-8"), SCRIPT_PATH.read_text("utf-8")
    images = " img-src data:;" if article.issuer and article.issuer.logo else ""  # the logo, embedded
    policy = (
        f"default-src 'none'; style-src '{_sha256(css)}'; script-src '{_sha256(script)}';{images} "
        "media-src 'self'; base-uri 'none'; form-action 'none'"
    )
    head = (
        '\n<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        f'\n<meta http-equiv="Content-Security-Policy" content="{policy}"/>'
        f"\n<style>{css}</style>\n<script>{script}</script>"
    )
    skip = wording.words_for(article).markup("Skip to the article")
    masthead, contact = _issuer.masthead(article), _issuer.contact(article, formats)
    body = (
        f'<a class="skip-link" href="#{SKIP_TARGET}"{_html.words_attributes(article)}>{skip}</a>\n'
        + (f'<header class="site-header">\n{masthead}\n</header>\n' if masthead else "")
        + f'<main id="{SKIP_TARGET}" tabindex="-1">\n<article>\n{_html.body(article, after_title=listen(article, chapters, mp3, vtt))}\n</article>\n</main>'
        + (f'\n<footer class="site-footer">\n{contact}\n</footer>' if contact else "")
    )
    return _html.document(article, None, body, head=head)


def listen(article: Article, chapters: Sequence[tuple[str, int]], mp3: str, vtt: str) -> str:
    """The player, the downloads and the chapter links."""
    words = wording.words_for(article)
    marked = _html.words_attributes(article)
    ours = {*vars(wording.labels(words)).values(), issuing.contact_heading(words)}  # chapters named by the pipeline, not the source
    items = "\n".join(
        f'    <li><span class="time">{clock(start_ms)}</span> '
        f'<a href="{escape(mp3)}#t={start_ms / 1000:.3f}" data-seek="{start_ms / 1000:.3f}"{marked if title in ours else ""}>{escape(title, quote=False)}</a></li>'
        for title, start_ms in chapters
    )
    recording, transcript = words.markup("recording (MP3)"), words.markup("transcript (WebVTT)")
    downloads = words.markup(
        "Download the {recording} or its {transcript}.",
        recording=_download(mp3, recording),
        transcript=_download(vtt, transcript),
    )
    title, track, fallback, chapter_list = (
        words.markup("Listen to this article"),
        escape(words.gettext("Transcript")),
        words.markup("Download the recording"),
        words.markup("Chapters"),
    )
    lang = escape(article.lang)
    return (
        '<section class="listen" aria-labelledby="listen-title">\n'
        f'  <h2 id="listen-title"{marked}>{title}</h2>\n'
        f'  <audio id="narration" controls="controls" preload="metadata" src="{escape(mp3)}">\n'
        f'    <track kind="captions" src="{escape(vtt)}" srclang="{lang}" label="{track}" default="default"/>\n'
        f'    <a href="{escape(mp3)}"{marked}>{fallback}</a>\n  </audio>\n'
        f"  <p{marked}>{downloads}</p>\n"
        f'  <nav aria-labelledby="chapters-title">\n    <h3 id="chapters-title"{marked}>{chapter_list}</h3>\n'
        f'    <ol class="chapters">\n{items}\n    </ol>\n  </nav>\n</section>'
    )


def _download(href: str, label: str) -> str:
    return f'<a href="{escape(href)}" download="">{label}</a>'


def _sha256(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
