"""The source an import writes, held to the limits of any source before it is written: a file
`pipeline validate` would refuse for its size is never written in the first place."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from pipeline import model
from pipeline.source import load, validate
from pipeline.source.limits import Limits
from pipeline.source.problems import SourceError


def check_source(target: Path, text: str, limits: Limits) -> None:
    """SourceError naming each limit the source `text`, to be written at `target`, passes:
    its size, values and nesting; its counts and lengths when it is already a whole article
    (one the import left work in is checked for them by `pipeline validate` once completed)."""
    document = load.parsed(target, text.encode("utf-8"), limits)
    try:
        article = model.Article.model_validate({**document.data, "id": target.stem})
    except ValidationError:
        return
    problems = [validate.document_problem(document, location, message) for location, message in validate.limit_problems(article, limits)]
    if problems:
        raise SourceError(problems)
