"""`pipeline import`: an existing leaflet (Word, OpenDocument, HTML, Markdown) -> a source.

pandoc reads the file into its document tree (`document`, `lines`); the tree is cut into the
leaflet's parts by heading words (`words`, `parts`, `chrome`) and each part mapped (`front`,
`sections`, `blocks`, `faq`, `references`, `dates`, with inline markup from `inline`), in
that order by `article`; the result is written as the README's YAML (`yaml_writer`).
Nothing is invented: what is missing is reported (`findings`) and marked in the YAML for
the author.

May import `pipeline.text` (sentences) and `pipeline.model` (markup, rules, the source's
keys), nothing that renders.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.importer import article, document, yaml_writer
from pipeline.importer.document import READERS
from pipeline.importer.errors import ReadError, name_of
from pipeline.importer.findings import Findings
from pipeline.importer.within_limits import check_source
from pipeline.model.rules import is_language_tag
from pipeline.source.limits import Limits
from pipeline.source.validate import article_id_problem

__all__ = ["READERS", "Imported", "Limits", "ReadError", "check_source", "default_source", "import_file", "is_language_tag", "name_of", "write"]

SOURCES = Path("source")


@dataclass(frozen=True)
class Imported:
    yaml: str
    findings: Findings


def import_file(path: Path, lang: str | None = None, limits: Limits | None = None) -> Imported:
    """Read `path` and write its source text; `lang` overrides the document's language."""
    read = document.read(path, limits or Limits())
    data, findings = article.source(read, lang)
    return Imported(yaml_writer.dump(data, findings.items, path.name), findings)


def default_source(file: Path) -> Path:
    """source/<id>.yaml, the id made from the file's name ('Leg Cramps.docx' -> leg-cramps)."""
    article_id = re.sub(r"[^a-z0-9]+", "-", file.stem.lower()).strip("-")[:64].strip("-")
    why = article_id_problem(article_id) if article_id else "it has no letters or digits"
    if why:
        raise ReadError(f"{name_of(file)}: its name gives no usable article id ({why}): name the source with -o source/<id>.yaml")
    return SOURCES / f"{article_id}.yaml"


def write(target: Path, text: str) -> None:
    """Write the source whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
