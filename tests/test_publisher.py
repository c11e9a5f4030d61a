"""The clinic's publisher profile: read from the settings with its lines, the logo kept safe."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL

from pipeline.settings import SettingsError
from pipeline.source.publisher import inert_svg, issued, read_profile
from pipeline.source.validate import load_article

PROFILE = '[tool.pipeline.publisher]\nname = "Riverside Health Centre"\nlogo = "logo.svg"\nlogo_alt = "Riverside Health Centre"\nphone = "020 7946 0321"\nemail = "leaflets@riverside.example"\n'
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#036"/></svg>'
HOSTILE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">'
    b'<script>fetch("http://127.0.0.1:9/")</script>'
    b'<image href="file:///etc/passwd" width="10" height="10"/><image xlink:href="http://127.0.0.1:9/x.png"/>'
    b'<use href="other.svg#shape"/><style>@import url(http://127.0.0.1:9/a.css);</style>'
    b'<rect width="10" height="10" style="fill: url(http://127.0.0.1:9/p)"/><circle r="3" fill="url(#grad)"/></svg>'
)


def project(tmp_path: Path, settings: str, logo: bytes | None = LOGO) -> Path:
    (tmp_path / "pyproject.toml").write_text(settings, encoding="utf-8")
    if logo is not None:
        (tmp_path / "logo.svg").write_bytes(logo)
    return tmp_path / "pyproject.toml"


def test_the_profile_and_an_articles_own_publisher_name(tmp_path, write_source):
    profile = read_profile(project(tmp_path, PROFILE))
    assert profile.name == "Riverside Health Centre" and profile.logo.media_type == "image/svg+xml"
    article = load_article(write_source(MINIMAL))
    assert issued(article, profile).issuer.name == "Riverside Health Centre"
    own = load_article(write_source(MINIMAL + "publisher: Riverside Diabetes Team\n", name="own.yaml"))
    assert issued(own, profile).issuer.name == "Riverside Diabetes Team"
    assert issued(own, profile).issuer.phone == "020 7946 0321"


def test_no_profile_and_no_publisher_leaves_the_article_as_it_is(tmp_path, write_source):
    article = load_article(write_source(MINIMAL))
    assert read_profile(tmp_path / "pyproject.toml") is None
    assert issued(article, None) is article


def test_a_logo_outside_the_project_is_refused_with_its_line(tmp_path):
    path = project(tmp_path, PROFILE.replace('logo = "logo.svg"', 'logo = "../../etc/hostname"'))
    with pytest.raises(SettingsError, match=rf"^{path}:3: error: \[tool.pipeline.publisher\] logo: '../../etc/hostname' is outside the project"):
        read_profile(path)


def test_a_symlink_out_of_the_project_is_refused(tmp_path):
    inside = tmp_path / "project"
    inside.mkdir()
    (tmp_path / "secret.svg").write_bytes(LOGO)
    (inside / "logo.svg").symlink_to(tmp_path / "secret.svg")
    path = project(inside, PROFILE, logo=None)
    with pytest.raises(SettingsError, match="is outside the project"):
        read_profile(path)


def test_a_logo_over_1_mb_or_not_an_image_is_refused(tmp_path):
    path = project(tmp_path, PROFILE, logo=b"<svg " + b" " * 1_000_001 + b"/>")
    with pytest.raises(SettingsError, match="the limit is 1,000,000"):
        read_profile(path)
    (tmp_path / "logo.png").write_bytes(b"GIF89a")
    with pytest.raises(SettingsError, match="is not a PNG or SVG image"):
        read_profile(project(tmp_path, PROFILE.replace("logo.svg", "logo.png")))


def test_every_profile_problem_is_named_at_once_with_its_line(tmp_path):
    path = project(tmp_path, '[tool.pipeline.publisher]\nlogo = "logo.svg"\nwebsite = "ftp://riverside.example"\nfax = "1"\n', logo=LOGO)
    with pytest.raises(SettingsError) as error:
        read_profile(path)
    lines = str(error.value).splitlines()
    assert lines[0] == f"{path}:4: error: [tool.pipeline.publisher] fax: unknown key 'fax': known keys are {', '.join(('name', 'logo', 'logo_alt', 'phone', 'email', 'website', 'address'))}"
    assert f"{path}:1: error: [tool.pipeline.publisher]: name is missing" in lines[1]
    assert lines[2].startswith(f"{path}:2: error: [tool.pipeline.publisher] logo: the logo has no logo_alt")
    assert lines[3].startswith(f"{path}:3: error: [tool.pipeline.publisher] website: ") and "links must start with https://" in lines[3]


def test_a_hostile_svg_keeps_its_drawing_and_loses_everything_that_could_run_or_fetch():
    clean = inert_svg(HOSTILE).decode()
    for gone in ("script", "onload", "file:///etc/passwd", "127.0.0.1", "<image", "<use", "@import", "other.svg"):
        assert gone not in clean, gone
    assert "<rect" in clean and 'fill="url(#grad)"' in clean


def test_an_svg_with_entities_is_refused():
    with pytest.raises(ValueError, match="DTD or entities"):
        inert_svg(b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>')


def test_issuer_is_not_a_source_key(write_source):
    from pipeline.source.problems import SourceError

    with pytest.raises(SourceError, match="unknown key 'issuer'"):
        load_article(write_source(MINIMAL + "issuer: Someone\n"))
