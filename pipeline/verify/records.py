"""Recorded verdicts: a check runs again only when something it depends on changed.

`outputs/<id>/verify.json` keeps, for each output (by renderer) and check, the last verdict and
the key it was reached under. The key is made of everything that decides the verdict: the
check's name and code (its module and the pipeline package, as for renderers), the path and
sha256 of each file it reads, the output's options, the `[tool.pipeline.verify]` settings, the
programs it runs (`Check.environment`: a SKIP for want of Ace is re-run once Ace is there) and,
for a check that compares with the article, the source's path, its sha256 and the
`[tool.pipeline.limits]` it is read under (its messages point at lines of that very file). The
same key gives the recorded verdict back, a failure as well as a pass: the files did not
change, so neither would the verdict. Verdicts about the run rather than the files (a tool that
did not start, a file a check crashed on) are not recorded. The file is written like the
manifest: atomically, keys sorted, no timestamps.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline import settings
from pipeline.build import files as outputs
from pipeline.code_digest import code_digest
from pipeline.verify.checks import Check, CheckResult, Output

RECORDS = "verify.json"
STATUSES = ("pass", "fail", "skip")


def read_records(article_dir: Path) -> dict[str, Any]:
    """renderer -> check -> record, as verify.json holds them ({} when absent or unreadable)."""
    return outputs.read_json(article_dir / RECORDS)


class Records:
    """The recorded verdicts of the articles one run verifies, and the new ones to keep.

    `force` runs every check again (what it finds is still recorded). Keys are computed and
    records kept on the calling thread only; checks may run on others meanwhile.
    """

    def __init__(self, force: bool = False) -> None:
        self.force = force
        self._settings = {name: dict(settings.table(name).values) for name in ("verify", "limits", "publisher")}
        self._hashes: dict[Path, str | None] = {}
        self._environments: dict[str, str] = {}
        self._recorded: dict[Path, dict[str, Any]] = {}
        self._new: dict[Path, dict[tuple[str, str], dict[str, Any]]] = {}

    def key(self, check: Check, output: Output, source: Path) -> str:
        """Everything that decides `check`'s verdict on `output`, as one hash."""
        parts = {
            "check": check.name,
            "code": code_digest(type(check).__module__),
            "files": {str(path): self._sha256(path) for media_type, path in output.files.items() if media_type in check.media_types},
            "options": output.options,
            "settings": self._settings["verify"],
            "environment": self._environment(check),
            # the article as checked: its file, the limits it was read with, and who publishes it (the details it must show)
            "source": {"path": str(source), "sha256": self._sha256(source), "limits": self._settings["limits"], "publisher": self._settings["publisher"]}
            if check.needs_source
            else None,
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=repr).encode()).hexdigest()

    def recall(self, output: Output, check: str, key: str) -> CheckResult | None:
        """The verdict recorded under `key`, if there is one (and --force was not given)."""
        if self.force:
            return None
        article_dir = output.path.parent
        if article_dir not in self._recorded:
            self._recorded[article_dir] = read_records(article_dir)
        checks = self._recorded[article_dir].get(output.renderer)
        record = checks.get(check) if isinstance(checks, dict) else None
        if not _well_formed(record) or record["key"] != key:
            return None
        return CheckResult(record["status"], record["figure"], tuple(record["messages"]))

    def keep(self, output: Output, check: str, key: str, result: CheckResult) -> None:
        """Record a verdict just reached, to be written by `save` (unless it is about the run)."""
        if result.lasting:
            record = {"key": key, "status": result.status, "figure": result.figure, "messages": list(result.messages)}
            self._new.setdefault(output.path.parent, {})[output.renderer, check] = record

    def save(self) -> list[str]:
        """Write the new verdicts into each article's verify.json; a message for each folder
        that could not take them (they are then simply run again next time)."""
        problems = []
        for article_dir, new in self._new.items():
            results = read_records(article_dir)
            merged = {renderer: dict(checks) for renderer, checks in results.items() if isinstance(checks, dict)}
            for (renderer, check), record in new.items():
                merged.setdefault(renderer, {})[check] = record
            if merged == results:
                continue
            try:
                outputs.write_json(article_dir / RECORDS, merged)
            except OSError as error:
                where = outputs.write_problem(error, article_dir) or f"{type(error).__name__}: {error}"
                problems.append(f"verdicts not recorded in {article_dir / RECORDS}, so every check runs again next time: {where}")
        self._new.clear()
        return problems

    def _sha256(self, path: Path) -> str | None:
        if path not in self._hashes:
            self._hashes[path] = outputs.file_record(path)["sha256"] if path.is_file() else None
        return self._hashes[path]

    def _environment(self, check: Check) -> str:
        if check.name not in self._environments:
            self._environments[check.name] = check.environment()
        return self._environments[check.name]


def _well_formed(record: Any) -> bool:
    """A record as `keep` writes it (a hand-edited or older file is ignored, not trusted)."""
    return (
        isinstance(record, Mapping)
        and isinstance(record.get("key"), str)
        and record.get("status") in STATUSES
        and isinstance(record.get("figure"), str)
        and isinstance(record.get("messages"), list)
        and all(isinstance(message, str) for message in record["messages"])
    )

