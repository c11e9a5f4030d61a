"""Spoken audio: a narrated MP3 with chapters, and its WebVTT transcript (`.vtt`).

The words come from `pipeline.speech` (the script for the ear) and the recording from
`pipeline.speech.narration` (synthesised once, cached, shared with other spoken formats); this
module only encodes, tags and times them. Chapter and cue times are sample counts of the
recording turned into milliseconds: the MP3's LAME tag makes them exact (see `_mp3`).
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.model import Article, markup
from pipeline.registry import Option, RenderJob
from pipeline.renderers import _mp3, _webvtt
from pipeline.renderers._spoken import SpokenRenderer
from pipeline.speech import narration
from pipeline.speech.script import Script
from pipeline.text import wording
from pipeline.text.language import primary_language

MAX_MINUTES = 120.0
_ISO_639_2 = {
    "ar": "ara", "bn": "ben", "cy": "cym", "de": "deu", "en": "eng", "es": "spa", "fa": "fas",
    "fr": "fra", "ga": "gle", "hi": "hin", "it": "ita", "ja": "jpn", "ko": "kor", "nl": "nld",
    "pa": "pan", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "so": "som", "tr": "tur",
    "uk": "ukr", "ur": "urd", "vi": "vie", "zh": "zho",
}


class AudioError(Exception):
    pass


def _minutes(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"'{raw}' is not a number of minutes") from None
    if not value > 0:
        raise ValueError("the limit must be more than 0 minutes")
    return value


class AudioRenderer(SpokenRenderer):
    name = "audio"
    extension = ".mp3"
    media_type = "audio/mpeg"
    cost = 4.0
    offered_as = "audio"
    description = "Narrated MP3 (pyttsx3/espeak-ng) with chapters, and a WebVTT transcript"
    sidecars = {".vtt": "text/vtt"}
    options = {
        **SpokenRenderer.options,
        "max_minutes": Option(default=MAX_MINUTES, help="refuse recordings longer than this many minutes", parse=_minutes),
    }

    def render(self, article: Article, job: RenderJob) -> None:
        with self.narrated(article, job) as (script, recording):
            minutes = recording.seconds(recording.samples) / 60
            limit = job.options.get("max_minutes", MAX_MINUTES)
            if minutes > limit:
                raise AudioError(
                    f"the recording lasts {minutes:.1f} minutes, more than the limit of {limit:g} "
                    "(--max-minutes): raise the limit, or split the article"
                )
            job.path.write_bytes(_mp3.of_narration(recording))
            _mp3.write_tags(job.path, tags(article, script, recording))
            job.sidecars[".vtt"].write_text(_webvtt.document(cues(script, recording)), encoding="utf-8", newline="\n")


def tags(article: Article, script: Script, recording: narration.Narration) -> _mp3.Tags:
    primary = primary_language(article.lang)
    title = markup.plain(article.title)
    words = wording.words_for(article)
    publisher = article.issuer.name if article.issuer else article.publisher
    return _mp3.Tags(
        title=title,
        artist=markup.plain(publisher) if publisher else words.gettext("Patient information"),
        album=wording.labelled(title, markup.plain(article.subtitle), words) if article.subtitle else title,
        language=_ISO_639_2.get(primary, primary if len(primary) == 3 else "und"),
        date=article.published.isoformat(),
        chapters=[
            _mp3.Chapter(name, recording.ms(span.start), recording.ms(span.end))
            for name, span in zip(script.chapters, recording.chapters)
        ],
        contents=words.gettext("Contents"),
        url=article.web_url,
    )


def cues(script: Script, recording: narration.Narration) -> list[_webvtt.Cue]:
    """One cue per sentence; a sentence the voice gave no time (no words) joins a neighbour."""
    result: list[_webvtt.Cue] = []
    waiting = ""
    for unit, span in zip(script.units, recording.units):
        start, end = recording.ms(span.start), recording.ms(span.end)
        if end > start:
            result.append(_webvtt.Cue(start, end, f"{waiting} {unit.written}".strip()))
            waiting = ""
        elif result:
            result[-1] = replace(result[-1], text=f"{result[-1].text} {unit.written}")
        else:
            waiting = f"{waiting} {unit.written}"
    return result
