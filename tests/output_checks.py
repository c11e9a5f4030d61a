"""Build an article in every installed format and look inside what comes out.

The hostile-content and fuzz tests use these, so they cover each renderer the day it is
installed: the list comes from the registry, never from a hand-kept list of formats. An
output is opened as far as it can be without its renderer's libraries: ZIP members (EPUB),
deflated PDF streams, and any HTML or XHTML found on the way.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from ruamel.yaml import YAML

from pipeline import registry as registry_module
from pipeline.build.engine import build
from pipeline.build.local import LocalPool
from pipeline.build.progress import Progress
from pipeline.model.walk import article_texts
from pipeline.registry import Renderer
from pipeline.text.sentences import fold_space, sentences


def dump_yaml(data: dict) -> str:
    """Article data as YAML text, quoted and escaped by ruamel wherever text needs it."""
    stream = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.dump(data, stream)
    return stream.getvalue()


def installed_renderers(names: tuple[str, ...] | None = None) -> list[Renderer]:
    registry = registry_module.installed()
    return [registry.load(name) for name in (names or registry.names)]


def build_outputs(article, out_dir: Path, renderers: list[Renderer]) -> dict[str, list[Path]]:
    """Every file each renderer wrote; a failed render fails the test with its message."""
    options = {renderer.name: {key: option.default for key, option in renderer.options.items()} for renderer in renderers}
    reporter = Progress(out_dir, quiet=True, errors=io.StringIO())
    outcomes = build([article], renderers, registry_module.installed(), options, out_dir, reporter, LocalPool(1), force=True)
    failures = [f"{outcome.renderer}: {outcome.error}" for outcome in outcomes if outcome.failed]
    assert not failures, failures
    return {outcome.renderer: [out_dir / article.id / name for name in outcome.files] for outcome in outcomes}


def parts(path: Path) -> Iterator[tuple[str, bytes]]:
    """The file's bytes, then each ZIP member's, then each PDF stream's, decompressed."""
    data = path.read_bytes()
    yield path.name, data
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                yield f"{path.name}!{member}", archive.read(member)
    if data.startswith(b"%PDF"):
        for index, match in enumerate(re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL)):
            try:
                yield f"{path.name}#stream{index}", zlib.decompress(match.group(1))
            except zlib.error:
                continue


def html_parts(path: Path) -> Iterator[tuple[str, str]]:
    """The HTML and XHTML documents in an output (the output itself, or EPUB members)."""
    for name, data in parts(path):
        head = data[:512].lstrip().lower()
        if name.endswith((".html", ".xhtml", ".htm")) or head.startswith((b"<!doctype html", b"<html")):
            yield name, data.decode("utf-8", "replace")


OWN_SCRIPT = (Path(__file__).resolve().parent.parent / "pipeline" / "assets" / "web" / "seek.js").read_text("utf-8")
"""The web edition's one inline script (chapter links seek the player): ours, never the source's."""
_ALWAYS_LIVE = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "portal"}
_RESOURCE_ATTRIBUTES = {"src", "href", "data", "poster", "srcset", "xlink:href", "background", "action", "formaction"}
_FETCHES = re.compile(r"^\s*(?!data:)(?:[a-z][a-z0-9+.-]*:|//|/)", re.IGNORECASE)
"""A reference outside the package: a scheme, a network path or an absolute path (data: is inline)."""
_CSS_FETCH = re.compile(r"(?:@import\s*(?:url\()?|url\()\s*['\"]?(?!data:)(?:[a-z][a-z0-9+.-]*:|//|/)", re.IGNORECASE)
_LINK_SCHEMES = re.compile(r"^\s*(?:https?:|#|mailto:)|^[^:]*$", re.IGNORECASE)


class _LiveContent(HTMLParser):
    """Collects every element or attribute that could run script, fetch, or read a file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._in_style = False
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag in _ALWAYS_LIVE:
            self.problems.append(f"live <{tag}>")
        if tag == "link" and (values.get("rel", "").lower() != "stylesheet"):
            self.problems.append(f"<link rel={values.get('rel')!r}>")
        if tag == "script":
            self._script = [] if "src" not in values else None
        if tag == "meta" and not _inert_meta(values):
            self.problems.append("<meta http-equiv>")  # refresh or cookies act
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            elif tag == "a" and name == "href":
                if not _LINK_SCHEMES.match(value):
                    self.problems.append(f"link to {value!r}")
            elif name in _RESOURCE_ATTRIBUTES and _FETCHES.match(value):
                self.problems.append(f"<{tag} {name}={value!r}> fetches")
            elif name == "style" and _CSS_FETCH.search(value):
                self.problems.append(f"style= on <{tag}> fetches")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False
        if tag == "script":
            if self._script is None or "".join(self._script).strip() != OWN_SCRIPT.strip():
                self.problems.append("live <script>")
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        elif self._in_style and _CSS_FETCH.search(data):
            self.problems.append("<style> fetches (@import or url())")
        elif not self._in_style:
            self.text.append(data)


def live_content(html: str) -> list[str]:
    """Each element or attribute in `html` that could run script or fetch a resource."""
    parser = _LiveContent()
    parser.feed(html)
    parser.close()
    return parser.problems


def html_text(html: str) -> str:
    """The text a reader of `html` sees, whitespace folded."""
    parser = _LiveContent()
    parser.feed(html)
    parser.close()
    return fold_space("".join(parser.text))


def article_sentences(article) -> list[str]:
    """Every sentence of the article's source text: what each edition must hold."""
    return [sentence for item in article_texts(article) for sentence in sentences(item)]


def _inert_meta(values: dict[str, str]) -> bool:
    """A <meta> that does nothing a page's author could abuse: no http-equiv, a policy (it
    only restricts), or the character set a DAISY navigation centre declares (UTF-8 only)."""
    equiv = values.get("http-equiv", "content-security-policy").lower()
    declared_charset = equiv == "content-type" and values.get("content", "").replace(" ", "").lower() == "text/html;charset=utf-8"
    return equiv == "content-security-policy" or declared_charset
