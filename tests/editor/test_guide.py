"""The editor's guide: generated from the schemas and the checks, committed as docs/editing.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.schema import SCHEMA_NAMES, load_schema
from generator.editor.guide import codes_explained, render_guide

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "editing.md"
CODE = re.compile(r"^[a-z]+(?:-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def guide() -> str:
    return render_guide()


def test_committed_guide_is_up_to_date(guide: str) -> None:
    assert COMMITTED.read_text("utf-8") == guide, (
        "docs/editing.md is out of date: run `.venv/bin/catalog guide --output docs/editing.md` and commit it"
    )


def test_guide_is_the_same_on_every_run(guide: str) -> None:
    assert render_guide() == guide


def test_cli_writes_and_prints_the_guide(tmp_path: Path, capsys: pytest.CaptureFixture[str], guide: str) -> None:
    assert main(["guide", "--output", str(tmp_path / "docs" / "editing.md")]) == 0
    assert (tmp_path / "docs" / "editing.md").read_text("utf-8") == guide
    capsys.readouterr()
    assert main(["guide"]) == 0
    assert capsys.readouterr().out == guide


def _field_names(node: dict, prefix: str = "") -> list[str]:
    names = []
    for key, child in node.get("properties", {}).items():
        names.append(prefix + key)
        names += _field_names(child, f"{prefix}{key}.")
        if child.get("type") == "array" and isinstance(child.get("items"), dict):
            names += _field_names(child["items"], f"{prefix}{key}[].")
    return names


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_field_of_every_schema_has_a_row(guide: str, name: str) -> None:
    schema = load_schema(name)
    root = schema["items"] if schema.get("type") == "array" else schema
    heading = f"### {schema['title']}（"
    section = guide[guide.index(heading) :]
    section = section[: section.find("\n### ", 1) if "\n### " in section[1:] else len(section)]
    rows = re.findall(r"^\| `([^`]+)` \| (必須[^|]*|任意) \|", section, flags=re.M)
    assert [field for field, _ in rows] == _field_names(root)
    required = set(root.get("required", ()))
    assert {field for field, need in rows if need == "必須"} == required


def test_enum_values_and_examples_are_listed(guide: str) -> None:
    row = next(line for line in guide.splitlines() if line.startswith("| `level` |"))
    assert "`national`、`prefecture`、`municipal`" in row and row.endswith("| `national` |")
    row = next(line for line in guide.splitlines() if line.startswith("| `engagement.hours_per_month` |"))
    assert row == "| `engagement.hours_per_month` | 任意 | 数値 | 月あたりの時間（上限） | 0〜744 | `10` |"


def test_fiscal_years_are_explained_by_the_parser(guide: str) -> None:
    assert "| `令和7年度` | 書けません | 2025年4月1日 | 2026年3月31日 |" in guide
    assert "| `令和元年5月1日` | 2019年5月1日 | 2019年5月1日 | 2019年5月1日 |" in guide


def test_examples_are_real_messages_of_the_checks(guide: str) -> None:
    for expected in [
        "error[unknown-field]: 知らない項目「levl」があります。「level」の間違いではありませんか？",
        "error[invalid-value]: 「level」（制度の主体）に「国」は使えません。「国」なら national と書きます。",
        "error[invalid-date]: 「令和5年2月30日」という日はありません",
        "error[invalid-period]:",
        "error[yaml-syntax]:",
        "error[privacy-key]: 「name」は個人を特定できる情報のため",
        "error[privacy-email]:",
        "error[privacy-social]:",
        "error[privacy-postal]:",
    ]:
        assert expected in guide
    assert guide.count("error[privacy-phone]:") == 2  # half-width and full-width digits


def test_preview_and_workflow_are_explained(guide: str) -> None:
    for expected in [
        "make serve",
        "catalog new programs",
        "draft: true",
        "Ctrl-C",
        "`draft-reference`",
        "`unknown-reference`",
    ]:
        assert expected in guide


_CODE_ARGUMENT = {"error": -2, "warning": -2, "fail": -2, "one": 0}
"""Where the code is among the arguments of the functions that report problems (just before the message)."""


def _codes_in_use() -> set[str]:
    """Codes the generator reports: arguments of error()/warning()/fail()/one(), and (pattern, code, label) tables."""
    found: set[str] = set()
    for path in sorted((ROOT / "generator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                index = _CODE_ARGUMENT.get(name)
                if index is not None and len(node.args) >= 2:
                    found.update(_code(node.args[index]))
            elif isinstance(node, ast.Tuple) and len(node.elts) >= 3 and _is_japanese(node.elts[2]):
                found.update(c for c in _code(node.elts[1]) if "-" in c)
    return found


def _code(node: ast.expr) -> list[str]:
    return (
        [node.value]
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value)
        else []
    )


def _is_japanese(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", node.value))
    )


def test_every_error_code_in_use_is_explained() -> None:
    in_use = _codes_in_use()
    assert {"missing-field", "privacy-email", "yaml-syntax", "broken-link"} <= in_use  # the scan works
    assert sorted(in_use - codes_explained()) == []


def test_no_code_is_explained_that_is_not_in_use() -> None:
    assert sorted(codes_explained() - _codes_in_use()) == []


def test_the_editor_chapter_shows_screenshots_that_exist(guide: str) -> None:
    chapter = guide[guide.index("## ブラウザの編集画面で編集する") : guide.index("## ファイルの置き場所")]
    images = re.findall(r"!\[[^\]]+\]\((screenshots/[^)]+\.png)\)", chapter)
    assert len(images) >= 4
    for image in images:
        assert (COMMITTED.parent / image).is_file(), image
