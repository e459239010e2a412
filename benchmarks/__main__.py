"""`python -m benchmarks {corpus,run,serve,profile,floor}`: argument parsing only."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="Benchmarks of the catalog generator.")
    sub = parser.add_subparsers(dest="command", required=True)

    corpus = sub.add_parser("corpus", help="write a valid catalog project with N generated entries")
    corpus.add_argument("--entries", type=_entries, required=True, metavar="N")
    corpus.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="project folder to write (content/ is created in it)"
    )
    corpus.add_argument("--seed", type=int, default=1, metavar="S")
    corpus.set_defaults(run=_corpus)

    run = sub.add_parser("run", help="time cold, no-op and incremental builds (and Hugo, when installed)")
    run.add_argument("--entries", type=_entries, nargs="+", default=[1000, 10000], metavar="N")
    run.add_argument(
        "--runs", type=_positive, default=3, help="measurements per scenario; medians are reported (default 3)"
    )
    run.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the results as JSON")
    run.add_argument("--no-hugo", dest="hugo", action="store_false", help="do not build the same entries with Hugo")
    run.add_argument(
        "--no-search-variant",
        dest="search_variant",
        action="store_false",
        help="measure only --no-search builds (skips the search-index variant)",
    )
    run.add_argument(
        "--scenarios", nargs="+", default=None, metavar="NAME", help="only these of: cold noop edit-entry edit-template"
    )
    run.add_argument(
        "--workdir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where corpora are written (default: a temporary folder, removed afterwards)",
    )
    run.add_argument("--seed", type=int, default=1)
    run.add_argument(
        "--generator",
        type=Path,
        action="append",
        default=None,
        metavar="DIR",
        help="measure the generator in DIR (a checkout or `git archive` of a commit) instead of the installed one; "
        "twice: both, each scenario built by one then the other (a before/after table compares them)",
    )
    run.add_argument(
        "--label", default="", help="a note printed with the results and stored in the JSON (e.g. the commit)"
    )
    run.set_defaults(run=_run)

    serve = sub.add_parser(
        "serve", help="time save → changed page served with `catalog serve` (one entry's body edited)"
    )
    where = serve.add_mutually_exclusive_group(required=True)
    where.add_argument("--entries", type=_entries, default=None, metavar="N", help="a generated corpus of N entries")
    where.add_argument(
        "--content",
        type=Path,
        default=None,
        metavar="DIR",
        help="a copy of this content/ folder (e.g. the repository's)",
    )
    serve.add_argument("--edits", type=_positive, default=10, help="measured edits after one warm-up (default 10)")
    serve.add_argument(
        "--entry",
        default=None,
        metavar="PATH",
        help="the file to edit, e.g. content/cases/x.md (default: the first case)",
    )
    serve.add_argument("--search", action="store_true", help="serve with the search index (default: --no-search)")
    serve.add_argument("--workdir", type=Path, default=None, metavar="DIR")
    serve.add_argument("--seed", type=int, default=1)
    serve.add_argument("--generator", type=Path, default=None, metavar="DIR", help="as for run")
    serve.add_argument("--label", default="")
    serve.add_argument("--json", type=Path, default=None, metavar="FILE")
    serve.set_defaults(run=_serve)

    profile = sub.add_parser(
        "profile", help="time the stages of one cold build in-process and profile it with cProfile"
    )
    profile.add_argument("--entries", type=_entries, default=10000, metavar="N")
    profile.add_argument("--search", action="store_true", help="include the search index (default: --no-search)")
    profile.add_argument("--top", type=_positive, default=25, help="how many functions to list")
    profile.add_argument("--workdir", type=Path, default=None, metavar="DIR")
    profile.add_argument("--seed", type=int, default=1)
    profile.set_defaults(run=_profile)

    floor = sub.add_parser("floor", help="time the bare loop (read, YAML, Python-Markdown, Jinja2, write) beside Hugo")
    floor.add_argument(
        "--project", type=Path, required=True, metavar="DIR", help="a project, e.g. one written by `corpus`"
    )
    floor.add_argument("--runs", type=_positive, default=3)
    floor.add_argument("--processes", type=_positive, nargs="+", default=[1, 2], metavar="P")
    floor.add_argument("--no-hugo", dest="hugo", action="store_false")
    floor.set_defaults(run=_floor)

    args = parser.parse_args(argv)
    return args.run(args)


def _entries(text: str) -> int:
    value = _positive(text)
    if value < 4:
        raise argparse.ArgumentTypeError("at least 4 entries (one per collection)")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be positive: {text}")
    return value


def _corpus(args: argparse.Namespace) -> int:
    from .corpus import generate, write_corpus

    files = generate(args.entries, args.seed)
    try:
        write_corpus(files, args.out, entries=args.entries, seed=args.seed)
    except FileExistsError as exc:
        print(exc, file=sys.stderr)
        return 2
    size = sum(len(text.encode("utf-8")) for text in files.values())
    print(f"{len(files)} files, {size / 1e6:.1f} MB → {args.out}", file=sys.stderr)
    return 0


def _run(args: argparse.Namespace) -> int:
    from .run import SCENARIOS, run_benchmarks

    scenarios = tuple(args.scenarios or SCENARIOS)
    unknown = [s for s in scenarios if s not in SCENARIOS]
    if unknown:
        print(f"unknown scenario: {', '.join(unknown)} (choose from {', '.join(SCENARIOS)})", file=sys.stderr)
        return 2
    return run_benchmarks(
        entries=args.entries,
        runs=args.runs,
        json_path=args.json,
        hugo=args.hugo,
        search_variant=args.search_variant,
        scenarios=scenarios,
        workdir=args.workdir,
        seed=args.seed,
        checkouts=args.generator or (None,),
        label=args.label,
    )


def _serve(args: argparse.Namespace) -> int:
    from .serve import measure_serve

    return measure_serve(
        entries=args.entries,
        content=args.content,
        edits=args.edits,
        search=args.search,
        workdir=args.workdir,
        seed=args.seed,
        checkout=args.generator,
        label=args.label,
        json_path=args.json,
        entry=args.entry,
    )


def _profile(args: argparse.Namespace) -> int:
    from .profile import profile_build

    return profile_build(entries=args.entries, search=args.search, top=args.top, workdir=args.workdir, seed=args.seed)


def _floor(args: argparse.Namespace) -> int:
    from .floor import measure

    print(measure(args.project, runs=args.runs, processes=args.processes, hugo=args.hugo))
    return 0


if __name__ == "__main__":
    sys.exit(main())
