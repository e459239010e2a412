"""Invalid fixture sites and the `catalog check` command.

Each folder tests/fixtures/invalid/<case>/ is an overlay on the minimal valid project
(tests/fixtures/minimal/): its files replace or add files of the project, and an optional
``delete.txt`` lists paths (one a line, relative to the project) to remove first.
``expected.txt`` holds the exact lines `catalog check --as-of 2026-11-26` prints for it,
errors and warnings, in the order the CLI prints them.

To add a case: create tests/fixtures/invalid/<new-case>/ with the overlay files, then run

    UPDATE_EXPECTED=1 .venv/bin/python -m pytest tests/content/test_check_cli.py -k new-case

which writes its expected.txt and fails, naming it (under CI=true it refuses to write). READ
the regenerated file and confirm each message is right (path, line, column, code and wording)
before committing it and running the test again without the variable: a wrong message is a
bug to fix in the generator, not an expectation to freeze. Binary inputs (Shift_JIS, UTF-16, NUL bytes,
huge files) are generated in tests/content/test_bad_inputs.py instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CHECK_AS_OF, FIXTURES, check_lines, copy_minimal_project, write_files
from expected_files import rewrite, update_requested

from generator.cli import main

INVALID = FIXTURES / "invalid"
CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())
OVERLAY_EXTRAS = {"expected.txt", "delete.txt"}
AS_OF_ARG = ["--as-of", CHECK_AS_OF.isoformat()]


def invalid_project(case: str, dest: Path) -> Path:
    """The minimal project with the overlay of tests/fixtures/invalid/<case>/ applied."""
    project = copy_minimal_project(dest)
    overlay = INVALID / case
    delete = overlay / "delete.txt"
    if delete.exists():
        for rel in delete.read_text("utf-8").split():
            target = project / rel
            shutil.rmtree(target) if target.is_dir() else target.unlink()
    for source in sorted(overlay.rglob("*")):
        rel = source.relative_to(overlay)
        if source.is_file() and str(rel) not in OVERLAY_EXTRAS:
            (project / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, project / rel)
    return project


def test_there_are_invalid_cases():
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES)
def test_invalid_fixture_site(case, tmp_path):
    lines = check_lines(invalid_project(case, tmp_path / "project"))
    expected_file = INVALID / case / "expected.txt"
    if update_requested("UPDATE_EXPECTED"):
        rewrite("UPDATE_EXPECTED", {expected_file: "".join(f"{line}\n" for line in lines).encode("utf-8")})
    expected = expected_file.read_text("utf-8").splitlines()
    assert lines == expected
    assert lines, "an invalid case must produce at least one problem"


@pytest.mark.parametrize("case", CASES)
def test_check_prints_the_expected_lines_and_fails(case, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    project = invalid_project(case, tmp_path / "project")
    expected = (INVALID / case / "expected.txt").read_text("utf-8").splitlines()
    code = main(["check", "--project", str(project), *AS_OF_ARG])
    out, err = capsys.readouterr()
    printed = err.splitlines()
    has_errors = any(": error[" in line for line in expected)
    assert code == (1 if has_errors else 0)
    assert printed[:-1] == expected
    assert printed[-1].startswith("検証: ")
    assert printed[-1].endswith("問題があります" if has_errors else "問題はありません")
    assert out == ""


def test_check_passes_on_the_minimal_project(tmp_path, capsys):
    project = copy_minimal_project(tmp_path / "project")
    assert main(["check", "--project", str(project), *AS_OF_ARG]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1].startswith("検証: 8 ファイル、エラー 0 件、警告 0 件（")
    assert err.splitlines()[-1].endswith("— 問題はありません")


def test_the_real_content_passes_check(capsys, monkeypatch):
    """The repository's own content/ (issue 2): no errors; warnings such as overdue reviews may come with time."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    root = Path(__file__).resolve().parents[2]
    lines = check_lines(root)
    assert [line for line in lines if ": error[" in line] == []
    assert main(["check", "--project", str(root), *AS_OF_ARG]) == 0
    assert capsys.readouterr().err.splitlines()[-1].endswith("問題はありません")


def test_check_writes_nothing_at_all(tmp_path):
    """Not the validation cache either: every file and folder keeps its bytes and its time,
    whether or not a build left a cache for check to read (tests/builds/test_user_paths.py runs the
    command from the project folder)."""
    project = invalid_project("warnings", tmp_path / "project")

    def listing() -> dict[str, tuple[int, bytes]]:
        return {
            str(p.relative_to(tmp_path)): (p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else b"")
            for p in [tmp_path, *tmp_path.rglob("*")]
        }

    before = listing()
    main(["check", "--project", str(project), *AS_OF_ARG])
    assert listing() == before
    assert not (project / ".catalog-cache").exists() and not (project / "site").exists()
    assert main(["build", "--project", str(project), "--no-search", "--quiet", *AS_OF_ARG]) == 0
    write_files(
        project,
        {
            "content/programs/advisor.md": (project / "content/programs/advisor.md").read_text("utf-8")
            + "\n変えた本文。\n"
        },
    )
    before = listing()
    main(["check", "--project", str(project), *AS_OF_ARG])
    assert listing() == before


