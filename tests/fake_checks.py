"""A check that exists only for tests: it proves the plugin road for checks."""

from __future__ import annotations

from pipeline.checks import Check, CheckResult, Output, Source


class ShortTitleCheck(Check):
    """Fails plain text whose first line is longer than 10 characters."""

    name = "short-title"
    media_types = ("text/plain",)
    needs_source = True

    def run(self, source: Source | None, output: Output) -> CheckResult:
        assert source is not None
        first = self.checked_file(output).read_text("utf-8").splitlines()[0]
        ok = len(first) <= 10
        return CheckResult.judge(ok, f"{len(first)} characters", [] if ok else [f"'{source.article.title}' is too long for a plugin's taste"])
