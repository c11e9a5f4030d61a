"""The browser for tests: the package's own (`pipeline.verify.browser`: Debian's Chromium driven
by Playwright, axe-core, a local server), and a mark that skips a test with the reason where it
cannot be had."""

from __future__ import annotations

import pytest

from pipeline.verify.browser import axe_violations, chromium, missing, serve

needs_browser = pytest.mark.skipif(missing() is not None, reason=str(missing()))

__all__ = ["axe_violations", "chromium", "missing", "needs_browser", "serve"]
