"""Size limits that keep every renderer fast and every input harmless.

A WeasyPrint table of 5,000 rows takes seconds and hundreds of megabytes; 500 nested
blocks overflow its recursion. A Word file of 4 MB can unpack to a gigabyte, and pandoc
reading 3 MB of Markdown takes most of a minute. The limits sit far above any real leaflet
and far below what hurts, and a project can change them in `[tool.pipeline.limits]` of
pyproject.toml.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from pipeline import settings
from pipeline.settings import PYPROJECT


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 256 * 1024
    max_nodes: int = 10_000  # keys, texts and list items; the first article has about 300
    max_nesting: int = 16
    max_text_chars: int = 5_000
    max_section_depth: int = 3
    max_sections: int = 100
    max_blocks: int = 400
    max_list_items: int = 100
    max_table_rows: int = 100
    max_table_columns: int = 8
    max_faq: int = 50
    max_references: int = 50
    max_key_points: int = 20
    max_import_bytes: int = 16_000_000  # a .docx or .odt file to import, as given (with its photos)
    max_import_text_bytes: int = 2_000_000  # what pandoc parses: a Markdown or HTML file, each XML part of a .docx or .odt
    max_import_member_bytes: int = 16_000_000  # any one part of a .docx or .odt, unpacked (a photo)
    max_import_unpacked_bytes: int = 64_000_000  # all parts of a .docx or .odt together, unpacked
    max_import_parts: int = 10_000  # parts of a .docx or .odt (Word writes a few dozen, one more per picture)
    max_import_memory_bytes: int = 512_000_000  # pandoc's heap
    max_import_seconds: int = 20  # pandoc's time to read the file

    @classmethod
    def from_project(cls, pyproject: Path = PYPROJECT) -> Limits:
        """Defaults, overridden by `[tool.pipeline.limits]` when the file sets any."""
        readers = {item.name: settings.whole_number for item in dataclasses.fields(cls)}
        return cls(**settings.table("limits", pyproject).read(readers))
