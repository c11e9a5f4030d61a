"""Hostile content is refused with a clear message, or stays inert literal text in every format.

A local HTTP server counts every request and a secret file holds a token: whatever the
source says, no installed renderer may fetch from the server, read the file, or write live
script, frames or external images into HTML. The renderers come from the registry, so a
format installed tomorrow is held to the same promise without a change here.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from output_checks import build_outputs, dump_yaml, html_parts, html_text, installed_renderers, live_content, parts
from test_registry import plugins  # noqa: F401 - fixture

from pipeline.cli import cli
from pipeline.registry import Renderer
from pipeline.renderers import _html
from pipeline.source.validate import load_article
from pipeline.text import sentences


@dataclass
class Trap:
    url: str
    secret: Path
    token: str
    requests: list[str] = field(default_factory=list)


@contextmanager
def serving_trap(directory: Path) -> Iterator[Trap]:
    """A server on 127.0.0.1 that records each request (and answers with the secret)."""
    token = f"SECRET-{uuid.uuid4().hex}"
    secret = directory / "secret.txt"
    secret.write_text(token, encoding="utf-8")
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(f"{self.command} {self.path}")
            body = f"{token} <style>@import url(x.css)</style>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_HEAD = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Trap(f"http://127.0.0.1:{server.server_port}", secret, token, requests)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def trap(tmp_path: Path) -> Iterator[Trap]:
    with serving_trap(tmp_path) as serving:
        yield serving


@dataclass
class HostileBuild:
    trap: Trap
    renderers: list[Renderer]
    outputs: dict[str, list[Path]]


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileBuild]:
    """The hostile article built once in every installed format (PDF and audio are slow)."""
    directory = tmp_path_factory.mktemp("hostile")
    with serving_trap(directory) as serving:
        renderers = installed_renderers()
        yield HostileBuild(serving, renderers, build_outputs(hostile_article(serving, directory), directory / "out", renderers))


# Text that validation lets through: it must come out as the literal characters it is.
INERT = {
    "script": '<script src="{url}/script.js">fetch("{url}/fetch")</script>',
    "img-file": '<img src="file://{secret}" alt="secret">',
    "img-remote": '<img src="{url}/pixel.png" alt="">',
    "link-attachment": '<link rel="attachment" href="file://{secret}">',
    "link-stylesheet": '<link rel="stylesheet" href="{url}/style.css">',
    "css-import": '<style>@import url("{url}/import.css"); p {{ background: url("file://{secret}") }}</style>',
    "css-bare": "@import url({url}/bare.css);",
    "iframe": '<iframe src="{url}/frame.html"></iframe>',
    "object": '<object data="file://{secret}"></object><embed src="{url}/embed">',
    "svg": '<svg><image href="{url}/svg.png"/></svg>',
    "event-handler": "<p onmouseover=\"fetch('{url}/event')\">hover me</p>",
    "base-and-refresh": '<base href="{url}/"><meta http-equiv="refresh" content="0;url={url}/refresh">',
    "anchor-javascript": "<a href=\"javascript:fetch('{url}/js')\">click</a>",
    "processing-instruction": '<?xml-stylesheet href="{url}/pi.css"?>',
    "comment-and-cdata": "<!-- {url}/comment --> <![CDATA[<script>alert(1)</script>]]>",
    "entities": "&lt;script&gt; &amp;#60; &#x3C;img src=x&#x3E;",
    "ssml": '<speak><audio src="{url}/speech.mp3"/><break time="9s"/>Hello</speak>',
    "espeak-phonemes": "[[h@l'oU]] [[{secret}]]",
    "bare-address": "See {url}/page or file://{secret} for more.",
    "autolink-and-reference": "<{url}/autolink> [reference][1] [1]: {url}/ref",
}

# Markup that validation refuses: (where, text, the message's key words).
REFUSED = {
    "markdown-image-remote": ("paragraph", "![chart]({url}/chart.png)", "images are not supported in text: describe the picture in words"),
    "markdown-image-file": ("paragraph", "![x](file://{secret})", "images are not supported in text"),
    "markdown-link-local": ("paragraph", "[click]({url}/page)", "points at this computer or a private network"),
    "markdown-link-javascript": ("paragraph", "[click](javascript:fetch('{url}/js'))", "is not a web address: links must start with https://"),
    "markdown-link-file": ("paragraph", "[notes](file://{secret})", "is not a web address: links must start with https://"),
    "markdown-link-data": ("paragraph", "[x](data:text/html,hello)", "is not a web address: links must start with https://"),
    "reference-url-local": ("reference", "{url}/reference", "references[0].url: 'http://127.0.0.1:"),
    "web-url-file": ("web_url", "file://{secret}", "web_url: 'file://"),
}


def hostile(template: str, trap: Trap) -> str:
    return template.format(url=trap.url, secret=trap.secret)


def article_data(trap: Trap) -> dict:
    """Every inert string, as paragraphs and in each other place text can go."""
    inert = {name: hostile(template, trap) for name, template in INERT.items()}
    return {
        "title": inert["script"],
        "subtitle": inert["img-remote"],
        "lang": "en",
        "publisher": inert["link-stylesheet"],
        "introduction": inert["event-handler"],
        "summary": inert["css-import"],
        "key_points": [{"title": inert["iframe"], "text": inert["object"]}],
        "sections": [
            {
                "heading": inert["link-attachment"],
                "body": [
                    *inert.values(),
                    {"list": [inert["svg"], inert["ssml"]]},
                    {
                        "table": {
                            "caption": inert["base-and-refresh"],
                            "columns": [inert["img-file"], inert["espeak-phonemes"]],
                            "rows": [[inert["anchor-javascript"], inert["entities"]]],
                        }
                    },
                ],
                "sections": [{"heading": inert["comment-and-cdata"], "body": [inert["processing-instruction"]]}],
            }
        ],
        "faq": [{"question": inert["ssml"], "answer": inert["espeak-phonemes"]}],
        "references": [{"title": inert["bare-address"], "publisher": inert["css-bare"], "url": "https://www.nhs.uk/conditions/"}],
        "disclaimer": inert["autolink-and-reference"],
        "published": "2026-01-10",
        "review_due": "2027-01-10",
        "web_url": "https://www.example.org/leaflets/hostile",
    }


def hostile_article(trap: Trap, tmp_path: Path):
    path = tmp_path / "hostile.yaml"
    path.write_text(dump_yaml(article_data(trap)), encoding="utf-8")
    return load_article(path)


def inert_texts(trap: Trap) -> list[str]:
    return [sentences.fold_space(hostile(template, trap)) for template in INERT.values()]


def test_shared_html_builder_shows_hostile_text_literally_and_nothing_live(trap, tmp_path):
    article = hostile_article(trap, tmp_path)
    html = _html.document(article, "style.css", _html.body(article))
    assert live_content(html) == []
    seen = html_text(html)
    assert [literal for literal in inert_texts(trap) if literal not in seen] == []


def hostile_findings(outputs: dict[str, list[Path]], trap: Trap) -> list[str]:
    """Every request the server saw, every output part holding the secret, every live element."""
    findings = [f"request {request}" for request in trap.requests]
    for files in outputs.values():
        for path in files:
            findings += [f"secret in {name}" for name, data in parts(path) if trap.token.encode() in data]
            findings += [f"{name}: {problem}" for name, html in html_parts(path) for problem in live_content(html)]
    return findings


def test_every_installed_format_fetches_nothing_reads_no_file_and_runs_nothing(hostile_build):
    assert set(hostile_build.outputs) == {renderer.name for renderer in hostile_build.renderers}
    assert hostile_findings(hostile_build.outputs, hostile_build.trap) == []


def test_the_checks_catch_a_careless_renderer_and_pass_a_careful_one(plugins, trap, tmp_path):  # noqa: F811
    plugins(careless="fake_renderers:CarelessArchiveRenderer", webpage="fake_renderers:WebPageRenderer")
    article = hostile_article(trap, tmp_path)
    careful = hostile_findings(build_outputs(article, tmp_path / "careful", installed_renderers(("webpage",))), trap)
    assert careful == []
    findings = hostile_findings(build_outputs(article, tmp_path / "careless", installed_renderers(("careless",))), trap)
    assert "request GET /pixel.png" in findings
    assert any(finding.startswith("secret in hostile.zip!resource") for finding in findings)
    assert "hostile.zip!page.xhtml: live <script>" in findings
    assert "hostile.zip!page.xhtml: live <iframe>" in findings


def test_every_text_and_html_output_shows_the_hostile_text_literally(hostile_build):
    for renderer in hostile_build.renderers:
        main = hostile_build.outputs[renderer.name][0]
        if renderer.media_type.startswith("text/plain"):
            seen = sentences.fold_space(main.read_text("utf-8"))
        else:
            seen = " ".join(html_text(html) for _name, html in html_parts(main))
            if not seen:
                continue  # audio or PDF: no text to read back; the test above still holds them
        assert [literal for literal in inert_texts(hostile_build.trap) if literal not in seen] == [], renderer.name


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_markup_is_refused_by_validation_with_a_clear_message(name, trap, tmp_path):
    where, template, expected = REFUSED[name]
    data = article_data(trap)
    value = hostile(template, trap)
    if where == "paragraph":
        data["sections"][0]["body"] = [value]
    elif where == "reference":
        data["references"][0]["url"] = value
    else:
        data[where] = value
    path = tmp_path / "hostile.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    errors = result.stderr.splitlines()
    assert len(errors) == 1 and expected in errors[0], errors
    assert trap.requests == []
