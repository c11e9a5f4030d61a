"""A real browser for checking web pages: Debian's headless Chromium driven by Playwright,
axe-core, and a local server to open the pages from.

`make all` and `make test` install Chromium (apt-get, as root) and axe-core (npm, under the
git-ignored `.tools/`); Playwright's own browser download is never used. `missing()` says why
a browser cannot be had here, so that a check can skip with the reason. Pages are served from
127.0.0.1 by `serve`, which answers byte ranges as a web server would (a browser seeks audio
with them). The web checks of `pipeline verify` and the tests use the same code.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

TOOLS = ".tools"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
AXE = "axe/node_modules/axe-core/axe.min.js"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",  # a headless browser has no user to click first
]


def tool(relative: str) -> Path | None:
    """A file the Makefile installed under `.tools/`: of the current folder, else of the
    project this package runs from (an editable install)."""
    for root in (Path.cwd(), Path(__file__).resolve().parents[2]):
        if (root / TOOLS / relative).is_file():
            return root / TOOLS / relative
    return None


def chromium_path() -> str | None:
    """PUPPETEER_EXECUTABLE_PATH (as Ace reads it) when it names a file, else a Chromium on the PATH."""
    chosen = os.environ.get("PUPPETEER_EXECUTABLE_PATH")
    if chosen and Path(chosen).is_file():
        return chosen
    return next(filter(None, map(shutil.which, BROWSERS)), None)


def axe_script() -> Path | None:
    return tool(AXE)


def missing(axe: bool = True) -> str | None:
    """Why a browser (and, with `axe`, axe-core) cannot be had here, or None when it can."""
    if chromium_path() is None:
        return "Chromium is not installed: `make all` or `make test` installs Debian's (apt-get, as root)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed: `pip install playwright` (its own browser download is not needed)"
    if axe and axe_script() is None:
        return f"axe-core is not installed: `make all` or `make test` installs it under {TOOLS}/{AXE.split('/')[0]} (npm)"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (playwright.sync_api.Browser), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations on the page, one line each: rule, impact, help, the first element."""
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{rule['id']} ({rule['impact']}): {rule['help']}: {rule['nodes'][0]['html'][:200]}" for rule in result["violations"]]


def axe_version(page: Any) -> str:
    return str(page.evaluate("axe.version"))


class _Files(SimpleHTTPRequestHandler):
    """Static files, with single byte ranges (206 Partial Content) as media players ask."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".vtt": "text/vtt", ".mp3": "audio/mpeg"}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if not match or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        start, end = int(match[1]), min(int(match[2] or size - 1), size - 1)
        if start > end:
            self.send_error(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            return None
        data = path.read_bytes()[start : end + 1]
        self.send_response(HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return _Body(data)


class _Body:
    """What `send_head` hands `copyfile`: the range's bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def close(self) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser that stopped reading the audio
            super().handle_error(request, client_address)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) while in the block; yields its base URL."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Files, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
