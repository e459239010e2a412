"""HTTP requests of the dev server: files of the current build, the live-reload hook and its events,
and the editor's local backend.

GET and HEAD are answered from the current snapshot (a complete build folder
that never changes), so a rebuild never shows a half-written site. Paths with
``..`` or ``.`` segments (also percent-encoded), backslashes or NUL bytes are
refused; everything else is looked up inside the snapshot folder and must stay
there after symbolic links are followed. Pages get the live-reload hook, except
the editor (/admin/), which must not reload while an entry is being edited.

POST ``/api/v1`` is the editor's local backend (cms_api.py). It writes files, so
it answers only this machine's own pages: a client on a loopback address, a
``Host`` that names a loopback host (no DNS rebinding), an ``Origin`` (when a
browser sends one) that is the server's own, and a JSON body (which a page of
another site cannot send without a CORS preflight that this server never grants).
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .cms_api import LocalBackend
from .state import LiveState, Snapshot

HOOK_PREFIX = "/_catalog/"
EVENTS = "/_catalog/events"
PROBLEMS = "/_catalog/problems.json"
KEEPALIVE_SECONDS = 15.0
CMS_API = "/api/v1"
EDITOR = "/admin/"
MAX_BODY = 16 * 1024 * 1024
"""Bytes a request to the editor's backend may carry (an entry is a few kilobytes)."""
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".yml": "text/yaml; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/vnd.microsoft.icon",
    ".wasm": "application/wasm",
    ".woff2": "font/woff2",
    ".webmanifest": "application/manifest+json",
    ".pdf": "application/pdf",
}
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    path: Path


@dataclass(frozen=True)
class Redirect:
    location: str


@dataclass(frozen=True)
class Missing:
    pass


@dataclass(frozen=True)
class Refused:
    pass


def content_type(name: str) -> str:
    """The Content-Type of a built file; Pagefind's ``.pf_*`` files and unknown ones are bytes."""
    suffix = Path(name).suffix.lower()
    return _TYPES.get(suffix, "application/octet-stream")


def resolve(root: Path, target: str) -> Found | Redirect | Missing | Refused:
    """Which file of ``root`` answers the request target ``target`` (path and query)."""
    parts = urlsplit(target)
    raw = parts.path
    if not raw.startswith("/"):
        return Refused()
    path = unquote(raw, errors="replace") if "%" in raw else raw
    if "\x00" in path or "\\" in path:
        return Refused()
    segments = path.split("/")[1:]
    if any(s in ("..", ".") for s in segments):
        return Refused()
    candidate = root.joinpath(*[s for s in segments if s])
    try:
        real = candidate.resolve()
        if not real.is_relative_to(root.resolve()):
            return Refused()
        if real.is_dir():
            if not path.endswith("/"):
                query = f"?{parts.query}" if parts.query else ""
                return Redirect(f"{raw}/{query}")
            real = real / "index.html"
        return Found(real) if real.is_file() else Missing()
    except (OSError, ValueError):
        return Missing()


def overlay_path(path: str) -> str:
    """The output path (``tags/標準/index.html``) a request path (``/tags/%E6%A8%99%E6%BA%96/``) names:
    the key of a page rendered in memory (never a file name: nothing is opened with it)."""
    path = unquote(path, errors="replace") if "%" in path else path
    path = path.lstrip("/")
    return f"{path}index.html" if path == "" or path.endswith("/") else path


def inject_hook(html: bytes, build: int) -> bytes:
    """The page with the live-reload stylesheet and script (external files, CSP-friendly)."""
    tag = (
        f'<link rel="stylesheet" href="{HOOK_PREFIX}live.css">'
        f'<script src="{HOOK_PREFIX}live.js" data-build="{build}" defer></script>'
    ).encode()
    match = _HEAD_END.search(html)
    if match is None:
        return html + tag
    return html[: match.start()] + tag + html[match.start() :]


def placeholder_page() -> bytes:
    """Shown while there is no successful build yet; the overlay says why."""
    return inject_hook(
        (
            '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>プレビューを表示できません</title></head>"
            '<body><main class="catalog-live-placeholder"><h1>サイトをまだ生成できていません</h1>'
            "<p>コンテンツの問題を直して保存すると、このページは自動で切り替わります。</p></main></body></html>\n"
        ).encode(),
        0,
    )


@cache
def asset(name: str) -> bytes:
    return resources.files("generator.serve").joinpath("assets", name).read_bytes()


def event(name: str, snapshot: Snapshot) -> bytes:
    """One server-sent event carrying the state of the server."""
    data = json.dumps(snapshot.as_json(), ensure_ascii=False, separators=(",", ":"))
    return f"event: {name}\ndata: {data}\n\n".encode()


def make_handler(state: LiveState, backend: LocalBackend | None = None) -> type[_Handler]:
    class Handler(_Handler):
        live = state
        cms = backend

    return Handler


def host_name(header: str | None) -> str:
    """``127.0.0.1`` of a ``Host`` (or ``Origin`` authority) ``127.0.0.1:8000``, ``::1`` of ``[::1]:8000``."""
    value = (header or "").strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else ""
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def is_loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool((mapped or ip).is_loopback)


