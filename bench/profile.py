"""Where a full build's time goes: each output of one article, rendered alone, split into phases.

Each installed renderer renders the article in this process with an empty cache, and the
functions that do each phase's work are timed where they are called (no profiler, so nothing
is slowed down): layout (WeasyPrint's render), font subsetting (its fonts' subset), PDF
writing and finishing, synthesis (espeak-ng), mastering (numpy and scipy), encoding (lameenc),
packaging (EPUB and ZIP). The critical path of a parallel build follows: the narration
(synthesis, mastering, then encoding) is made once and shared by the audio, read-along, web and
DAISY outputs, so they cannot start before it, while the other outputs fill the other core.

    .venv/bin/python bench/profile.py [SOURCE]   # prints a Markdown table
"""

from __future__ import annotations

import importlib
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = ROOT / "source" / "hard-muscles.yaml"

PHASES = {
    "layout": ("weasyprint:HTML.render",),
    "fonts": ("weasyprint.pdf.fonts:Font.subset",),
    "pdf": ("weasyprint.document:Document.write_pdf", "pipeline.renderers._pdf_finish:finish"),
    "synthesis": ("pipeline.speech.synthesis:synthesise",),
    "mastering": ("pipeline.speech.mastering:_mastered_wav",),
    "encoding": ("pipeline.renderers._mp3:encode",),
    "packaging": ("ebooklib.epub:write_epub", "pipeline.renderers._epub_archive:repack", "pipeline.renderers.daisy:_zipped"),
}
"""Phase -> the functions whose time is that phase's; nested ones (fonts inside pdf) are taken out of their caller."""


class Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.stack: list[str] = []

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        self.stack.append(name)
        try:
            yield
        finally:
            self.stack.pop()
            spent = time.perf_counter() - start
            self.seconds[name] += spent
            if self.stack:  # the caller's phase does not count it twice
                self.seconds[self.stack[-1]] -= spent


def wrap(clock: Clock) -> list[tuple[object, str, Callable]]:
    """Time each phase's functions on `clock`; returns what to put back afterwards."""
    originals = []
    for phase, targets in PHASES.items():
        for target in targets:
            module_name, _, qualified = target.partition(":")
            try:
                owner = importlib.import_module(module_name)
            except ImportError:
                continue
            *path, attribute = qualified.split(".")
            for part in path:
                owner = getattr(owner, part)
            original = getattr(owner, attribute, None)
            if original is None:
                continue
            originals.append((owner, attribute, original))
            setattr(owner, attribute, timed(clock, phase, original))
    return originals


def timed(clock: Clock, phase: str, function: Callable) -> Callable:
    def run(*args, **kwargs):
        with clock.phase(phase):
            return function(*args, **kwargs)

    return run


def profile(source: Path) -> list[tuple[str, float, dict[str, float]]]:
    from pipeline import registry
    from pipeline.registry import RenderJob
    from pipeline.source.validate import load_article

    article = load_article(source)
    installed = registry.installed()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name in installed.names:
            renderer = installed.load(name)
            clock = Clock()
            originals = wrap(clock)
            out = Path(folder) / name
            out.mkdir()
            job = RenderJob(
                path=out / renderer.filename(article.id),
                options={key: option.default for key, option in renderer.options.items()},
                sidecars={suffix: out / f"{article.id}{suffix}" for suffix in renderer.sidecars},
                cache_dir=Path(folder) / "cache" / name,  # each output pays for its own narration
                linked={required: installed.load(required).output_files(article.id) for required in renderer.requires},
            )
            start = time.perf_counter()
            renderer.render(article, job)
            total = time.perf_counter() - start
            rows.append((name, total, dict(clock.seconds)))
            for owner, attribute, original in originals:
                setattr(owner, attribute, original)
    return rows


def table(rows: list[tuple[str, float, dict[str, float]]]) -> str:
    names = list(PHASES)
    lines = [
        "| output | total | " + " | ".join(names) + " | other |",
        "|---|---:|" + "---:|" * (len(names) + 1),
    ]
    for name, total, phases in sorted(rows, key=lambda row: -row[1]):
        cells = [f"{phases.get(phase, 0.0):.2f}" if phases.get(phase) else "" for phase in names]
        other = total - sum(phases.values())
        lines.append(f"| {name} | {total:.2f} | " + " | ".join(cells) + f" | {other:.2f} |")
    return "\n".join(lines)


def critical_path(rows: list[tuple[str, float, dict[str, float]]], shared: set[str]) -> str:
    """What two cores can do at best: the narration's chain on one, the rest beside it."""
    by_name = {name: (total, phases) for name, total, phases in rows}
    made_once = ("synthesis", "mastering", "encoding")
    narration = max((sum(by_name[name][1].get(phase, 0.0) for phase in made_once) for name in shared if name in by_name), default=0.0)
    after = sum(by_name[name][0] - sum(by_name[name][1].get(phase, 0.0) for phase in made_once) for name in shared if name in by_name)
    others = sum(total for name, (total, _phases) in by_name.items() if name not in shared)
    return (
        f"narration (synthesis, mastering and encoding, made once) {narration:.2f} s, then the outputs that share it "
        f"{after:.2f} s; the other outputs {others:.2f} s on the other core: a 2-core build takes at least "
        f"{max(narration + after, (narration + after + others) / 2):.2f} s"
    )


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else FIRST
    from pipeline import registry

    rows = profile(source)
    installed = registry.installed()
    shared = {name for name in installed.names if "narration" in installed.load(name).shares}
    print(table(rows))
    print()
    print(critical_path(rows, shared))


if __name__ == "__main__":
    main()
