"""The bad-input corpus (issue 8): malformed and hostile content never breaks the published site.

Each case puts one bad input into a copy of the minimal valid project (tests/fixtures/minimal/)
and runs `catalog build` in-process into an output folder that already holds a published
site. Every case must exit 1, print its specific message with path and line, raise nothing,
and leave the published folder byte-identical. A few cases also run as a subprocess to check
that stderr never shows a Python traceback. Binary inputs are generated here, not stored.

To add a case, append a ``Bad`` to ``CASES``: the files it writes (text, bytes, None to
delete, or a special such as ``Symlink``), and the start of each line it must produce
(``path:line:col: severity[code]: `` followed by the beginning of the message).
"""

from __future__ import annotations

import hashlib
import os
import pathlib
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import CHECK_AS_OF, MINIMAL_PROJECT, copy_minimal_project, write_files

from generator.cli import main
from generator.content.discover import MAX_FILE_BYTES


@dataclass(frozen=True)
class Symlink:
    """A symbolic link to ``target`` (absolute, or relative to the link's folder)."""

    target: str


@dataclass(frozen=True)
class Sparse:
    """A file of ``size`` bytes that takes no disk space (its content is never read)."""

    size: int


@dataclass(frozen=True)
class Fifo:
    """A named pipe: reading it would block forever."""


Content = str | bytes | None | Symlink | Sparse | Fifo


@dataclass(frozen=True)
class Bad:
    name: str
    files: Mapping[str, Content]
    expected: tuple[str, ...]
    """Each must be the start of a printed problem line."""
    outside: Mapping[str, str] = field(default_factory=dict)
    """Files written next to the project (for links that point outside it)."""


def original(rel: str) -> str:
    return (MINIMAL_PROJECT / rel).read_text("utf-8")


PROGRAM = original("content/programs/advisor.md")
PARTNER = original("content/partners/example-corp.md")
CASE = original("content/cases/sharing.md")
ROLE = original("content/roles/cio-hosakan.md")
PAGE = original("content/pages/about.md")
SITE = original("content/site.yaml")
ARCHETYPES = original("content/archetypes.yaml")

