"""The clinic's publisher profile, `[tool.pipeline.publisher]`, read once and given to every article.

The logo is read only from inside the project (a path that leaves it, or a symlink out of it,
is refused), at most 1 MB, and only as PNG or SVG. A PNG is held to a size in pixels read from
its header before anything decodes it (a 400 kB file can hold 400 megapixels); an SVG is made
inert before any renderer sees it (`svg`): no DTD or entities, and only the drawing is kept.
The email must be an address and the phone a telephone number, so neither can carry a link
or a query into the editions. Every problem names its line of the settings file, as a
source's problems do, in one line that never quotes the image.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from pydantic import ValidationError

from pipeline import settings
from pipeline.model import Article, Issuer, Logo
from pipeline.model.rules import escaped
from pipeline.settings import PYPROJECT, SettingsError
from pipeline.source import contact, svg

MAX_LOGO_BYTES = 1_000_000
MAX_LOGO_PIXELS = 4_000_000
"""Width x height: 2000 x 2000, ten times what a masthead shows, 16 MB once decoded."""
KEYS = ("name", "logo", "logo_alt", "phone", "email", "website", "address")
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Profile:
    name: str
    logo: Logo | None
    contact: dict[str, str]


def read_profile(pyproject: Path = PYPROJECT) -> Profile | None:
    """The profile, or None when the project has none; SettingsError naming each bad line."""
    table = settings.table("publisher", pyproject)
    if not table.values:
        return None
    problems: list[str] = []
    try:
        values = table.read(dict.fromkeys(KEYS, _text))
    except SettingsError as error:  # go on with the usable values, to name every problem at once
        problems.append(str(error))
        values = {key: value.strip() for key, value in table.values.items() if key in KEYS and isinstance(value, str) and value.strip()}
    if "name" not in values:
        problems.append(table.problem(None, "name is missing: write the clinic's name, e.g. name = \"Riverside Health Centre\""))
    logo = None
    if "logo" in values:
        if "logo_alt" not in values:
            problems.append(table.problem("logo", "the logo has no logo_alt: describe it in words, e.g. logo_alt = \"Riverside Health Centre\""))
        try:
            logo = _logo(pyproject.resolve().parent, values["logo"], values.get("logo_alt", values.get("name", "logo")))
        except ValueError as error:
            problems.append(table.problem("logo", str(error)))
    details = {key: values[key] for key in ("phone", "email", "website", "address") if key in values}
    problems += [table.problem(key, why) for key, why in contact.problems(details)]
    try:
        Issuer(name=values.get("name", "-"), **details)
    except ValidationError as error:
        problems += [table.problem(str(item["loc"][0]), item["msg"]) for item in error.errors()]
    if problems:
        raise SettingsError("\n".join(problems))
    return Profile(values["name"], logo, details)


def issued(article: Article, profile: Profile | None) -> Article:
    """The article with who issues it: the profile, named by the article's own `publisher:`."""
    if profile is None and article.publisher is None:
        return article
    name = article.publisher or (profile.name if profile else "")
    issuer = Issuer(name=name, logo=profile.logo if profile else None, **(profile.contact if profile else {}))
    return article.model_copy(update={"issuer": issuer})


def _text(value: Any) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise ValueError("expected text")


def _logo(project: Path, written: str, alt: str) -> Logo:
    path = (project / written).resolve()
    if not path.is_relative_to(project):
        raise ValueError(f"'{escaped(written)}' is outside the project ({project}): copy the logo into the project and name it from there")
    if not path.is_file():
        raise ValueError(f"'{escaped(written)}' is not a file in the project: check the path")
    if path.stat().st_size > MAX_LOGO_BYTES:
        raise ValueError(f"'{escaped(written)}' is {path.stat().st_size:,} bytes; the limit is {MAX_LOGO_BYTES:,}: save a smaller logo (an SVG, or a PNG about 600 pixels wide)")
    data = path.read_bytes()
    if path.suffix.lower() == ".png" and data.startswith(_PNG_MAGIC):
        media_type = "image/png"
        _check_png(written, data)
    elif path.suffix.lower() == ".svg":
        data, media_type = inert_svg(data), "image/svg+xml"
    else:
        raise ValueError(f"'{escaped(written)}' is not a PNG or SVG image: save the logo as .svg or .png")
    return Logo(media_type=media_type, alt=alt, data=data, digest=hashlib.sha256(data).hexdigest())


def inert_svg(data: bytes) -> bytes:
    """The drawing only: what could run, fetch or read anything is removed; ValueError if it is not SVG."""
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise ValueError("the SVG declares a DTD or entities, which could read other files: save it again without them")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise ValueError(f"the SVG is not well-formed XML ({error}): export it again") from None
    if root.tag != f"{{{svg.SVG_NS}}}svg":
        raise ValueError("the file is not an SVG image (its root element is not <svg>): export it again")
    svg.clean(root)
    ElementTree.register_namespace("", svg.SVG_NS)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=False)


def _check_png(written: str, data: bytes) -> None:
    """ValueError unless the PNG is at most MAX_LOGO_PIXELS and decodes whole: its size is read
    from its header first, so a huge image is refused before a byte of it is decoded."""
    from PIL import Image

    advice = "save a smaller logo (an SVG, or a PNG about 600 pixels wide)"
    if data[12:16] != b"IHDR":
        raise ValueError(f"'{escaped(written)}' is not a whole PNG image (it does not start with its header): export it again")
    width, height = struct.unpack(">II", data[16:24])
    if width * height > MAX_LOGO_PIXELS:
        raise ValueError(f"'{escaped(written)}' is {width:,} x {height:,} pixels; the limit is {MAX_LOGO_PIXELS:,} pixels in all: {advice}")
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            frames = getattr(image, "n_frames", 1)
            image.verify()  # every chunk whole, whatever a typesetter lets Pillow forgive while decoding
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            image.load()
    except (OSError, SyntaxError, EOFError, ValueError, Image.DecompressionBombError) as error:
        raise ValueError(f"'{escaped(written)}' is not a whole PNG image ({_one_line(error)}): export it again") from None
    if frames > 1:  # a browser decodes every frame: the pixel limit would hold for one of them
        raise ValueError(f"'{escaped(written)}' is an animated PNG of {frames:,} frames: save the logo as a still image")


def _one_line(error: Exception) -> str:
    """What Pillow says, on one line and short: never the image's bytes."""
    said = " ".join(str(error).split())
    return said if len(said) <= 80 else said[:79] + "…"
