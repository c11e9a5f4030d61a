"""Running `pipeline verify` in tests, and breaking copies of a good build."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from pipeline import registry
from pipeline.cli import cli
from pipeline.verify import report as verify_report
from pipeline.verify.checks import Check
from pipeline.verify.engine import Verdict, find_outputs, verify

SENTENCES = 23
"""Sentences of MINIMAL, counted by hand: title 1, summary 2, key point 2, sections 13, FAQ 3, references 2."""


def invoke(folder: Path, *args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["verify", "--sources", str(folder / "source"), *map(str, args)])


def run(folder: Path, *args: str | Path) -> tuple[int, str]:
    result = invoke(folder, *args)
    return result.exit_code, result.output


def run_json(folder: Path, *paths: Path) -> tuple[int, dict]:
    result = invoke(folder, "--format", "json", *paths)
    return result.exit_code, json.loads(result.stdout)


def results(report: dict, check: str) -> list[dict]:
    return [result for result in report["results"] if result["check"] == check]


def check_file(folder: Path, path: Path, check: Check) -> Verdict:
    """One check on one built file, without the CLI (and without the slow validators)."""
    [verdict] = verify(find_outputs([path], registry.installed()), [check], lambda article_id: folder / "source" / f"{article_id}.yaml")
    return verdict


def broken_copy(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "broken"
    shutil.copytree(built, copy)
    return copy


def rewrite_zip(path: Path, change: Callable[[str, bytes], bytes]) -> None:
    """Rewrite every entry of an archive through `change(name, data)`, order and settings kept."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info, change(info.filename, archive.read(info))) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            archive.writestr(info, data)


def schema() -> dict:
    return json.loads(verify_report.SCHEMA_FILE.read_text("utf-8"))
