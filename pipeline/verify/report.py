"""Reports of `pipeline verify`: one line per check for people, JSON for CI.

The JSON form is documented by `assets/verify-report.schema.json`; it holds no times or
machine paths, so the same outputs always give the same report.
"""

from __future__ import annotations

import json

from pipeline import ASSETS
from pipeline.model.rules import escaped
from pipeline.verify.checks import counted
from pipeline.verify.engine import Verdict, counts

SCHEMA = "pipeline-verify/1"
SCHEMA_FILE = ASSETS / "verify-report.schema.json"
SHOWN_MESSAGES = 20
"""Messages shown under one line of the text report; the JSON report has every one."""


def text(verdicts: list[Verdict], only_failures: bool = False, summary_always: bool = False) -> str:
    """The lines and a summary; with `only_failures`, the failed checks' lines, or nothing
    (the summary alone with `summary_always`)."""
    shown = [verdict for verdict in verdicts if verdict.result.status == "fail"] if only_failures else verdicts
    if not verdicts and (summary_always or not only_failures):
        return "no check applies to these outputs\n"
    if not shown:
        return f"{summary(verdicts)}\n" if summary_always else ""
    return f"{lines(shown)}{summary(verdicts)}\n"


def lines(verdicts: list[Verdict]) -> str:
    """`PASS|FAIL|SKIP  <file>  <check>  <figure>`, columns aligned, findings indented below;
    a file name or a finding that holds a control character shows it escaped (`\\x1b`), so no
    report drives the terminal or adds a line."""
    file_width = max(len(escaped(str(verdict.file))) for verdict in verdicts)
    check_width = max(len(verdict.check) for verdict in verdicts)
    result = []
    for verdict in verdicts:
        status = verdict.result.status.upper()
        result.append(f"{status}  {escaped(str(verdict.file)):<{file_width}}  {verdict.check:<{check_width}}  {escaped(verdict.result.figure)}")
        messages = verdict.result.messages
        result += [f"      {escaped(message)}" for message in messages[:SHOWN_MESSAGES]]
        if len(messages) > SHOWN_MESSAGES:
            result.append(f"      ... and {len(messages) - SHOWN_MESSAGES} more (--format json lists all)")
    return "\n".join(result) + "\n"


def summary(verdicts: list[Verdict]) -> str:
    tally = counts(verdicts)
    return f"{counted(len(verdicts), 'check')}: {tally['pass']} passed, {tally['fail']} failed, {tally['skip']} skipped"


def as_json(verdicts: list[Verdict], errors: list[str]) -> str:
    tally = counts(verdicts)
    document = {
        "schema": SCHEMA,
        "passed": not tally["fail"] and not errors,
        "counts": tally,
        "results": [
            {
                "article": verdict.output.article_id,
                "renderer": verdict.output.renderer,
                "file": str(verdict.file),
                "check": verdict.check,
                "status": verdict.result.status,
                "figure": verdict.result.figure,
                "messages": list(verdict.result.messages),
                "reused": verdict.reused,
            }
            for verdict in verdicts
        ],
        "errors": errors,
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
