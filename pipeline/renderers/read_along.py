"""Read-along EPUB 3: the e-book and its narration in step, each sentence lit as it is spoken.

EPUB 3 Media Overlays on the e-book of `epub`: the same pages, with the narration's ids on
the text it reads (`_html`, `pipeline.text.anchors`); the narration (`pipeline.speech.narration`, the
recording the audio renderer uses: synthesised once per article) as one MP3; a SMIL document
per page (`_smil`); and package metadata: each overlay's duration and the total, the class a
reading system puts on the element being read, and accessibility claims for text and voice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from pipeline.locale import Words
from pipeline.model import Article
from pipeline.registry import RenderJob
from pipeline.renderers import _epub_package as epub
from pipeline.renderers import _epub_pages, _mp3, _smil
from pipeline.renderers._spoken import SpokenRenderer
from pipeline.speech import narration
from pipeline.speech.script import Script
from pipeline.text import wording
from pipeline.text.clock import timestamp

STYLESHEET = "read-along.css"
STYLESHEET_PATH = epub.STYLESHEET_PATH.parent / STYLESHEET
AUDIO = "audio/narration.mp3"
ACTIVE_CLASS = "-epub-media-overlay-active"


def read_along(words: Words, logo: bool = False) -> tuple[epub.Meta, ...]:
    """The accessibility claims of the read-along e-book, its summary in the article's language;
    the publisher's `logo` adds the visual mode and its alternative text."""
    summary = words.gettext(
        "This publication meets WCAG 2.2 Level AA. The whole text is also read aloud by a synthetic voice, in step with the text "
        "(EPUB media overlays): a reading system that supports them highlights each sentence as it is spoken. {navigation}",
        navigation=epub.navigation_summary(words),
    )
    return epub.accessibility(
        summary,
        modes=("textual", "auditory", *(("visual",) if logo else ())),
        sufficient=("textual", "auditory,textual"),
        features=(*epub.FEATURES, "synchronizedAudioText", *(("alternativeText",) if logo else ())),
    )


class ReadAlongRenderer(SpokenRenderer):
    name = "epub-read-along"
    extension = ".read-along.epub"
    media_type = "application/epub+zip"
    description = "EPUB 3 read-along e-book: the narration in step with the text (Media Overlays)"
    cost = 0.5
    shows_logo = True
    lists_formats = True

    def assets(self) -> Iterable[Path]:
        return (epub.STYLESHEET_PATH, STYLESHEET_PATH, *super().assets())

    def render(self, article: Article, job: RenderJob) -> None:
        with self.narrated(article, job) as (script, recording):
            job.path.write_bytes(to_read_along_epub(article, script, recording, job.source_date_epoch, job.formats))


def to_read_along_epub(
    article: Article, script: Script, recording: narration.Narration, source_date_epoch: int | None = None, formats: tuple[str, ...] = ()
) -> bytes:
    """The read-along e-book as bytes; the same article, recording and epoch give the same bytes."""
    clips = _smil.clips(script, recording)
    marked = frozenset(clip.target for clip in clips)
    pages = _epub_pages.content_pages(article, marked, head=f'\n<link rel="stylesheet" href="{STYLESHEET}"/>', formats=formats)
    read = _smil.by_page(pages, clips)
    resources = [
        epub.Resource("read-along-style", STYLESHEET, "text/css", STYLESHEET_PATH.read_bytes()),
        epub.Resource("narration", AUDIO, "audio/mpeg", _mp3.of_narration(recording)),
    ]
    durations: list[epub.Meta] = []
    overlaid = []
    for page in pages:
        page_clips = read.get(page.file_name)
        if page_clips:
            uid = f"overlay-{page.file_name.removesuffix('.xhtml')}"
            smil = _smil.document(page.file_name, AUDIO, page_clips)
            resources.append(epub.Resource(uid, page.file_name.replace(".xhtml", ".smil"), _smil.MEDIA_TYPE, smil.encode()))
            durations.append(("media:duration", timestamp(_smil.duration_ms(page_clips)), uid))
            page = replace(page, overlay=uid)
        overlaid.append(page)
    total = sum(_smil.duration_ms(page_clips) for page_clips in read.values())
    words = wording.words_for(article)
    properties = [
        *read_along(words, epub.shows_logo(article)),
        ("media:active-class", ACTIVE_CLASS),
        ("media:narrator", words.gettext("a synthetic voice (espeak-ng {voice})", voice=recording.voice)),
        ("media:duration", timestamp(total)),
        *durations,
    ]
    return epub.to_epub(article, source_date_epoch, overlaid, resources, properties)
