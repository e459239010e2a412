"""The floor of this stack: the bare loop issue 7 names, beside Hugo, on one corpus.

For each entry file: read it, load its front matter with libyaml, convert its body
with Python-Markdown (the extensions the catalog uses, as Python-Markdown ships
them), fill a one-line Jinja2 template and write the page; on one process or
several (forked, entries dealt out in turn). No validation, no cross-references,
no lists of entries, no feeds, exports or link check: what any Python generator
on these libraries must spend at least, to compare with what the catalog spends.

``python -m benchmarks floor --project DIR`` times it as a whole process, like
the builds in run.py, with Hugo on the same entries when Hugo is installed.
"""

from __future__ import annotations

import multiprocessing
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import jinja2
import markdown
import yaml

from generator.model import COLLECTIONS

from .hugo import hugo_version, write_hugo_site
from .run import _checked, timed

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PAGE = "<!DOCTYPE html><html lang=ja><head><meta charset=utf-8><title>{{ title }}</title></head><body><main><h1>{{ title }}</h1>{{ body|safe }}</main></body></html>\n"


def entry_files(project: Path) -> list[Path]:
    return sorted(p for collection in COLLECTIONS for p in (project / "content" / collection).glob("*.md"))


def render_entries(files: Sequence[Path], out: Path) -> int:
    """The bare loop over ``files``, pages written under ``out``; returns how many."""
    template = jinja2.Environment(autoescape=True).from_string(_PAGE)
    converter = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", "toc"], output_format="html")
    for path in files:
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.load(front, Loader=_LOADER) or {}
        converter.reset()
        html = converter.convert(body)
        folder = out / path.parent.name / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(template.render(title=meta.get("title", ""), body=html), encoding="utf-8")
    return len(files)


def bare_loop(project: Path, out: Path, processes: int) -> int:
    files = entry_files(project)
    if processes <= 1:
        return render_entries(files, out)
    shares = [(files[i::processes], out) for i in range(processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return sum(pool.starmap(render_entries, shares))


def measure(project: Path, *, runs: int, processes: Sequence[int], hugo: bool) -> str:
    base = Path(tempfile.mkdtemp(prefix="catalog-floor-"))
    lines = [f"{len(entry_files(project)):,} entries in {project}; medians of {runs} runs (min–max), whole processes"]
    try:
        results: dict[str, list[float]] = {}
        for count in processes:
            results[f"bare loop, {count} process{'es' if count > 1 else ''}"] = _times(
                [sys.executable, "-m", "benchmarks.floor", str(project), str(base / "out"), str(count)], base, runs
            )
        if hugo and hugo_version() is not None:
            write_hugo_site(project, base / "hugo")
            results["hugo"] = _times(
                [
                    "hugo",
                    "--quiet",
                    "--source",
                    str(base / "hugo"),
                    "-d",
                    str(base / "out"),
                    "--cacheDir",
                    str(base / "hugo-cache"),
                ],
                base,
                runs,
            )
        reference = statistics.median(results["hugo"]) if "hugo" in results else None
        for label, seconds in results.items():
            ratio = f"  {statistics.median(seconds) / reference:.2f} × Hugo" if reference else ""
            lines.append(
                f"{label:24} {statistics.median(seconds):6.2f} s ({min(seconds):.2f}–{max(seconds):.2f}){ratio}"
            )
        return "\n".join(lines)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _times(command: list[str], base: Path, runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        shutil.rmtree(base / "out", ignore_errors=True)
        shutil.rmtree(base / "hugo-cache", ignore_errors=True)
        sample = _checked(timed(command, log=base / "log"), base / "log", " ".join(command[:3]))
        seconds.append(sample.seconds)
    return seconds


if __name__ == "__main__":  # the timed child: python -m benchmarks.floor PROJECT OUT PROCESSES
    bare_loop(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
