"""`catalog serve`: the dev server, its live reload and problems overlay, its safety and its shutdown."""

from __future__ import annotations

import http.client
import json
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import CHECK_AS_OF, FIXTURES, write_files
from terminal import ctrl_c_default

from generator.config import BuildOptions
from generator.problems import error, warning
from generator.serve import DevServer, ServeOptions
from generator.serve.handler import Found, Missing, Redirect, Refused, content_type, inject_hook, resolve
from generator.serve.state import LiveState, Snapshot

WAIT = 60.0
"""Upper bound for a rebuild to be announced: generous, only reached when something is broken."""

ADVISOR = "content/programs/advisor.md"
SITE_BASIC = FIXTURES / "site-basic"
"""A small project that builds (tests/fixtures/site-basic, also used by the golden render tests)."""


def copy_project(dest: Path) -> Path:
    shutil.copytree(SITE_BASIC, dest, symlinks=True)
    return dest


# --- pure parts ---------------------------------------------------------------------------------


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write_files(
        root,
        {
            "index.html": "<html><head></head><body>home</body></html>",
            "programs/advisor/index.html": "<html><head></head><body>advisor</body></html>",
            "data/programs.json": "[]",
        },
    )
    (tmp_path / "secret.txt").write_text("secret", "utf-8")
    return root


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/programs/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/programs/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/./index.html",
        "/..%5csecret.txt",
        "/index.html%00.css",
        "relative/path",
    ],
)
def test_paths_outside_the_site_are_refused(site_root: Path, target: str) -> None:
    assert resolve(site_root, target) == Refused()


def test_symbolic_link_leaving_the_site_is_refused(site_root: Path) -> None:
    (site_root / "escape.txt").symlink_to(site_root.parent / "secret.txt")
    assert resolve(site_root, "/escape.txt") == Refused()


def test_absolute_looking_paths_stay_inside_the_site(site_root: Path) -> None:
    assert resolve(site_root, "//etc/passwd") == Missing()
    assert resolve(site_root, "/etc/passwd") == Missing()
    assert resolve(site_root, "http://example.com/etc/passwd") == Missing()


def test_pages_folders_and_redirects(site_root: Path) -> None:
    assert resolve(site_root, "/") == Found(site_root.resolve() / "index.html")
    assert resolve(site_root, "/programs/advisor/?q=1") == Found(site_root.resolve() / "programs/advisor/index.html")
    assert resolve(site_root, "/programs/advisor?q=1") == Redirect("/programs/advisor/?q=1")
    assert resolve(site_root, "/data/programs.json") == Found(site_root.resolve() / "data/programs.json")
    assert resolve(site_root, "/programs/") == Missing()
    assert resolve(site_root, "/nothing-here") == Missing()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("site.css", "text/css; charset=utf-8"),
        ("pagefind.js", "text/javascript; charset=utf-8"),
        ("programs.json", "application/json"),
        ("atom.xml", "application/xml; charset=utf-8"),
        ("programs.ics", "text/calendar; charset=utf-8"),
        ("programs.csv", "text/csv; charset=utf-8"),
        ("favicon.svg", "image/svg+xml"),
        ("wasm.ja.pagefind", "application/octet-stream"),
        ("en_12ab.pf_fragment", "application/octet-stream"),
        ("ja_3f.pf_index", "application/octet-stream"),
        ("pagefind.ja_1.pf_meta", "application/octet-stream"),
        ("pagefind.wasm", "application/wasm"),
        ("UPPER.HTML", "text/html; charset=utf-8"),
    ],
)
def test_content_types(name: str, expected: str) -> None:
    assert content_type(name) == expected


def test_hook_goes_before_the_end_of_head() -> None:
    tag = b'<link rel="stylesheet" href="/_catalog/live.css"><script src="/_catalog/live.js" data-build="3" defer></script>'
    assert inject_hook(b"<html><head><title>t</title></HEAD><body></body></html>", 3) == (
        b"<html><head><title>t</title>" + tag + b"</HEAD><body></body></html>"
    )
    assert inject_hook(b"<p>fragment</p>", 3) == b"<p>fragment</p>" + tag


def test_state_payload_lists_errors_with_file_and_line() -> None:
    problems = (
        error("content/programs/a.md", 3, 1, "missing-field", "必須の項目「title」がありません"),
        warning("content/programs/b.md", 9, 1, "summary-long", "長い"),
    )
    state = Snapshot(2, Path("/x"), problems, "", 5).as_json()
    assert state == {
        "build": 2,
        "ok": False,
        "summary": "エラー 1 件、警告 1 件",
        "failure": "",
        "pending": False,
        "changes": [],
        "problems": [
            {
                "path": "content/programs/a.md",
                "line": 3,
                "col": 1,
                "severity": "error",
                "code": "missing-field",
                "message": "必須の項目「title」がありません",
                "text": "content/programs/a.md:3:1: error[missing-field]: 必須の項目「title」がありません",
            }
        ],
    }