def test_strict_fails_on_warnings(tmp_path, capsys):
    project = invalid_project("warnings", tmp_path / "project")
    assert main(["check", "--project", str(project), *AS_OF_ARG]) == 0
    assert main(["check", "--project", str(project), *AS_OF_ARG, "--strict"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1].endswith("— 問題があります")


def test_quiet_hides_warnings_but_not_errors(tmp_path, capsys):
    project = invalid_project("warnings", tmp_path / "project")
    write_files(project, {"content/cases/sharing.md": None})
    write_files(project, {"content/roles/cio-hosakan.md": "---\ntitle: x\n---\n"})
    main(["check", "--project", str(project), *AS_OF_ARG, "--quiet"])
    lines = capsys.readouterr().err.splitlines()
    assert not any(": warning[" in line for line in lines[:-1])
    assert any(": error[" in line for line in lines[:-1])


def test_github_actions_annotations(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    project = invalid_project("period-reversed", tmp_path / "project")
    old = (INVALID / "warnings" / "content/programs/advisor.md").read_text("utf-8")
    write_files(project, {"content/programs/old.md": old})
    assert main(["check", "--project", str(project), *AS_OF_ARG]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "::error file=content/programs/advisor.md,line=11,col=3::[invalid-period] 期間の終わり（令和6年度）が始まり（令和7年度）より前です",
        "::warning file=content/programs/old.md,line=3,col=1::[summary-long] 要約が140文字あります。"
        "検索結果では120文字ほどで切れるため、短くすることをおすすめします",
        "::warning file=content/programs/old.md,line=10,col=3::[unsourced-fact] 「terms.fiscal_rate」（措置率）の値を示す出典がありません。"
        "この値を述べている資料を sources に書き、その covers に terms.fiscal_rate を加えてください",
        "::warning file=content/programs/old.md,line=14,col=14::[covers-empty] 出典「テスト資料」が「terms.cost_coverage」（費用負担）を示すとしていますが、"
        "この項目にはその値が書かれていません。値を書くか、covers から外してください",
        "::warning file=content/programs/old.md,line=16,col=1::[review-overdue] 最終確認日（令和6年11月26日）から2年たっています（確認の間隔: 12か月）。"
        "出典と公式の情報で内容を確かめ、reviewed を確かめた日に更新してください",
    ]
    assert "content/programs/advisor.md:11:3: error[invalid-period]" in err


def test_annotations_escape_commas_colons_and_newlines(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    project = copy_minimal_project(tmp_path / "project")
    write_files(project, {"content/programs/a,b:c.md": "x"})
    main(["check", "--project", str(project), *AS_OF_ARG])
    out = capsys.readouterr().out
    assert "::error file=content/programs/a%2Cb%3Ac.md,line=1,col=1::[invalid-slug]" in out


def test_hostile_keys_print_on_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    project = copy_minimal_project(tmp_path / "project")
    text = (project / "content/partners/example-corp.md").read_text("utf-8")
    write_files(
        project, {"content/partners/example-corp.md": text.replace("agreement:", '"a\\nb\\e[2J": 1\nagreement:')}
    )
    assert main(["check", "--project", str(project), *AS_OF_ARG]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("content/partners/example-corp.md:4:1: error[")
    assert "a\\nb\\x1b[2J" in lines[0]
    assert "\x1b" not in "".join(lines)
    assert len(lines) == 2


def test_no_annotations_outside_github_actions(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    project = invalid_project("period-reversed", tmp_path / "project")
    main(["check", "--project", str(project), *AS_OF_ARG])
    assert capsys.readouterr().out == ""


def test_a_missing_project_folder(tmp_path, capsys):
    assert main(["check", "--project", str(tmp_path / "nowhere"), *AS_OF_ARG]) == 1
    assert (
        f"content:0:0: error[no-content]: content/ フォルダがありません（{tmp_path / 'nowhere'}）"
        in capsys.readouterr().err
    )


def test_wrong_command_lines_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--as-of", "2026/11/26"])
    assert exit_info.value.code == 2
    assert "日付は YYYY-MM-DD で指定してください: 2026/11/26" in capsys.readouterr().err
    assert main([]) == 2


def test_check_as_a_subprocess(tmp_path):
    """The real entry point: `python -m generator check`, exit code and no traceback."""
    project = invalid_project("yaml-syntax", tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--project", str(project), *AS_OF_ARG],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = (INVALID / "yaml-syntax" / "expected.txt").read_text("utf-8").splitlines()
    assert result.stderr.splitlines()[:-1] == expected
