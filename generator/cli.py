"""The `catalog` command: argument parsing, reporting and exit codes only.

Exit codes:
  0  success (warnings may have been printed)
  1  the content has errors (or warnings, with --strict); nothing was written
  2  the command line is wrong
  3  the build failed for another reason (e.g. the search indexer); nothing was written
  130 interrupted (Ctrl-C); nothing was written
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from . import __version__
from .config import AddressError, BuildOptions, build_date, parse_base_path, parse_base_url, resolve_options
from .problems import Problem, has_errors, summary_line

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def run() -> None:
    """The ``catalog`` command (and ``python -m generator``): the process ends with the command."""
    sys.exit(main(ending=True))


def main(argv: Sequence[str] | None = None, *, ending: bool = False) -> int:
    """Run one command; ``ending`` when the process exits right after it."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    ends_fast = ending and args.command in ("build", "check")
    if ends_fast:
        # The cycle collector stays off until the process exits: turned on again after
        # a build, it would first walk every object the build made (0.2 s at 10,000
        # entries) to find next to no garbage. (The dev server, long-lived, keeps it.)
        gc.disable()
    # SIGTERM (CI cancelling a job) unwinds like Ctrl-C, so temporary output is removed.
    signal.signal(signal.SIGTERM, _terminated)
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        print("\n中断しました。出力フォルダは変更していません。", file=sys.stderr)
        code = EXIT_INTERRUPTED
    if ends_fast:
        # Every file is written and closed, every child process waited for: the
        # interpreter's teardown would only free, one by one, the millions of objects
        # of the build (0.35 s at 10,000 entries). End the process now.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="catalog", description="DX人材支援カタログの静的サイトを生成します。")
    parser.add_argument("--version", action="version", version=f"catalog {__version__}")
    sub = parser.add_subparsers(dest="command")

    check = sub.add_parser("check", help="コンテンツを検証します（何も書き込みません）")
    project_options(check)
    check.set_defaults(run=_check, parser=check)

    _build_command(sub)

    new = sub.add_parser("new", help="新しい項目のひな形を書きます")
    new.add_argument("collection", help="種類: programs, partners, cases, roles, pages")
    new.add_argument("slug", help="ファイル名（URLになります。半角英小文字・数字・ハイフン）")
    new.add_argument("--project", type=Path, default=Path("."), help="プロジェクトのフォルダ（既定: いまのフォルダ）")
    new.set_defaults(run=_new)

    serve = sub.add_parser("serve", help="プレビュー用のサーバーを起動し、変更を見て自動で再読み込みします")
    project_options(serve)
    serve.add_argument(
        "--host", default="127.0.0.1", help="待ち受けるアドレス（既定: 127.0.0.1。このパソコンからだけ見られます）"
    )
    serve.add_argument("--port", type=int, default=8000, help="ポート番号（既定: 8000。0 なら空いている番号）")
    serve.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help="検索インデックスを作りません（再ビルドが速くなります）",
    )
    serve.set_defaults(run=_serve, parser=serve)

    _review_command(sub)

    guide = sub.add_parser("guide", help="編集者向けガイド（Markdown）をスキーマから生成します")
    guide.add_argument("--output", type=Path, default=None, help="書き込むファイル（既定: 標準出力）")
    guide.set_defaults(run=_guide)
    return parser


def project_options(p: argparse.ArgumentParser) -> None:
    """The options of every command that reads a project: check, build, serve."""
    _where_and_when(p, "この日付で制度の状況（実施中・終了）を判定します")
    p.add_argument("--drafts", action="store_true", help="下書き（draft: true）も含めます")
    p.add_argument("--strict", action="store_true", help="警告もエラーとして扱います")
    p.add_argument("--quiet", action="store_true", help="問題と最後の要約だけを表示します")


def _where_and_when(p: argparse.ArgumentParser, as_of_help: str) -> None:
    """--project and --as-of: every command that reads the content (review too)."""
    p.add_argument(
        "--project",
        type=Path,
        default=Path("."),
        help="プロジェクトのフォルダ（content/ があるところ。既定: いまのフォルダ）",
    )
    p.add_argument(
        "--as-of",
        type=_as_of,
        default=None,
        metavar="YYYY-MM-DD",
        help=f"{as_of_help}（既定: SOURCE_DATE_EPOCH または今日）",
    )


def _build_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    build = sub.add_parser("build", help="検証してサイトを生成します")
    project_options(build)
    build.add_argument("--output", type=Path, default=None, help="出力先フォルダ（既定: プロジェクトの site/）")
    build.add_argument(
        "--base-url",
        type=_base_url,
        default=None,
        help="公開先の URL（例: https://example.org または https://example.org/dx-catalog/。"
        "パスまで書くとそれが公開先のパスになります）。site.yaml より優先",
    )
    build.add_argument(
        "--base-path", type=_base_path, default=None, help="公開先のパス（例: /dx-catalog/）。site.yaml より優先"
    )
    build.add_argument("--no-search", dest="search", action="store_false", help="検索インデックスを作りません")
    build.set_defaults(run=_build, parser=build)


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日付は YYYY-MM-DD で指定してください: {text}") from None


