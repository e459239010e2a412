"""Every command of the README, run exactly as written, in a scratch copy of the project.

The commands are read from the README itself (its ``sh`` blocks and inline code that starts
with ``make`` or ``.venv/bin/catalog``); each must have a check here of what a person who
typed it would look at: the files it documents, the pages at their URLs, the exit code and
the messages. A command added to the README without a check fails
``test_every_readme_command_is_run``.

The scratch project is a copy of the repository's project files (content, themes, docs,
Makefile, pyproject.toml) whose ``.venv`` is the test run's own environment, so that `make`
finds it installed and nothing is downloaded. The commands run with the environment a person
has in a terminal: no SOURCE_DATE_EPOCH, no CI or GitHub variables, no outer make.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from terminal import ROOT, Served, fetch, port_8000_in_use, scratch_project, terminal_env

README = ROOT / "README.md"
PREVIEW = "http://127.0.0.1:8000/"
PROBLEM = re.compile(r"^\S+:\d+:\d+: (error|warning)\[[a-z-]+\]: ")
NOT_RUN = {"make test": "the suite itself: running it here would recurse"}


def readme_commands() -> list[str]:
    text = README.read_text("utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    inline = re.findall(r"`((?:make|\.venv/bin/catalog) [^`]+)`", text)
    return sorted({c for c in (*lines, *inline) if c.startswith(("make ", ".venv/bin/catalog "))})


def installed_from(venv: Path) -> str:
    """Where the venv's editable `catalog` comes from (pip's record of it)."""
    records = sorted(venv.glob("lib/python*/site-packages/catalog-*.dist-info/direct_url.json"))
    return records[0].read_text("utf-8") if records else ""


def run(command: str, project: Path) -> subprocess.CompletedProcess[str]:
    """As a shell would run it: the words of the command, in the project folder."""
    return subprocess.run(
        shlex.split(command), cwd=project, env=terminal_env(), capture_output=True, text=True, timeout=600
    )


def problems_printed(output: str) -> list[str]:
    return [line for line in output.splitlines() if PROBLEM.match(line)]


# --- what a person checks after each command ----------------------------------------------------


def check_make_site(project: Path, command: str) -> None:
    result = run(command, project)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert f"サイトを生成しました: {project}/site/index.html" in out
    assert (project / "site/index.html").is_file() and (project / "site/programs/index.html").is_file()
    printed = problems_printed(result.stderr)
    assert len(printed) == len(set(printed)), "a problem was printed twice"
    warnings = int(re.search(r"警告 (\d+) 件", result.stderr).group(1))
    assert len(printed) == warnings
    # site.yaml still has the example origin: said once, where to change it.
    origin = [line for line in printed if "warning[placeholder-origin]" in line]
    assert origin == [
        "content/site.yaml:4:1: warning[placeholder-origin]: 公開先が例の https://example.github.io のままです。"
        "ページの canonical リンク・OGP・サイトマップ・データファイルにこのアドレスが載ります。"
        "公開する前に base_url を実際の公開先に書き換えるか、--base-url で指定してください"
    ]


def check_make_site_for_a_url(project: Path, command: str) -> None:
    url = re.search(r"--base-url (\S+?)\"", command).group(1)
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    result = run(command, project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "placeholder-origin" not in result.stderr
    home = (project / "site/index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{url}">' in home
    assert f'href="{path}programs/"' in home
    assert f"<loc>{url}programs/</loc>" in (project / "site/sitemap.xml").read_text("utf-8")


def project_listing(project: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder of the project but its .venv (the test run's own): time and size."""
    found = {".": (project.stat().st_mtime_ns, 0)}
    for path in project.iterdir():
        if path.name != ".venv":
            for item in [path, *(path.rglob("*") if path.is_dir() else ())]:
                found[str(item.relative_to(project))] = (item.lstat().st_mtime_ns, item.lstat().st_size)
    return found


def check_check(project: Path, command: str) -> None:
    before = project_listing(project)
    result = run(command, project)
    assert result.returncode == 0, result.stderr
    last = result.stderr.splitlines()[-1]
    assert re.fullmatch(r"検証: \d+ ファイル、エラー 0 件、警告 \d+ 件（[0-9.]+ 秒）— 問題はありません", last), last
    assert "placeholder-origin" not in result.stderr  # a check publishes nothing
    assert not (project / "site").exists(), "check wrote the site"
    assert project_listing(project) == before, "check wrote something (it promises to write nothing, not even a cache)"


def check_new(project: Path, command: str) -> None:
    collection, slug = command.split()[2:4]
    result = run(command, project)
    created = project / "content" / collection / f"{slug}.md"
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"作成しました: content/{collection}/{slug}.md。"), result.stderr
    assert created.is_file()
    assert run(".venv/bin/catalog check", project).returncode == 0, "a new entry is a draft: it passes check"
    created.write_text(created.read_text("utf-8").replace("draft: true", "draft: false"), "utf-8")
    published = run(".venv/bin/catalog check", project)
    assert published.returncode == 1
    errors = [line for line in problems_printed(published.stderr) if ": error[" in line]
    assert errors and all(
        line.startswith(f"content/{collection}/{slug}.md:") and "error[placeholder]" in line for line in errors
    )


