"""The editor (/admin/, Decap CMS) in real Chromium against `catalog serve`, as an editor uses it.

Decap's bundle is the npm package's own file (tests/decap_bundle.py), served in
place of the CDN address the page names; the browser checks it against the
page's Subresource Integrity as it would the CDN's. The project is a copy of the
real content. What is checked is what an editor sees and what lands in content/:
a program created through the form, a partner edited, an invalid value refused
with its message (nothing written, nothing lost), a draft deleted, and every real
entry opened and saved with one change: the file differs in that line only.
"""

from __future__ import annotations

import difflib
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import REAL_PROJECT, launch_chromium, watch
from conftest import CHECK_AS_OF

from generator.cms.decap import BUNDLE_URL
from generator.config import BuildOptions
from generator.serve import DevServer, ServeOptions

pytestmark = [pytest.mark.browser, pytest.mark.cms]

WAIT_MS = 60_000
"""Bound for the editor or a rebuild to answer; only reached when something is broken."""
TITLE = re.compile(r"（title）$")


@pytest.fixture(scope="module")
def bundle() -> bytes:
    import decap_bundle

    try:
        return decap_bundle.bundle().read_bytes()
    except decap_bundle.BundleError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DevServer, Path]]:
    project = tmp_path_factory.mktemp("editor") / "project"
    shutil.copytree(REAL_PROJECT / "content", project / "content")
    options = ServeOptions(BuildOptions(project, project / "site", CHECK_AS_OF, search=False), port=0)
    with DevServer(options, say=lambda *a, **k: None) as server:
        yield server, project


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launch_chromium() as running:
        yield running


class Editor:
    """One page of the editor, signed in to the local backend."""

    def __init__(self, page, origin: str) -> None:
        self.page = page
        self.origin = origin

    def open(self, collection: str, slug: str | None = None, *, project: Path | None = None) -> None:
        """The form of an entry, opened from its collection's list as a person does (a new one without ``slug``)."""
        if slug is None:
            self.page.goto(f"{self.origin}/admin/#/collections/{collection}/new")
            self.page.get_by_label(TITLE).first.wait_for(timeout=WAIT_MS)
            return
        assert project is not None
        self.page.goto(f"{self.origin}/admin/#/collections/{collection}")
        if collection == "site":
            self.page.get_by_role("link", name="サイト設定（content/site.yaml）").click(timeout=WAIT_MS)
            expected = _title_of(project / "content" / "site.yaml")
        else:
            expected = _title_of(project / "content" / collection / f"{slug}.md")
            self.page.locator(f"a[href$='/collections/{collection}/entries/{slug}']").click(timeout=WAIT_MS)
        title = self.page.get_by_label(TITLE).first
        title.wait_for(timeout=WAIT_MS)
        self.page.wait_for_function(
            "([id, value]) => { const el = document.getElementById(id); return el && el.value === value; }",
            arg=[title.get_attribute("id"), expected],
            timeout=WAIT_MS,
        )

    def reload(self) -> None:
        """Load the editor again (Decap keeps the lists it has read), signed in again."""
        self.page.goto(f"{self.origin}/admin/")
        self.page.reload()
        login = self.page.get_by_role("button", name="ログイン")
        listed = self.page.get_by_role("link", name="支援制度", exact=True).first
        login.or_(listed).first.wait_for(timeout=WAIT_MS)
        if login.is_visible():  # Decap may remember the sign-in to the local backend
            login.click()
        listed.wait_for(timeout=WAIT_MS)

    def field(self, label: str):
        """The input of a field by its label (Decap adds " (任意)" to an optional field's)."""
        return self.page.get_by_label(re.compile("^" + re.escape(label) + r"( \(任意\))?$"))

    def set(self, box, text: str) -> None:
        """Replace what a text box holds, as a person does (select all, type): Decap's boxes ignore a bare fill."""
        box.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.insert_text(text)

    def body(self):
        """The Markdown body's editor (Decap's raw Markdown box has no label of its own)."""
        return self.page.locator("label", has_text="本文（Markdown）").locator("xpath=../..").get_by_role("textbox")

    def write_body(self, text: str, *, at_end: bool = False) -> None:
        box = self.body()
        if at_end:
            box.locator("[data-slate-node=element]").last.click()
            self.page.keyboard.press("End")
        else:
            box.click()
        for n, line in enumerate(text.split("\n")):
            if n:
                self.page.keyboard.press("Enter")
            if line:
                self.page.keyboard.insert_text(line)

    def choose(self, label: str, option: str) -> None:
        self.field(label).click()
        self.page.get_by_role("option", name=option, exact=True).click()

    def publish(self, *, refused: bool = False) -> None:
        """Publish (in the local editor: save to content/); wait until Decap says it is saved, unless it will be refused."""
        self.page.get_by_role("button", name="公開", exact=True).click()
        self.page.get_by_role("menuitem", name="公開する", exact=True).click()
        if not refused:
            self.page.get_by_text("保存済", exact=True).wait_for(timeout=WAIT_MS)

    def saved(self) -> bool:
        return (
            self.page.get_by_text("保存済", exact=True).is_visible()
            and not self.page.get_by_text("未保存", exact=True).is_visible()
        )