P = "content/programs/advisor.md"
PA = "content/partners/example-corp.md"
C = "content/cases/sharing.md"
R = "content/roles/cio-hosakan.md"
PG = "content/pages/about.md"
S = "content/site.yaml"
A = "content/archetypes.yaml"


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def billion_laughs(indent: str = "") -> str:
    lines = [f'{indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{indent}{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def nested(depth: int) -> str:
    return "".join("  " * i + "a:\n" for i in range(1, depth))


CASES: tuple[Bad, ...] = (
    # --- programs --------------------------------------------------------------------
    Bad(
        "yaml-colon",
        {P: edit(PROGRAM, "title: アドバイザー制度", "title: アドバイザー制度: 総務省")},
        (f"{P}:2:16: error[yaml-syntax]: YAML の書き方に誤りがあります: ここに「:」は置けません",),
    ),
    Bad(
        "tab-indent",
        {P: edit(PROGRAM, "  - 総務省", "\t- 総務省")},
        (f"{P}:5:1: error[yaml-syntax]: YAML の書き方に誤りがあります: タブ文字は使えません",),
    ),
    Bad(
        "duplicate-key",
        {P: edit(PROGRAM, "level: national", "level: national\nlevel: municipal")},
        (f"{P}:7:1: error[duplicate-key]: キー「level」が2回書かれています（最初は6行目）",),
    ),
    Bad(
        "billion-laughs",
        {P: edit(PROGRAM, "---\n## 概要", billion_laughs() + "---\n## 概要")},
        (f"{P}:26:4: error[yaml-alias]: YAML のアンカー（&）とエイリアス（*）は使えません",),
    ),
    Bad(
        "alias-in-list",
        {P: edit(PROGRAM, "  - 総務省", "  - &p 総務省\n  - *p")},
        (f"{P}:5:5: error[yaml-alias]: YAML のアンカー（&）とエイリアス（*）は使えません",),
    ),
    Bad(
        "merge-key",
        {P: edit(PROGRAM, "terms:\n", "base: &b {limits: x}\nterms:\n  <<: *b\n")},
        (f"{P}:13:3: error[yaml-key]: キーは文字列で書いてください",),
    ),
    Bad(
        "python-tag",
        {P: edit(PROGRAM, "title: アドバイザー制度", "title: !!python/object/apply:os.system [echo hacked]")},
        (f"{P}:2:8: error[yaml-tag]: YAML のタグ「tag:yaml.org,2002:python/object/apply:os.system」は使えません",),
    ),
    Bad(
        "wrong-type-provider",
        {P: edit(PROGRAM, "provider:\n  - 総務省", "provider: 総務省")},
        (
            f"{P}:4:1: error[wrong-type]: 「provider」（所管）はリスト（- で始まる行）で書いてください（いまは文字列「総務省」）",
        ),
    ),
    Bad(
        "wrong-type-mapping-title",
        {P: edit(PROGRAM, "title: アドバイザー制度", "title:\n  ja: アドバイザー制度")},
        (f"{P}:2:1: error[wrong-type]: 「title」（制度の正式名称）は文字列で書いてください（いまは「キー: 値」の組）",),
    ),
    Bad(
        "huge-title",
        {P: edit(PROGRAM, "title: アドバイザー制度", "title: " + "長" * 10_000)},
        (f"{P}:2:1: error[too-long]: 「title」（制度の正式名称）は120文字以内にしてください（いまは10000文字）",),
    ),
    Bad(
        "whitespace-only-title",
        {P: edit(PROGRAM, "title: アドバイザー制度", 'title: "　 "')},
        (f"{P}:2:1: error[empty-value]: 「title」が空白だけです。内容を書いてください",),
    ),
    Bad(
        "huge-integer",
        {P: edit(PROGRAM, "5600000", "1" + "0" * 30)},
        (f"{P}:14:3: error[out-of-range]: 「terms.annual_cap_yen」（年間の上限額）は1000000000000以下にしてください",),
    ),
    Bad(
        "nan-rate",
        {P: edit(PROGRAM, "fiscal_rate: 0.7", "fiscal_rate: .nan")},
        (f"{P}:13:16: error[invalid-number]: 「.nan」は数値として使えません",),
    ),
    Bad(
        "deep-nesting",
        {P: edit(PROGRAM, "terms:\n", "terms:\n" + nested(600))},
        (f"{P}:44:67: error[yaml-depth]: 入れ子が深すぎます（32段まで）",),
    ),
    Bad("empty-file", {P: ""}, (f"{P}:1:1: error[empty-file]: ファイルが空です",)),
    Bad("fences-only", {P: "---\n---\n"}, (f"{P}:1:1: error[missing-field]: 必須の項目「title」がありません",)),
    Bad(
        "body-only",
        {P: "## 概要\n\n専門家を派遣します。\n"},
        (f"{P}:1:1: error[front-matter-missing]: ファイルの先頭に --- で始まる項目（front matter）がありません",),
    ),
    Bad(
        "unclosed-front-matter",
        {P: PROGRAM.replace("---\n## 概要", "## 概要")},
        (
            f"{P}:26:1: error[front-matter-unclosed]: front matter を閉じる --- がありません。この行（本文の始まり）の前に",
        ),
    ),
    Bad(
        "front-matter-list",
        {P: "---\n- title\n- summary\n---\n"},
        (f"{P}:2:1: error[front-matter-type]: front matter は「キー: 値」の形で書いてください",),
    ),
    Bad(
        "shift-jis",
        {P: PROGRAM.encode("cp932")},
        (f"{P}:2:8: error[encoding]: ファイルが UTF-8 ではなく Shift_JIS で保存されているようです",),
    ),
    Bad(
        "utf-16-bom",
        {P: PROGRAM.encode("utf-16")},
        (f"{P}:1:1: error[encoding]: ファイルが UTF-16 で保存されています",),
    ),
    Bad(
        "utf-16-no-bom",
        {P: PROGRAM.encode("utf-16-be")},
        (f"{P}:1:1: error[encoding]: ファイルが UTF-16 で保存されているようです",),
    ),
    Bad(
        "latin-1",
        {P: edit(PROGRAM, "アドバイザー制度", "Café").encode("utf-8").replace("é".encode(), b"\xe9")},
        (f"{P}:2:11: error[encoding]: ファイルが UTF-8 ではありません",),
    ),
    Bad(
        "nul-byte",
        {P: edit(PROGRAM, "専門家を派遣します。", "専門家を\x00派遣します。").encode()},
        (f"{P}:29:1: error[nul-byte]: ファイルに NUL 文字（0x00）が含まれています",),
    ),
    Bad(
        "control-character",
        {P: edit(PROGRAM, "title: アドバイザー制度", "title: アドバイザー\x1b制度")},
        (f"{P}:2:14: error[yaml-syntax]: YAML の書き方に誤りがあります: 使えない制御文字（U+001B）が含まれています",),
    ),
    Bad(
        "file-20mb",
        {P: Sparse(20 * 1024 * 1024)},
        (
            f"{P}:0:0: error[file-too-large]: ファイルが大きすぎます（20,971,520 バイト。上限は {MAX_FILE_BYTES:,} バイト）",
        ),
    ),
    Bad(
        "reiwa-0",
        {P: edit(PROGRAM, "start: 令和5年度", "start: 令和0年4月1日")},
        (f"{P}:16:3: error[invalid-date]: 令和0年はありません（元年は「令和元年」または「令和1年」と書きます）",),
    ),
    Bad(
        "february-30",
        {P: edit(PROGRAM, 'updated: "2026-06-01"', "updated: 2026年2月30日")},
        (f"{P}:24:1: error[invalid-date]: 「2026年2月30日」という日はありません（2月30日は存在しません）",),
    ),
    Bad(
        "reiwa-before-its-start",
        {P: edit(PROGRAM, 'published: "2023-10-24"', "published: 令和元年4月30日")},
        (f"{P}:22:5: error[invalid-date]: 「令和元年4月30日」は令和の期間外です（令和は2019年5月1日からです）",),
    ),
    Bad(
        "period-reversed",
        {P: edit(PROGRAM, "end: 令和9年度", "end: 令和4年度")},
        (f"{P}:17:3: error[invalid-period]: 期間の終わり（令和4年度）が始まり（令和5年度）より前です",),
    ),
    Bad(
        "proto-key",
        {P: edit(PROGRAM, "level: national", "level: national\n__proto__: {polluted: true}")},
        (f"{P}:7:1: error[unknown-field]: 知らない項目「__proto__」があります",),
    ),
    Bad(
        "number-key",
        {P: edit(PROGRAM, "level: national", "level: national\n1: one")},
        (f"{P}:7:1: error[unknown-field]: 知らない項目「1」があります",),
    ),
    Bad(
        "enum-value",
        {P: edit(PROGRAM, "level: national", "level: 国")},
        (
            f"{P}:6:1: error[invalid-value]: 「level」（制度の主体）に「国」は使えません。「国」なら national と書きます。",
        ),
    ),
    Bad(
        "file-name-with-space",
        {"content/programs/advisor program.md": PROGRAM},
        ("content/programs/advisor program.md:0:0: error[invalid-slug]: ファイル名「advisor program.md」は使えません",),
    ),
    Bad(
        "file-name-japanese",
        {"content/programs/アドバイザー.md": PROGRAM},
        ("content/programs/アドバイザー.md:0:0: error[invalid-slug]: ファイル名「アドバイザー.md」は使えません",),
    ),
    Bad(
        "duplicate-slug-by-case",
        {"content/programs/Advisor.md": PROGRAM},
        (
            "content/programs/Advisor.md:0:0: error[invalid-slug]:",
            f"{P}:0:0: error[duplicate-slug]: 「advisor.md」と「Advisor.md」はファイル名が大文字・小文字の違いしかありません",
        ),
    ),
    Bad(
        "symlink-outside-content",
        {"content/programs/secret.md": Symlink("../../../outside/secret.md")},
        (
            "content/programs/secret.md:0:0: error[symlink-outside]: content/ の外を指すシンボリックリンクは読み込みません",
        ),
        outside={"outside/secret.md": PROGRAM},
    ),
    Bad(
        "symlink-to-etc-passwd",
        {"content/programs/passwd.md": Symlink("/etc/passwd")},
        (
            "content/programs/passwd.md:0:0: error[symlink-outside]: content/ の外を指すシンボリックリンクは読み込みません",
        ),
    ),
    Bad(
        "symlink-loop",
        {"content/programs/loop.md": Symlink("loop.md")},
        (
            "content/programs/loop.md:0:0: error[unreadable]: ファイルを読めません（シンボリックリンクが循環しています）",
        ),
    ),
    Bad(
        "named-pipe",
        {"content/programs/pipe.md": Fifo()},
        ("content/programs/pipe.md:0:0: error[unreadable]: 通常のファイルではないので読み込みません",),
    ),
    Bad(
        "unknown-body-link",
        {P: PROGRAM + "\n[関連](../cases/nowhere.md)\n"},
        (f"{P}:31:6: error[unknown-link]: リンク先 content/cases/nowhere.md がありません",),
    ),
    # --- partners ---------------------------------------------------------------------
    Bad(
        "partner-url-number",
        {PA: edit(PARTNER, "agreement:", "url: 12345\nagreement:")},
        (f"{PA}:4:1: error[wrong-type]: 「url」（公式ページのURL）は文字列で書いてください（いまは数値 12345）",),
    ),
    Bad(
        "partner-javascript-url",
        {PA: edit(PARTNER, "agreement:", "url: javascript:alert(1)\nagreement:")},
        (
            f"{PA}:4:1: error[invalid-value]: 「url」（公式ページのURL）の書き方が正しくありません（いまは「javascript:alert(1)」）",
        ),
    ),
    Bad(
        "partner-since-invalid",
        {PA: edit(PARTNER, "since: 令和4年度", "since: 平成32年度")},
        (f"{PA}:5:1: error[invalid-date]: 平成32年はありません（平成は2019年に終わっています）",),
    ),
    Bad(
        "partner-draft-referenced",
        {PA: edit(PARTNER, "updated:", "draft: true\nupdated:")},
        (f"{C}:12:5: error[draft-reference]: 「partners/example-corp」は下書き（draft: true）なので",),
    ),
    # --- cases ------------------------------------------------------------------------
    Bad(
        "case-dangling-reference",
        {C: edit(CASE, "  - advisor", "  - advisor\n  - no-such-program")},
        (f"{C}:11:5: error[unknown-reference]: 参照先 content/programs/no-such-program.md がありません",),
    ),
    Bad(
        "case-municipalities-string",
        {C: edit(CASE, "municipalities: 20", "municipalities: 二十")},
        (
            f"{C}:5:1: error[wrong-type]: 「municipalities」（参加する市区町村の数）は整数で書いてください（いまは文字列「二十」）",
        ),
    ),
    Bad(
        "case-prefecture-unknown",
        {C: edit(CASE, "prefecture: 愛媛県", "prefecture: 信州県")},
        (f"{C}:4:1: error[invalid-value]: 「信州県」は都道府県名ではありません",),
    ),
    Bad(
        "case-crlf-with-dup-key",
        {C: edit(CASE, "municipalities: 20", "municipalities: 20\nmunicipalities: 21").replace("\n", "\r\n")},
        (f"{C}:6:1: error[duplicate-key]: キー「municipalities」が2回書かれています（最初は5行目）",),
    ),
    # --- roles ------------------------------------------------------------------------
    Bad(
        "role-huge-hours",
        {R: edit(ROLE, "hours_per_month: 10", "hours_per_month: " + "9" * 30)},
        (f"{R}:9:3: error[out-of-range]: 「engagement.hours_per_month」（月あたりの時間）は744以下にしてください",),
    ),
    Bad(
        "role-missing-form",
        {R: edit(ROLE, "  form: part_time\n", "")},
        (f"{R}:7:1: error[missing-field]: 必須の項目「form」がありません（「engagement」（関わり方）の中）",),
    ),
    Bad(
        "role-personal-key",
        {R: edit(ROLE, "host:", "name: 山田太郎\nhost:")},
        (f"{R}:6:1: error[privacy-key]: 「name」は個人を特定できる情報のため、人材の役割には書けません",),
    ),
    Bad(
        "role-phone-in-body",
        {R: ROLE + "連絡は ０９０－１２３４－５６７８ まで。\n"},
        (f"{R}:17:1: error[privacy-phone]: 電話番号のような文字列「090-1234-5678」があります",),
    ),
    Bad(
        "role-history-heading",
        {R: ROLE + "## 経歴\n\n教育事業の会社でデータ分析の責任者でした。\n"},
        (
            f"{R}:17:1: error[privacy-history]: 見出し「経歴」は個人の経歴など（経歴・前職・出身・年齢・学歴・家族・趣味など）を書くためのものなので",
        ),
    ),
    Bad(
        "role-model-with-status",
        {R: edit(ROLE, "kind: model", "kind: model\nstatus: open")},
        (f"{R}:5:1: error[role-status]: kind: model（モデル・典型例）の役割には status を書けません",),
    ),
    Bad(
        "covers-unknown",
        {P: edit(PROGRAM, "covers: [", "covers: [terms.rate, ")},
        (f"{P}:23:14: error[covers-unknown]: covers の「terms.rate」は支援制度の項目にありません",),
    ),
    Bad(
        "role-long-digit-line",
        {R: ROLE + "0" * 500_000 + " taro@example.com\n"},
        (f"{R}:17:1: error[privacy-email]: メールアドレスのような文字列「taro@example.com」があります",),
    ),
    # --- pages ------------------------------------------------------------------------
    Bad(
        "page-missing-title",
        {PG: edit(PAGE, "title: このサイトについて\n", "")},
        (f"{PG}:1:1: error[missing-field]: 必須の項目「title」がありません",),
    ),
    # --- site.yaml --------------------------------------------------------------------
    Bad(
        "site-yaml-syntax",
        {S: edit(SITE, "title: テスト県 DX人材支援カタログ", "title: [テスト県")},
        (
            f"{S}:2:11: error[yaml-syntax]: YAML の書き方に誤りがあります: [ ] が閉じられていないか、要素の区切りの「,」がありません",
        ),
    ),
    Bad("site-yaml-empty", {S: ""}, (f"{S}:1:1: error[missing-field]: 必須の項目「title」がありません",)),
    Bad(
        "site-yaml-list",
        {S: "- title\n"},
        (f"{S}:1:1: error[wrong-type]: この項目は「キー: 値」の組で書いてください（いまはリスト）",),
    ),
    Bad("site-yaml-missing", {S: None}, (f"{S}:0:0: error[missing-file]: サイト設定 content/site.yaml がありません",)),
    Bad(
        "site-yaml-utf16",
        {S: SITE.encode("utf-16")},
        (f"{S}:1:1: error[encoding]: ファイルが UTF-16 で保存されています",),
    ),
    Bad("site-yaml-bomb", {S: SITE + billion_laughs()}, (f"{S}:11:4: error[yaml-alias]:",)),
    Bad(
        "site-yaml-base-path-traversal",
        {S: edit(SITE, "base_path: /", "base_path: /../../etc/")},
        (f"{S}:5:1: error[invalid-value]: base_path の「/../../etc/」はパスとして使えません",),
    ),
    # --- archetypes.yaml ----------------------------------------------------------------
    Bad(
        "archetypes-mapping",
        {A: "producer:\n  name: プロデューサー\n"},
        (f"{A}:1:1: error[wrong-type]: この項目はリスト（- で始まる行）で書いてください（いまは「キー: 値」の組）",),
    ),
    Bad(
        "archetypes-duplicate-id",
        {A: ARCHETYPES + ARCHETYPES.split("- id: engineer")[0]},
        (f"{A}:11:3: error[duplicate-slug]: 人材像「producer」が2回定義されています",),
    ),
    Bad(
        "archetypes-missing",
        {A: None},
        (f"{A}:0:0: error[missing-file]: 人材像の定義 content/archetypes.yaml がありません",),
    ),
    Bad(
        "archetypes-shift-jis",
        {A: ARCHETYPES.encode("cp932")},
        (f"{A}:2:9: error[encoding]: ファイルが UTF-8 ではなく Shift_JIS で保存されているようです",),
    ),
    # --- the project's own theme ------------------------------------------------------------
    Bad(
        "template-syntax-error",
        {
            "themes/default/templates/program.html": '{% extends "base.html" %}\n{% block content %}\n{% if %}\n{% endblock %}\n'
        },
        ("themes/default/templates/program.html:3:0: error[template-syntax]: テンプレートの書き方に誤りがあります",),
    ),
    Bad(
        "template-unknown-variable",
        {
            "themes/default/templates/program.html": '{% extends "base.html" %}\n{% block content %}\n<p>{{ no_such_variable }}</p>\n{% endblock %}\n'
        },
        (
            "themes/default/templates/program.html:3:0: error[template-error]: テンプレートで定義されていない値を使っています",
        ),
    ),
    Bad(
        "template-unknown-filter",
        {
            "themes/default/templates/program.html": '{% extends "base.html" %}\n{% block content %}\n{{ "x" | no_such_filter }}\n{% endblock %}\n'
        },
        ("themes/default/templates/program.html:3:0: error[template-error]:",),
    ),
    Bad(
        "template-symlink-outside",
        {"themes/default/templates/program.html": Symlink("/etc/passwd")},
        ("themes/default/templates/program.html:0:0: error[unsafe-path]:",),
    ),
    # A file name that is a page the generator makes itself would silently replace it.
    Bad(
        "slug-collides-with-compare-page",
        {"content/programs/compare.md": edit(PROGRAM, "アドバイザー制度", "比較制度")},
        (
            "content/programs/compare.md:0:0: error[reserved-slug]: ファイル名「compare.md」はサイトが自動で作るページ（/programs/compare/）と重なるため使えません",
        ),
    ),
    Bad(
        "page-slug-collides-with-a-section",
        {"content/pages/search.md": "---\ntitle: 検索について\nsummary: 説明\n---\n本文\n"},
        (
            "content/pages/search.md:0:0: error[reserved-slug]: ファイル名「search.md」はサイトが自動で作るページ（/search/）と重なるため使えません",
        ),
    ),
)

ACCEPTED: Mapping[str, Mapping[str, Content]] = {
    "utf-8-bom": {P: b"\xef\xbb\xbf" + PROGRAM.encode()},
    "crlf": {P: PROGRAM.replace("\n", "\r\n").encode()},
    "cr-only": {P: PROGRAM.replace("\n", "\r").encode()},
    "front-matter-without-body": {P: PROGRAM.split("## 概要")[0]},
    "circular-body-links": {
        P: PROGRAM + "\n[事例](../cases/sharing.md)\n",
        C: CASE + "\n[制度](../programs/advisor.md)\n",
    },
    "full-width-dates": {P: edit(PROGRAM, 'updated: "2026-06-01"', "updated: 令和８年６月１日")},
}


def materialise(project: Path, files: Mapping[str, Content]) -> None:
    for rel, content in files.items():
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Symlink):
            path.unlink(missing_ok=True)
            path.symlink_to(content.target)
        elif isinstance(content, Sparse):
            with open(path, "wb") as handle:
                handle.truncate(content.size)
        elif isinstance(content, Fifo):
            os.mkfifo(path)
        else:
            write_files(project, {rel: content})


