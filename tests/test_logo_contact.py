"""The logo and the contact details checked for what they are, not only for their size: a PNG's
pixels, an SVG's styles as CSS reads them, an email as an address and a phone as a number.
Each refusal is one line naming the setting's line, and never carries the image's bytes."""

from __future__ import annotations

import base64
import io
import struct
import zlib
from pathlib import Path

import pytest
import weasyprint
from conftest import MINIMAL
from PIL import Image
from test_hostile_content import serving_trap

from pipeline.model import Issuer
from pipeline.renderers import _issuer
from pipeline.renderers._weasyprint import without_payload
from pipeline.settings import SettingsError
from pipeline.source.publisher import inert_svg, read_profile
from pipeline.source.validate import load_article

PROFILE = '[tool.pipeline.publisher]\nname = "Riverside Health Centre"\nlogo = "{logo}"\nlogo_alt = "Riverside Health Centre"\nphone = "{phone}"\nemail = "{email}"\n'
PHONE, EMAIL = "020 7946 0321", "leaflets@riverside.example"


def project(tmp_path: Path, logo_name: str, logo: bytes, phone: str = PHONE, email: str = EMAIL) -> Path:
    (tmp_path / logo_name).write_bytes(logo)
    path = tmp_path / "pyproject.toml"
    path.write_text(PROFILE.format(logo=logo_name, phone=phone, email=email), encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(SettingsError) as error:
        read_profile(path)
    message = str(error.value)
    assert "\n" not in message and len(message) < 400, message
    assert "iVBOR" not in message and "base64" not in message
    return message


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that says `width` x `height` in its header, with a tiny body (as a bomb is made)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 4096, 9)) + chunk(b"IEND", b"")


def real_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#036").save(out, "PNG")
    return out.getvalue()


def test_a_png_of_20000_by_20000_pixels_is_refused_from_its_header(tmp_path):
    bomb = png_header_only(20_000, 20_000)
    assert len(bomb) < 1_000
    message = refusal(project(tmp_path, "logo.png", bomb))
    assert message == (
        f"{tmp_path / 'pyproject.toml'}:3: error: [tool.pipeline.publisher] logo: 'logo.png' is 20,000 x 20,000 pixels; "
        "the limit is 4,000,000 pixels in all: save a smaller logo (an SVG, or a PNG about 600 pixels wide)"
    )


def test_a_png_of_600_by_200_pixels_is_kept_as_it_is(tmp_path):
    logo = real_png(600, 200)
    profile = read_profile(project(tmp_path, "logo.png", logo))
    assert profile.logo.media_type == "image/png" and profile.logo.data == logo


def test_a_png_that_does_not_decode_whole_is_refused_in_one_line(tmp_path):
    out = io.BytesIO()
    Image.frombytes("RGB", (300, 100), bytes(range(256)) * 352).save(out, "PNG")
    damaged = out.getvalue()[: len(out.getvalue()) // 2] + b"\0" * 40
    message = refusal(project(tmp_path, "logo.png", damaged))
    assert "logo: 'logo.png' is not a whole PNG image (" in message and message.endswith("): export it again")


def test_a_typesetters_message_names_a_data_uri_by_its_type_alone():
    payload = base64.b64encode(png_header_only(20_000, 20_000) * 500).decode()
    message = f"error: Failed to load image at 'data:image/png;base64,{payload}': cannot identify\nimage file"
    assert without_payload(message) == "error: Failed to load image at 'data:image/png,…': cannot identify image file"
    assert without_payload("warning: refused to load file:///etc/passwd") == "warning: refused to load file:///etc/passwd"


HOSTILE_STYLES = [
    'style="fill:u\\72l({url}/escaped)"',
    "style=\"fill:image-set('{url}/set' 1x)\"",
    'style="fill:-webkit-image-set(url({url}/webkit) 1x)"',
    'style="fill:url(&quot;{url}/quoted&quot;)"',
    'style="@import url({url}/import.css); fill:red"',
    'style="fill:URL({url}/upper)"',
    'style="stroke:var(--x, url({url}/var))"',
    'fill="u\\72l({url}/attribute)"',
    "fill=\"image-set('{url}/attribute-set' 1x)\"",
    'style="background-image:url({url}/background)"',
]


def hostile_logo(url: str) -> bytes:
    shapes = "".join(f'<rect width="5" height="5" {style.format(url=url)}/>' for style in HOSTILE_STYLES)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 20 10">'
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#036"/></linearGradient></defs>'
        f'{shapes}<image href="{url}/image.png" width="5" height="5"/>'
        '<rect width="20" height="10" style="fill:url(#g);stroke:#000;stroke-width:0.5"/><text x="1" y="8">Clinic</text></svg>'
    ).encode()


