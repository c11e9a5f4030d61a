"""The layout as a design: imports run down the layers only, never in a cycle, never between renderers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"

LAYERS = [
    ("pipeline.model", "pipeline.locale"),
    ("pipeline.source", "pipeline.text", "pipeline.settings", "pipeline.code_digest", "pipeline.atomic", "pipeline.remembered", "pipeline.parent_death"),
    ("pipeline.speech", "pipeline.braille", "pipeline.registry"),
    ("pipeline.renderers",),
    ("pipeline.build", "pipeline.verify", "pipeline.lint", "pipeline.importer"),
    ("pipeline.cli", "pipeline.__main__", "pipeline.launch"),
]
"""Lowest first: a module may import its own package, `pipeline` itself, and any lower layer."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PIPELINE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every pipeline module `path` imports, at the top or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".rstrip(".")
            submodules = {f"{base}.{alias.name}" for alias in node.names} & MODULES.keys()
            found |= submodules if len(submodules) == len(node.names) else {base} | submodules
    return {target for target in found if target in MODULES}


MODULES = {module_name(path): path for path in PIPELINE.rglob("*.py")}
GRAPH = {name: imports(path) - {name} for name, path in MODULES.items()}


def layer(name: str) -> int:
    for index, prefixes in enumerate(LAYERS):
        if any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes):
            return index
    return -1  # the package itself (pipeline/__init__.py): ASSETS only


def test_every_module_has_a_layer():
    assert [name for name in MODULES if layer(name) < 0 and name != "pipeline"] == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_run_down_the_layers(name):
    upward = [target for target in GRAPH[name] if layer(target) > layer(name)]
    assert upward == [], f"{name} imports from a higher layer: {upward}"


def test_no_import_cycle():
    cycles, state = [], {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in sorted(GRAPH[name]):
            if state.get(target) == "open":
                cycles.append(trail[trail.index(target) :] + [target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_renderers_never_import_each_other():
    renderers = {name for name in MODULES if name.startswith("pipeline.renderers.") and not name.rpartition(".")[2].startswith("_")}
    sideways = {name: sorted(GRAPH[name] & renderers) for name in renderers if GRAPH[name] & renderers}
    assert sideways == {}


def test_no_module_is_over_300_lines():
    long = {name: count for name, path in MODULES.items() if (count := len(path.read_text("utf-8").splitlines())) > 300}
    assert long == {}
