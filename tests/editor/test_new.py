"""`catalog new`: a new entry from its schema that passes `catalog check`."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import CHECK_AS_OF, check_lines

from generator.cli import main
from generator.content.schema import load_schema
from generator.editor.scaffold import MARK, NEW_COLLECTIONS, Created, Refused, create_entry, scaffold

TODAY = date(2026, 11, 26)

# What an editor types over the marked example values (one real-looking value per kind).
FILLED = {
    "title": "テスト用に書いた名称",
    "summary": "編集者が書き換えた要約です。",
    "prefecture": "長野県",
    "url": "https://www.pref.nagano.lg.jp/",
    "agreement": "長野県DX戦略推進パートナー連携協定",
    "limits": "年2回まで",
    "cost_coverage": "県が負担",
}


def fill_in(text: str) -> str:
    """What an editor does: replace the marked values that need it, confirm the other examples
    by removing their marks, and write the body."""

    def replace(match: re.Match[str]) -> str:
        indent, key = match.group(1), match.group(2)
        return f"{indent}{key}: {FILLED[key]}" if key in FILLED else match.group(0)

    text = re.sub(rf"^(\s*)([a-z_]+): .*  {re.escape(MARK)}.*$", replace, text, flags=re.M)
    text = re.sub(rf"  {re.escape(MARK)}.*$", "", text, flags=re.M)
    return re.sub(r"^（.*を書きます.*）$", "編集者が書いた本文です。", text, flags=re.M)


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize("collection", NEW_COLLECTIONS)
def test_every_field_of_the_schema_is_present(collection: str) -> None:
    text = scaffold(collection, "example", today=TODAY, existing={})
    data = front_matter(text)
    schema = load_schema(collection)
    expected = list(schema["properties"])
    if collection == "roles":
        # The example role is a model, which has no status: the field is there, as a comment.
        expected.remove("status")
        assert "\n# status: active  ← kind: real（実際の募集・配置）にしたら、行頭の # を消して書きます\n" in text
    assert list(data) == expected
    for key, node in schema["properties"].items():
        if node.get("type") == "object" and "properties" in node:
            assert list(data[key]) == list(node["properties"]), key
    assert data["draft"] is True
    assert "title: " in text and MARK in text


def test_comments_say_what_each_field_is_and_whether_it_is_required() -> None:
    text = scaffold("roles", "example", today=TODAY, existing={"programs": ("advisor",)})
    assert "# 必須: 役割の名称（個人名は書かない）\ntitle: 市町村CIO補佐官  # ← 書き換えてください\n" in text
    assert "# 任意: 主なスキル\nskills:  # ← 書き換えてください\n  - データ分析\n" in text
    assert "  # 必須: 形態: side_job（副業・複業）" in text
    assert 'updated: "2026-11-26"  # 書いた日・確認した日' in text
    assert "draft: true  # 公開するときは false にします" in text


@pytest.mark.parametrize("collection", ("programs", "partners", "cases", "roles"))
def test_sources_are_written_with_every_field_and_reviewed_is_today(collection: str) -> None:
    text = scaffold(collection, "example", today=TODAY, existing={})
    data = front_matter(text)
    assert data["reviewed"] == "2026-11-26" and data["updated"] == "2026-11-26"
    first, second = data["sources"]
    assert set(first) == {"title", "publisher", "published", "covers"}
    assert set(second) == {"title", "publisher", "url", "accessed", "covers"}
    assert second["accessed"] == "2026-11-26", "a page read today"
    assert all(isinstance(s["covers"], list) and s["covers"] for s in (first, second))
    for field in ("title", "publisher", "published", "url", "accessed", "covers"):
        assert f"#   {field}（" in text, f"the comment explains sources[].{field}"


def test_a_new_role_is_a_model_until_the_editor_says_otherwise() -> None:
    data = front_matter(scaffold("roles", "example", today=TODAY, existing={}))
    assert data["kind"] == "model" and "status" not in data and "background" not in data


def test_references_use_entries_that_exist() -> None:
    text = scaffold("cases", "example", today=TODAY, existing={"programs": ("advisor", "zeta"), "partners": ()})
    data = front_matter(text)
    assert data["programs"] == ["advisor"]
    assert data["partners"] == []
    assert "partners: []  # content/partners/ のファイル名（.md を除く）を書きます" in text


@pytest.mark.parametrize("collection", NEW_COLLECTIONS)
def test_generated_entry_passes_check_as_generated_and_once_filled_in(minimal_project: Path, collection: str) -> None:
    created = create_entry(minimal_project, collection, "brand-new", today=TODAY)
    assert isinstance(created, Created)
    assert created.path == minimal_project / "content" / collection / "brand-new.md"
    assert check_lines(minimal_project) == []

    filled = fill_in(created.path.read_text("utf-8")).replace("draft: true", "draft: false")
    assert "テスト用に書いた名称" in filled
    created.path.write_text(filled, encoding="utf-8")
    assert check_lines(minimal_project) == []

    from generator.pipeline import load

    site = load(minimal_project, as_of=CHECK_AS_OF).site
    assert site is not None
    titles = [e.title for e in site.entries()] + [p.title for p in site.pages]
    assert "テスト用に書いた名称" in titles


@pytest.mark.parametrize("collection", NEW_COLLECTIONS)
def test_example_values_cannot_be_published(minimal_project: Path, collection: str) -> None:
    """Set draft: false and leave the examples: every marked line and example sentence is an error."""
    created = create_entry(minimal_project, collection, "brand-new", today=TODAY)
    assert isinstance(created, Created)
    text = created.path.read_text("utf-8")
    if "draft: true" in text:
        text = text.replace("draft: true", "draft: false")
    created.path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    marked = [i + 1 for i, line in enumerate(lines) if line.endswith(MARK) or MARK + "（" in line]
    examples = [i + 1 for i, line in enumerate(lines) if line.startswith("（") and line.endswith("）")]
    problems = check_lines(minimal_project)
    path = f"content/{collection}/brand-new.md"
    assert [p.split(":")[1] for p in problems] == [str(n) for n in sorted(marked + examples)], problems
    assert all(p.startswith(path) and ": error[placeholder]: " in p for p in problems), problems
    assert any(
        "「title」の値が例のままです。この項目の内容に書き換えて、行末の「# ← 書き換えてください」を消してください" in p
        for p in problems
    )
    assert main(["check", "--project", str(minimal_project), "--as-of", CHECK_AS_OF.isoformat(), "--quiet"]) == 1


def test_new_entry_is_a_draft_until_published(minimal_project: Path) -> None:
    from generator.pipeline import load

    create_entry(minimal_project, "programs", "brand-new", today=TODAY)
    published = load(minimal_project, as_of=CHECK_AS_OF).site
    with_drafts = load(minimal_project, as_of=CHECK_AS_OF, drafts=True).site
    assert published is not None and with_drafts is not None
    assert "brand-new" not in {e.slug for e in published.entries()}
    assert "brand-new" in {e.slug for e in with_drafts.entries()}


def test_refuses_an_existing_slug(minimal_project: Path) -> None:
    before = (minimal_project / "content/programs/advisor.md").read_bytes()
    assert create_entry(minimal_project, "programs", "advisor", today=TODAY) == Refused(
        "content/programs/advisor.md はもうあります。別のファイル名にするか、そのファイルを編集してください"
    )
    assert (minimal_project / "content/programs/advisor.md").read_bytes() == before


def test_refuses_a_slug_differing_only_in_case(minimal_project: Path) -> None:
    (minimal_project / "content/programs/advisor.md").rename(minimal_project / "content/programs/Advisor.md")
    result = create_entry(minimal_project, "programs", "advisor", today=TODAY)
    assert isinstance(result, Refused) and "content/programs/Advisor.md はもうあります" in result.message


@pytest.mark.parametrize("slug", ["Bad_Slug", "-lead", "日本語", "a b", "../escape", ""])
def test_refuses_an_invalid_slug(minimal_project: Path, slug: str) -> None:
    result = create_entry(minimal_project, "programs", slug, today=TODAY)
    assert isinstance(result, Refused)
    assert "半角英小文字・数字・ハイフンだけ" in result.message
    assert sorted(p.name for p in (minimal_project / "content/programs").iterdir()) == ["advisor.md"]


def test_refuses_an_unknown_collection(minimal_project: Path) -> None:
    assert create_entry(minimal_project, "program", "x", today=TODAY) == Refused(
        "「program」という種類はありません。使えるのは programs, partners, cases, roles, pages です"
    )


def test_cli_new_exit_codes_and_messages(minimal_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "partners", "new-partner", "--project", str(minimal_project)]) == 0
    assert (minimal_project / "content/partners/new-partner.md").is_file()
    assert "作成しました:" in capsys.readouterr().err

    assert main(["new", "partners", "new-partner", "--project", str(minimal_project)]) == 1
    assert capsys.readouterr().err == (
        "作成できません: content/partners/new-partner.md はもうあります。別のファイル名にするか、そのファイルを編集してください\n"
    )
    assert main(["new", "partners", "New_Partner", "--project", str(minimal_project)]) == 1
    assert capsys.readouterr().err.startswith("作成できません: ファイル名「New_Partner.md」は使えません。")


def test_every_example_sentence_is_found_by_the_quick_search() -> None:
    from generator.content import placeholders

    assert placeholders._BODY_EXAMPLES and all(placeholders._BODY_HINT in line for line in placeholders._BODY_EXAMPLES)


def _placeholders(raw: bytes) -> list[str]:
    from generator.content.parse import Parsed, parse_entry
    from generator.content.placeholders import placeholder_problems

    parsed = parse_entry(raw, "content/programs/x.md")
    assert isinstance(parsed, Parsed), parsed
    return [p.format() for p in placeholder_problems(raw, parsed)]


VALUE_LEFT = "の値が例のままです。この項目の内容に書き換えて、行末の「# ← 書き換えてください」を消してください（使わない任意の項目は項目ごと消します）"
SENTENCE_LEFT = (
    "本文に例の文「（申し込み先や手続きの流れを書きます）」が残っています。この項目の内容に書き換えてください"
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # A marked value in a file whose body is already written, and the other way round.
        (
            f"---\ntitle: x\nlevel: national  {MARK}\n---\n## 使い方\n\n本文\n".encode(),
            [f"3:18: error[placeholder]: 「level」{VALUE_LEFT}"],
        ),
        (
            "---\ntitle: x\n---\n## 使い方\n\n（申し込み先や手続きの流れを書きます）\n".encode(),
            [f"6:1: error[placeholder]: {SENTENCE_LEFT}"],
        ),
        # An item of a list has no key of its own: "this line's value".
        (
            f"---\ntitle: x\nprovider:\n  - 総務省  {MARK}\n---\n本文\n".encode(),
            [f"4:10: error[placeholder]: この行{VALUE_LEFT}"],
        ),
        # Windows (CRLF) and old Mac (CR) line ends: the same lines and columns.
        (
            f"---\r\ntitle: x\r\nlevel: national  {MARK}\r\n---\r\n（申し込み先や手続きの流れを書きます）\r\n".encode(),
            [f"3:18: error[placeholder]: 「level」{VALUE_LEFT}", f"5:1: error[placeholder]: {SENTENCE_LEFT}"],
        ),
        (
            f"---\rtitle: x\rlevel: national  {MARK}\r---\r（申し込み先や手続きの流れを書きます）\r".encode(),
            [f"3:18: error[placeholder]: 「level」{VALUE_LEFT}", f"5:1: error[placeholder]: {SENTENCE_LEFT}"],
        ),
        # A page that quotes the mark in its text (how to edit an entry) is no example left in place.
        (f"---\ntitle: x\n---\n行末の {MARK} を消すと確定します。\n".encode(), []),
    ],
)
def test_each_example_left_is_named_on_its_line(raw: bytes, expected: list[str]) -> None:
    assert _placeholders(raw) == [f"content/programs/x.md:{line}" for line in expected]