def typeset_with_default_fetcher(svg: bytes) -> None:
    """WeasyPrint with its own URL fetcher, which fetches whatever the image names."""
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    weasyprint.HTML(string=f'<img src="{uri}" alt="logo" style="width:4cm">').write_pdf()


def test_an_svg_logo_keeps_no_url_image_set_or_import_however_it_is_escaped(tmp_path):
    with serving_trap(tmp_path) as trap:
        raw = hostile_logo(trap.url)
        typeset_with_default_fetcher(raw)
        fetched_raw = list(trap.requests)
        trap.requests.clear()
        clean = inert_svg(raw)
        typeset_with_default_fetcher(clean)
        assert fetched_raw != []  # the raw file does fetch: the trap sees it
        assert trap.requests == []
    text = clean.decode()
    for gone in ("127.0.0.1", "image-set", "@import", "\\72", "var(", "background", "<image"):
        assert gone not in text, gone
    assert text.count("<rect") == len(HOSTILE_STYLES) + 1
    assert 'style="fill:url(#g);stroke:#000;stroke-width:0.5"' in text and "stop-color" in text


@pytest.mark.parametrize(
    ("email", "why"),
    [
        ("a@b.example?bcc=spy@evil.example&body=hi", "is not an email address (The part after the @-sign contains invalid characters"),
        ("leaflets at riverside.example", "is not an email address (An email address must have an @-sign"),
        ("<leaflets@riverside.example>", "is not an email address ("),
    ],
)
def test_an_email_that_is_not_one_address_is_refused(tmp_path, email, why):
    message = refusal(project(tmp_path, "logo.png", real_png(60, 20), email=email))
    assert f":6: error: [tool.pipeline.publisher] email: {why}" in message
    assert message.endswith('write the address alone, e.g. email = "leaflets@riverside.example"')


@pytest.mark.parametrize("phone", ["[call us](https://evil.example/02079460321)", "020 7946 0321?body=hi", "call 020 7946 0321", "0"])
def test_a_phone_that_is_not_a_number_is_refused(tmp_path, phone):
    message = refusal(project(tmp_path, "logo.png", real_png(60, 20), phone=phone))
    assert message.endswith(':5: error: [tool.pipeline.publisher] phone: is not a telephone number: write the number alone, e.g. phone = "020 7946 0321" or "+44 20 7946 0321"')


@pytest.mark.parametrize("phone", ["020 7946 0321", "+44 (0)20 7946 0321", "0800 123 4567 ext 45", "+1 212-555-0123"])
def test_numbers_as_clinics_write_them_are_kept(tmp_path, phone):
    assert read_profile(project(tmp_path, "logo.png", real_png(60, 20), phone=phone)).contact["phone"] == phone


def test_the_email_link_is_the_address_and_nothing_else(write_source):
    article = load_article(write_source(MINIMAL))
    for address, link in (("leaflets@riverside.example", "mailto:leaflets@riverside.example"), ("a?bcc=x&body=y@b.example", "mailto:a%3Fbcc%3Dx%26body%3Dy@b.example")):
        issued = article.model_copy(update={"issuer": Issuer(name="Riverside Health Centre", email=address)})
        html = _issuer.contact(issued, ("braille",))
        assert f'<a href="{link}">' in html
        assert "?bcc" not in html.split("<a href=")[1].split(">")[0]



def test_a_pdf_given_a_400_megapixel_png_fails_in_one_short_line_without_its_bytes(tmp_path, write_source):
    """Defence in depth, past the profile: the typesetter's refusal names the logo, not its bytes."""
    from pipeline.model import Logo
    from pipeline.registry import RenderJob
    from pipeline.renderers._weasyprint import RenderError
    from pipeline.renderers.pdf import LeafletRenderer

    logo = Logo(media_type="image/png", alt="Clinic", data=png_header_only(20_000, 20_000), digest="bomb")
    article = load_article(write_source(MINIMAL)).model_copy(update={"issuer": Issuer(name="Clinic", logo=logo)})
    with pytest.raises(RenderError) as failed:
        LeafletRenderer().render(article, RenderJob(tmp_path / "leaflet.pdf", {"paper": "a4", "max_pages": 4}))
    message = str(failed.value)
    assert "Failed to load image at 'data:image/png,…'" in message
    assert "\n" not in message and len(message) < 300 and "iVBOR" not in message


def test_an_animated_png_is_refused_as_a_logo(tmp_path):
    frames = [Image.new("RGB", (60, 20), colour) for colour in ("#036", "#fff", "#036")]
    out = io.BytesIO()
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:], duration=100)
    message = refusal(project(tmp_path, "logo.png", out.getvalue()))
    assert message.endswith("logo: 'logo.png' is an animated PNG of 3 frames: save the logo as a still image")
