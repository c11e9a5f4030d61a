"""What every renderer that speaks the article shares: its voice, rate and mastering options,
the narration it shares with the others (made and mastered once per article, through the
cache), and the pronunciation lexicon that shapes it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.locale import CATALOGUE_FILES
from pipeline.model import Article
from pipeline.registry import Option, Renderer, RenderJob
from pipeline.speech import mastering
from pipeline.speech.narration import DEFAULT_RATE, RATES, Narration, narrate
from pipeline.speech.script import LEXICON, Script, script_for


def _rate(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"'{raw}' is not a whole number of words per minute") from None
    if value not in RATES:
        raise ValueError(f"{value} words per minute is outside {RATES.start}-{RATES.stop - 1}")
    return value


class SpokenRenderer(Renderer):
    """Base of the audio, read-along and web editions: one narration per article, voiced alike."""

    shares = ("narration",)
    options = {
        "voice": Option(default=None, help="espeak-ng voice, e.g. en-gb (default: from the article's lang)"),
        "rate": Option(default=DEFAULT_RATE, help=f"speaking rate, espeak-ng words per minute, {RATES.start}-{RATES.stop - 1}", parse=_rate),
        "mastering": Option(
            default=mastering.DEFAULT,
            help="speech: -19 LUFS, true peak -1 dBTP, 0.75 s before and 2 s after; "
            "acx: audiobook (RMS -20 dB, peak -3 dBFS, 44.1 kHz, 192 kbit/s, 1 s and 3 s); none: as synthesised",
            choices=mastering.CHOICES,
        ),
    }

    def assets(self) -> Iterable[Path]:
        return (LEXICON, *CATALOGUE_FILES)

    @contextmanager
    def narrated(self, article: Article, job: RenderJob) -> Iterator[tuple[Script, Narration]]:
        """The article's script and its narration, in the job's voice and rate, mastered as the
        job asks, kept in the job's cache folder, or in a temporary one (gone when the block ends) without."""
        script = script_for(article)
        voice, rate = job.options.get("voice"), job.options.get("rate", DEFAULT_RATE)
        profile = job.options.get("mastering", mastering.DEFAULT)
        if job.cache_dir is not None:
            yield script, mastering.master(narrate(script, job.cache_dir, voice, rate), profile)
        else:
            with tempfile.TemporaryDirectory(prefix="pipeline-narration-") as temporary:
                yield script, mastering.master(narrate(script, Path(temporary), voice, rate), profile)
