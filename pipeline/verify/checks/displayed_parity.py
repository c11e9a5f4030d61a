"""Parity of what a browser displays: the base of the e-book's and the web page's parity checks.

A subclass reads its edition's passages through `pipeline.verify.displayed` (Chromium, one per
run); without Chromium or Playwright the check is skipped with the reason, as the other browser
checks are.
"""

from __future__ import annotations

import hashlib

from pipeline.verify import browser
from pipeline.verify.checks import CheckResult, Output, Source, program
from pipeline.verify.checks.parity import Parity
from pipeline.verify.displayed import READING_SCRIPT


class DisplayedParity(Parity):
    runs_a_program = True

    def environment(self) -> str:
        """The browser, and the script that reads what it displays (an asset, not Python code,
        so not in the check's code digest): editing it runs the check again."""
        return f"chromium {program(browser.chromium_path())}; reading {hashlib.sha256(READING_SCRIPT.read_bytes()).hexdigest()}"

    def run(self, source: Source | None, output: Output) -> CheckResult:
        reason = browser.missing(axe=False)
        if reason:
            return CheckResult.skip(reason)
        return super().run(source, output)
