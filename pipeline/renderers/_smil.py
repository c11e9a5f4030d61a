"""EPUB 3 Media Overlays: SMIL documents that play the narration in step with the text.

A clip is a run of the narration's sentences that read one element of a page (a sentence's
span, a heading, a table row: see `pipeline.text.anchors`). Each page read aloud gets one SMIL
document with a `par` per clip, in reading order, pairing the element with its stretch of
the one narration MP3. Clip times are the WebVTT transcript's cue times (whole milliseconds
of the recording, written by `pipeline.text.clock.timestamp`), so the e-book and the transcript agree.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from pipeline.renderers._epub_pages import Page
from pipeline.speech.narration import Narration
from pipeline.speech.script import Script
from pipeline.text.clock import timestamp

MEDIA_TYPE = "application/smil+xml"


@dataclass(frozen=True)
class Clip:
    target: str
    """The id of the element read."""
    start_ms: int
    end_ms: int


def clips(script: Script, recording: Narration) -> list[Clip]:
    """One clip per run of sentences reading the same element. Sentences no page shows (the
    short spoken disclaimer) are left out, and so are sentences the voice gave no time, as
    the transcript leaves them without a cue of their own: their text is shown, not lit."""
    result = []
    for target, run in itertools.groupby(zip(script.units, recording.units), key=lambda pair: pair[0].target):
        times = [(recording.ms(span.start), recording.ms(span.end)) for _unit, span in run]
        timed = [(start, end) for start, end in times if end > start]
        if target is not None and timed:
            result.append(Clip(target, timed[0][0], timed[-1][1]))
    return result


def by_page(pages: Sequence[Page], all_clips: Sequence[Clip]) -> dict[str, list[Clip]]:
    """Each page's clips, in reading order, found by the ids the page really holds."""
    where = {element.get("id"): page.file_name for page in pages for element in ElementTree.fromstring(page.xhtml).iter()}
    result: dict[str, list[Clip]] = {}
    for clip in all_clips:
        if clip.target not in where:
            raise ValueError(
                f"the narration reads an element '{clip.target}' that no page holds: the script (pipeline/speech/script.py) "
                "and the HTML (pipeline/renderers/_html.py) disagree on its id (pipeline/text/anchors.py)"
            )
        result.setdefault(where[clip.target], []).append(clip)
    return result


def duration_ms(page_clips: Sequence[Clip]) -> int:
    """How long a document's overlay plays: the sum of its clips."""
    return sum(clip.end_ms - clip.start_ms for clip in page_clips)


def document(text_href: str, audio_href: str, page_clips: Sequence[Clip]) -> str:
    """The SMIL document reading `text_href` from `audio_href`, one `par` per clip."""
    pars = "\n".join(
        f'    <par id="par{number}">\n'
        f'      <text src="{escape(text_href)}#{escape(clip.target)}"/>\n'
        f'      <audio src="{escape(audio_href)}" clipBegin="{timestamp(clip.start_ms)}" clipEnd="{timestamp(clip.end_ms)}"/>\n'
        "    </par>"
        for number, clip in enumerate(page_clips, start=1)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">\n'
        f'  <body epub:textref="{escape(text_href)}">\n{pars}\n  </body>\n</smil>\n'
    )
