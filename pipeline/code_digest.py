"""The source files a module runs: itself, and what it imports from its own package and from
this one, followed import by import (imports inside functions too), read without importing.

An output's key holds the code that shapes it (`code_digest`): editing a renderer
or the shared text shaping it uses rebuilds its outputs, while editing code it never runs (the
verify checks, the lint rules, the command line) rebuilds nothing. Third-party libraries are
left out: their versions are not part of the key.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from functools import cache
from pathlib import Path

from pipeline.remembered import remembered

PIPELINE = Path(__file__).resolve().parent


@cache
def code_digest(module_name: str) -> str:
    """The code that shapes an output: the module and every module of its own package and of
    this one that it runs (`source_files`). A changed line in a renderer or in the shared
    text shaping rebuilds its outputs even when nobody remembered to raise the renderer's
    `version`; a change to code it never runs rebuilds nothing.
    """

    def compute() -> tuple[list[Path], str]:
        files = sorted(source_files(module_name))
        digest = hashlib.sha256()
        for path in files:
            digest.update(str(path.relative_to(path.parent.parent)).encode() + b"\0" + path.read_bytes())
        return files, digest.hexdigest()

    return remembered(f"code:{module_name}", compute)


def source_files(module_name: str) -> frozenset[Path]:
    """`module_name`'s file and those of every module of its top-level package or of `pipeline`
    it imports, directly or through another; parent packages' `__init__.py` files included."""
    roots = {"pipeline": PIPELINE, **_root(module_name.partition(".")[0])}
    files: set[Path] = set()
    seen: set[str] = set()
    pending = [module_name]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        pending += [".".join(parts[:length]) for length in range(1, len(parts))]
        path = _locate(parts, roots)
        if path is not None:
            files.add(path)
            pending += _imported(name, path)
    return frozenset(files)


def _root(top: str) -> dict[str, Path]:
    """Where a top-level module or package lives (a package's folder), found without importing it."""
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return {}
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return {}
    origin = Path(spec.origin).resolve()
    return {top: origin.parent if origin.name == "__init__.py" else origin}


def _locate(parts: list[str], roots: dict[str, Path]) -> Path | None:
    """The file of module `parts` under one of `roots`, or None (a class, a library, a name)."""
    root = roots.get(parts[0])
    if root is None:
        return None
    if root.is_file():
        return root if len(parts) == 1 else None
    base = root.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<base>\.*[\w.]*)[ \t]+import[ \t]+(?:\((?P<grouped>[^)]*)\)|(?P<names>[^\n#]*))"
    r"|import[ \t]+(?P<modules>[^\n#]*))",
    re.MULTILINE,
)


def _imported(name: str, path: Path) -> list[str]:
    """Every module name an import statement in `path` may refer to (some are only names)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return [_absolute(module, package) for module in _statements(path)]


@cache
def _statements(path: Path) -> tuple[str, ...]:
    """The modules and `module.name`s of the file's import statements, as written (relative ones
    with their dots). A text scan, not a parse: far quicker, and a line in a docstring that
    looks like an import only adds a file to the key, never leaves one out."""
    found = []
    text = path.read_text("utf-8").replace("\\\n", " ")  # continued lines joined
    for match in _IMPORT.finditer(text):
        if match["modules"] is not None:
            found += [_name(part) for part in match["modules"].split(",")]
        else:
            base = match["base"]
            names = re.sub(r"#[^\n]*", "", match["grouped"]) if match["grouped"] is not None else match["names"]
            found += [base, *(f"{base}{'' if base.endswith('.') else '.'}{_name(part)}" for part in names.split(","))]
    return tuple(name for name in found if name.strip("."))


def _name(part: str) -> str:
    """`a.b as c` -> `a.b`."""
    return part.split(" as ")[0].strip()


def _absolute(module: str, package: str) -> str:
    level = len(module) - len(module.lstrip("."))
    if not level:
        return module
    anchor = package.rsplit(".", level - 1)[0] if level > 1 else package
    rest = module[level:]
    return f"{anchor}.{rest}" if rest else anchor