class _Handler(BaseHTTPRequestHandler):
    live: LiveState
    cms: LocalBackend | None
    origin: str | None = None
    """The server's own address (``http://127.0.0.1:8000``), set once it is bound: the editor is
    sent there when asked for under another name (``localhost``), since its configuration saves
    to that address and the browser would refuse a save to another origin."""
    server_version = "catalog-serve"
    timeout = 10
    """Seconds a client may stay silent; bounds how long shutdown waits for a slow client."""

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Requests are not logged: the terminal shows rebuilds and problems."""

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(head=False)

    def _answer(self, *, head: bool) -> None:
        path = urlsplit(self.path).path
        snapshot = self.live.snapshot
        if path.startswith(HOOK_PREFIX):
            self._hook(path, snapshot, head)
            return
        if snapshot.root is None:
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8", placeholder_page(), head)
            return
        if path.startswith(EDITOR) and self.origin and f"http://{self.headers.get('Host', '')}".lower() != self.origin:
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", self.origin + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        key = overlay_path(path)
        data = snapshot.page(key)
        if data is not None:
            self._send(HTTPStatus.OK, content_type(key), self._page(key, data, snapshot), head)
            return
        found = resolve(snapshot.root, self.path)
        if isinstance(found, Refused):
            self._send(HTTPStatus.FORBIDDEN, _TYPES[".txt"], "サイトの外のパスは開けません。\n".encode(), head)
        elif isinstance(found, Redirect):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", found.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif isinstance(found, Found) and (data := _read(found.path)) is not None:
            self._send(HTTPStatus.OK, content_type(found.path.name), self._page(found.path.name, data, snapshot), head)
        else:
            self._not_found(snapshot, head)

    def _page(self, name: str, data: bytes, snapshot: Snapshot) -> bytes:
        if not name.endswith(".html") or urlsplit(self.path).path.startswith(EDITOR):
            return data
        return inject_hook(data, snapshot.build)

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        """The editor's local backend; see the module's docstring for who may call it."""
        if urlsplit(self.path).path != CMS_API or self.cms is None:
            self._json(HTTPStatus.NOT_FOUND, {"error": "ここには送れません"})
            return
        refusal = self._refused()
        if refusal is not None:
            self._json(HTTPStatus.FORBIDDEN, {"error": refusal})
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._json(HTTPStatus.LENGTH_REQUIRED, {"error": "Content-Length がありません"})
            return
        if not 0 <= length <= MAX_BODY:
            self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "送られた内容が大きすぎます"})
            return
        try:
            request = json.loads(self.rfile.read(length).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self._json(HTTPStatus.BAD_REQUEST, {"error": "JSON として読めません"})
            return
        answer = self.cms.answer(request)
        self._json(HTTPStatus(answer.status), answer.body)

    def _refused(self) -> str | None:
        """Why this request may not use the backend, or None."""
        if not is_loopback(self.client_address[0]):
            return "編集の API は、このパソコン（127.0.0.1）からだけ使えます"
        if host_name(self.headers.get("Host")) not in LOOPBACK_NAMES:
            return "編集の API は 127.0.0.1 か localhost のアドレスでだけ使えます"
        origin = self.headers.get("Origin")
        if origin is not None:
            own = f"{self.headers.get('Host', '')}".lower()
            if origin.lower() not in (f"http://{own}",):
                return "ほかのサイトのページからは編集の API を使えません"
        if self.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return "ほかのサイトのページからは編集の API を使えません"
        if (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower() != "application/json":
            return "編集の API には JSON（Content-Type: application/json）で送ってください"
        return None

    def _json(self, status: HTTPStatus, body: object) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self._send(status, "application/json; charset=utf-8", data, False)

    def _not_found(self, snapshot: Snapshot, head: bool) -> None:
        page = snapshot.page("404.html") or (_read(snapshot.root / "404.html") if snapshot.root else None)
        if page is None:
            self._send(HTTPStatus.NOT_FOUND, _TYPES[".txt"], "ページが見つかりません。\n".encode(), head)
        else:
            self._send(HTTPStatus.NOT_FOUND, _TYPES[".html"], inject_hook(page, snapshot.build), head)

    def _hook(self, path: str, snapshot: Snapshot, head: bool) -> None:
        if path == EVENTS and not head:
            self._events(snapshot)
        elif path == PROBLEMS:
            body = json.dumps(snapshot.as_json(), ensure_ascii=False, indent=2).encode()
            self._send(HTTPStatus.OK, "application/json", body, head)
        elif path in (f"{HOOK_PREFIX}live.js", f"{HOOK_PREFIX}live.css"):
            name = path.removeprefix(HOOK_PREFIX)
            self._send(HTTPStatus.OK, content_type(name), asset(name), head)
        else:
            self._not_found(snapshot, head)

    def _events(self, snapshot: Snapshot) -> None:
        """Server-sent events: the state now, then ``reload`` or ``problems`` on every change."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 1000\n" + event("hello", snapshot))
            self.wfile.flush()
            version, build = snapshot.version, snapshot.build
            while True:
                changed = self.live.wait_for_change(version, KEEPALIVE_SECONDS)
                if self.live.closed:
                    return
                if changed is None:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    name = "reload" if changed.build != build else "problems"
                    self.wfile.write(event(name, changed))
                    version, build = changed.version, changed.build
                self.wfile.flush()
        except OSError:  # the page was closed or reloaded
            return

    def _send(self, status: HTTPStatus, kind: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            try:
                self.wfile.write(body)
            except OSError:
                pass


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:  # an old snapshot pruned meanwhile, or not a file
        return None
