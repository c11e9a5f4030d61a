"""DAISY 2.02 talking book: what talking-book libraries lend to blind and partially sighted
readers, whose players navigate by heading and sentence.

`outputs/<id>/<id>.daisy.zip` holds one folder, as libraries receive a book: the NCC and one
SMIL file per heading (`_daisy_book`), the content document (the shared semantic HTML,
`_html`, with the narration's ids on the text it reads, as in the read-along e-book) and the
narration, mastered, as the one MP3 every SMIL file plays (`_mp3`: the same stream as the
spoken edition's). Entries are stamped with the build's epoch, so a book is reproducible.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from importlib.metadata import version

from pipeline.model import Article, markup
from pipeline.registry import RenderJob
from pipeline.renderers import _daisy_book, _html, _issuer, _mp3, _smil
from pipeline.renderers._spoken import SpokenRenderer
from pipeline.speech.narration import Narration
from pipeline.speech.script import Script
from pipeline.text import wording

EARLIEST_ZIP_TIME = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


class DaisyRenderer(SpokenRenderer):
    name = "daisy"
    extension = ".daisy.zip"
    media_type = "application/zip"
    description = "DAISY 2.02 talking book: NCC, a SMIL file per heading, the full text and the narration, zipped"
    cost = 0.5
    lists_formats = True

    def render(self, article: Article, job: RenderJob) -> None:
        with self.narrated(article, job) as (script, recording):
            job.path.write_bytes(to_daisy(article, script, recording, job.source_date_epoch, job.formats))


def to_daisy(article: Article, script: Script, recording: Narration, source_date_epoch: int | None = None, formats: tuple[str, ...] = ()) -> bytes:
    """The zipped book; the same article, recording and epoch give the same bytes."""
    clips = _daisy_book.continuous(_smil.clips(script, recording))
    read = frozenset(clip.target for clip in clips)
    body = _html.body(article, before_disclaimer=_issuer.contact(article, formats, marked=read), marked=read)
    content = '<?xml version="1.0" encoding="utf-8"?>\n' + _html.document(article, None, body).removeprefix("<!DOCTYPE html>\n")
    files = _daisy_book.smil_files(clips, _daisy_book.headings(content, read))
    book = _book(article, recording)
    entries = {_daisy_book.CONTENT: content.encode()}
    elapsed = 0
    for smil_file in files:
        entries[smil_file.name] = _daisy_book.smil(book, smil_file, elapsed).encode()
        elapsed += smil_file.duration_ms
    entries[_daisy_book.AUDIO] = _mp3.of_narration(recording)
    ncc = _daisy_book.ncc(book, files, file_count=len(entries) + 1)
    moment = dt.datetime.fromtimestamp(source_date_epoch, dt.UTC) if source_date_epoch is not None else None
    return _zipped(article.id, {_daisy_book.NCC: ncc.encode(), **entries}, moment or _published(article))


def _book(article: Article, recording: Narration) -> _daisy_book.Book:
    words = wording.words_for(article)
    publisher = article.issuer.name if article.issuer else article.publisher
    creator = markup.plain(publisher) if publisher else words.gettext("Patient information")
    return _daisy_book.Book(
        identifier=article.id,
        title=markup.plain(article.title),
        lang=article.lang,
        generator=f"pipeline {version('pipeline')}",
        metadata=(
            ("dc:creator", creator),
            ("dc:date", article.published.isoformat()),
            ("dc:publisher", creator),
            ("ncc:narrator", words.gettext("a synthetic voice (espeak-ng {voice})", voice=recording.voice)),
        ),
    )


def _published(article: Article) -> dt.datetime:
    return max(dt.datetime.combine(article.published, dt.time(), dt.UTC), EARLIEST_ZIP_TIME)


def _zipped(folder: str, entries: dict[str, bytes], moment: dt.datetime) -> bytes:
    """The entries in one folder of a ZIP archive, in the given order, all stamped `moment`;
    the MP3, compressed already, is stored as it is."""
    stamp = max(moment, EARLIEST_ZIP_TIME).timetuple()[:6]
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name.endswith(".mp3") else zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    return output.getvalue()
