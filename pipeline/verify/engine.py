"""`pipeline verify`: find built outputs through their manifests and run every check that applies.

An output is what one renderer wrote for one article, as `outputs/<id>/manifest.json` records
it (the main file and its sidecars, the options it was built with). The article is read from
its source (`<sources>/<id>.yaml`) for the checks that compare with it. A check that cannot
read a file fails with the reason: a file no tool can read is not a good output.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.build.files import MANIFEST, read_manifest
from pipeline.registry import PluginError, Registry, Renderer
from pipeline.settings import SettingsError
from pipeline.source.limits import Limits
from pipeline.source.problems import SourceError
from pipeline.source.publisher import issued, read_profile
from pipeline.source.validate import load_document
from pipeline.verify.checks import Check, CheckResult, Output, Source, media_type_essence
from pipeline.verify.records import Records

PRESENCE = "present"
"""The name of the verdict given when a file the manifest lists is missing."""


class NoOutputs(Exception):
    """A path to verify that holds no built output; the message says what to do."""


@dataclass(frozen=True)
class Verdict:
    """One check's result for one output, reported against `file`."""

    output: Output
    check: str
    file: Path
    result: CheckResult
    reused: bool = False
    """True when the result was recorded by an earlier run under the same key (see verify_records)."""


def find_outputs(paths: Iterable[Path], renderers: Registry) -> list[Output]:
    """The outputs named by files, article folders (outputs/<id>/) or output roots (outputs/)."""
    found: list[Output] = []
    for path in paths:
        if path.is_dir() and (path / MANIFEST).is_file():
            found += article_outputs(path, renderers)
        elif path.is_dir():
            folders = sorted(folder for folder in path.iterdir() if (folder / MANIFEST).is_file())
            if not folders:
                raise NoOutputs(f"{path}: no built outputs here (no */{MANIFEST}): run `pipeline build` first, or name an output folder")
            found += [output for folder in folders for output in article_outputs(folder, renderers)]
        else:
            chosen = [output for output in article_outputs(path.parent, renderers) if path.name in {file.name for file in output.files.values()}]
            if not chosen:
                raise NoOutputs(f"{path}: not a built output ({path.parent / MANIFEST} does not list it): verify what `pipeline build` wrote")
            found += chosen
    return list({(output.path, output.renderer): output for output in found}.values())  # each once


def output_roots(paths: Iterable[Path]) -> list[Path]:
    """The output folders (each locked by the build writing it) that `paths`, as `find_outputs`
    takes them, lie in."""
    roots = set()
    for path in paths:
        if not path.is_dir():
            path = path.parent
        roots.add(path.parent if (path / MANIFEST).is_file() else path)
    return sorted(roots)


def article_outputs(article_dir: Path, renderers: Registry, only: Iterable[str] | None = None) -> list[Output]:
    """Every output `article_dir/manifest.json` records (or those of the `only` renderers)."""
    manifest = read_manifest(article_dir)
    records: dict[str, Any] = manifest.get("outputs", {})
    wanted = set(records) if only is None else set(only) & set(records)
    return [_output(article_dir, manifest.get("article", article_dir.name), name, records[name], renderers) for name in sorted(wanted)]


def _output(article_dir: Path, article_id: str, name: str, record: dict[str, Any], renderers: Registry) -> Output:
    """The renderer's main file first (under the record's media type), then its sidecars."""
    renderer = _renderer(renderers, name)
    names = list(record.get("files", {}))
    main = renderer.filename(article_id) if renderer is not None and renderer.filename(article_id) in names else names[0]
    files = {media_type_essence(record.get("media_type", "")): article_dir / main}
    declared = renderer.sidecars if renderer is not None else {}
    for sidecar in names:
        if sidecar != main:
            media_type = next((kind for suffix, kind in declared.items() if sidecar.endswith(suffix)), None)
            files[media_type_essence(media_type or mimetypes.guess_type(sidecar)[0] or "application/octet-stream")] = article_dir / sidecar
    return Output(article_id, name, files, record.get("options", {}))


def _renderer(renderers: Registry, name: str) -> Renderer | None:
    """The installed renderer `name`, if it is still installed and loads."""
    try:
        return renderers.load(name) if name in renderers.entry_points else None
    except PluginError:
        return None


