"""A real browser for tests: Debian's headless Chromium driven by Playwright, and axe-core.

`make test` installs Chromium (apt-get) and axe-core (npm, under the git-ignored .tools/);
Playwright's own browser download is never used. Where either is missing, the tests that need
them are skipped with the reason in pytest's summary. Pages are served by `serve`, a server on
127.0.0.1 that answers byte ranges, as a web server would (a browser seeks audio with them).
"""

from __future__ import annotations

import functools
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / ".tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",  # a headless browser has no user to click first
]


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"CHROMIUM NOT INSTALLED ({CHROMIUM}): `make test` installs it with apt-get as root; the browser tests cannot run"
    if not AXE.exists():
        return f"AXE-CORE NOT INSTALLED ({AXE.relative_to(ROOT)}): `make test` installs it with npm; the accessibility tests cannot run"
    return None


needs_browser = pytest.mark.skipif(missing() is not None, reason=missing() or "")


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium (playwright.sync_api.Browser), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page, one line each: rule, impact, the first element."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{rule['id']} ({rule['impact']}): {rule['help']}: {rule['nodes'][0]['html'][:200]}" for rule in result["violations"]]


class _Files(SimpleHTTPRequestHandler):
    """Static files, with single byte ranges (206 Partial Content) as media players ask."""

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
    _Files.extensions_map = {**_Files.extensions_map, ".vtt": "text/vtt", ".mp3": "audio/mpeg"}
    server = _Server(("127.0.0.1", 0), functools.partial(_Files, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