def tree_digest(folder: Path) -> str:
    """One hash of every path, file mode and byte under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(b"%o\0" % path.stat().st_mode + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A site built from the minimal project: the folder every bad build must leave alone."""
    root = tmp_path_factory.mktemp("published")
    project = copy_minimal_project(root / "project")
    output = root / "site"
    assert main(build_args(project, output)) == 0
    assert (output / "index.html").is_file()
    return output


def build_args(project: Path, output: Path) -> list[str]:
    return [
        "build",
        "--project",
        str(project),
        "--output",
        str(output),
        "--no-search",
        "--as-of",
        CHECK_AS_OF.isoformat(),
        "--quiet",
    ]


def bad_project(bad: Bad, root: Path) -> Path:
    project = copy_minimal_project(root / "project")
    for rel, text in bad.outside.items():
        write_files(root, {rel: text})
    materialise(project, bad.files)
    return project


def test_the_corpus_is_large_and_distinct():
    assert len(CASES) >= 40
    assert len({b.name for b in CASES}) == len(CASES)
    assert len({repr(sorted(b.files.items(), key=lambda kv: kv[0])) for b in CASES}) == len(CASES)
    touched = {
        rel.split("/")[1] if rel.startswith("content/") and rel.count("/") > 1 else rel
        for b in CASES
        for rel in b.files
    }
    assert {"programs", "partners", "cases", "roles", "pages", S, A} <= touched


