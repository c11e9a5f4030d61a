"""The project's settings: the `[tool.pipeline.*]` tables of pyproject.toml, and SOURCE_DATE_EPOCH.

One reader for every table, so every setting is checked the same way: an unknown key (with a
guess at the one meant) or a value of the wrong kind is an error naming its line,
`pyproject.toml:LINE: error: [tool.pipeline.NAME] KEY: ...`, and every such problem is
reported at once, as a source's problems are.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PYPROJECT = Path("pyproject.toml")

Reader = Callable[[Any], Any]
"""Turns a setting's TOML value into what the code uses; raises ValueError saying what it expected."""


class SettingsError(ValueError):
    """Settings the pipeline cannot use; each line of the message names a file, a line and what to do."""


@dataclass(frozen=True)
class Table:
    """One `[tool.pipeline.NAME]` table, with the line of each of its keys."""

    name: str
    values: Mapping[str, Any]
    path: Path
    lines: Mapping[str, int]

    def problem(self, key: str | None, message: str) -> str:
        line = self.lines.get(key or "", self.lines.get("", 1))
        where = f"[tool.pipeline.{self.name}]" + (f" {key}" if key else "")
        return f"{self.path}:{line}: error: {where}: {message}"

    def read(self, readers: Mapping[str, Reader]) -> dict[str, Any]:
        """The table's values through `readers` (one per known key); SettingsError naming every
        unknown key and every bad value at once."""
        chosen, problems = {}, []
        for key, value in self.values.items():
            if key not in readers:
                close = difflib.get_close_matches(key, list(readers), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"known keys are {', '.join(readers)}"
                problems.append(self.problem(key, f"unknown key '{key}': {hint}"))
                continue
            try:
                chosen[key] = readers[key](value)
            except ValueError as error:
                problems.append(self.problem(key, f"{error}, found {value!r}"))
        if problems:
            raise SettingsError("\n".join(problems))
        return chosen


def table(name: str, pyproject: Path = PYPROJECT) -> Table:
    """`[tool.pipeline.NAME]` (dotted for nested tables: "options.pdf"); empty when the file or
    the table is missing; SettingsError when the file is not valid TOML."""
    try:
        text = pyproject.read_text("utf-8")
    except FileNotFoundError:
        return Table(name, {}, pyproject, {})
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        raise SettingsError(f"{pyproject}:{found[1] if found else 1}: error: not valid TOML: {error}: correct the file") from None
    values: Any = document.get("tool", {}).get("pipeline", {})
    for part in name.split("."):
        values = values.get(part, {}) if isinstance(values, dict) else {}
    if not isinstance(values, dict):
        raise SettingsError(f"{pyproject}:1: error: [tool.pipeline.{name}] must be a table")
    return Table(name, values, pyproject, _key_lines(text, f"tool.pipeline.{name}"))


def _key_lines(text: str, header: str) -> dict[str, int]:
    """The line of each `key =` in the table `header` ("" for the header's own line)."""
    lines: dict[str, int] = {}
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.strip("[]").strip() == header
            if inside:
                lines[""] = number
        elif inside:
            found = re.match(r"""["']?([\w-]+)["']?\s*=""", stripped)
            if found:
                lines.setdefault(found[1], number)
    return lines


@dataclass(frozen=True)
class ClusterCertificates:
    """`[tool.pipeline.dask]`: what a build shows a Dask cluster reached at tls:// (the
    authority that signed the cluster's certificates, and this client's certificate and key),
    as `dask scheduler --tls-ca-file --tls-cert --tls-key` takes them."""

    ca_file: Path
    cert: Path
    key: Path


CLUSTER_KEYS = {"tls_ca_file": "ca_file", "tls_cert": "cert", "tls_key": "key"}


def cluster_certificates(pyproject: Path = PYPROJECT) -> ClusterCertificates | None:
    """The certificates `[tool.pipeline.dask]` names (paths from pyproject.toml's folder), or
    None when it names none; SettingsError for a missing file or a key left out."""
    found = table("dask", pyproject)
    chosen = found.read(dict.fromkeys(CLUSTER_KEYS, _file_beside(pyproject)))
    if not chosen:
        return None
    missing = [key for key in CLUSTER_KEYS if key not in chosen]
    if missing:
        raise SettingsError(found.problem(None, f"{' and '.join(missing)} missing: a tls:// cluster needs {', '.join(CLUSTER_KEYS)}"))
    return ClusterCertificates(**{CLUSTER_KEYS[key]: path for key, path in chosen.items()})


def _file_beside(pyproject: Path) -> Reader:
    def read(value: Any) -> Path:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("expected the path of a PEM file, e.g. \"certificates/ca.pem\"")
        path = pyproject.resolve().parent / value
        if not path.is_file():
            raise ValueError(f"no such file: {path}")
        return path

    return read


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH, the moment reproducible builds write instead of the clock, or None."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None:
        return None
    if not value.strip().isdigit():
        raise SettingsError(
            f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds since 1970: "
            "set it like SOURCE_DATE_EPOCH=$(git log -1 --format=%ct), or unset it"
        )
    return int(value)


# ---------------------------------------------------------------- readers


def whole_number(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise ValueError("expected a whole number above 0")


def number(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise ValueError("expected a number")


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError("expected true or false")


def texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ValueError('expected a list of terms, e.g. ["electrolyte"]')


def explanations(value: Any) -> dict[str, str]:
    if isinstance(value, dict) and all(isinstance(item, str) and item.strip() for item in value.values()):
        return {str(term).strip(): explanation.strip() for term, explanation in value.items()}
    raise ValueError('expected a table of term = "plain explanation"')


def number_range(value: Any) -> tuple[float, float]:
    numbers = isinstance(value, list) and len(value) == 2 and all(isinstance(item, (int, float)) and not isinstance(item, bool) for item in value)
    if numbers and 0 < value[0] < value[1]:
        return float(value[0]), float(value[1])
    raise ValueError("expected [lowest, highest], e.g. [100, 170]")
