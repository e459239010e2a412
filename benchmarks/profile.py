"""Where a cold build spends its time: one in-process build under cProfile.

Validation and rendering run in the main process here (the worker pools are
given one CPU), so that the profile sees every stage; the wall time of the
profiled build is therefore longer than a real build's. Read the percentages,
not the seconds.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from unittest import mock

from generator import pipeline
from generator.config import BuildOptions

from .corpus import generate, write_corpus

# (label, module path suffix, function name): the stages as the pipeline calls them.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("load: discover (read files)", "content/discover.py", "discover"),
    ("load: validate files", "content/batch.py", "validate_files"),
    ("  parse YAML front matter", "content/parse.py", "parse_entry"),
    ("  JSON Schema validation", "content/schema.py", "validate"),
    ("  privacy guard (roles)", "content/privacy.py", "check_role"),
    ("load: link", "content/link.py", "link"),
    ("render", "pipeline.py", "render"),
    ("  pages (templates + Markdown)", "render/batch.py", "render_routes"),
    ("  Markdown → HTML", "render/markdown.py", "markdown_to_html"),
    ("  templates (Jinja2)", "render/pages.py", "render_route"),
    ("  data exports", "output/exports.py", "export_data"),
    ("  feeds", "output/feeds.py", "build_feeds"),
    ("  link check", "render/linkcheck.py", "site_links"),
    ("write (incl. search index when on)", "output/writer.py", "finish"),
    ("  search index (Pagefind)", "output/search.py", "build_index"),
)


def profile_build(*, entries: int, search: bool, top: int, workdir: Path | None, seed: int) -> int:
    base = Path(tempfile.mkdtemp(prefix="catalog-profile-")) if workdir is None else workdir
    project = base / f"catalog-{entries}"
    try:
        print(f"writing a corpus of {entries:,} entries to {project}", file=sys.stderr)
        write_corpus(generate(entries, seed), project, entries=entries, seed=seed)
        shutil.rmtree(project / "site", ignore_errors=True)
        shutil.rmtree(project / ".catalog-cache", ignore_errors=True)
        options = BuildOptions(
            project=project, output=project / "site", as_of=date(2026, 11, 26), search=search, quiet=True
        )
        profiler = cProfile.Profile()
        started = time.perf_counter()
        # One process: the build's worker pools take their size from os.cpu_count(),
        # and cProfile sees nothing of what forked workers do.
        with mock.patch("os.cpu_count", return_value=1):
            result = profiler.runcall(pipeline.build, options)
        wall = time.perf_counter() - started
        if not result.ok:
            for problem in result.problems[:20]:
                print(problem.format(), file=sys.stderr)
            print("the build failed", file=sys.stderr)
            return 1
        print(report(pstats.Stats(profiler), wall, top, result.pages))
        return 0
    finally:
        if workdir is None:
            shutil.rmtree(base, ignore_errors=True)


def report(stats: pstats.Stats, wall: float, top: int, pages: int) -> str:
    """Stage totals (cumulative time of the stage functions) and the top functions."""
    raw = stats.stats  # type: ignore[attr-defined]
    total = max(wall, 1e-9)
    lines = [
        f"profiled cold build: {wall:.1f} s wall, {pages:,} HTML pages (cProfile overhead included)",
        "",
        "| stage | cumulative s | % of build |",
        "|---|---:|---:|",
    ]
    for label, suffix, name in STAGES:
        seconds = sum(
            v[3] for (file, _, func), v in raw.items() if func == name and file.replace("\\", "/").endswith(suffix)
        )
        if seconds:
            lines.append(f"| {label} | {seconds:.1f} | {100 * seconds / total:.0f} % |")
    lines += [
        "",
        f"top {top} functions by own time:",
        "",
        "| function | own s | % | cumulative s |",
        "|---|---:|---:|---:|",
    ]
    ranked = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    for (file, line, func), (_, _, own, cumulative, _) in ranked:
        lines.append(f"| `{_short(file)}:{line} {func}` | {own:.1f} | {100 * own / total:.0f} % | {cumulative:.1f} |")
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.sort_stats("cumulative").print_stats(top)
    lines += ["", "by cumulative time (pstats):", out.getvalue()]
    return "\n".join(lines)


def _short(file: str) -> str:
    """``generator/render/pages.py``, ``jinja2/runtime.py``, ``html/parser.py``: paths without prefixes."""
    file = file.replace("\\", "/")
    if "/generator/" in file:
        return "generator/" + file.rsplit("/generator/", 1)[1]
    return re.sub(r"^.*/lib/python3\.\d+/(?:site-packages/)?", "", file)
