"""Shared test helpers. Keep this small and generic; name fixtures for what they give."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from factories import AS_OF, ENTRIES

from benchmarks.corpus import generate, write_corpus

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL_PROJECT = FIXTURES / "minimal"
"""A minimal valid project: site.yaml, archetypes.yaml and one entry per collection."""
CHECK_AS_OF = date(2026, 11, 26)
"""The fixed day the content-stage tests check against."""


def copy_minimal_project(dest: Path) -> Path:
    """A fresh copy of tests/fixtures/minimal/ at ``dest``."""
    shutil.copytree(MINIMAL_PROJECT, dest, symlinks=True)
    return dest


def write_files(project: Path, files: Mapping[str, str | bytes | None]) -> None:
    """Write (str as UTF-8, bytes as is) or delete (None) files relative to ``project``."""
    for rel, data in files.items():
        path = project / rel
        if data is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_bytes(data.encode("utf-8"))
        else:
            path.write_bytes(data)


def check_lines(project: Path, as_of: date = CHECK_AS_OF) -> list[str]:
    """The problems `catalog check` would print for ``project``, formatted, in order."""
    from generator.pipeline import load

    return [p.format() for p in load(project, as_of=as_of).problems]


@pytest.fixture
def minimal_project(tmp_path: Path) -> Path:
    """A writable copy of the minimal valid project."""
    return copy_minimal_project(tmp_path / "project")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A generated corpus of 40 entries (benchmarks/corpus.py, seed 7), written afresh."""
    folder = tmp_path / "project"
    write_corpus(generate(ENTRIES, seed=7), folder, entries=ENTRIES, seed=7)
    return folder


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The same corpus, loaded (no cache, one process), shared by a module's tests."""
    from generator.pipeline import load

    folder = tmp_path_factory.mktemp("corpus") / "project"
    write_corpus(generate(ENTRIES, seed=7), folder, entries=ENTRIES, seed=7)
    result = load(folder, as_of=AS_OF, use_cache=False, write_cache=False, parallel=False)
    assert result.site is not None
    return result


@pytest.fixture(scope="module")
def real_site() -> Any:
    """The repository's own content/, loaded as of AS_OF."""
    from generator.pipeline import load

    loaded = load(Path(__file__).resolve().parent.parent, as_of=AS_OF)
    assert loaded.site is not None, [p for p in loaded.problems if p.is_error]
    return loaded.site


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected what will not run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Missing system packages: said once, at the start; the run stops in CI, else their tests are skipped."""
    import system_packages

    markers = {marker for item in items for marker in system_packages.NEEDED_BY if item.get_closest_marker(marker)}
    absent = system_packages.missing(markers)
    if not absent:
        return
    names = {p.name for p in absent}
    affected = [
        i for i in items if any(set(system_packages.NEEDED_BY[m]) & names for m in markers if i.get_closest_marker(m))
    ]
    text = system_packages.message(absent, len(affected))
    if system_packages.in_ci():
        pytest.exit(text, returncode=pytest.ExitCode.USAGE_ERROR)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(text, yellow=True, bold=True)
    skip = pytest.mark.skip(
        reason="、".join(sorted(names)) + " がないため飛ばしました（テストの最初の表示を見てください）"
    )
    for item in affected:
        item.add_marker(skip)


# The accessibility tests (tests/test_a11y_*.py) share one built site and one browser per session.
from a11y_pages import a11y_browser, a11y_origin  # noqa: E402,F401
