"""The editor's local backend in `catalog serve` (generator/serve/cms_api.py and its HTTP side).

It reads and writes content/ for the editor at /admin/: only the files the editor
edits, every save checked as `catalog check` checks it, nothing written when the
check refuses, and only for this machine's own pages.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import CHECK_AS_OF, FIXTURES

from generator.config import BuildOptions
from generator.serve import DevServer, ServeOptions
from generator.serve.cms_api import LocalBackend
from generator.serve.handler import host_name, is_loopback

ADVISOR = "content/programs/advisor.md"
FISCAL = "content/programs/fiscal-measure.md"
DRAFT = "content/programs/draft-program.md"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "site-basic", tmp_path / "project"))


@pytest.fixture
def backend(project: Path) -> LocalBackend:
    return LocalBackend(BuildOptions(project, project / "site", CHECK_AS_OF))


def ask(backend: LocalBackend, action: str, **params: Any) -> tuple[int, Any]:
    answer = backend.answer({"action": action, "params": {"branch": "main", **params}})
    json.dumps(answer.body)  # what the server sends must be JSON
    return answer.status, answer.body


def persist(backend: LocalBackend, path: str, raw: str, **extra: Any) -> tuple[int, Any]:
    files = [{"slug": Path(path).stem, "path": path, "raw": raw, **extra}]
    return ask(
        backend,
        "persistEntry",
        dataFiles=files,
        assets=[],
        options={"commitMessage": "x", "useWorkflow": False, "status": ""},
    )


# --- reading -----------------------------------------------------------------------------------


def test_info_says_simple_publishing_on_the_local_file_system(backend: LocalBackend) -> None:
    assert ask(backend, "info") == (200, {"repo": "project", "publish_modes": ["simple"], "type": "local_fs"})


def test_a_folder_lists_its_entries_with_their_text(backend: LocalBackend, project: Path) -> None:
    status, entries = ask(backend, "entriesByFolder", folder="content/programs", extension="md", depth=1)
    assert status == 200
    assert [e["file"]["path"] for e in entries] == [
        "content/programs/advisor.md",
        "content/programs/draft-program.md",
        "content/programs/fiscal-measure.md",
        "content/programs/future-pool.md",
    ]
    first = entries[0]
    assert first["data"] == (project / ADVISOR).read_text("utf-8")
    assert len(first["file"]["id"]) == 64
    assert ask(backend, "entriesByFolder", folder="content/media", extension="", depth=1) == (200, [])


def test_single_files_and_entries_are_read(backend: LocalBackend, project: Path) -> None:
    status, entries = ask(backend, "entriesByFiles", files=[{"path": "content/site.yaml", "label": "サイト設定"}])
    assert status == 200 and entries[0]["data"] == (project / "content/site.yaml").read_text("utf-8")
    assert entries[0]["file"]["label"] == "サイト設定"
    status, entry = ask(backend, "getEntry", path=ADVISOR)
    assert status == 200 and entry["data"].startswith("---\n")
    status, missing = ask(backend, "getEntry", path="content/programs/none.md")
    assert status == 200 and missing["data"] is None


@pytest.mark.parametrize(
    "path",
    [
        "../secret.md",
        "/etc/passwd",
        "content/../content/site.yaml",
        "content/programs/../../secret.md",
        "content/programs/./advisor.md",
        "content//programs/advisor.md",
        "content\\programs\\advisor.md",
        "content/programs/advisor.md\x00.txt",
        "content/archetypes.yaml",
        "content/programs/sub/x.md",
        "themes/default/templates/base.html",
        "content/programs/advisor.txt",
        "site/index.html",
        "",
        None,
        ["content/site.yaml"],
    ],
)
def test_paths_outside_what_the_editor_edits_are_refused(backend: LocalBackend, project: Path, path: Any) -> None:
    (project.parent / "secret.md").write_text("---\ntitle: 秘密\n---\n", "utf-8")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    for action, params in (
        ("getEntry", {"path": path}),
        ("entriesByFiles", {"files": [{"path": path}]}),
        ("deleteFile", {"path": path, "options": {"commitMessage": "x"}}),
    ):
        status, body = ask(backend, action, **params)
        assert status == 403, (action, path)
        assert "error" in body and "秘密" not in json.dumps(body, ensure_ascii=False)
    status, _ = persist(backend, path, "---\ntitle: x\n---\n") if isinstance(path, str) else (403, None)
    assert status == 403
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before
    assert (project.parent / "secret.md").exists()


@pytest.mark.parametrize(
    "folder", ["content", "content/..", "content/programs/..", "/content/programs", "content/archetypes", "themes"]
)
def test_only_entry_folders_are_listed(backend: LocalBackend, folder: str) -> None:
    status, body = ask(backend, "entriesByFolder", folder=folder, extension="md", depth=1)
    assert status == 403 and "error" in body


def test_symbolic_links_never_lead_out_of_content(backend: LocalBackend, project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: 外のファイル\n---\n", "utf-8")
    (project / "content/programs/linked.md").symlink_to(outside)
    status, entry = ask(backend, "getEntry", path="content/programs/linked.md")
    assert status == 200 and entry["data"] is None  # read as missing: nothing of the outside file
    _, listed = ask(backend, "entriesByFolder", folder="content/programs", extension="md", depth=1)
    assert "content/programs/linked.md" not in [e["file"]["path"] for e in listed]
    status, body = persist(backend, "content/programs/linked.md", "---\ntitle: 上書き\n---\n")
    assert status == 403 and "シンボリックリンク" in body["error"]
    assert outside.read_text("utf-8") == "---\ntitle: 外のファイル\n---\n"

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(project / "content/cases")
    (project / "content/cases").symlink_to(elsewhere, target_is_directory=True)
    status, body = persist(backend, "content/cases/new.md", "---\ntitle: x\n---\n")
    assert status == 403 and "content/ の外" in body["error"]
    assert list(elsewhere.iterdir()) == []


# --- writing ----------------------------------------------------------------------------------


def test_a_valid_save_is_written_keeping_the_file_s_lines(backend: LocalBackend, project: Path) -> None:
    old = (project / ADVISOR).read_text("utf-8")
    decap = re.sub(
        r'"(\d{4}-\d\d-\d\d)"', r"\1", old.replace("title: アドバイザー派遣制度", "title: アドバイザー派遣制度（改）")
    )
    assert decap.count('"') < old.count('"')  # dates unquoted, as Decap writes them
    status, body = persist(backend, ADVISOR, decap)
    assert (status, body) == (200, {"message": "entry persisted"})
    assert (project / ADVISOR).read_text("utf-8") == old.replace(
        "title: アドバイザー派遣制度", "title: アドバイザー派遣制度（改）"
    )
    assert not [p for p in (project / "content/programs").iterdir() if p.name.startswith(".")]  # no temporary file left


def test_a_refused_save_writes_nothing_and_says_why_in_japanese(backend: LocalBackend, project: Path) -> None:
    old = (project / ADVISOR).read_bytes()
    status, body = persist(backend, ADVISOR, old.decode().replace("level: national", "level: 国"))
    assert status == 422
    assert (project / ADVISOR).read_bytes() == old
    assert body["error"].startswith("保存できませんでした。ファイルには何も書き込んでいません。")
    problem = body["problems"][0]
    assert problem["code"] == "invalid-value" and problem["path"] == ADVISOR
    assert (
        problem["shown"]
        == "「level」（制度の主体）に「国」は使えません。「国」なら national と書きます。使える値: national, prefecture, municipal"
    )
    assert problem["text"].startswith(f"{ADVISOR}:")


def test_a_date_that_does_not_exist_is_named_with_its_field(backend: LocalBackend, project: Path) -> None:
    old = (project / ADVISOR).read_text("utf-8")
    status, body = persist(backend, ADVISOR, old.replace('updated: "2026-', 'updated: "2026-02-30" #', 1))
    assert status == 422
    assert body["problems"][0]["shown"].startswith(
        "「updated」（この項目の文章を最後に書き換えた日）: 「2026-02-30」という日はありません"
    )


def test_a_new_entry_is_written_in_the_catalog_s_style_and_passes_the_check(
    backend: LocalBackend, project: Path
) -> None:
    raw = (
        "---\ntitle: 新しい制度\nsummary: 新しい制度の要約です。\ndraft: true\nupdated: 2026-12-06\nprovider:\n  - 総務省\n"
        "level: national\nkinds:\n  - training\ntags: []\nsources:\n  - title: 資料\n    publisher: 総務省\n    covers:\n      - level\n"
        "reviewed: 2026-12-06\n---\n本文です。\n"
    )
    status, _ = persist(backend, "content/programs/20261206-101500.md", raw)
    assert status == 200
    assert (project / "content/programs/20261206-101500.md").read_text("utf-8") == (
        '---\ntitle: 新しい制度\nsummary: 新しい制度の要約です。\ndraft: true\nupdated: "2026-12-06"\nprovider:\n  - 総務省\n'
        "level: national\nkinds:\n  - training\nsources:\n  - title: 資料\n    publisher: 総務省\n    covers: [level]\n"
        'reviewed: "2026-12-06"\n---\n本文です。\n'
    )
    from generator.pipeline import load

    assert [p.format() for p in load(project, as_of=CHECK_AS_OF).problems if p.is_error] == []


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("content/programs/New_Program.md", "invalid-slug"),
        ("content/pages/admin.md", "reserved-slug"),
        ("content/programs/compare.md", "reserved-slug"),
    ],
)
def test_a_new_file_name_follows_the_rules_of_the_check(
    backend: LocalBackend, project: Path, path: str, code: str
) -> None:
    raw = (
        (project / ADVISOR).read_text("utf-8")
        if "programs" in path
        else "---\ntitle: 管理\nsummary: 管理のページ\n---\n"
    )
    status, body = persist(backend, path, raw)
    assert status == 422 and body["problems"][0]["code"] == code
    assert not (project / path).exists()


def test_uploads_and_renames_are_refused(backend: LocalBackend, project: Path) -> None:
    old = (project / ADVISOR).read_text("utf-8")
    asset = {"path": "content/media/a.png", "content": "aGk=", "encoding": "base64"}
    status, body = ask(
        backend,
        "persistEntry",
        dataFiles=[{"slug": "advisor", "path": ADVISOR, "raw": old}],
        assets=[asset],
        options={},
    )
    assert status == 422 and "画像" in body["error"]
    status, body = persist(backend, ADVISOR, old, newPath="content/programs/renamed.md")
    assert status == 422 and "ファイル名" in body["error"]
    status, body = ask(backend, "persistMedia", asset=asset, options={"commitMessage": "x"})
    assert status == 422 and not (project / "content/media").exists()
    assert ask(backend, "getMedia", mediaFolder="content/media") == (200, [])


def test_deleting_a_draft_removes_it(backend: LocalBackend, project: Path) -> None:
    status, _ = ask(backend, "deleteFiles", paths=[DRAFT], options={"commitMessage": "x"})
    assert status == 200 and not (project / DRAFT).exists()


def test_deleting_an_entry_others_refer_to_is_refused_with_where(backend: LocalBackend, project: Path) -> None:
    status, body = ask(backend, "deleteFile", path=FISCAL, options={"commitMessage": "x"})
    assert status == 422 and (project / FISCAL).exists()
    where = sorted({p["path"] for p in body["problems"]})
    assert where == ["content/cases/sharing.md", "content/roles/cio-hosakan.md"]
    assert all(p["code"] in ("unknown-reference", "unknown-link") for p in body["problems"])
    assert "cases/sharing.md" in body["problems"][0]["shown"]


def test_site_settings_can_be_saved_but_not_deleted(backend: LocalBackend, project: Path) -> None:
    path = project / "content/site.yaml"
    old = path.read_text("utf-8")
    status, _ = persist(
        backend, "content/site.yaml", old.replace("title: テスト県 DX人材支援カタログ", "title: テスト県 カタログ")
    )
    assert status == 200 and path.read_text("utf-8") == old.replace(
        "title: テスト県 DX人材支援カタログ", "title: テスト県 カタログ"
    )
    status, body = ask(backend, "deleteFile", path="content/site.yaml", options={"commitMessage": "x"})
    assert status == 403 and path.exists()


def test_an_unknown_action_is_refused(backend: LocalBackend) -> None:
    assert ask(backend, "publishUnpublishedEntry", collection="programs", slug="advisor")[0] == 422
    assert backend.answer(["not", "a", "request"]).status == 422


# --- HTTP: only this machine's own pages ---------------------------------------------------


def test_loopback_names() -> None:
    assert [host_name(h) for h in ("127.0.0.1:8000", "localhost", "[::1]:8000", "evil.example:80", None)] == [
        "127.0.0.1",
        "localhost",
        "::1",
        "evil.example",
        "",
    ]
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("::ffff:127.0.0.1")
    assert not is_loopback("192.168.1.2") and not is_loopback("::ffff:10.0.0.1") and not is_loopback("x")


@pytest.fixture
def server(project: Path):
    options = ServeOptions(BuildOptions(project, project / "site", CHECK_AS_OF, search=False), port=0)
    with DevServer(options, say=lambda *a, **k: None) as running:
        yield running


def _post(server: DevServer, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("POST", "/api/v1", body=body, headers={"Content-Length": str(len(body)), **headers})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


def test_the_api_answers_the_server_s_own_pages_only(server: DevServer, project: Path) -> None:
    own = f"http://127.0.0.1:{server.port}"
    info = json.dumps({"action": "info"}).encode()
    good = {"Content-Type": "application/json", "Origin": own, "Host": f"127.0.0.1:{server.port}"}
    assert _post(server, info, good)[0] == 200
    assert _post(server, info, {"Content-Type": "application/json"})[0] == 200  # a local program (no Origin)
    refused = [
        {**good, "Content-Type": "text/plain"},  # what another site's page can send without asking first
        {**good, "Origin": "https://evil.example"},
        {**good, "Origin": "null"},
        {**good, "Host": f"evil.example:{server.port}"},  # DNS rebinding
        {**good, "Sec-Fetch-Site": "cross-site"},
    ]
    for headers in refused:
        status, body = _post(server, info, headers)
        assert status == 403 and body["error"], headers
    old = (project / ADVISOR).read_bytes()
    write = json.dumps(
        {"action": "deleteFile", "params": {"path": ADVISOR, "options": {"commitMessage": "x"}}}
    ).encode()
    assert _post(server, write, {**good, "Content-Type": "text/plain"})[0] == 403
    assert (project / ADVISOR).read_bytes() == old
    assert _post(server, b"{not json", good)[0] == 400


def test_the_editor_page_gets_no_live_reload(server: DevServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", "/admin/")
        page = connection.getresponse().read().decode()
        connection.request("GET", "/")
        home = connection.getresponse().read().decode()
        connection.request("GET", "/admin/config.yml")
        response = connection.getresponse()
        config = response.read().decode()
    finally:
        connection.close()
    assert "decap-cms" in page and "/_catalog/live.js" not in page
    assert "/_catalog/live.js" in home
    assert response.getheader("Content-Type") == "text/yaml; charset=utf-8"
    assert f"url: http://127.0.0.1:{server.port}/api/v1" in config


def test_a_save_rebuilds_the_preview(server: DevServer, project: Path) -> None:
    from conftest import CHECK_AS_OF as _  # noqa: F401 - the same day as the server's

    version = server.state.snapshot.version
    old = (project / ADVISOR).read_text("utf-8")
    body = json.dumps(
        {
            "action": "persistEntry",
            "params": {
                "branch": "main",
                "dataFiles": [
                    {
                        "slug": "advisor",
                        "path": ADVISOR,
                        "raw": old.replace("title: アドバイザー派遣制度", "title: 編集画面で直した制度"),
                    }
                ],
                "assets": [],
                "options": {"commitMessage": "x", "useWorkflow": False, "status": ""},
            },
        }
    ).encode()
    assert _post(server, body, {"Content-Type": "application/json"})[0] == 200
    changed = server.state.wait_for_change(version, 60)
    while (
        changed is not None
        and changed.root is not None
        and not (changed.root / "programs/advisor/index.html").read_text("utf-8").count("編集画面で直した制度")
    ):
        changed = server.state.wait_for_change(changed.version, 60)
    assert changed is not None and "編集画面で直した制度" in (changed.root / "programs/advisor/index.html").read_text(
        "utf-8"
    )


def test_the_api_is_off_for_other_clients(project: Path) -> None:
    """A request from another machine (the server bound to every address) is refused before it is read."""
    from generator.serve.handler import make_handler
    from generator.serve.state import LiveState

    handler = make_handler(LiveState(), LocalBackend(BuildOptions(project, project / "site", CHECK_AS_OF)))
    instance = handler.__new__(handler)
    instance.client_address = ("192.168.1.20", 50000)
    instance.headers = {"Host": "192.168.1.5:8000", "Content-Type": "application/json"}  # type: ignore[assignment]
    assert "このパソコン" in (instance._refused() or "")
    assert os.path.exists(project / ADVISOR)


def test_a_file_changed_by_another_program_since_it_was_read_is_not_saved_over(
    backend: LocalBackend, project: Path
) -> None:
    status, entry = ask(backend, "getEntry", path=ADVISOR)
    read = entry["data"]
    (project / ADVISOR).write_text(
        read.replace("title: アドバイザー派遣制度", "title: テキストエディタで直した題名"), "utf-8"
    )
    on_disk = (project / ADVISOR).read_bytes()
    status, body = persist(backend, ADVISOR, read.replace("level: national", "level: prefecture"))
    assert status == 409 and "ほかの方法で書き換えられています" in body["error"]
    assert (project / ADVISOR).read_bytes() == on_disk
    ask(backend, "getEntry", path=ADVISOR)  # opened again: the editor now has what is on disk
    status, _ = persist(backend, ADVISOR, on_disk.decode().replace("level: national", "level: prefecture"))
    assert status == 200 and b"title: \xe3\x83\x86" in (project / ADVISOR).read_bytes()
    status, _ = persist(
        backend, ADVISOR, (project / ADVISOR).read_text("utf-8").replace("level: prefecture", "level: municipal")
    )
    assert status == 200  # its own saves do not count as changes by another program


def test_the_editor_asked_for_under_another_name_is_sent_to_the_server_s_address(server: DevServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", "/admin/?x=1", headers={"Host": f"localhost:{server.port}"})
        response = connection.getresponse()
        response.read()
        assert response.status == 302 and response.getheader("Location") == f"http://127.0.0.1:{server.port}/admin/?x=1"
        connection.request("GET", "/", headers={"Host": f"localhost:{server.port}"})
        home = connection.getresponse()
        home.read()
        assert home.status == 200  # the site itself answers under any name
    finally:
        connection.close()