@pytest.fixture
def editor(browser, bundle: bytes, served: tuple[DevServer, Path]) -> Iterator[Editor]:
    server, _ = served
    origin = server.url.rstrip("/")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.route(
        BUNDLE_URL,
        lambda route: route.fulfill(
            status=200,
            body=bundle,
            headers={"Content-Type": "text/javascript; charset=utf-8", "Access-Control-Allow-Origin": "*"},
        ),
    )
    seen = watch(page, origin)
    page.goto(f"{origin}/admin/")
    page.get_by_role("button", name="ログイン").click(timeout=WAIT_MS)
    page.get_by_role("link", name="支援制度", exact=True).first.wait_for(timeout=WAIT_MS)
    yield Editor(page, origin)
    page.close()
    # A refused save (422, and Decap's unhandled rejection of it), requests cut by loading the page again.
    expected = ("/api/v1 422", "the server responded with a status of 422", "API_ERROR", "/api/v1 net::ERR_ABORTED")
    unexpected = [
        p
        for p in seen.problems()
        if BUNDLE_URL not in p
        and not any(e in p for e in expected)
        and p not in ("exception: Object", "exception: undefined")
    ]
    assert unexpected == []


def _title_of(path: Path) -> str:
    from generator.content.parse import Parsed, parse_data_file, parse_entry

    raw = path.read_bytes()
    parsed = parse_data_file(raw, "x") if path.suffix == ".yaml" else parse_entry(raw, "x")
    assert isinstance(parsed, Parsed)
    return parsed.data["title"]


def _wait_for(path: Path, test, timeout: float = WAIT_MS / 1000) -> bytes | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # deleted, or between the server's removal and our look
            data = None
        if test(data):
            return data
        time.sleep(0.1)
    raise AssertionError(f"{path} did not change as expected")


