"""`catalog review`: the entries due for review, oldest first, with their sources' URLs; writes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import write_files

from generator.cli import main


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def review(project: Path, as_of: str, capsys) -> tuple[int, str, str]:
    code = main(["review", "--project", str(project), "--as-of", as_of])
    out, err = capsys.readouterr()
    return code, out, err


def set_reviewed(project: Path, rel: str, day: str) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    write_files(project, {rel: text.replace('reviewed: "2026-06-01"', f'reviewed: "{day}"')})


def test_nothing_due_says_so_and_names_the_next_deadline(minimal_project, capsys):
    before = snapshot(minimal_project)
    code, out, err = review(minimal_project, "2026-11-26", capsys)
    assert code == 0 and err == ""
    assert out == (
        "確認が必要な項目はありません（2026年11月26日時点、確認の間隔 12か月）。\n"
        "次に確認の期限が来るのは、支援制度「アドバイザー制度」（content/programs/advisor.md）で、2027年6月1日です。\n"
    )
    assert snapshot(minimal_project) == before, "review writes nothing, not even a cache"


def test_due_entries_oldest_first_with_their_files_and_sources(minimal_project, capsys):
    set_reviewed(minimal_project, "content/cases/sharing.md", "2024-03-31")
    set_reviewed(minimal_project, "content/programs/advisor.md", "2025-01-31")
    advisor = (minimal_project / "content/programs/advisor.md").read_text("utf-8")
    write_files(
        minimal_project,
        {
            "content/programs/advisor.md": advisor.replace(
                "sources:\n",
                "sources:\n  - title: 制度の案内\n    publisher: 総務省\n    url: https://www.soumu.go.jp/advisor.html\n"
                '    accessed: "2025-01-31"\n',
            )
        },
    )
    before = snapshot(minimal_project)
    code, out, err = review(minimal_project, "2026-11-26", capsys)
    assert code == 0
    assert out == (
        "確認が必要な項目: 2件（2026年11月26日時点。最終確認から12か月を超えたもの、古い順）\n"
        "\n"
        "- [ ] 事例「人材シェアリングの事例」\n"
        "      ファイル: content/cases/sharing.md\n"
        "      最終確認日: 2024年3月31日（2年7か月前。確認の期限は2025年3月31日でした）\n"
        "      出典1: テスト資料（テスト県） （URLは書かれていません）\n"
        "\n"
        "- [ ] 支援制度「アドバイザー制度」\n"
        "      ファイル: content/programs/advisor.md\n"
        "      最終確認日: 2025年1月31日（1年9か月前。確認の期限は2026年1月31日でした）\n"
        "      公式ページ: https://www.soumu.go.jp/\n"
        "      出典1: 制度の案内（総務省、閲覧日 2025年1月31日） https://www.soumu.go.jp/advisor.html\n"
        "      出典2: テスト資料（テスト県、資料の日付 2023年10月24日） （URLは書かれていません）\n"
        "\n"
        "確認したら、内容を出典と照らして直し、reviewed を確かめた日に、各出典の accessed をその資料を読んだ日にします。"
        "確かめられなかった項目は reviewed を変えません（ページには最終確認からの期間が表示されたままになります）。\n"
    )
    assert snapshot(minimal_project) == before


def test_the_same_rule_as_the_pages_at_the_boundary(minimal_project, capsys):
    set_reviewed(minimal_project, "content/programs/advisor.md", "2025-11-26")
    assert "確認が必要な項目はありません" in review(minimal_project, "2026-11-26", capsys)[1]
    assert "- [ ] 支援制度「アドバイザー制度」" in review(minimal_project, "2026-11-27", capsys)[1]


def test_content_errors_are_reported_and_nothing_is_listed(minimal_project, capsys):
    write_files(minimal_project, {"content/programs/advisor.md": "---\ntitle: x\n---\n"})
    code, out, err = review(minimal_project, "2026-11-26", capsys)
    assert code == 1 and out == ""
    assert "content/programs/advisor.md:1:1: error[missing-field]" in err
    assert "確認の一覧を作れませんでした" in err
