"""Save → changed page served: how long an editor waits for `catalog serve` to show an edit.

One `catalog serve` process (a child, as an editor runs it) on a generated corpus
or on a copy of a project's content. After its first build and one warm-up edit,
each measured edit appends a paragraph with a unique ASCII mark to the body of one
entry and polls that entry's page every 20 ms until the page served
contains the mark: the time from the write to that answer. Before the next edit
the server is left to settle (its background build done, when it has one), so
that every edit is measured from the same state; the time until it settled is
reported beside (the search index, data files and feeds follow by then).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .corpus import generate, write_corpus
from .run import AS_OF, environment, use_generator

POLL_S = 0.02
"""How often the page is asked for: often enough for the figures, rarely enough not to slow the server."""
TIMEOUT_S = 600.0
SETTLE_S = 1.0
"""Quiet time after an edit is served (and the server says nothing is pending) before the next one."""


def measure_serve(
    *,
    entries: int | None,
    content: Path | None,
    edits: int,
    search: bool,
    workdir: Path | None,
    seed: int,
    checkout: Path | None,
    label: str,
    json_path: Path | None,
    entry: str | None,
) -> int:
    source = use_generator(checkout)
    base = Path(tempfile.mkdtemp(prefix="catalog-serve-bench-")) if workdir is None else workdir
    base.mkdir(parents=True, exist_ok=True)
    project = base / ("real" if content is not None else f"catalog-{entries}")
    try:
        _prepare(project, entries, content, seed)
        target = project / (entry or _default_entry(project))
        report: dict[str, Any] = {
            "environment": environment(source),
            "label": label,
            "entries": entries,
            "content": str(content or ""),
            "entry": target.relative_to(project).as_posix(),
            "search": search,
            "edits": edits,
        }
        report.update(_serve_and_edit(project, target, edits=edits, search=search, log=base / "serve.log"))
    finally:
        if workdir is None:
            shutil.rmtree(base, ignore_errors=True)
    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(format_serve(report))
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


def _prepare(project: Path, entries: int | None, content: Path | None, seed: int) -> None:
    if content is not None:
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
        shutil.copytree(content, project / "content")
        return
    assert entries is not None
    _progress(f"writing a corpus of {entries:,} entries")
    write_corpus(generate(entries, seed), project, entries=entries, seed=seed)
    shutil.rmtree(project / ".catalog-cache", ignore_errors=True)


def _default_entry(project: Path) -> str:
    """The first case by name (every corpus and the real content have cases)."""
    return min((project / "content" / "cases").glob("*.md")).relative_to(project).as_posix()


def _serve_and_edit(project: Path, target: Path, *, edits: int, search: bool, log: Path) -> dict[str, Any]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "generator",
        "serve",
        "--project",
        str(project),
        "--port",
        str(port),
        "--as-of",
        AS_OF,
        *(() if search else ("--no-search",)),
    ]
    url = f"http://127.0.0.1:{port}/{target.relative_to(project / 'content').with_suffix('').as_posix()}/"
    original = target.read_bytes()
    with log.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL, stderr=err)
        try:
            first = _wait(lambda: (_state(port) or {}).get("build", 0) >= 1, proc)
            _progress(f"first build served after {first:.2f} s")
            time.sleep(SETTLE_S)  # the watcher starts once the first build is served
            samples, settled = [], []
            for n in range(edits + 1):
                mark = f"BENCHMARK-EDIT-{os.getpid()}-{n}"
                with target.open("ab") as f:
                    f.write(f"\n\n{mark} の見直しで、進み具合を確認しました。\n".encode())
                written = time.perf_counter()
                seconds = _wait(lambda mark=mark: mark.encode() in (_get(url) or b""), proc, since=written)
                settle = _wait(lambda: _settled(port), proc, since=written)
                if n:  # the first edit is a warm-up (the server may still be loading the content)
                    samples.append(seconds)
                    settled.append(settle)
                _progress(
                    f"edit {n}{' (warm-up)' if not n else ''}: served after {seconds:.3f} s, settled after {settle:.2f} s"
                )
                time.sleep(SETTLE_S)
        finally:
            proc.terminate()
            proc.wait(timeout=600)  # Ctrl-C waits for a background build that is running
            target.write_bytes(original)
    return {
        "first_build_s": round(first, 3),
        "served_s": _summary(samples),
        "settled_s": _summary(settled),
        "startup_wall_s": round(time.perf_counter() - started, 1),
    }


def _settled(port: int) -> bool:
    state = _state(port)
    return state is not None and not state.get("pending", False)


def _summary(xs: Sequence[float]) -> dict[str, Any]:
    return {
        "median": round(statistics.median(xs), 3),
        "min": round(min(xs), 3),
        "max": round(max(xs), 3),
        "samples": [round(x, 3) for x in xs],
    }


def _wait(ready: Any, proc: subprocess.Popen[bytes], since: float | None = None) -> float:
    start = time.perf_counter() if since is None else since
    while not ready():
        if proc.poll() is not None:
            raise SystemExit(f"catalog serve exited with {proc.returncode}")
        if time.perf_counter() - start > TIMEOUT_S:
            raise SystemExit("catalog serve did not answer in time")
        time.sleep(POLL_S)
    return time.perf_counter() - start


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return bytes(answer.read())
    except (urllib.error.URLError, OSError):
        return None


def _state(port: int) -> dict[str, Any] | None:
    data = _get(f"http://127.0.0.1:{port}/_catalog/problems.json")
    return None if data is None else dict(json.loads(data))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def format_serve(report: dict[str, Any]) -> str:
    env = report["environment"]
    what = f"{report['entries']:,} entries" if report["entries"] else f"content of {report['content']}"
    served, settled = report["served_s"], report["settled_s"]
    lines = [
        f"catalog {env['generator_version']} @ {env['commit'] or env['generator_source']}"
        + (" (+ uncommitted changes)" if env["uncommitted_changes"] else "")
        + f" · {env['cpus']} CPUs · {env['date']} · {report['label']}".rstrip(" ·"),
        f"catalog serve{'' if report['search'] else ' --no-search'} on {what}; {report['edits']} edits of {report['entry']}",
        "",
        "| save → changed page served | median s | min s | max s |",
        "|----------------------------|---------:|------:|------:|",
        f"| served                     | {served['median']:8.3f} | {served['min']:5.3f} | {served['max']:5.3f} |",
        f"| settled (nothing pending)  | {settled['median']:8.3f} | {settled['min']:5.3f} | {settled['max']:5.3f} |",
        "",
        f"first build {report['first_build_s']:.2f} s; samples served {served['samples']}",
        f"load average (1, 5, 15 min) at start {env['load_average_at_start']}, at end {report['load_average_at_end']}",
    ]
    return "\n".join(lines)
