"""The project's own settings: the `[tool.pipeline.*]` tables of pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

PYPROJECT = Path("pyproject.toml")


def tool_settings(name: str, pyproject: Path = PYPROJECT) -> dict[str, Any]:
    """The `[tool.pipeline.NAME]` table, or {} when the file or the table is missing."""
    try:
        settings = tomllib.loads(pyproject.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    table = settings.get("tool", {}).get("pipeline", {}).get(name, {})
    return table if isinstance(table, dict) else {}
