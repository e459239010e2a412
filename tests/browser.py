"""Shared helpers for the browser tests: a built site served on 127.0.0.1, headless Chromium.

Debian's chromium (/usr/bin/chromium) is driven by Playwright; no browser is ever
downloaded. In CI (CI=true) a missing chromium fails the tests; elsewhere they are
skipped. Use from a test module::

    from browser import SiteServer, build_site, launch_chromium, watch

``watch(page, origin)`` records what a reader would never want: console errors,
uncaught exceptions, failed requests and requests that leave the site.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CATALOG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REAL_PROJECT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 26)


def require_chromium() -> None:
    """Skip when chromium is missing on a developer's machine; fail in CI, where it must run."""
    if CHROMIUM.is_file():
        return
    message = f"ブラウザのテストには Debian の chromium（{CHROMIUM}）が必要です: apt-get install chromium"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


def build_site(project: Path, output: Path, *, base_path: str | None = None, as_of: date = AS_OF) -> Path:
    """Build ``project`` into ``output`` with the real command line; fail the test on any error."""
    from generator.cli import main

    argv = ["build", "--project", str(project), "--output", str(output), "--as-of", as_of.isoformat(), "--quiet"]
    if base_path is not None:
        argv += ["--base-path", base_path]
    code = main(argv)
    assert code == 0, f"catalog build {' '.join(argv)} ended with {code}"
    return output


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A browser that stops reading (a cancelled fetch, a closed tab) is not a failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SiteServer:
    """Serve ``root`` over HTTP on 127.0.0.1 (a free port) in a background thread."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(root))
        self._server = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


_PLAYWRIGHT: list[object] = []
"""The one Playwright driver of the test process. Its sync API runs an event loop for as
long as the driver lives, so a second driver started while a session fixture keeps the
first one open fails; every browser of the process is launched from this one instead."""


def _playwright():
    if not _PLAYWRIGHT:
        from playwright.sync_api import sync_playwright

        driver = sync_playwright().start()
        atexit.register(driver.stop)
        _PLAYWRIGHT.append(driver)
    return _PLAYWRIGHT[0]


@contextlib.contextmanager
def launch_chromium() -> Iterator[object]:
    """A headless Debian chromium driven by Playwright (a ``playwright.sync_api.Browser``)."""
    require_chromium()
    browser = _playwright().chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@dataclass
class Watch:
    """What went wrong on a page while a test used it."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [
            *(f"console: {m}" for m in self.console_errors),
            *(f"exception: {m}" for m in self.page_errors),
            *(f"failed: {u}" for u in self.failed_requests),
            *(f"left the site: {u}" for u in self.outside_requests),
        ]


def watch(page, origin: str) -> Watch:
    """Start recording console errors, exceptions and stray requests of ``page``."""
    seen = Watch(origin)
    page.on("console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: seen.failed_requests.append(f"{r.url} {r.failure}"))
    page.on("response", lambda r: seen.failed_requests.append(f"{r.url} {r.status}") if r.status >= 400 else None)

    def on_request(request) -> None:
        url = request.url
        if not (url.startswith(origin + "/") or url.startswith(("data:", "blob:", "about:"))):
            seen.outside_requests.append(url)

    page.on("request", on_request)
    return seen
