"""Every command and option of docs/reference.md, run the way a person runs it.

tests/project/test_readme.py runs the README's own commands word for word; this file covers the
rest of the command line the same way: the installed ``catalog`` command in a separate
process, started in the project folder (or, where that is the point, elsewhere), with a
terminal's environment (no SOURCE_DATE_EPOCH, CI or GitHub variables) and the defaults
untouched unless the option under test changes them. Each check is what the person would
look at: the files written where the reference says, the addresses in the output, the exit
code and the message.

Each default has one test that relies on it:

- the project is the working folder: ``test_check_in_the_project_folder_writes_nothing_at_all``
  (and every test here that runs without ``--project``);
- the output is the project's ``site/``, wherever the command is run:
  ``test_build_of_another_folder_writes_into_that_folders_site``;
- the date is today in Japan: ``test_without_a_date_the_build_states_today_in_japan``;
  SOURCE_DATE_EPOCH read as a day in Japan: ``test_source_date_epoch_is_read_as_a_day_in_japan``;
- the preview listens on loopback only: ``test_serve_on_another_address_warns`` and its IPv6 twin.
"""

from __future__ import annotations

import csv
import io
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from conftest import MINIMAL_PROJECT, write_files
from terminal import ctrl_c_default

ROOT = Path(__file__).resolve().parents[2]
JAPAN = timezone(timedelta(hours=9))
PROGRAM = "content/programs/advisor.md"
LAST_LINE = re.compile(
    r"ビルド完了: (\d+) ページ、(\d+) 項目、(\d+) ファイル（更新 (\d+)）(、検索 [^、]+)?、警告 (\d+) 件、[0-9.]+ 秒 → (.+)"
)


def catalog_command() -> list[str]:
    """The installed command, as `make site` leaves it in .venv/bin (else the module, for a bare checkout)."""
    installed = Path(sys.prefix) / "bin" / "catalog"
    return [str(installed)] if installed.is_file() else [sys.executable, "-m", "generator"]


def terminal_env(**extra: str) -> dict[str, str]:
    drop = {"SOURCE_DATE_EPOCH", "CI", "GITHUB_ACTIONS", "MAKELEVEL", "MAKEFLAGS", "MFLAGS", "PYTEST_CURRENT_TEST"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PYTHONPATH"] = str(ROOT)  # only used by the module fallback; the installed command ignores it
    env.update(extra)
    return env


def catalog(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*catalog_command(), *args], cwd=cwd, env=terminal_env(**env), capture_output=True, text=True, timeout=300
    )


def project_folder(dest: Path, source: Path = MINIMAL_PROJECT) -> Path:
    shutil.copytree(source / "content", dest / "content")
    return dest


def listing(root: Path) -> dict[str, tuple[str, int, int, bytes]]:
    """Everything under ``root`` and ``root`` itself: kind, mtime, size and bytes, by path."""
    found = {}
    for path in [root, *sorted(root.rglob("*"))]:
        info = path.lstat()
        kind = "dir" if path.is_dir() else "file"
        data = path.read_bytes() if kind == "file" else b""
        found[path.relative_to(root).as_posix()] = (kind, info.st_mtime_ns, info.st_size, data)
    return found


def today_in_japan() -> date:
    return datetime.now(JAPAN).date()


# --- check ---------------------------------------------------------------------------------------


def test_check_in_the_project_folder_writes_nothing_at_all(tmp_path: Path) -> None:
    """`catalog check` promises to write nothing: not a cache, not a folder, not a changed time,
    in the project or beside it, whether or not a build left a cache to read."""
    project = project_folder(tmp_path / "project")
    write_files(
        project,
        {
            "content/programs/draft.md": (MINIMAL_PROJECT / PROGRAM).read_text("utf-8").replace("draft: false", "")
            + "\n"
        },
    )
    before = listing(tmp_path)
    time.sleep(0.01)  # a file written now would get a later time
    result = catalog("check", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1].endswith("— 問題はありません")
    assert listing(tmp_path) == before
    assert not (project / ".catalog-cache").exists()

    # After a build, check may read the cache it left; it still writes nothing, with any options.
    assert catalog("build", "--no-search", "--as-of", "2026-11-26", cwd=project).returncode == 0
    before = listing(tmp_path)
    time.sleep(0.01)
    for options in ([], ["--as-of", "2026-11-26"], ["--drafts"], ["--strict"], ["--quiet"]):
        assert catalog("check", *options, cwd=project).returncode == 0, options
    write_files(project, {"content/programs/broken.md": "---\ntitle: [\n---\n"})
    before = listing(tmp_path)
    time.sleep(0.01)
    failed = catalog("check", cwd=project)
    assert failed.returncode == 1 and "content/programs/broken.md:" in failed.stderr
    assert listing(tmp_path) == before


# --- build ---------------------------------------------------------------------------------------


