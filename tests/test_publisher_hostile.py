"""A hostile logo fetches nothing and leaks nothing, in every installed format.

The SVG points at a secret file of the test's own and at a local HTTP server that counts every
request, in each way SVG can: images, `use`, CSS imports and `url()`, scripts, event handlers,
entities aside (refused outright, see test_publisher). The profile makes it inert; the PDF's
typesetter, given the raw file anyway, refuses every reference through its URL fetcher.
"""

from __future__ import annotations

import base64
import re

import pytest
from conftest import MINIMAL
from output_checks import build_outputs, html_parts, installed_renderers, parts
from test_hostile_content import serving_trap

from pipeline.model import Issuer, Logo
from pipeline.source.publisher import issued, read_profile
from pipeline.source.validate import load_article

_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,([A-Za-z0-9+/=]+)")


def hostile_svg(url: str, secret: str) -> bytes:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 20 10" onload="fetch(\'{url}/onload\')">'
        f'<style>@import url("{url}/import.css"); rect {{ fill: url("{url}/paint") }}</style>'
        f'<script>fetch("{url}/script")</script>'
        f'<image href="file://{secret}" width="5" height="5"/><image xlink:href="{url}/image.png" width="5" height="5"/>'
        '<image href="file:///etc/passwd" width="5" height="5"/>'
        f'<use href="{url}/shapes.svg#a"/><feImage href="file://{secret}"/>'
        f'<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="{url}/frame"/></foreignObject>'
        f'<rect width="20" height="10" fill="#036" style="filter: url({url}/filter)"/><text x="1" y="8">Clinic</text></svg>'
    ).encode()


def embedded_images(html: str) -> list[bytes]:
    return [base64.b64decode(payload) for payload in _DATA_URI.findall(html)]


def test_a_hostile_svg_logo_fetches_nothing_and_leaks_nothing_in_any_format(tmp_path):
    with serving_trap(tmp_path) as trap:
        (tmp_path / "logo.svg").write_bytes(hostile_svg(trap.url, str(trap.secret)))
        (tmp_path / "pyproject.toml").write_text(
            '[tool.pipeline.publisher]\nname = "Riverside Health Centre"\nlogo = "logo.svg"\nlogo_alt = "Riverside Health Centre"\nphone = "020 7946 0321"\n',
            encoding="utf-8",
        )
        source = tmp_path / "cramps.yaml"
        source.write_text(MINIMAL, encoding="utf-8")
        article = issued(load_article(source), read_profile(tmp_path / "pyproject.toml"))
        renderers = installed_renderers()
        outputs = build_outputs(article, tmp_path / "out", renderers)
        assert set(outputs) == {renderer.name for renderer in renderers}
        findings = []
        for files in outputs.values():
            for path in files:
                findings += [f"secret in {name}" for name, data in parts(path) if trap.token.encode() in data]
                for name, html in html_parts(path):
                    for image in embedded_images(html):
                        findings += [f"{name}: the logo still names {what!r}" for what in (trap.url, str(trap.secret), "/etc/passwd", "script", "onload") if what.encode() in image]
        assert trap.requests == []
        assert findings == []
        assert any(embedded_images(path.read_text("utf-8")) for path in outputs["html"])  # the logo is there, made inert


def test_the_pdf_typesetter_refuses_every_reference_of_a_logo_not_made_inert(tmp_path, write_source):
    """Defence in depth: the fetcher serves the logo's own data: URI and nothing it refers to."""
    from pipeline.registry import RenderJob
    from pipeline.renderers._weasyprint import RenderError
    from pipeline.renderers.pdf import LeafletRenderer

    with serving_trap(tmp_path) as trap:
        raw = hostile_svg(trap.url, str(trap.secret))
        logo = Logo(media_type="image/svg+xml", alt="Clinic", data=raw, digest="raw")
        article = load_article(write_source(MINIMAL)).model_copy(update={"issuer": Issuer(name="Clinic", logo=logo)})
        with pytest.raises(RenderError, match="refused to load") as refused:
            LeafletRenderer().render(article, RenderJob(tmp_path / "leaflet.pdf", {"paper": "a4", "max_pages": 4}))
        assert trap.requests == []
        assert trap.url in str(refused.value) or str(trap.secret) in str(refused.value)
        assert not (tmp_path / "leaflet.pdf").exists()