def check_build(project: Path, command: str) -> None:
    result = run(command, project)
    assert result.returncode == 0, result.stderr
    assert re.search(r"ビルド完了: \d+ ページ、\d+ 項目、.* → site$", result.stderr.splitlines()[-1]), result.stderr
    assert (project / "site/index.html").is_file() and (project / "site/pagefind").is_dir()


def check_guide(project: Path, command: str) -> None:
    result = run(command, project)
    assert result.returncode == 0, result.stderr
    assert (project / "docs/editing.md").read_bytes() == (ROOT / "docs/editing.md").read_bytes()


def check_review(project: Path, command: str) -> None:
    before = sorted(p.relative_to(project) for p in project.rglob("*") if ".venv" not in p.parts)
    result = run(command, project)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert re.fullmatch(
        r"確認が必要な項目: \d+件（\d{4}年\d{1,2}月\d{1,2}日時点。最終確認から12か月を超えたもの、古い順）", first
    ), first
    files = re.findall(r"^ +ファイル: (content/\S+\.md)$", result.stdout, re.M)
    assert files and all((project / f).is_file() for f in files)
    assert sorted(p.relative_to(project) for p in project.rglob("*") if ".venv" not in p.parts) == before, (
        "review wrote a file"
    )


def check_serve(project: Path, command: str) -> None:
    if port_8000_in_use():
        message = "port 8000 is in use by another program: the README's preview cannot start as written"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    served = Served(command, project)
    try:
        served.wait_for(lambda line: line.startswith(f"プレビュー: {PREVIEW}"))
        status, home = fetch(PREVIEW)
        assert status == 200 and "長野県 自治体DX人材支援カタログ" in home
        page = PREVIEW + "programs/chiiki-johoka-advisor/"
        assert fetch(page)[0] == 200
        # The editor the README points to: its page, its configuration, its local backend.
        status, editor = fetch(PREVIEW + "admin/")
        assert status == 200 and "decap-cms@" in editor and 'integrity="sha384-' in editor
        assert f"url: {PREVIEW}api/v1" in fetch(PREVIEW + "admin/config.yml")[1]
        info = urllib.request.Request(
            PREVIEW + "api/v1", data=b'{"action": "info"}', headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(info, timeout=30) as answer:
            assert answer.status == 200 and b'"publish_modes": ["simple"]' in answer.read()
        warnings_first = [line for line in served.seen if PROBLEM.match(line)]
        # An edit: the page changes by itself, and the same warnings are not printed again.
        source = project / "content/programs/chiiki-johoka-advisor.md"
        source.write_text(source.read_text("utf-8") + "\nREADME のとおりに編集した文です。\n", "utf-8")
        served.wait_for(lambda line: line.startswith("ビルド 2:"))
        assert "README のとおりに編集した文です。" in fetch(page)[1]
        assert [line for line in served.seen if PROBLEM.match(line)] == warnings_first
        # A slip: shown once, where to change it; the last good build stays served.
        text = source.read_text("utf-8")
        source.write_text(text.replace("level: national", "level:national", 1), "utf-8")
        slip = served.wait_for(lambda line: "error[yaml-syntax]" in line)
        assert (
            slip.startswith("content/programs/chiiki-johoka-advisor.md:")
            and "「:」の後に半角スペースがありません" in slip
        )
        served.wait_for(lambda line: line.startswith("問題があるため、最後に成功したビルドを表示し続けます"))
        assert fetch(page)[0] == 200
        source.write_text(text, "utf-8")
        fixed = served.wait_for(lambda line: line.startswith("直った問題"))
        same = len(warnings_first)
        assert fixed == "直った問題 1 件" + (f"、前回と同じ問題 {same} 件（表示は省きます）" if same else "")
        served.wait_for(lambda line: line.startswith("ビルド 3:"))
        assert [line for line in served.seen if PROBLEM.match(line)] == [*warnings_first, slip], (
            "a warning was printed again"
        )
    finally:
        code = served.ctrl_c()
    output = "\n".join(served.seen)
    assert "プレビューを停止しました" in output
    assert "ビルドに失敗しました" not in output
    if command.startswith(".venv/bin/catalog"):
        assert code == 0, output
    assert not port_8000_in_use()


CHECKS: dict[str, Callable[[Path, str], None]] = {
    "make site": check_make_site,
    'make site BUILD_FLAGS="--base-url https://example.org/dx-catalog/"': check_make_site_for_a_url,
    "make check": check_check,
    "make serve": check_serve,
    ".venv/bin/catalog check": check_check,
    ".venv/bin/catalog build": check_build,
    ".venv/bin/catalog serve": check_serve,
    ".venv/bin/catalog new programs my-program": check_new,
    ".venv/bin/catalog guide --output docs/editing.md": check_guide,
    ".venv/bin/catalog review": check_review,
}


def test_every_readme_command_is_run() -> None:
    commands = readme_commands()
    assert "make site" in commands and "make serve" in commands
    untested = [c for c in commands if c not in CHECKS and c not in NOT_RUN]
    assert untested == [], "README commands without a check in tests/project/test_readme.py"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("command", [c for c in readme_commands() if c in CHECKS])
def test_readme_command_as_written(command: str, tmp_path: Path) -> None:
    project = scratch_project(tmp_path / "project")
    before = installed_from(Path(sys.prefix))
    try:
        CHECKS[command](project, command)
    finally:
        assert installed_from(Path(sys.prefix)) == before, "the command reinstalled catalog from the scratch copy"