def test_build_of_another_folder_writes_into_that_folders_site(tmp_path: Path) -> None:
    project = project_folder(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = catalog("build", "--project", "../project", "--no-search", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert LAST_LINE.fullmatch(result.stderr.splitlines()[-1]).group(7) == "../project/site"
    assert (project / "site/index.html").is_file() and (project / "site/programs/advisor/index.html").is_file()
    assert list(elsewhere.iterdir()) == [], "the build wrote into the working folder"


def test_build_into_a_chosen_output_folder(tmp_path: Path) -> None:
    project = project_folder(tmp_path / "project")
    result = catalog("build", "--output", "../public", "--no-search", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1].endswith(" → ../public")
    assert (tmp_path / "public/index.html").is_file()
    assert not (project / "site").exists()


def test_without_a_date_the_build_states_today_in_japan(tmp_path: Path) -> None:
    """No --as-of, no SOURCE_DATE_EPOCH: the day in Japan, also on a machine whose clock is 12 hours behind UTC."""
    project = project_folder(tmp_path / "project")
    before = today_in_japan()
    result = catalog("build", "--no-search", cwd=project, TZ="Etc/GMT+12")
    after = today_in_japan()
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO((project / "site/data/programs.csv").read_bytes().decode("utf-8-sig"))))
    assert rows[0]["status_as_of"] in {before.isoformat(), after.isoformat()}


def epoch_of(moment: datetime) -> str:
    return str(int(moment.timestamp()))


def test_source_date_epoch_is_read_as_a_day_in_japan(tmp_path: Path) -> None:
    """15:30 UTC on 31 March is 00:30 on 1 April in Japan: a program of 令和8年度 has started."""
    project = project_folder(tmp_path / "project")
    text = (
        (project / PROGRAM)
        .read_text("utf-8")
        .replace("start: 令和5年度", "start: 令和8年度")
        .replace("end: 令和9年度", "end: 令和8年度")
    )
    write_files(project, {PROGRAM: text})
    moment = datetime(2026, 3, 31, 15, 30, tzinfo=UTC)
    result = catalog("build", "--no-search", cwd=project, SOURCE_DATE_EPOCH=epoch_of(moment), TZ="UTC")
    assert result.returncode == 0, result.stderr
    page = (project / "site/programs/advisor/index.html").read_text("utf-8")
    assert "状況: </span>実施中</span>" in page and "開始予定" not in page
    rows = list(csv.DictReader(io.StringIO((project / "site/data/programs.csv").read_bytes().decode("utf-8-sig"))))
    assert (rows[0]["status"], rows[0]["status_as_of"]) == ("active", "2026-04-01")
    # An hour earlier it is still 31 March in Japan too.
    result = catalog(
        "build", "--no-search", cwd=project, SOURCE_DATE_EPOCH=epoch_of(moment - timedelta(hours=1)), TZ="UTC"
    )
    assert result.returncode == 0, result.stderr
    assert "状況: </span>開始予定</span>" in (project / "site/programs/advisor/index.html").read_text("utf-8")


