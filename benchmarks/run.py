"""Time whole `catalog build` processes on generated corpora (and Hugo on the same entries).

Every measurement is a fresh child process timed from spawn to exit, with the
peak resident memory of it and its waited-for children (``os.wait4``), so the
numbers are what an editor waits for. Per corpus size and per run, in order:

    cold           output and .catalog-cache/ deleted first
    noop           nothing changed since the previous build
    edit-entry     one sentence appended to one entry's body
    edit-template  a comment changed in the project's override of base.html

each once with ``--no-search`` and once with the search index, then Hugo cold
and no-op when Hugo is installed, so that ours and Hugo's are paired in time.
Medians, minima and maxima over the runs are reported.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import generator
from generator.render.templates import package_theme

from .corpus import generate, write_corpus
from .hugo import hugo_version, write_hugo_site

SCENARIOS: tuple[str, ...] = ("cold", "noop", "edit-entry", "edit-template")
AS_OF = "2026-11-26"
TEMPLATE = "base.html"
"""The template the project overrides and the edit-template scenario touches."""
TIMEOUT_S = 3600
VARIANTS: tuple[tuple[str, tuple[str, ...]], ...] = (("no-search", ("--no-search",)), ("search", ()))


@dataclass(frozen=True)
class Sample:
    seconds: float
    max_rss_mb: float
    exit_code: int
    cpu_seconds: float = 0.0
    """User + system time of the process and its waited-for children: unlike wall time,
    hardly changed by other work on a shared machine; above wall time when cores are used."""


@dataclass(frozen=True)
class Summary:
    median_s: float
    min_s: float
    max_s: float
    max_rss_mb: float
    """The largest peak over the runs (what the machine must have)."""
    samples_s: tuple[float, ...]
    cpu_median_s: float = 0.0

    @classmethod
    def of(cls, samples: Sequence[Sample]) -> Summary:
        seconds = [s.seconds for s in samples]
        return cls(
            round(statistics.median(seconds), 3),
            round(min(seconds), 3),
            round(max(seconds), 3),
            round(max(s.max_rss_mb for s in samples), 1),
            tuple(round(s, 3) for s in seconds),
            round(statistics.median(s.cpu_seconds for s in samples), 3),
        )


class BuildFailed(RuntimeError):
    pass


def timed(command: Sequence[str], *, cwd: Path | None = None, log: Path, env: dict[str, str] | None = None) -> Sample:
    """Run ``command`` to completion; wall time and peak RSS (process tree, waited-for)."""
    with log.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        timer = threading.Timer(TIMEOUT_S, lambda: os.kill(proc.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    # Linux reports ru_maxrss in KiB.
    return Sample(seconds, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime)


def catalog_command(project: Path, search: Sequence[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--project",
        str(project),
        "--output",
        str(project / "site"),
        "--as-of",
        AS_OF,
        "--quiet",
        *search,
    ]


@dataclass(frozen=True)
class Generator:
    """One generator the builds run: its source folder, theme and the environment of its builds."""

    root: Path
    theme: Path
    env: dict[str, str]


def use_generator(checkout: Path | None) -> Generator:
    """The generator the child processes run.

    With ``checkout`` (a tree holding ``generator/`` and ``themes/``, e.g. a
    ``git archive`` of a commit), children import it through PYTHONPATH, which
    comes before the installed package; so a frozen commit can be measured
    while the working tree changes, or two commits side by side (``--generator``
    twice: every scenario is built by each in turn, in its own copy of the corpus).
    """
    env = dict(os.environ)
    if checkout is None:
        return Generator(Path(generator.__file__).resolve().parent.parent, package_theme(), env)
    root = checkout.resolve()
    if not (root / "generator" / "__init__.py").is_file():
        raise SystemExit(f"{checkout} has no generator/ package")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(root), env.get("PYTHONPATH", ""))))
    return Generator(root, root / "themes" / "default", env)


def output_size(site: Path) -> dict[str, int]:
    """Files, HTML pages, apparent bytes and bytes on disk (hard links counted once)."""
    files = pages = apparent = 0
    inodes: dict[tuple[int, int], int] = {}
    for root, _, names in os.walk(site):
        for name in names:
            st = os.lstat(os.path.join(root, name))
            files += 1
            pages += name.endswith(".html")
            apparent += st.st_size
            inodes[(st.st_dev, st.st_ino)] = st.st_blocks * 512
    return {"files": files, "html_pages": pages, "bytes": apparent, "disk_bytes": sum(inodes.values())}


class Project:
    """A generated corpus with a template override, and the edits the scenarios make."""

    def __init__(self, root: Path, entries: int, seed: int, theme: Path) -> None:
        self.root = root
        write_corpus(generate(entries, seed), root, entries=entries, seed=seed)
        override = root / "themes" / "default" / "templates" / TEMPLATE
        override.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(theme / "templates" / TEMPLATE, override)
        self.template = override
        self.template_text = override.read_text(encoding="utf-8")
        self.entry = sorted((root / "content" / "cases").glob("*.md"))[0]
        self.edits = 0

    def prepare(self, scenario: str) -> None:
        self.edits += 1
        if scenario == "cold":
            shutil.rmtree(self.root / "site", ignore_errors=True)
            shutil.rmtree(self.root / ".catalog-cache", ignore_errors=True)
            # The writer's spare and leftover folders beside the output (.site.spare, .site.tmp-…)
            # would let it link files from the previous build: not cold.
            for sibling in self.root.glob(".site.*"):
                shutil.rmtree(sibling, ignore_errors=True)
        elif scenario == "edit-entry":
            with self.entry.open("a", encoding="utf-8") as f:
                f.write(f"\n{self.edits}回目の見直しで、進み具合を確認しました。\n")
        elif scenario == "edit-template":
            self.template.write_text(self.template_text + f"{{# benchmark edit {self.edits} #}}\n", encoding="utf-8")


def run_benchmarks(
    *,
    entries: Sequence[int],
    runs: int,
    json_path: Path | None,
    hugo: bool,
    search_variant: bool,
    scenarios: Sequence[str],
    workdir: Path | None,
    seed: int,
    checkouts: Sequence[Path | None] = (None,),
    label: str = "",
) -> int:
    generators = [use_generator(checkout) for checkout in checkouts or (None,)]
    hugo_info = hugo_version() if hugo else None
    if hugo and hugo_info is None:
        print("hugo is not installed: measuring the catalog only", file=sys.stderr)
    variants = VARIANTS if search_variant else VARIANTS[:1]
    report = {
        "environment": environment(generators[0].root),
        "label": label,
        "hugo": hugo_info,
        "runs": runs,
        "as_of": AS_OF,
        "sizes": [],
    }
    temporary = workdir is None
    base = Path(tempfile.mkdtemp(prefix="catalog-bench-")) if workdir is None else workdir
    base.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        for n in entries:
            report["sizes"].append(
                measure_size(
                    n,
                    base,
                    generators,
                    runs=runs,
                    seed=seed,
                    variants=variants,
                    scenarios=scenarios,
                    hugo=hugo_info is not None,
                )
            )
    except BuildFailed as exc:
        print(f"\nbuild failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if temporary:
            shutil.rmtree(base, ignore_errors=True)
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(format_report(report))
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nJSON: {json_path}", file=sys.stderr)
    return 0


def measure_size(
    n: int,
    base: Path,
    generators: Sequence[Generator],
    *,
    runs: int,
    seed: int,
    variants,
    scenarios: Sequence[str],
    hugo: bool,
) -> dict:
    progress(f"N={n:,}: writing the corpus")
    projects = [Project(base / f"catalog-{n}" / str(i), n, seed, g.theme) for i, g in enumerate(generators)]
    hugo_dir = base / f"hugo-{n}"
    if hugo:
        write_hugo_site(projects[0].root, hugo_dir)
    logs = base / "logs"
    logs.mkdir(exist_ok=True)
    samples = [{v: {s: [] for s in scenarios} for v, _ in variants} for _ in generators]
    hugo_samples: dict[str, list[Sample]] = {"cold": [], "noop": []}
    sizes: list[dict[str, dict[str, int]]] = [{} for _ in generators]
    contenders = list(zip(range(len(generators)), generators, projects))
    for run in range(1, runs + 1):
        for variant, flags in variants:
            for _, g, project in contenders:
                command = catalog_command(project.root, flags)
                if "cold" not in scenarios and not (project.root / "site").is_dir():
                    _checked(
                        timed(command, cwd=project.root, log=logs / "warmup.log", env=g.env),
                        logs / "warmup.log",
                        "warm-up build",
                    )
            for number, scenario in enumerate(scenarios):
                # Each generator in turn: the same minutes, the same load. Who goes first alternates:
                # the second build of a pair would otherwise always meet the first one's disk writes.
                turn = contenders if (run + number) % 2 else contenders[::-1]
                for i, g, project in turn:
                    command = catalog_command(project.root, flags)
                    project.prepare(scenario)
                    log = logs / f"{n}-{i}-{variant}-{scenario}-{run}.log"
                    # cwd is the project: `python -m` puts the cwd first on sys.path, which must not
                    # be a checkout of the generator (it would beat --generator's PYTHONPATH).
                    sample = _checked(
                        timed(command, cwd=project.root, log=log, env=g.env), log, f"N={n} {variant} {scenario}"
                    )
                    samples[i][variant][scenario].append(sample)
                    who = f" [{i + 1}]" if len(generators) > 1 else ""
                    progress(
                        f"N={n:,} run {run}/{runs}{who} {variant:9} {scenario:13} {sample.seconds:7.2f} s (CPU {sample.cpu_seconds:7.2f} s) {sample.max_rss_mb:7.0f} MB"
                    )
            for i, _, project in contenders:
                sizes[i][variant] = output_size(project.root / "site")
        if hugo:
            out = base / f"hugo-{n}-public"
            for scenario in ("cold", "noop"):
                if scenario == "cold":
                    shutil.rmtree(out, ignore_errors=True)
                    shutil.rmtree(hugo_dir / "resources", ignore_errors=True)
                log = logs / f"{n}-hugo-{scenario}-{run}.log"
                command = [
                    "hugo",
                    "--quiet",
                    "--source",
                    str(hugo_dir),
                    "-d",
                    str(out),
                    "--cacheDir",
                    str(base / "hugo-cache"),
                ]
                sample = _checked(timed(command, log=log), log, f"N={n} hugo {scenario}")
                hugo_samples[scenario].append(sample)
                progress(
                    f"N={n:,} run {run}/{runs} hugo      {scenario:13} {sample.seconds:7.2f} s (CPU {sample.cpu_seconds:7.2f} s) {sample.max_rss_mb:7.0f} MB"
                )
            sizes[0]["hugo"] = output_size(out)
    summaries = [{v: {s: asdict(Summary.of(xs)) for s, xs in by.items()} for v, by in mine.items()} for mine in samples]
    result: dict = {
        "entries": n,
        "corpus_bytes": sum(p.stat().st_size for p in (projects[0].root / "content").rglob("*") if p.is_file()),
        "catalog": summaries[0],
        "output": sizes[0],
    }
    if len(generators) > 1:
        result["generators"] = [
            {"source": str(g.root), "catalog": summaries[i], "output": sizes[i]} for i, g in enumerate(generators)
        ]
    if hugo:
        result["hugo"] = {s: asdict(Summary.of(xs)) for s, xs in hugo_samples.items()}
        cold = result["hugo"]["cold"]["median_s"]
        result["ratio_to_hugo_cold"] = {
            v: {s: round(summary["median_s"] / cold, 2) for s, summary in by.items()}
            for v, by in result["catalog"].items()
        }
    return result


def _checked(sample: Sample, log: Path, what: str) -> Sample:
    if sample.exit_code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-15:]
        raise BuildFailed(f"{what} exited with {sample.exit_code}:\n" + "\n".join(tail))
    return sample


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def environment(root: Path) -> dict:
    """What the numbers were measured on and with (``root``: the generator's source folder)."""

    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return done.stdout.strip()

    return {
        "date": time.strftime("%Y-%m-%d"),
        "generator_source": str(root),
        "generator_version": _version(root),
        "commit": git("rev-parse", "--short=12", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--", "generator", "themes")),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _version(root: Path) -> str:
    init = (root / "generator" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r"__version__\s*=\s*[\"']([^\"']+)", init)
    return found.group(1) if found else "?"


def format_report(report: dict) -> str:
    env = report["environment"]
    lines = [
        f"catalog {env['generator_version']}"
        + (f" @ {env['commit']}" if env["commit"] else f" from {env['generator_source']}")
        + (" (+ uncommitted changes)" if env["uncommitted_changes"] else "")
        + f" · Python {env['python']} · {env['cpus']} CPUs · {env['date']} · medians of {report['runs']} runs",
    ]
    if report["label"]:
        lines.append(report["label"])
    if report["hugo"]:
        lines.append(report["hugo"])
    for size in report["sizes"]:
        n = size["entries"]
        lines += ["", f"N = {n:,} entries ({size['corpus_bytes'] / 1e6:.1f} MB of content)", ""]
        for number, contender in enumerate(size.get("generators", [])):
            lines += [f"[{number + 1}] {contender['source']}", ""]
            _table(lines, contender["catalog"], {}, {} if number else size.get("hugo", {}))
            lines.append("")
        if "generators" in size:
            lines += _comparison(size["generators"])
        else:
            _table(lines, size["catalog"], size.get("ratio_to_hugo_cold", {}), size.get("hugo", {}))
        by = size["catalog"]
        if "search" in by and "cold" in by["search"] and "cold" in by.get("no-search", {}):
            cost = by["search"]["cold"]["median_s"] - by["no-search"]["cold"]["median_s"]
            lines.append(
                f"\nsearch index cost (cold, search − no-search): {cost:.2f} s; "
                f"peak with indexer {by['search']['cold']['max_rss_mb']:.0f} MB, generator alone {by['no-search']['cold']['max_rss_mb']:.0f} MB"
            )
        for name, out in size["output"].items():
            lines.append(
                f"output {name:9}: {out['html_pages']:,} HTML pages, {out['files']:,} files, "
                f"{out['bytes'] / 1e6:.1f} MB ({out['disk_bytes'] / 1e6:.1f} MB on disk)"
            )
    lines.append(
        f"\ntotal benchmark time: {report['total_seconds']:.0f} s; load average (1, 5, 15 min) at start "
        f"{env['load_average_at_start']}, at end {report['load_average_at_end']} on {env['cpus']} CPUs"
    )
    return "\n".join(lines)


def _table(lines: list[str], catalog: dict, ratios: dict, hugo: dict) -> None:
    lines.append(
        f"| {'build':36} | {'median s':>8} | {'min s':>7} | {'max s':>7} | {'CPU s':>7} | {'peak MB':>7} | {'× Hugo':>6} |"
    )
    lines.append(f"|{'-' * 38}|{'-' * 9}:|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 7}:|")
    for variant, by in catalog.items():
        for scenario, s in by.items():
            ratio = ratios.get(variant, {}).get(scenario)
            lines.append(_row(f"catalog {scenario} ({variant})", s, f"{ratio:.2f}" if ratio is not None else ""))
    for scenario, s in hugo.items():
        lines.append(_row(f"hugo {scenario}", s, ""))


def _comparison(generators: list[dict]) -> list[str]:
    """Each scenario's median under the last generator against the first (measured in turn, in one run)."""
    first, last = generators[0]["catalog"], generators[-1]["catalog"]
    lines = [
        f"| {'build':36} | {'[1] s':>8} | {f'[{len(generators)}] s':>8} | {'ratio':>6} | {'[1] CPU':>7} | {f'[{len(generators)}] CPU':>7} |",
        f"|{'-' * 38}|{'-' * 9}:|{'-' * 9}:|{'-' * 7}:|{'-' * 8}:|{'-' * 8}:|",
    ]
    for variant, by in first.items():
        for scenario, a in by.items():
            b = last[variant][scenario]
            ratio = b["median_s"] / a["median_s"] if a["median_s"] else float("nan")
            lines.append(
                f"| {f'catalog {scenario} ({variant})':36} | {a['median_s']:8.2f} | {b['median_s']:8.2f} | {ratio:6.2f} "
                f"| {a.get('cpu_median_s', 0.0):7.2f} | {b.get('cpu_median_s', 0.0):7.2f} |"
            )
    return lines


def _row(label: str, s: dict, ratio: str) -> str:
    return (
        f"| {label:36} | {s['median_s']:8.2f} | {s['min_s']:7.2f} | {s['max_s']:7.2f} | {s.get('cpu_median_s', 0.0):7.2f} "
        f"| {s['max_rss_mb']:7.0f} | {ratio:>6} |"
    )
