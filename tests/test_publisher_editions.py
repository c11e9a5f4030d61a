"""The clinic in every edition: its name and logo at the top, its contact details and the notice
of other formats at the end, the leaflet's reference and version where document control wants
them; a new logo rebuilds exactly the outputs that show it."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from braille_helpers import needs_liblouis
from browser import axe_violations, chromium, needs_browser, serve
from conftest import FIRST_ARTICLE, MINIMAL
from output_checks import build_outputs, html_text, installed_renderers
from pdf_reading import page_texts, squeezed, structure

from pipeline.build.engine import Outcome, Task, plan
from pipeline.model import Article
from pipeline.registry import installed
from pipeline.source.publisher import issued, read_profile
from pipeline.source.validate import load_article

NAME = "Riverside Health Centre"
ALT = "Riverside Health Centre: a white wave on a blue square"
PHONE, EMAIL, WEBSITE, ADDRESS = "020 7946 0321", "leaflets@riverside.example", "https://riverside.example/", "1 River Street, Riverside RV1 2AB"
PROFILE = f"""[tool.pipeline.publisher]
name = "{NAME}"
logo = "brand/logo.svg"
logo_alt = "{ALT}"
phone = "{PHONE}"
email = "{EMAIL}"
website = "{WEBSITE}"
address = "{ADDRESS}"
"""
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#0b2e59"/><path d="M1 6 Q3 3 5 6 T9 6" stroke="#fff" fill="none"/></svg>'
NOTICE = f"This leaflet is available in large print, braille, audio, e-book, plain text, and other languages: call {PHONE}, email {EMAIL}, or visit {WEBSITE}."
CONTROL = "Leaflet reference: PIL-0423. Version: 3."


def clinic_project(folder: Path, logo: bytes = LOGO, source: str = MINIMAL) -> Article:
    """A project with the publisher profile and one article with a reference and a version."""
    (folder / "brand").mkdir(parents=True, exist_ok=True)
    (folder / "brand" / "logo.svg").write_bytes(logo)
    (folder / "pyproject.toml").write_text(PROFILE, encoding="utf-8")
    path = folder / "cramps.yaml"
    path.write_text(source.replace("\npublished:", "\nreference: PIL-0423\nversion: '3'\npublished:", 1), encoding="utf-8")
    return issued(load_article(path), read_profile(folder / "pyproject.toml"))


@dataclass
class Built:
    article: Article
    out: Path
    files: dict[str, list[Path]]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    folder = tmp_path_factory.mktemp("clinic")
    article = clinic_project(folder)
    out = folder / "out"
    return Built(article, out, build_outputs(article, out, installed_renderers()))


def epub_page(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(next(member for member in archive.namelist() if member.endswith(name))).decode()


@pytest.mark.parametrize("renderer", ["pdf", "pdf-large"])
def test_pdf_opens_with_the_logo_and_name_and_ends_with_contact_notice_and_document_control(built, renderer):
    path = built.files[renderer][0]
    pages = [text.replace("\ufffe", "-") for text in page_texts(path)]  # PDFium's code for a hyphen it may break at
    assert squeezed(pages[0]).startswith(squeezed(f"{NAME} Leg cramps at night"))
    last = squeezed(pages[-1])
    for expected in ("Contact us", NAME, f"Phone: {PHONE}", f"Email: {EMAIL}", f"Website: {WEBSITE}", f"Address: {ADDRESS}", NOTICE, CONTROL):
        assert squeezed(expected) in squeezed("".join(pages)), expected
    assert squeezed(CONTROL + " Published January 10, 2026. Review due January 10, 2027.") in last
    assert last.index(squeezed(CONTROL)) > last.index(squeezed("Medical disclaimer"))


@pytest.mark.parametrize("renderer", ["pdf", "pdf-large"])
def test_pdf_logo_is_a_tagged_figure_with_its_alt_text_before_the_title(built, renderer):
    with pikepdf.open(built.files[renderer][0]) as pdf:
        elements = list(structure(pdf))
        figures = [element for element in elements if element.S == "/Figure"]
        assert [(str(figure.Alt), "/K" in figure) for figure in figures] == [(ALT, True)]
        order = [str(element.S) for element in elements]
        assert order.index("/Figure") < order.index("/H1")
        assert pdf.open_metadata().get("dc:creator") == [NAME]


@pytest.mark.parametrize("renderer", ["epub", "epub-read-along"])
def test_epub_title_page_shows_the_logo_and_name_and_ends_with_contact_and_notice(built, renderer):
    path = built.files[renderer][0]
    title = epub_page(path, "title.xhtml")
    assert f'alt="{ALT}"' in title and 'src="data:image/svg+xml;base64,' in title
    assert html_text(title[title.index("<body") :]).startswith(f"{NAME} Leg cramps at night")
    contact = html_text(epub_page(path, "contact.xhtml"))
    for expected in (f"Phone: {PHONE}", f"Email: {EMAIL}", f"Address: {ADDRESS}", NOTICE, CONTROL):
        assert expected in contact
    package = epub_page(path, ".opf")
    assert f"<dc:publisher>{NAME}</dc:publisher>" in package
    assert '<meta property="schema:accessMode">visual</meta>' in package
    assert '<meta property="schema:accessibilityFeature">alternativeText</meta>' in package
    with zipfile.ZipFile(path) as archive:
        spine = re.findall(r'<itemref idref="([^"]+)"', archive.read(next(name for name in archive.namelist() if name.endswith(".opf"))).decode())
    assert spine[-1] == "contact"


def test_web_page_has_logo_and_name_in_its_header_and_contact_and_notice_in_its_footer(built):
    page = built.files["html"][0].read_text("utf-8")
    header = page[page.index('<header class="site-header">') : page.index("</header>")]
    footer = page[page.index('<footer class="site-footer">') : page.index("</footer>")]
    assert f'alt="{ALT}"' in header and NAME in header
    for expected in (f"Phone: {PHONE}", f"Email: {EMAIL}", NOTICE, CONTROL):
        assert expected in html_text(footer)
    assert "img-src data:;" in page  # the policy lets the embedded logo show, and nothing else


def test_text_edition_names_the_clinic_first_and_ends_with_contact_reference_and_version(built):
    lines = built.files["txt"][0].read_text("utf-8").splitlines()
    assert lines[0] == NAME and lines[2] == "Leg cramps at night"
    end = "\n".join(lines[lines.index("Contact us") :])
    for expected in (NAME, f"Phone: {PHONE}", f"Email: {EMAIL}", f"Website: {WEBSITE}", f"Address: {ADDRESS}"):
        assert expected in end
    assert lines[-1] == CONTROL


def test_audio_transcript_opens_with_the_publisher_and_ends_with_the_contact_details(built):
    mp3, vtt = built.files["audio"]
    cues = [block.split("\n", 1)[1] for block in vtt.read_text("utf-8").split("\n\n")[1:] if "-->" in block]
    opening = " ".join(cues[:3])
    assert opening.startswith("Leg cramps at night.") and f"This information is from {NAME}." in opening
    assert " ".join(cues[-6:]).strip().endswith(f"Contact us. {NAME}. Phone: {PHONE}. Email: {EMAIL}. Website: {WEBSITE}. Address: {ADDRESS}.")


def test_the_voice_reads_the_number_digit_by_digit_and_spells_the_email(built):
    from pipeline.speech.script import script_for

    units = script_for(built.article).units
    phone = next(unit for unit in units if unit.written == f"Phone: {PHONE}.")
    email = next(unit for unit in units if unit.written == f"Email: {EMAIL}.")
    assert phone.spoken == "Phone: 0 2 0, 7 9 4 6, 0 3 2 1."
    assert email.spoken == "Email: leaflets, at, riverside, dot, example."
    website = next(unit for unit in units if unit.written.startswith("Website:"))
    assert "riverside.example" not in website.spoken  # a web address is never read aloud


def test_a_new_logo_rebuilds_the_outputs_that_show_it_and_no_other(built, tmp_path):
    registry = installed()
    redrawn = clinic_project(tmp_path, LOGO.replace(b"#0b2e59", b"#7a0019"))
    assert redrawn.model_dump_json() == built.article.model_dump_json()  # the same words: only the logo differs
    stale = set()
    for renderer in installed_renderers():
        options = {key: option.default for key, option in renderer.options.items()}
        linked = {name: registry.load(name).output_files(redrawn.id) for name in renderer.requires}
        again = plan(built.article, renderer, registry.entry_points[renderer.name], options, built.out, linked=linked, formats=_offered())
        assert isinstance(again, Outcome), f"{renderer.name} is stale with nothing changed"
        if isinstance(plan(redrawn, renderer, registry.entry_points[renderer.name], options, built.out, linked=linked, formats=_offered()), Task):
            stale.add(renderer.name)
    assert stale == {"pdf", "pdf-large", "epub", "epub-read-along", "html"} & set(registry.names)
    assert not {"txt", "audio", "braille"} & stale


def _offered() -> tuple[str, ...]:
    from pipeline.registry import offered_formats

    return offered_formats(installed())


def test_the_notice_names_only_the_formats_installed_in_the_articles_language(tmp_path):
    from pipeline.text import issuing
    from pipeline.text.wording import words_for

    article = clinic_project(tmp_path, source=MINIMAL.replace("lang: en", "lang: fr"))
    notice = issuing.notice(article, ("audio", "braille", "a format no catalogue names"), words_for(article))
    unbroken = PHONE.replace(" ", "\u00a0")  # the number is never split across two lines
    assert notice == f"Ce dépliant est disponible en braille, en version audio et dans d’autres langues : appelez le {unbroken}, écrivez à {EMAIL} ou consultez {WEBSITE}."


def test_without_contact_details_the_notice_says_whom_to_ask(write_source):
    from pipeline.model import Issuer
    from pipeline.text import issuing
    from pipeline.text.wording import words_for

    article = load_article(write_source(MINIMAL)).model_copy(update={"issuer": Issuer(name=NAME)})
    assert issuing.notice(article, ("large print",), words_for(article)) == f"This leaflet is available in large print and other languages: ask {NAME}."


def test_spoken_forms_of_numbers_and_addresses():
    from pipeline.locale import catalogue_for
    from pipeline.speech.spelling import phone_digits, spelled_email

    assert phone_digits("+44 (0)20 7946 0321") == "+ 4 4, 0, 2 0, 7 9 4 6, 0 3 2 1"
    assert phone_digits("0800 123 ext 45") == "0 8 0 0, 1 2 3, ext, 4 5"
    assert spelled_email("pals@nhs.net", catalogue_for("en")) == "pals, at, n h s, dot, net"
    assert spelled_email("gp-team_2@surgery.uk", catalogue_for("es")) == "g p, guion, team, guion bajo, 2, arroba, surgery, punto, u k"


def test_an_article_without_a_publisher_shows_none_of_it(write_source, tmp_path):
    from pipeline.renderers.text import to_text

    text = to_text(load_article(write_source(MINIMAL)))
    assert "Contact us" not in text and "Leaflet reference" not in text


@needs_browser
def test_web_page_with_the_publisher_passes_axe_and_shows_the_logo_under_its_own_policy(built):
    with serve(built.files["html"][0].parent) as site, chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        console = []
        page.on("console", lambda message: console.append(message.text))
        page.goto(f"{site}index.html")
        width = page.evaluate("document.querySelector('.site-header img').naturalWidth")
        landmarks = page.evaluate("[...document.querySelectorAll('body > header, body > main, body > footer')].map(e => e.tagName)")
        context.close()
        audited = browser.new_context(bypass_csp=True)  # the page's policy would refuse axe's script
        page = audited.new_page()
        page.goto(f"{site}index.html")
        violations = axe_violations(page)
        audited.close()
    assert width > 0 and console == []  # the embedded logo is drawn, and the policy blocked nothing
    assert landmarks == ["HEADER", "MAIN", "FOOTER"]
    assert violations == []


def test_in_a_right_to_left_article_numbers_and_addresses_keep_their_own_direction(tmp_path):
    """Unisolated among Arabic words, '020 7946 0321' would be laid out as '0321 7946 020'."""
    from pipeline.renderers.text import to_text

    arabic = (Path(__file__).parent / "golden" / "sources" / "hot-weather-ar.yaml").read_text("utf-8")
    text = to_text(clinic_project(tmp_path, source=arabic))
    assert f"الهاتف: \u2066{PHONE}\u2069" in text and f"العنوان: \u2068{ADDRESS}\u2069" in text
    assert "\u2066PIL-0423\u2069" not in text and "\u2068PIL-0423\u2069" in text


def test_first_article_with_the_profile_builds_and_verifies_in_print(tmp_path, monkeypatch):
    """The whole road a clinic takes: profile in pyproject.toml, `pipeline build --verify`. The
    contact block moves text across page breaks; every sentence is still read back (a page's
    list markers, painted after its text, do not split the sentence that crosses to the next)."""
    from click.testing import CliRunner

    from pipeline.cli import cli

    clinic_project(tmp_path, source=FIRST_ARTICLE.read_text("utf-8"))
    (tmp_path / "source").mkdir()
    (tmp_path / "cramps.yaml").rename(tmp_path / "source" / "hard-muscles.yaml")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--format", "pdf", "--format", "pdf-large", "--max-pages", "0", "--verify", "--quiet"])
    assert result.exit_code == 0, result.output + result.stderr
    text = "".join(page_texts(tmp_path / "outputs" / "hard-muscles" / "hard-muscles.pdf"))
    assert squeezed(NAME) in squeezed(text) and squeezed(CONTROL) in squeezed(text)


@needs_liblouis
def test_braille_names_the_clinic_on_its_title_page_and_ends_with_the_contact_details(built):
    from braille_helpers import pages as braille_pages

    from pipeline.braille.tables import tables_for
    from pipeline.braille.translation import Translator
    from pipeline.verify.checks.braille import letters, reading

    brf = built.files["braille"][0]
    assert built.files["braille"][1].read_text("utf-8").count(f"<dc:publisher>{NAME}</dc:publisher>") == 1
    translator = Translator(tables_for("en", None))
    title_page, *text_pages = braille_pages(brf)
    assert letters(NAME).lower() in letters(translator.back(reading([title_page]))).lower()
    end = letters(translator.back(reading(text_pages))).lower()
    for expected in ("Contact us", NAME, f"Phone: {PHONE}", f"Email: {EMAIL}", "Website: https", "riverside.example", f"Address: {ADDRESS}", CONTROL):
        assert letters(expected).lower() in end, expected
    assert end.rindex(letters("Contact us").lower()) > end.rindex(letters("Medical disclaimer").lower())


def test_braille_check_finds_every_detail_of_the_profile_and_misses_a_changed_phone(tmp_path, monkeypatch):
    """The email and web address are written uncontracted, as a link's; the check finds them so."""
    from click.testing import CliRunner

    from pipeline.cli import cli

    clinic_project(tmp_path)
    (tmp_path / "source").mkdir()
    (tmp_path / "cramps.yaml").rename(tmp_path / "source" / "cramps.yaml")
    monkeypatch.chdir(tmp_path)
    built = CliRunner().invoke(cli, ["build", "-q", "-f", "braille", "--verify", "--strict"])
    assert built.exit_code == 0, built.output
    assert "braille-back-translation" not in built.output  # only failures are printed
    (tmp_path / "pyproject.toml").write_text(PROFILE.replace(PHONE, "020 7946 0999"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["verify", "outputs/cramps/cramps.brf"])
    assert result.exit_code == 1
    assert 'missing detail: the phone "020 7946 0999" (pyproject.toml [tool.pipeline.publisher] phone) is not shown' in result.output
    assert "; 8/9 details" in result.output
