"""(j) What mastering costs: the first article's narration mastered with the default profile,
in a fresh process, so loading numpy and scipy (once per build process) is part of the figure.

The narration is synthesised first (not timed) into a temporary cache; the mastered file is
made again on every call. Prints one JSON line: {"seconds": ..., "audio_seconds": ...}.

    .venv/bin/python bench/mastering.py [SOURCE]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = ROOT / "source" / "hard-muscles.yaml"


def main() -> None:
    from pipeline.source.validate import load_article
    from pipeline.speech.narration import narrate
    from pipeline.speech.script import script_for

    source = Path(sys.argv[1]) if len(sys.argv) > 1 else FIRST
    with tempfile.TemporaryDirectory(prefix="bench-mastering-") as cache:
        recording = narrate(script_for(load_article(source)), Path(cache))
        started = time.perf_counter()
        from pipeline.speech import mastering

        mastering.master(recording, mastering.DEFAULT)
        seconds = time.perf_counter() - started
    print(json.dumps({"seconds": round(seconds, 3), "audio_seconds": round(recording.seconds(recording.samples), 1)}))


if __name__ == "__main__":
    main()
