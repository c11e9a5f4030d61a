"""Ace by DAISY, the EPUB accessibility checker: no violation.

Ace is a Node program driving Chromium: `make all` and `make test` install it under
`.tools/ace` (npm) and Debian's Chromium (or set PIPELINE_ACE to an `ace` command). Where either
cannot be had, the check is skipped and says how to get it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.verify.browser import chromium_path, tool
from pipeline.verify.checks import Check, CheckResult, Output, Source, counted, program
from pipeline.verify.checks.epub import MEDIA_TYPE

LOCAL_ACE = "ace/node_modules/.bin/ace-cli"
ACE_VERSION = "1.4.6"
"""The version the Makefile installs."""
TIMEOUT = 600
NOT_INSTALLED = "Ace by DAISY is not installed: `make all` or `make test` installs it under .tools/ace (or set PIPELINE_ACE to an ace command)"
NO_BROWSER = "Ace is installed but found no Chromium to drive: `make all` or `make test` installs Debian's (as root), or set PUPPETEER_EXECUTABLE_PATH"


def ace_command() -> str | None:
    """PIPELINE_ACE, else the project's own install, else an `ace` on the PATH."""
    chosen = os.environ.get("PIPELINE_ACE")
    if chosen:
        return shutil.which(chosen)
    local = tool(LOCAL_ACE)
    return str(local) if local else shutil.which("ace")


class Ace(Check):
    name = "ace"
    description = "Ace by DAISY finds no accessibility violation (skipped where Ace or Chromium cannot be installed)"
    media_types = (MEDIA_TYPE,)
    runs_a_program = True

    def environment(self) -> str:
        return f"ace {program(ace_command())}; browser {program(chromium_path())}"

    def run(self, source: Source | None, output: Output) -> CheckResult:
        ace, chromium = ace_command(), chromium_path()
        if ace is None:
            return CheckResult.skip(NOT_INSTALLED)
        if chromium is None:
            return CheckResult.skip(NO_BROWSER)
        environment = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1", "PUPPETEER_EXECUTABLE_PATH": chromium}
        with tempfile.TemporaryDirectory(prefix="pipeline-ace-") as folder:
            command = [ace, "--silent", "--force", "--outdir", folder, str(self.checked_file(output))]
            process = subprocess.run(command, capture_output=True, env=environment, timeout=TIMEOUT, check=False)
            try:
                report = json.loads((Path(folder) / "report.json").read_text("utf-8"))
            except (OSError, ValueError):
                error = (process.stderr or process.stdout).decode("utf-8", "replace").strip()[-500:]
                return CheckResult.not_run(f"Ace wrote no report (exit status {process.returncode}): {error}")
        try:
            violations = _checked(report, list(_violations(report)))
        except ValueError as error:
            return CheckResult.not_run(f"Ace's report could not be read ({error}): its verdict is unknown, not clean; run `make ace` to reinstall Ace {ACE_VERSION}")
        impacts = Counter(impact for impact, _message in violations)
        by_impact = ", ".join(f"{count} {impact}" for impact, count in sorted(impacts.items()))
        version = report.get("earl:assertedBy", {}).get("doap:release", {}).get("doap:revision", "?")
        figure = f"{counted(len(violations), 'violation')}{f': {by_impact}' if by_impact else ''} (Ace {version})"
        return CheckResult.judge(not violations, figure, [message for _impact, message in violations])


def _violations(report: Any) -> Iterator[tuple[str, str]]:
    """(impact, 'serious html-has-lang in section-1.xhtml: ...') for each failed rule; a report
    not shaped as Ace writes it (no list of documents' assertions, an outcome missing) is a
    ValueError, never a clean bill."""
    for document in _listed(report, "assertions"):
        where = document.get("earl:testSubject", {}).get("url", "?")
        for assertion in _listed(document, "assertions"):
            result, test = assertion.get("earl:result"), assertion.get("earl:test", {})
            if not isinstance(result, dict) or result.get("earl:outcome") not in ("pass", "fail", "cantTell", "inapplicable", "untested"):
                raise ValueError(f"an assertion in {where} has no outcome")
            if result.get("earl:outcome") == "fail":
                impact = test.get("earl:impact", "unknown")
                help_url = test.get("help", {}).get("url", "")
                yield impact, f"{impact} {test.get('dct:title', '?')} in {where}: {result.get('dct:description', '')} ({help_url})"


def _checked(report: dict[str, Any], violations: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The violations, when the report's own verdict agrees with them."""
    outcome = report.get("earl:result", {}).get("earl:outcome")
    if outcome not in ("pass", "fail") or (outcome == "fail") != bool(violations):
        raise ValueError(f"its verdict is {outcome!r} with {counted(len(violations), 'violation')} listed")
    return violations


def _listed(report: Any, name: str) -> list[dict[str, Any]]:
    """`report[name]`, which Ace writes as a list of objects (possibly empty)."""
    found = report.get(name) if isinstance(report, dict) else None
    if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
        raise ValueError(f"no list of {name!r} where Ace writes one")
    return found