def _base_url(text: str) -> str:
    """The rule of site.yaml's base_url (config.parse_base_url); resolve_options splits it."""
    try:
        parse_base_url(text)
    except AddressError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _base_path(text: str) -> str:
    """The rule of site.yaml's base_path (config.parse_base_path)."""
    try:
        return parse_base_path(text)
    except AddressError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _options(args: argparse.Namespace) -> BuildOptions:
    """The options of this run, resolved where every caller resolves them; a conflict is a usage error."""
    try:
        return resolve_options(
            args.project,
            output=getattr(args, "output", None),
            as_of=args.as_of,
            drafts=args.drafts,
            strict=args.strict,
            search=getattr(args, "search", True),
            quiet=args.quiet,
            base_url=getattr(args, "base_url", None),
            base_path=getattr(args, "base_path", None),
        )
    except AddressError as exc:
        args.parser.error(str(exc))  # exits with EXIT_USAGE
        raise


def report(problems: Sequence[Problem], *, quiet: bool = False) -> None:
    """Problems to stderr, and as workflow annotations when running in GitHub Actions."""
    for problem in problems:
        if quiet and not problem.is_error:
            continue
        print(problem.format(), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            print(problem.github_annotation())


def _check(args: argparse.Namespace) -> int:
    from .pipeline import check

    options = _options(args)
    started = time.perf_counter()
    loaded = check(options)  # writes nothing, not even the validation cache (it may read it)
    report(loaded.problems, quiet=options.quiet)
    failed = has_errors(loaded.problems, strict=options.strict)
    verdict = "問題があります" if failed else "問題はありません"
    print(
        f"検証: {loaded.files} ファイル、{summary_line(loaded.problems)}（{time.perf_counter() - started:.2f} 秒）— {verdict}",
        file=sys.stderr,
    )
    return EXIT_CONTENT if failed else EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from .pipeline import build

    options = _options(args)
    progress = _progress(options.quiet)
    try:
        result = build(options, progress=progress)
    finally:
        if progress is not None:
            progress.clear()  # the problems and the last line start on a line of their own
    report(result.problems, quiet=options.quiet)
    if not result.ok:
        # A search-index failure is not the content's fault: exit 3, not 1.
        content_failed = has_errors([p for p in result.problems if p.code != "search-index"], strict=options.strict)
        print(
            f"ビルドを中止しました: {summary_line(result.problems)}。出力フォルダは変更していません。", file=sys.stderr
        )
        return EXIT_CONTENT if content_failed else EXIT_FAILED
    warnings = sum(1 for p in result.problems if not p.is_error)
    search = ""
    if result.search is not None:
        stats = result.search
        count = len(stats.shards)
        if stats.reused:
            how = "再利用" if count <= 1 else f"索引 {count} 個とも再利用"
        elif count > 1:
            how = f"索引 {count} 個のうち {count - len(stats.reused_shards)} 個を作成、{stats.seconds:.1f} 秒"
        else:
            how = f"{stats.seconds:.1f} 秒"
        search = f"、検索 {stats.pages} ページ {stats.bytes / 1_000_000:.1f} MB（{how}）"
    print(
        f"ビルド完了: {result.pages} ページ、{result.entries} 項目、{result.files} ファイル（更新 {result.written}）"
        f"{search}、警告 {warnings} 件、{result.seconds:.2f} 秒 → {options.output}",
        file=sys.stderr,
    )
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from .editor.scaffold import Refused, create_entry

    result = create_entry(args.project, args.collection, args.slug, today=build_date())
    if isinstance(result, Refused):
        print(f"作成できません: {result.message}", file=sys.stderr)
        return EXIT_CONTENT
    print(
        f"作成しました: {result.path}。「# ← 書き換えてください」の値を書き換えてその印を消し、make check（または .venv/bin/catalog check）で確かめてください",
        file=sys.stderr,
    )
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from .serve import ServeOptions, run

    return run(ServeOptions(_options(args), host=args.host, port=args.port))


def _guide(args: argparse.Namespace) -> int:
    from .editor.guide import render_guide

    text = render_guide()
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8", newline="\n")
        print(f"書き込みました: {args.output}", file=sys.stderr)
    return EXIT_OK


# --- catalog review (issue 15): the yearly review as a checklist --------------------------


def _review_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    review = sub.add_parser(
        "review", help="最終確認から期間がたち、確認が必要な項目を古い順に一覧にします（何も書き込みません）"
    )
    _where_and_when(review, "この日付で確認の期限を判定します")
    review.set_defaults(run=_review)


def _review(args: argparse.Namespace) -> int:
    """Print the entries due for review; content errors are reported and exit 1. Writes nothing."""
    from .editor.review import review_report
    from .pipeline import check

    loaded = check(resolve_options(args.project, as_of=args.as_of))  # the date as every command resolves it
    if loaded.site is None:
        report([p for p in loaded.problems if p.is_error])
        print(
            f"確認の一覧を作れませんでした: {summary_line(loaded.problems)}。catalog check で問題を直してください。",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    sys.stdout.write(review_report(loaded.site))
    return EXIT_OK


class _Progress:
    """Progress of a long build on a terminal: one line, rewritten in place, erased when the build ends."""

    LABELS = {"render": "ページを作成しています", "write": "ファイルを書き込んでいます"}
    ERASE = "\r\x1b[2K"

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        label = self.LABELS.get(stage, stage)
        counted = f" {done}/{total}" if total > 1 else ""
        print(f"{self.ERASE}{label}…{counted}", end="", file=sys.stderr, flush=True)
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            print(self.ERASE, end="", file=sys.stderr, flush=True)
            self.shown = False


def _progress(quiet: bool) -> _Progress | None:
    if quiet or not sys.stderr.isatty():
        return None
    return _Progress()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
