"""Checks that exist only for tests: they prove the plugin road for checks, and count their runs."""

from __future__ import annotations

import os

from pipeline.verify.checks import Check, CheckResult, Output, Source


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


RUNS = "PIPELINE_TEST_CHECK_RUNS"
"""The environment variable naming the file where the counted checks note each run."""


class CountedCheck(Check):
    """Passes any plain text, and appends 'NAME FILE' to the file $PIPELINE_TEST_CHECK_RUNS
    names each time it runs, so that tests can see which checks ran and which were reused."""

    name = "counted"
    media_types = ("text/plain",)

    def run(self, source: Source | None, output: Output) -> CheckResult:
        with open(os.environ[RUNS], "a", encoding="utf-8") as log:
            log.write(f"{self.name} {self.checked_file(output).name}\n")
        return CheckResult.judge(True, "counted")


class CountedSourceCheck(CountedCheck):
    """The same, for a check that compares with the source."""

    name = "counted-source"
    needs_source = True
