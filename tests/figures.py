"""Figures the hardening tests gather as they run, printed after pytest's summary.

`make fuzz` must report how many cases it tried; the corpus reports how long its slowest
case took (recorded, never asserted: speed belongs in benchmarks, not in pass/fail).
"""

from __future__ import annotations

from collections import Counter

corpus_seconds: dict[str, float] = {}
fuzz_cases: Counter[str] = Counter()


def summary_lines() -> list[str]:
    lines = []
    if corpus_seconds:
        slowest = max(corpus_seconds, key=corpus_seconds.__getitem__)
        total = sum(corpus_seconds.values())
        lines.append(f"corpus: {len(corpus_seconds)} broken sources validated in {total:.2f}s; slowest {slowest} ({corpus_seconds[slowest]:.2f}s)")
    if fuzz_cases:
        kinds = ", ".join(f"{kind}: {count:,}" for kind, count in sorted(fuzz_cases.items()))
        lines.append(f"fuzz: {sum(fuzz_cases.values()):,} generated cases run ({kinds})")
    return lines
