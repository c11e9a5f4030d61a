"""PDF/UA-1's machine-checkable rules, as the PyPI package `pdfua` checks them (on pikepdf).

veraPDF, the reference validator, needs a JVM this project cannot install; `pdfua` checks the
Matterhorn Protocol's rules that are decidable from the file alone and that dominate real
failures (16 of the 106 in its 0.1 releases): a structure tree, content tagged or marked as an
artifact, the document language, figures' alternative text, table structure, annotations'
descriptions, headings not empty, the title and the PDF/UA identifier. A pass means those
rules found nothing, not that the file conforms: a human still judges reading order and the
quality of alternative texts. Findings pdfua calls heuristic are listed but do not fail.
One rule is mended and one added (`pdf_ua_rules`: marked content must be in the tree).
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from pipeline.verify.checks import Check, CheckResult, Output, Source
from pipeline.verify.checks.pdf import MEDIA_TYPE


class PdfUaRules(Check):
    name = "pdf-ua-rules"
    description = "the machine-checkable PDF/UA-1 (Matterhorn) rules of the `pdfua` package find nothing"
    media_types = (MEDIA_TYPE,)

    def environment(self) -> str:
        return f"pdfua {version('pdfua')}"

    def run(self, source: Source | None, output: Output) -> CheckResult:
        from pdfua import Confidence, PdfuaError, Validator, ValidatorOptions, coverage

        from pipeline.verify.checks.pdf_ua_rules import ContentInTree, rules

        registry = rules()
        try:
            report = Validator(ValidatorOptions(registry=registry)).validate(str(self.checked_file(output)))
        except PdfuaError as error:
            return CheckResult("fail", "unreadable", (f"pdfua cannot read the file: {error}",))
        certain = [finding for finding in report.findings if finding.confidence is Confidence.CERTAIN]
        failed = sorted({finding.rule_id for finding in certain} | {outcome.rule_id for outcome in report.skipped})
        ran = len(report.outcomes) - len(report.skipped)
        covered = coverage(registry)
        figure = f"{ran}/{len(report.outcomes)} rules run (pdfua's on {covered.covered} of {covered.total} PDF/UA-1 checkpoints, and {ContentInTree.id}), {len(failed)} failed"
        if failed:
            figure += f": {', '.join(failed)}"
        messages = [f"{outcome.rule_id}: could not be checked: {outcome.skipped_reason}" for outcome in report.skipped]
        messages += [_message(finding) for finding in report.findings]
        return CheckResult.judge(not failed, figure, messages)


def _message(finding: Any) -> str:
    review = "" if finding.confidence.value == "certain" else "to review (heuristic): "
    where = finding.location.describe()
    return f"{review}{finding.rule_id} (PDF/UA-1 {finding.pdfua_clause}) {where}: {finding.message} {finding.remediation or ''}".strip()