SourceFinder = Callable[[str], Path]


def verify(outputs: list[Output], checks: list[Check], source_path: SourceFinder, records: Records | None = None) -> list[Verdict]:
    """Every applicable check on every output, in output order, then check order.

    With `records`, a verdict recorded under the same key is reused instead of running the
    check again, and the new verdicts are kept there (`Records.save` writes them).
    Checks that wait on another program (EPUBCheck's Java, Ace's Chromium) run in background
    threads meanwhile; the others run here, one at a time (PDFium is not thread-safe).
    """
    loaded: dict[str, Source | str] = {}
    pending: list[tuple[str, Verdict | Future[Verdict]]] = []  # (key to record it under, or "")
    with ThreadPoolExecutor(max_workers=2) as background:
        for output in outputs:
            missing = [path for path in output.files.values() if not path.is_file()]
            if missing:
                message = f"{', '.join(map(str, missing))}: listed in the manifest but missing: rebuild with `pipeline build --format {output.renderer}`"
                pending.append(("", Verdict(output, PRESENCE, missing[0], CheckResult("fail", "missing", (message,)))))
                continue
            for check in (check for check in checks if check.applies(output)):
                key = records.key(check, output, source_path(output.article_id)) if records else ""
                recalled = records.recall(output, check.name, key) if records else None
                if recalled:
                    pending.append(("", Verdict(output, check.name, check.checked_file(output), recalled, reused=True)))
                    continue
                if output.article_id not in loaded:
                    loaded[output.article_id] = _load_source(source_path(output.article_id))
                source = loaded[output.article_id]
                verdict = background.submit(_verdict, check, source, output) if check.runs_a_program else _verdict(check, source, output)
                pending.append((key, verdict))
        verdicts = [(key, verdict.result() if isinstance(verdict, Future) else verdict) for key, verdict in pending]
    for key, verdict in verdicts:
        if records and key:
            records.keep(verdict.output, verdict.check, key, verdict.result)
    return [verdict for _key, verdict in verdicts]


def _verdict(check: Check, source: Source | str, output: Output) -> Verdict:
    return Verdict(output, check.name, check.checked_file(output), _run(check, source, output))


def _load_source(path: Path) -> Source | str:
    """The source, or why there is none (a message for the checks that need it)."""
    if not path.is_file():
        return f"no source {path} to compare with: pass --sources FOLDER holding <id>.yaml"
    try:
        document, article = load_document(path, Limits.from_project())
        return Source(document, issued(article, read_profile()))
    except SourceError as error:
        return f"the source is invalid: {error.problems[0]} (`pipeline validate {path}` lists every problem)"
    except SettingsError as error:
        return f"the settings are invalid: {error}"


def _run(check: Check, source: Source | str, output: Output) -> CheckResult:
    if check.needs_source and isinstance(source, str):
        return CheckResult.not_run(source)
    try:
        return check.run(source if isinstance(source, Source) else None, output)
    except Exception as error:
        message = f"{check.checked_file(output)}: could not be checked: {type(error).__name__}: {error}"
        return CheckResult("fail", "unreadable", (message,), lasting=False)  # perhaps a passing trouble (a time-out): try again


def load_checks(registry: Registry) -> tuple[list[Check], list[str]]:
    """Every installed check, in name order, and an error message for each broken one."""
    checks, errors = [], []
    for name in registry.names:
        try:
            checks.append(registry.load(name))
        except PluginError as error:
            errors.append(str(error))
    return checks, errors


def strictly(verdicts: Iterable[Verdict]) -> list[Verdict]:
    """The verdicts with every skip a failure: where CI must run every check, a check that
    could not run here (its tool missing) fails with the reason it gave."""
    return [replace(verdict, result=_unskipped(verdict.result)) if verdict.result.status == "skip" else verdict for verdict in verdicts]


def _unskipped(result: CheckResult) -> CheckResult:
    return CheckResult("fail", "skipped under --strict", (f"the check could not run: {result.figure}",), lasting=False)


def counts(verdicts: Iterable[Verdict]) -> dict[str, int]:
    tally = {"pass": 0, "fail": 0, "skip": 0}
    for verdict in verdicts:
        tally[verdict.result.status] += 1
    return tally