def test_base_url_and_base_path_on_a_real_build(tmp_path: Path) -> None:
    project = project_folder(tmp_path / "project")
    result = catalog("build", "--base-url", "https://pref.example.jp", "--base-path", "/dx/", cwd=project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    page = (site / "programs/advisor/index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://pref.example.jp/dx/programs/advisor/">' in page
    assert 'href="/dx/programs/"' in page and 'href="/programs/' not in page
    assert "<loc>https://pref.example.jp/dx/programs/advisor/</loc>" in (site / "sitemap.xml").read_text("utf-8")
    assert "Sitemap: https://pref.example.jp/dx/sitemap.xml" in (site / "robots.txt").read_text("utf-8")
    assert '"url": "https://pref.example.jp/dx/programs/advisor/"' in (site / "data/programs.json").read_text(
        "utf-8"
    ).replace('":"', '": "')
    assert (site / "pagefind/pagefind.js").is_file()
    # The two disagree: a usage error, nothing written.
    shutil.rmtree(site)
    wrong = catalog("build", "--base-url", "https://pref.example.jp/dx/", "--base-path", "/other/", cwd=project)
    assert wrong.returncode == 2 and "--base-url のパス（/dx/）と --base-path（/other/）が違います" in wrong.stderr
    assert not site.exists()


def test_drafts_on_the_command_line(tmp_path: Path) -> None:
    """A draft is left out of a build and may not be referenced; --drafts includes it, marked."""
    project = project_folder(tmp_path / "project")
    draft = (
        (project / PROGRAM).read_text("utf-8").replace("title: アドバイザー制度", "title: 準備中の制度\ndraft: true")
    )
    case = (project / "content/cases/sharing.md").read_text("utf-8")
    write_files(project, {"content/programs/planned.md": draft})
    built = catalog("build", "--no-search", cwd=project)
    assert built.returncode == 0, built.stderr
    assert not (project / "site/programs/planned").exists()
    with_drafts = catalog("build", "--no-search", "--drafts", cwd=project)
    assert with_drafts.returncode == 0, with_drafts.stderr
    page = (project / "site/programs/planned/index.html").read_text("utf-8")
    assert "このページは下書きです。公開サイトには出ません。" in page
    assert '<meta name="robots" content="noindex">' in page
    # A published case that names the draft: an error unless drafts are included.
    write_files(project, {"content/cases/sharing.md": case.replace("  - advisor\n", "  - advisor\n  - planned\n", 1)})
    refused = catalog("check", cwd=project)
    assert refused.returncode == 1
    assert (
        "error[draft-reference]: 「programs/planned」は下書き（draft: true）なので、公開される項目から参照できません"
        in refused.stderr
    )
    assert catalog("check", "--drafts", cwd=project).returncode == 0


def test_strict_quiet_and_no_search(tmp_path: Path) -> None:
    project = project_folder(tmp_path / "project")
    text = (project / PROGRAM).read_text("utf-8").replace('reviewed: "2026-06-01"', 'reviewed: "2020-06-01"')
    write_files(project, {PROGRAM: text})
    plain = catalog("build", "--no-search", "--as-of", "2026-11-26", cwd=project)
    assert plain.returncode == 0
    assert any("warning[review-overdue]" in line for line in plain.stderr.splitlines())
    assert "検索" not in plain.stderr.splitlines()[-1] and not (project / "site/pagefind").exists()
    quiet = catalog("build", "--no-search", "--as-of", "2026-11-26", "--quiet", cwd=project)
    assert quiet.returncode == 0 and len(quiet.stderr.splitlines()) == 1 and LAST_LINE.fullmatch(quiet.stderr.strip())
    before = listing(project / "site")
    strict = catalog("build", "--no-search", "--as-of", "2026-11-26", "--strict", cwd=project)
    assert strict.returncode == 1
    assert (
        strict.stderr.splitlines()[-1]
        == "ビルドを中止しました: エラー 0 件、警告 1 件。出力フォルダは変更していません。"
    )
    assert listing(project / "site") == before


def run_on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """The command with a pseudo-terminal as its screen: what a person sees, control characters included."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [*catalog_command(), *args],
        cwd=cwd,
        env=terminal_env(),
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        close_fds=True,
    )
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the command closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    return process.wait(timeout=300), seen.decode("utf-8")


def test_progress_on_a_terminal_is_erased_before_the_last_line(tmp_path: Path) -> None:
    project = project_folder(tmp_path / "project")
    code, screen = run_on_a_terminal(["build", "--no-search", "--as-of", "2026-11-26"], project)
    assert code == 0, screen
    assert "\r\x1b[2Kページを作成しています…" in screen
    # What remains on the screen: the progress line was erased, the last line starts a line of its own.
    assert screen.rsplit("\r\x1b[2K", 1)[1].startswith("ビルド完了: ")
    code, quiet = run_on_a_terminal(["build", "--no-search", "--as-of", "2026-11-26", "--quiet"], project)
    assert code == 0 and "\x1b" not in quiet and quiet.startswith("ビルド完了: ")
    assert "\x1b" not in catalog("build", "--no-search", "--as-of", "2026-11-26", cwd=project).stderr  # not a terminal


# --- the other commands --------------------------------------------------------------------------


def test_version_and_help() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    shown = catalog("--version", cwd=ROOT)
    assert (shown.returncode, shown.stdout) == (0, f"catalog {version}\n")
    bare = catalog(cwd=ROOT)
    assert bare.returncode == 2 and "{check,build,new,serve,review,guide}" in bare.stdout
    wrong = catalog("build", "--as-of", "2026/11/26", cwd=ROOT)
    assert wrong.returncode == 2 and "日付は YYYY-MM-DD で指定してください: 2026/11/26" in wrong.stderr


def test_guide_to_the_terminal_is_the_committed_guide() -> None:
    shown = catalog("guide", cwd=ROOT)
    assert shown.returncode == 0 and shown.stdout == (ROOT / "docs/editing.md").read_text("utf-8")


def test_review_in_the_project_folder(tmp_path: Path) -> None:
    """The yearly review of the real content, as an editor runs it: today's date, nothing written."""
    project = project_folder(tmp_path / "project", ROOT)
    before = listing(tmp_path)
    shown = catalog("review", cwd=project)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    day = today_in_japan()
    header = re.fullmatch(
        r"(確認が必要な項目: (\d+)件|確認が必要な項目はありません)（(\d+)年(\d+)月(\d+)日時点.*", lines[0]
    )
    assert header, lines[0]
    assert date(*map(int, header.group(3, 4, 5))) in {day, today_in_japan()}
    for path in re.findall(r"ファイル: (\S+)", shown.stdout):
        assert (project / path).is_file(), path
    assert len(re.findall(r"^- \[ \] ", shown.stdout, re.M)) == int(header.group(2) or 0)
    assert listing(tmp_path) == before


def test_new_in_another_project_and_refusals(tmp_path: Path) -> None:
    project = project_folder(tmp_path / "project")
    made = catalog("new", "roles", "data-lead", "--project", str(project), cwd=tmp_path)
    assert made.returncode == 0 and (project / "content/roles/data-lead.md").is_file()
    again = catalog("new", "roles", "data-lead", cwd=project)
    assert again.returncode == 1 and again.stderr.startswith("作成できません: ")
    assert catalog("new", "roles", "Data_Lead", cwd=project).returncode == 1
    assert catalog("new", "nothing", "x", cwd=project).returncode == 1


# --- serve ---------------------------------------------------------------------------------------


class Preview:
    """`catalog serve` on a free port, its terminal read until the address is printed."""

    def __init__(self, project: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [*catalog_command(), "serve", "--port", "0", "--no-search", *args],
            cwd=project,
            env=terminal_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            preexec_fn=ctrl_c_default,
        )
        self.lines: list[str] = []
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("プレビュー: "):
                break
        else:
            raise AssertionError("serve stopped:\n" + "\n".join(self.lines))
        self.url = re.match(r"プレビュー: (\S+?)（", self.lines[-1]).group(1)

    def stop(self) -> tuple[int, list[str]]:
        os.killpg(self.process.pid, signal.SIGINT)
        out, _ = self.process.communicate(timeout=60)
        return self.process.returncode, self.lines + out.splitlines()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def test_serve_on_another_address_warns(tmp_path: Path) -> None:
    """--host 0.0.0.0 listens on every interface: said before the address. (Fetched over loopback only.)"""
    project = project_folder(tmp_path / "project")
    preview = Preview(project, "--host", "0.0.0.0")
    try:
        assert (
            preview.lines[-2] == "注意: --host 0.0.0.0 では、同じネットワークのほかの端末からもこのプレビューが見えます"
        )
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", preview.url)
        assert get(preview.url)[0] == 200
    finally:
        code, lines = preview.stop()
    assert code == 0 and lines[-1] == "プレビューを停止しました"


def test_serve_on_ipv6_loopback(tmp_path: Path) -> None:
    project = project_folder(tmp_path / "project")
    preview = Preview(project, "--host", "::1")
    try:
        assert re.fullmatch(r"http://\[::1\]:\d+/", preview.url)
        assert not any(line.startswith("注意:") for line in preview.lines)
        status, page = get(preview.url + "programs/advisor/")
        assert status == 200 and "アドバイザー制度" in page
    finally:
        code, _ = preview.stop()
    assert code == 0


def test_serve_strict_keeps_a_warning_from_being_served(tmp_path: Path) -> None:
    project = project_folder(tmp_path / "project")
    text = (project / PROGRAM).read_text("utf-8").replace('reviewed: "2026-06-01"', 'reviewed: "2020-06-01"')
    write_files(project, {PROGRAM: text})
    preview = Preview(project, "--strict", "--as-of", "2026-11-26")
    try:
        assert any(line.startswith(f"{PROGRAM}:") and "warning[review-overdue]" in line for line in preview.lines)
        status, page = get(preview.url)
        assert status == 503 and "review-overdue" in get(preview.url + "_catalog/problems.json")[1]
    finally:
        preview.stop()
    relaxed = Preview(project, "--as-of", "2026-11-26")
    try:
        assert get(relaxed.url)[0] == 200
    finally:
        relaxed.stop()


def test_serve_quiet_says_only_problems_and_the_address(tmp_path: Path) -> None:
    project = project_folder(tmp_path / "project")
    text = (project / PROGRAM).read_text("utf-8").replace('reviewed: "2026-06-01"', 'reviewed: "2020-06-01"')
    write_files(project, {PROGRAM: text})
    preview = Preview(project, "--quiet", "--as-of", "2026-11-26")
    try:
        page = preview.url + "programs/advisor/"
        assert get(page)[0] == 200
        write_files(project, {PROGRAM: text + "\n静かなプレビューで足した文です。\n"})
        deadline = time.monotonic() + 60
        while "静かなプレビューで足した文です。" not in get(page)[1]:
            assert time.monotonic() < deadline, "the edit was not rebuilt"
            time.sleep(0.2)
    finally:
        code, lines = preview.stop()
    assert code == 0
    assert [line.split(":")[0] for line in lines] == [
        PROGRAM,
        "プレビュー",
        "前回と同じ問題 1 件（表示は省きます）",
        "停止しています…",
        "プレビューを停止しました",
    ], lines
