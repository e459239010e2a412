"""The site runs under the strict Content-Security-Policy of docs/hosting.md.

Static checks over every built page (no inline script or style, the theme's
meta policy matches the documented one) and a browser check: the hostile
project, served with the documented headers, loads its home page, an entry
page and the search page with a query in headless Chromium without a single
CSP violation, dialog or script error.
"""

from __future__ import annotations

import functools
import re
import threading
from datetime import date
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import launch_chromium, watch
from hostile import make_hostile_project

from generator.config import BuildOptions
from generator.pipeline import build

ROOT = Path(__file__).resolve().parents[2]
HOSTING = ROOT / "docs" / "hosting.md"
AS_OF = date(2026, 11, 26)
META_IGNORED = ("frame-ancestors", "report-uri", "report-to", "sandbox")
"""Directives a browser ignores in a <meta> policy (CSP3 §3.3)."""


def documented_headers() -> dict[str, str]:
    """The headers of the Netlify/Cloudflare ``_headers`` example in docs/hosting.md."""
    text = HOSTING.read_text(encoding="utf-8")
    block = re.search(r"```text\n# _headers\n/\*\n(.*?)\n(?:/|```)", text, re.S)
    assert block, "docs/hosting.md has no `_headers` example for /*"
    headers = {}
    for line in block.group(1).splitlines():
        name, _, value = line.strip().partition(": ")
        headers[name] = value
    return headers


def meta_policy(header_policy: str) -> str:
    return "; ".join(d for d in header_policy.split("; ") if not d.startswith(META_IGNORED))


def test_the_documented_policy_is_the_one_the_theme_is_built_for() -> None:
    headers = documented_headers()
    assert headers["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert set(headers) >= {"Referrer-Policy", "Permissions-Policy", "Cache-Control"}
    # The same policy in the nginx example.
    text = HOSTING.read_text(encoding="utf-8")
    assert f'add_header Content-Security-Policy "{headers["Content-Security-Policy"]}" always;' in text


# --- every page -----------------------------------------------------------------


class HeadScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta_csp: list[str] = []
        self.before_meta: list[str] = []
        self.inline: list[str] = []
        self._seen_meta = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.meta_csp.append(values.get("content") or "")
            self._seen_meta = True
        elif not self._seen_meta and tag in ("script", "link", "style", "img", "base"):
            self.before_meta.append(tag)
        if tag == "script" and "src" not in values and values.get("type") != "application/ld+json":
            self.inline.append("<script>")
        if tag == "style":
            self.inline.append("<style>")
        if "style" in values:
            self.inline.append(f"<{tag} style>")
        self.inline.extend(f"<{tag} {name}>" for name, _ in attrs if name.startswith("on"))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("csp")
    project = make_hostile_project(root / "project")
    out = root / "site"
    result = build(BuildOptions(project=project, output=out, as_of=AS_OF, search=True))
    assert result.ok, [p.format() for p in result.problems]
    return out


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "site"
    result = build(BuildOptions(project=ROOT, output=out, as_of=AS_OF, search=False))
    assert result.ok, [p.format() for p in result.problems]
    return out


@pytest.mark.parametrize("which", ["hostile_site", "real_site"])
def test_every_page_carries_the_policy_and_nothing_inline(which: str, request: pytest.FixtureRequest) -> None:
    out: Path = request.getfixturevalue(which)
    expected = meta_policy(documented_headers()["Content-Security-Policy"])
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        scan = HeadScan()
        scan.feed(path.read_text(encoding="utf-8"))
        name = path.relative_to(out).as_posix()
        assert scan.meta_csp == [expected], name
        assert scan.before_meta == [], name
        assert scan.inline == [], name


# --- in the browser -------------------------------------------------------------


def serve_with_headers(root: Path, headers: dict[str, str]) -> ThreadingHTTPServer:
    class Handler(SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.mark.browser
def test_pages_run_under_the_documented_policy_without_violations(hostile_site: Path) -> None:
    headers = {k: v for k, v in documented_headers().items() if k != "Cache-Control"}
    server = serve_with_headers(hostile_site, headers)
    host, port = server.server_address[:2]
    origin = f"http://{host}:{port}"
    search = (hostile_site / "pagefind" / "pagefind.js").is_file()
    paths = ["/", "/programs/hostile-0/", "/cases/hostile-2/", "/programs/compare/"]
    if search:
        paths.append("/search/?q=" + quote("alert"))
    try:
        with launch_chromium() as browser:
            for path in paths:
                page = browser.new_page()
                page.add_init_script(RECORD_VIOLATIONS)
                seen = watch(page, origin)
                messages: list[str] = []
                dialogs: list[str] = []
                page.on("console", lambda m, messages=messages: messages.append(f"{m.type}: {m.text}"))
                page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
                response = page.goto(origin + path, wait_until="load")
                assert response is not None and response.ok, path
                assert response.headers["content-security-policy"] == headers["Content-Security-Policy"]
                if path.startswith("/search/"):
                    page.wait_for_selector("[data-search-results] li", timeout=30000)
                    titles = page.locator("[data-search-results] .card__title").all_inner_texts()
                    assert "<script>alert(1)</script>" in titles, titles
                    # Pagefind's excerpts are HTML: only their text and <mark> may reach the page.
                    tags = page.evaluate(
                        "[...document.querySelectorAll('.search-result__excerpt *')].map(e => e.tagName)"
                    )
                    assert set(tags) <= {"MARK"}, tags
                else:
                    page.wait_for_load_state("networkidle")
                violations = page.evaluate("window.__violations")
                csp_messages = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
                assert (violations, csp_messages, dialogs, seen.problems()) == ([], [], [], []), path
                page.close()
    finally:
        server.shutdown()
        server.server_close()