def test_live_state_keeps_the_last_good_build_when_one_fails() -> None:
    state = LiveState()
    first = state.succeeded(Path("/gen-1"))
    failed = state.failed((error("content/x.md", 1, 1, "yaml-syntax", "壊れています"),))
    assert (failed.build, failed.root, failed.ok) == (1, Path("/gen-1"), False)
    assert state.wait_for_change(first.version, 0) == failed
    fixed = state.succeeded(Path("/gen-2"))
    assert (fixed.build, fixed.root, fixed.ok) == (2, Path("/gen-2"), True)
    state.close()
    assert state.wait_for_change(fixed.version, 10) is None


# --- the running server --------------------------------------------------------------------------


class Events:
    """Reads the server-sent event stream in a thread; events arrive in a queue."""

    def __init__(self, port: int) -> None:
        self.queue: queue.Queue[tuple[str, dict]] = queue.Queue()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self.conn.request("GET", "/_catalog/events")
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream; charset=utf-8"
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        name = ""
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    self.queue.put((name, json.loads(line[6:])))
        except (OSError, ValueError):
            return

    def next(self) -> tuple[str, dict]:
        return self.queue.get(timeout=WAIT)

    def close(self) -> None:
        self.conn.close()


def get(port: int, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def assert_port_free(port: int) -> None:
    """Another server can listen on the port (as a restarted `catalog serve` would)."""
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))
        again.listen()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[DevServer]:
    project = copy_project(tmp_path / "project")
    server = DevServer(
        ServeOptions(BuildOptions(project, project / "site", CHECK_AS_OF, search=False), port=0),
        say=lambda *a, **k: None,
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_serves_pages_with_the_reload_hook_on_loopback(served: DevServer) -> None:
    assert served.state.snapshot.build == 1
    assert served._httpd is not None and served._httpd.server_address[0] == "127.0.0.1"
    status, headers, body = get(served.port, "/programs/advisor/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-store"
    assert "アドバイザー派遣制度" in body.decode()
    assert b'<script src="/_catalog/live.js" data-build="1" defer></script></head>' in body
    status, headers, body = get(served.port, "/_catalog/live.js")
    assert (status, headers["content-type"]) == (200, "text/javascript; charset=utf-8")
    assert b"EventSource" in body
    status, headers, _ = get(served.port, "/_catalog/live.css")
    assert (status, headers["content-type"]) == (200, "text/css; charset=utf-8")
    status, headers, body = get(served.port, "/programs/advisor/", method="HEAD")
    assert (status, body) == (200, b"") and int(headers["content-length"]) > 0


def test_data_files_are_served_unchanged_with_their_types(served: DevServer) -> None:
    root = served.state.snapshot.root
    assert root is not None
    for rel, kind in [("data/programs.json", "application/json"), ("data/programs.csv", "text/csv; charset=utf-8")]:
        status, headers, body = get(served.port, "/" + rel)
        assert (status, headers["content-type"]) == (200, kind)
        assert body == (root / rel).read_bytes()


def test_missing_page_gets_404_page_with_status_404(served: DevServer) -> None:
    status, headers, body = get(served.port, "/programs/no-such-program/")
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert body.startswith((served.state.snapshot.root / "404.html").read_bytes()[:50])  # type: ignore[operator]
    assert b"/_catalog/live.js" in body


@pytest.mark.parametrize(
    "target", ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/programs/..%2f..%2f..%2fetc/passwd"]
)
def test_traversal_is_refused_over_http(served: DevServer, target: str) -> None:
    status, _, body = get(served.port, target)
    assert status == 403
    assert body == "サイトの外のパスは開けません。\n".encode()


def test_a_normal_build_has_no_reload_hook(tmp_path: Path) -> None:
    from generator.pipeline import build

    project = copy_project(tmp_path / "project")
    result = build(BuildOptions(project, tmp_path / "out", CHECK_AS_OF, search=False, quiet=True))
    assert result.ok, [p.format() for p in result.problems]
    pages = list((tmp_path / "out").rglob("*.html"))
    assert pages
    assert [p for p in pages if b"_catalog" in p.read_bytes()] == []


def test_a_change_pushes_a_reload(served: DevServer) -> None:
    events = Events(served.port)
    try:
        assert events.next() == ("hello", served.state.snapshot.as_json())
        path = served.options.build.project / ADVISOR
        path.write_text(
            path.read_text("utf-8").replace("title: アドバイザー派遣制度", "title: 書き換えた制度"), "utf-8"
        )
        name, state = events.next()
        assert (name, state["build"], state["ok"]) == ("reload", 2, True)
        status, _, body = get(served.port, "/programs/advisor/")
        assert status == 200 and "書き換えた制度" in body.decode()
        # 2, or 3 when the background build that follows an edit (search, data files) changed a page meanwhile
        assert re.search(rb'data-build="[23]"', body)
    finally:
        events.close()


def test_invalid_change_keeps_the_last_good_build_and_reports_then_recovers(served: DevServer) -> None:
    path = served.options.build.project / ADVISOR
    good = path.read_text("utf-8")
    events = Events(served.port)
    try:
        assert events.next()[0] == "hello"
        path.write_text(good.replace("level: national", "level: 国"), "utf-8")
        name, state = events.next()
        assert (name, state["build"], state["ok"]) == ("problems", 1, False)
        assert [p["text"] for p in state["problems"]] == [
            "content/programs/advisor.md:6:1: error[invalid-value]: 「level」（制度の主体）に「国」は使えません。"
            "「国」なら national と書きます。使える値: national, prefecture, municipal"
        ]
        status, _, body = get(served.port, "/_catalog/problems.json")
        assert status == 200 and json.loads(body) == state
        status, _, body = get(served.port, "/programs/advisor/")
        assert status == 200 and "アドバイザー派遣制度" in body.decode()  # the last good build

        path.write_text(good.replace("title: アドバイザー派遣制度", "title: 直した制度"), "utf-8")
        name, state = events.next()
        assert (name, state["build"], state["ok"], state["problems"]) == ("reload", 2, True, [])
        assert json.loads(get(served.port, "/_catalog/problems.json")[2])["ok"] is True
        assert "直した制度" in get(served.port, "/programs/advisor/")[2].decode()
    finally:
        events.close()


def test_drafts_are_shown_and_marked_in_serve_mode(served: DevServer) -> None:
    path = served.options.build.project / "content/programs/draft-one.md"
    events = Events(served.port)
    try:
        events.next()
        advisor = (served.options.build.project / ADVISOR).read_text("utf-8")
        path.write_text(advisor.replace("title: アドバイザー派遣制度", "title: 下書きの制度\ndraft: true"), "utf-8")
        assert events.next()[0] == "reload"
        status, _, body = get(served.port, "/programs/draft-one/")
        assert status == 200
        assert "下書きの制度" in body.decode() and "下書き</span>" in body.decode()
    finally:
        events.close()


def test_content_changing_during_rebuilds_ends_with_the_last_version(served: DevServer) -> None:
    path = served.options.build.project / ADVISOR
    good = path.read_text("utf-8")
    events = Events(served.port)
    try:
        events.next()
        for n in range(15):  # valid and broken versions, faster than builds finish
            text = (
                good.replace("title: アドバイザー派遣制度", f"title: 版{n}") if n % 2 else good.replace("---\n", "", 1)
            )
            path.write_text(text, "utf-8")
            assert get(served.port, "/programs/advisor/")[0] == 200
        path.write_text(good.replace("title: アドバイザー派遣制度", "title: 最後の版"), "utf-8")
        while True:  # bounded: each wait is limited by WAIT
            name, state = events.next()
            body = get(served.port, "/programs/advisor/")[2].decode()
            if state["ok"] and "最後の版" in body:
                break
        assert json.loads(get(served.port, "/_catalog/problems.json")[2])["ok"] is True
    finally:
        events.close()


def test_survives_200_concurrent_requests(served: DevServer) -> None:
    paths = ["/", "/programs/advisor/", "/data/programs.json", "/nope/", "/_catalog/live.js"]
    expected = {
        "/": 200,
        "/programs/advisor/": 200,
        "/data/programs.json": 200,
        "/nope/": 404,
        "/_catalog/live.js": 200,
    }
    start = threading.Barrier(200)
    results: list[tuple[str, int]] = []
    lock = threading.Lock()

    def one(n: int) -> None:
        path = paths[n % len(paths)]
        start.wait(timeout=WAIT)
        status = get(served.port, path)[0]
        with lock:
            results.append((path, status))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert len(results) == 200
    assert all(status == expected[path] for path, status in results)
    assert get(served.port, "/")[0] == 200


def test_stop_ends_event_streams_joins_threads_and_frees_the_port(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    server = DevServer(
        ServeOptions(BuildOptions(project, project / "site", CHECK_AS_OF, search=False), port=0),
        say=lambda *a, **k: None,
    )
    server.start()
    port = server.port
    events = Events(port)
    events.next()
    server.stop()
    assert [t.name for t in threading.enumerate() if t.name.startswith("catalog-")] == []
    assert list((project / ".catalog-cache/serve").glob("gen-*")) == []
    events.thread.join(timeout=WAIT)
    assert not events.thread.is_alive()  # the server ended the event stream
    events.close()
    assert_port_free(port)


def test_a_site_that_never_built_shows_a_placeholder_until_fixed(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    good = (project / ADVISOR).read_text("utf-8")
    write_files(project, {ADVISOR: good.replace("title:", "titel:", 1)})
    with DevServer(
        ServeOptions(BuildOptions(project, project / "site", CHECK_AS_OF, search=False), port=0),
        say=lambda *a, **k: None,
    ) as server:
        status, _, body = get(server.port, "/")
        assert status == 503 and b'data-build="0"' in body
        state = json.loads(get(server.port, "/_catalog/problems.json")[2])
        assert state["build"] == 0
        assert "content/programs/advisor.md:2:1: error[unknown-field]" in state["problems"][-1]["text"]
        events = Events(server.port)
        try:
            events.next()
            (project / ADVISOR).write_text(good, "utf-8")
            assert events.next()[0] == "reload"
            assert get(server.port, "/")[0] == 200
        finally:
            events.close()


def test_serve_with_search_serves_the_index(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    with DevServer(
        ServeOptions(BuildOptions(project, project / "site", CHECK_AS_OF, search=True), port=0),
        say=lambda *a, **k: None,
    ) as server:
        root = server.state.snapshot.root
        assert root is not None
        index = root / "pagefind"
        # The preview's search box reads this index: a build without it is a broken preview, not a skip.
        assert (index / "pagefind.js").is_file(), f"serve built no search index in {root}"
        status, headers, _ = get(server.port, "/pagefind/pagefind.js")
        assert (status, headers["content-type"]) == (200, "text/javascript; charset=utf-8")
        fragment = next(index.rglob("*.pf_fragment"))
        status, headers, body = get(server.port, "/" + fragment.relative_to(root).as_posix())
        assert (status, headers["content-type"], body) == (200, "application/octet-stream", fragment.read_bytes())


# --- the command ---------------------------------------------------------------------------------


def test_command_serves_until_ctrl_c_and_exits_cleanly(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--project",
            str(project),
            "--port",
            "0",
            "--no-search",
            "--as-of",
            "2026-11-26",
        ],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_default,
    )
    try:
        assert process.stderr is not None
        lines = []
        for line in process.stderr:
            lines.append(line)
            if line.startswith("プレビュー: "):
                break
        url = lines[-1].split()[1].split("（")[0]
        assert url.startswith("http://127.0.0.1:")
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        assert get(port, "/")[0] == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=WAIT) == 0
        assert process.stderr.read().endswith("プレビューを停止しました\n")
        assert_port_free(port)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def test_command_reports_a_port_in_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    project = copy_project(tmp_path / "project")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["serve", "--project", str(project), "--port", str(port), "--no-search"])
    assert code == 3
    assert f"サーバーを起動できません（127.0.0.1:{port}: Address already in use）。" in capsys.readouterr().err


def test_loopback_is_the_default_host() -> None:
    from generator.cli import _parser

    args = _parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    assert ServeOptions(BuildOptions(Path("."), Path("site"), date(2026, 1, 1))).host == "127.0.0.1"


def test_a_file_created_and_removed_within_one_batch_is_no_change() -> None:
    """`sed -i` and editors that save through a temporary file: the terminal names the real file only."""
    from watchfiles import Change

    from generator.serve.rebuild import lasting

    changes = {
        (Change.added, "/p/content/cases/sedn01o7y"),
        (Change.modified, "/p/content/cases/sedn01o7y"),
        (Change.deleted, "/p/content/cases/sedn01o7y"),
        (Change.modified, "/p/content/cases/x.md"),
        (Change.deleted, "/p/content/programs/gone.md"),
        (Change.added, "/p/content/programs/new.md"),
    }
    assert lasting(changes) == [
        Path("/p/content/cases/x.md"),
        Path("/p/content/programs/gone.md"),
        Path("/p/content/programs/new.md"),
    ]
    assert lasting({(Change.added, "/p/content/.x.swp"), (Change.deleted, "/p/content/.x.swp")}) == []
