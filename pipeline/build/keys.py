"""An output's key: everything that decides its bytes, hashed. The manifest records it, and an
output whose recorded key still holds is up to date.

The article's JSON holds every source key and the publisher's words (name, contact); the
logo's bytes stay out of it and join the key only of a renderer that shows the logo
(`Renderer.shows_logo`), as the formats named in the notice join only the key of a renderer
that prints that notice (`Renderer.lists_formats`): changing either rebuilds exactly the
outputs it appears in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from pipeline.model import Article
from pipeline.registry import Renderer


def article_key(article: Article) -> str:
    """The article's content; its `options` count through the values each renderer is given."""
    return hashlib.sha256(article.model_dump_json(by_alias=True, exclude={"options"}).encode()).hexdigest()


def output_key(
    article: Article,
    renderer: Renderer,
    options: Mapping[str, Any],
    epoch: int | None,
    linked: Mapping[str, tuple[str, ...]],
    formats: tuple[str, ...],
) -> str:
    links = f"\0{sorted(linked.items())}" if linked else ""
    shown = ""
    if article.issuer and article.issuer.logo and renderer.shows_logo:
        shown += f"\0logo {article.issuer.logo.digest}"
    if article.issuer and renderer.lists_formats:
        shown += f"\0formats {formats}"
    return hashlib.sha256(f"{article_key(article)}\0{renderer.fingerprint(options)}\0{epoch}{links}{shown}".encode()).hexdigest()