@pytest.mark.parametrize("bad", CASES, ids=lambda b: b.name)
def test_bad_input_is_refused_and_the_site_is_untouched(bad, tmp_path, published, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    project = bad_project(bad, tmp_path)
    before = tree_digest(published)
    code = main(build_args(project, published))
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert code == 1, err
    for start in bad.expected:
        assert any(line.startswith(start) for line in lines), f"no line starts with {start!r} in:\n{err}"
    assert lines[-1].startswith("ビルドを中止しました") and lines[-1].endswith("出力フォルダは変更していません。")
    assert "Traceback" not in err
    assert tree_digest(published) == before


def test_deep_nesting_is_a_message(tmp_path, capsys):
    bad = next(b for b in CASES if b.name == "deep-nesting")
    project = bad_project(bad, tmp_path)
    assert main(["check", "--project", str(project), "--as-of", CHECK_AS_OF.isoformat()]) == 1
    problems = [line for line in capsys.readouterr().err.splitlines() if ": error[" in line]
    assert problems == [f"{P}:44:67: error[yaml-depth]: 入れ子が深すぎます（32段まで）。インデントを見直してください"]


def test_a_20mb_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    from generator.pipeline import load

    project = copy_minimal_project(tmp_path / "project")
    big = project / "content/programs/big.md"
    with open(big, "wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    read: list[Path] = []
    real_read_bytes, real_open, real_read = pathlib.Path.read_bytes, os.open, os.read
    opened: dict[int, Path] = {}

    def spy(self: Path) -> bytes:
        read.append(self.resolve())
        return real_read_bytes(self)

    def spy_open(path, flags, *args, **kwargs) -> int:
        fd = real_open(path, flags, *args, **kwargs)
        opened[fd] = Path(path).resolve()
        return fd

    def spy_read(fd: int, size: int) -> bytes:
        if fd in opened:
            read.append(opened[fd])
        return real_read(fd, size)

    monkeypatch.setattr(pathlib.Path, "read_bytes", spy)
    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "read", spy_read)
    loaded = load(project, as_of=CHECK_AS_OF, use_cache=False)
    assert [p.code for p in loaded.problems] == ["file-too-large"]
    assert big.resolve() not in read
    assert (project / "content/programs/advisor.md").resolve() in read


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_accepted_inputs(name, tmp_path, capsys):
    project = copy_minimal_project(tmp_path / "project")
    materialise(project, ACCEPTED[name])
    assert main(["check", "--project", str(project), "--as-of", CHECK_AS_OF.isoformat()]) == 0, capsys.readouterr().err


def test_an_accepted_crlf_bom_file_builds_the_same_page(tmp_path):
    plain = copy_minimal_project(tmp_path / "plain")
    windows = copy_minimal_project(tmp_path / "windows")
    materialise(windows, {P: b"\xef\xbb\xbf" + PROGRAM.replace("\n", "\r\n").encode()})
    assert main(build_args(plain, tmp_path / "plain-site")) == 0
    assert main(build_args(windows, tmp_path / "windows-site")) == 0
    page = "programs/advisor/index.html"
    assert (tmp_path / "plain-site" / page).read_bytes() == (tmp_path / "windows-site" / page).read_bytes()


@pytest.mark.parametrize(
    "name", ["billion-laughs", "shift-jis", "nul-byte", "deep-nesting", "template-unknown-variable"]
)
def test_no_traceback_from_the_real_command(name, tmp_path, published):
    bad = next(b for b in CASES if b.name == name)
    project = bad_project(bad, tmp_path)
    before = tree_digest(published)
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    result = subprocess.run(
        [sys.executable, "-m", "generator", *build_args(project, published)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert any(line.startswith(bad.expected[0]) for line in result.stderr.splitlines()), result.stderr
    assert tree_digest(published) == before