def _changed_lines(old: bytes, new: bytes) -> list[str]:
    diff = difflib.unified_diff(old.decode().splitlines(), new.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def _page_text(server: DevServer, path: str, needle: str) -> str:
    """The text of a page of the preview once a rebuild shows ``needle`` in it."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        root = server.state.snapshot.root
        page = root / path / "index.html" if root else None
        if page is not None and page.exists() and needle in (text := page.read_text("utf-8")):
            return text
        time.sleep(0.2)
    raise AssertionError(f"the preview's /{path}/ never showed {needle}")


def test_the_editor_lists_every_collection_in_japanese(editor: Editor) -> None:
    for name in ("支援制度", "連携企業", "事例", "人材の役割", "固定ページ", "サイト設定"):
        assert editor.page.get_by_role("link", name=name, exact=True).count() >= 1, name
    editor.page.get_by_role("link", name="支援制度", exact=True).first.click()
    editor.page.get_by_text("地域情報化アドバイザー制度", exact=True).wait_for(timeout=WAIT_MS)


def test_a_program_created_through_the_form_passes_the_check_and_is_previewed(
    editor: Editor, served: tuple[DevServer, Path]
) -> None:
    server, project = served
    editor.open("programs")
    editor.field("制度の正式名称（title）").fill("編集画面で作った支援制度")
    editor.field("一覧や検索結果に表示する要約（summary）").fill("編集画面のテストで作った支援制度です。")
    editor.field("この項目の文章を最後に書き換えた日（updated）").fill("2026-11-26")
    editor.field("内容を出典と照らして最後に確かめた日（reviewed）").fill("令和8年11月26日")
    editor.page.get_by_role("button", name="所管を追加").click()
    editor.field("所管").fill("総務省")
    editor.choose("制度の主体（level）", "国")
    editor.choose("制度の種類（kinds）", "財政措置")
    editor.choose("確保を支援する人材像（archetypes）", "エンジニア")
    editor.field("開始日または開始年度（start）").fill("令和8年度")
    editor.page.get_by_role("button", name="出典を追加").click()
    editor.field("資料そのものの題名（title）").fill("県・市町村共同によるデジタル人材の確保について")
    editor.field("資料を出した組織（publisher）").fill("長野県企画振興部DX推進課")
    editor.field("資料に書かれている日付（published）").fill("2023-10-24")
    editor.page.get_by_role("button", name="この資料が示している項目を追加").click()
    editor.field("この資料が示している項目").fill("period.start")
    editor.write_body("## どんな制度か\n\n編集画面から書いた本文です。")
    editor.publish()
    editor.page.wait_for_url(re.compile(r"/entries/\d{8}-\d{6}$"), timeout=WAIT_MS)
    slug = editor.page.url.rsplit("/", 1)[1]
    path = project / "content" / "programs" / f"{slug}.md"
    text = _wait_for(path, lambda data: data is not None).decode("utf-8")
    assert text == (
        "---\n"
        "title: 編集画面で作った支援制度\n"
        "summary: 編集画面のテストで作った支援制度です。\n"
        "draft: true\n"
        'updated: "2026-11-26"\n'
        "provider:\n  - 総務省\n"
        "level: national\n"
        "kinds:\n  - fiscal_measure\n"
        "archetypes:\n  - engineer\n"
        "period:\n  start: 令和8年度\n"
        "sources:\n"
        "  - title: 県・市町村共同によるデジタル人材の確保について\n"
        "    publisher: 長野県企画振興部DX推進課\n"
        '    published: "2023-10-24"\n'
        "    covers: [period.start]\n"
        "reviewed: 令和8年11月26日\n"
        "---\n"
        "## どんな制度か\n\n編集画面から書いた本文です。\n"
    )
    from generator.pipeline import load

    assert [p.format() for p in load(project, as_of=CHECK_AS_OF).problems if p.is_error] == []
    page = _page_text(server, f"programs/{slug}", "編集画面で作った支援制度")
    assert (
        "<h1>編集画面で作った支援制度</h1>" in page.replace("<wbr>", "")
        and "下書き" in page
        and "編集画面から書いた本文です。" in page
    )


def test_a_partner_is_edited_and_only_its_changed_lines_change(editor: Editor, served: tuple[DevServer, Path]) -> None:
    server, project = served
    path = project / "content" / "partners" / "hitachi.md"
    old = path.read_bytes()
    editor.open("partners", "hitachi", project=project)
    assert editor.saved()
    # The preview beside the form: the site's own stylesheet, the entry's title as its heading.
    preview = editor.page.frame_locator("iframe").first
    preview.locator("h1", has_text="株式会社日立製作所").wait_for(timeout=WAIT_MS)
    assert preview.locator("link[href$='/static/css/site.css']").count() == 1
    assert preview.locator("p.lead").inner_text().strip() != ""
    editor.set(editor.field("協定を結んだ部門（unit）"), "編集画面で書いた部門")
    editor.page.get_by_role("button", name="自由なタグを追加").click()
    editor.field("自由なタグ").last.fill("編集画面")
    editor.write_body("\n編集画面で書き足した段落です。", at_end=True)
    editor.publish()
    new = _wait_for(path, lambda data: data != old)
    assert _changed_lines(old, new) == [
        "-unit: 水・環境ビジネスユニット",
        "+unit: 編集画面で書いた部門",
        "+  - 編集画面",
        "+",
        "+編集画面で書き足した段落です。",
    ]
    assert "編集画面で書いた部門" in _page_text(server, "partners/hitachi", "編集画面で書いた部門")


def test_an_invalid_value_is_refused_with_its_message_and_nothing_is_lost(
    editor: Editor, served: tuple[DevServer, Path]
) -> None:
    _, project = served
    path = project / "content" / "programs" / "chiiki-kasseika-kigyoujin.md"
    old = path.read_bytes()
    editor.open("programs", "chiiki-kasseika-kigyoujin", project=project)
    updated = editor.field("この項目の文章を最後に書き換えた日（updated）")
    editor.set(
        updated, "令和8年2月30日"
    )  # the shape of a date (the form lets it through), not a day (the check does not)
    editor.publish(refused=True)
    alert = editor.page.locator(".catalog-refusal[role=alert]")
    alert.wait_for(timeout=WAIT_MS)
    assert "保存できませんでした" in alert.inner_text()
    assert (
        "「updated」（この項目の文章を最後に書き換えた日）: 「令和8年2月30日」という日はありません（2月30日は存在しません）"
        in alert.inner_text()
    )
    assert (
        "「令和8年2月30日」という日はありません"
        in editor.page.get_by_text("エントリの保存に失敗しました", exact=False).first.inner_text()
    )
    assert path.read_bytes() == old  # nothing written
    assert updated.input_value() == "令和8年2月30日" and not editor.saved()  # nothing lost

    editor.set(updated, "11月26日")  # not even the shape of a date (no year): the form itself says so
    editor.publish(refused=True)
    editor.page.get_by_text("日付は 2023-10-24、2023年10月24日、令和5年10月24日、R5.10.24 のように書きます").wait_for(
        timeout=WAIT_MS
    )
    assert path.read_bytes() == old

    editor.set(updated, "2026-11-26")
    editor.publish()
    new = _wait_for(path, lambda data: data != old)
    assert len(_changed_lines(old, new)) == 2 and b'updated: "2026-11-26"' in new
    alert.wait_for(state="detached", timeout=WAIT_MS)


def test_a_draft_is_deleted_and_an_entry_in_use_is_not(editor: Editor, served: tuple[DevServer, Path]) -> None:
    _, project = served
    draft = project / "content" / "programs" / "old-draft.md"
    draft.write_text(
        "---\ntitle: 取り下げる下書き\nsummary: 消すための下書きです。\nprovider:\n  - 総務省\nlevel: national\nkinds:\n  - training\n"
        'sources:\n  - title: 資料\n    publisher: 総務省\nupdated: "2026-11-26"\nreviewed: "2026-11-26"\ndraft: true\n---\n',
        "utf-8",
    )
    editor.reload()  # the list of programs was read before the draft was written
    editor.page.on("dialog", lambda dialog: dialog.accept())
    editor.open("programs", "old-draft", project=project)
    editor.page.get_by_role("button", name="エントリを削除").click()
    _wait_for(draft, lambda data: data is None)

    used = project / "content" / "programs" / "digital-talent-fiscal-measure.md"
    editor.open("programs", "digital-talent-fiscal-measure", project=project)
    editor.page.get_by_role("button", name="エントリを削除").click()
    alert = editor.page.locator(".catalog-refusal[role=alert]")
    alert.wait_for(timeout=WAIT_MS)
    assert "roles/municipal-cio-hosakan.md" in alert.inner_text()
    assert used.exists()


def _entries(project: Path) -> list[tuple[str, str]]:
    return [(p.parent.name, p.stem) for p in sorted((project / "content").glob("*/*.md"))]


def test_every_real_entry_opens_unchanged_and_saves_one_change_as_one_line(
    editor: Editor, served: tuple[DevServer, Path]
) -> None:
    """Decap offers no saving of an entry nobody changed: opening one must leave it unchanged
    (nothing marked as changed, nothing to publish), and a change must change its line only."""
    _, project = served
    targets = [(c, s) for c, s in _entries(REAL_PROJECT) if (project / "content" / c / f"{s}.md").exists()]
    assert len(targets) >= 20
    for collection, slug in [*targets, ("site", "site")]:
        path = project / "content" / (f"{collection}/{slug}.md" if collection != "site" else "site.yaml")
        old = path.read_bytes()
        editor.open(collection, slug, project=project)
        assert editor.saved(), f"{collection}/{slug} counts as changed as soon as it is opened"
        title = editor.page.get_by_label(TITLE).first
        value = title.input_value()
        editor.set(title, value + "（確認）")
        editor.publish()
        try:
            new = _wait_for(path, lambda data, old=old: data != old, timeout=20)
        except AssertionError:
            raise AssertionError(
                f"{collection}/{slug} was not saved: {editor.page.locator('[role=alert]').all_inner_texts()}"
            ) from None
        changed = _changed_lines(old, new)
        assert len(changed) == 2 and changed[0].startswith("-title: ") and changed[1].startswith("+title: "), (
            collection,
            slug,
            changed,
        )
        assert changed[1].endswith("（確認）") or changed[1].endswith('（確認）"'), changed


def test_the_editor_runs_under_its_own_policy_and_needs_each_exception(
    browser, bundle: bytes, served: tuple[DevServer, Path]
) -> None:
    """docs/hosting.md says why /admin/ allows 'unsafe-eval' and inline styles; without either, Decap breaks."""
    server, _ = served
    origin = server.url.rstrip("/")
    results = {}
    for name, change in (
        ("as published", lambda policy: policy),
        ("without 'unsafe-eval'", lambda policy: policy.replace(" 'unsafe-eval'", "")),
        (
            "without inline styles",
            lambda policy: policy.replace("style-src 'self' 'unsafe-inline'", "style-src 'self'"),
        ),
    ):
        page = browser.new_page()
        violations: list[str] = []
        page.on(
            "console", lambda m, seen=violations: seen.append(m.text) if "Content Security Policy" in m.text else None
        )
        page.on(
            "pageerror", lambda e, seen=violations: seen.append(str(e)) if "Content Security Policy" in str(e) else None
        )
        page.route(
            BUNDLE_URL,
            lambda route: route.fulfill(
                status=200, body=bundle, headers={"Content-Type": "text/javascript", "Access-Control-Allow-Origin": "*"}
            ),
        )

        def rewriting(change):
            def rewrite(route) -> None:
                response = route.fetch()
                body = re.sub(
                    r'(http-equiv="Content-Security-Policy" content=")([^"]+)',
                    lambda m: m.group(1) + change(m.group(2)),
                    response.text(),
                )
                route.fulfill(response=response, body=body)

            return rewrite

        page.route(f"{origin}/admin/", rewriting(change))
        page.goto(f"{origin}/admin/")
        login = page.get_by_role("button", name="ログイン")
        login.or_(page.get_by_text("Error loading the CMS configuration")).first.wait_for(timeout=WAIT_MS)
        started = login.is_visible()
        if started:
            login.click()
            page.get_by_role("link", name="支援制度", exact=True).first.wait_for(timeout=WAIT_MS)
        results[name] = (started, bool(violations))
        page.close()
    assert results == {
        "as published": (True, False),
        "without 'unsafe-eval'": (False, True),  # Decap compiles its configuration's schema with new Function (ajv)
        "without inline styles": (True, True),  # starts, but every style of its interface is refused
    }
