"""A pytest plugin for `make mutate` only (``pytest_add_cli_args`` in pyproject.toml's [tool.mutmut]).

mutmut runs each mutant's tests in a process forked from one that has already imported
``generator`` and the tests, with the original code. Two things would then hide a mutant:

- what a module computed when it was imported (the export tables are declared by calling
  helpers at import time), or keeps in a cache (compiled schemas, the Markdown converter,
  privacy and link-check results), was computed by the original code. For a mutant of such a
  function or module, the session first forgets ``generator``, the tests and their helpers,
  which are then imported again, by the mutated code (it costs about a second a mutant, so
  it is not done for the others).
- mutmut learns which tests to run for a mutant by recording, test by test, the functions
  each test called; functions called while the test modules are imported would be credited
  to the first test alone. They are credited to every test instead. Likewise, what a fixture
  wider than one test (``scope="module"``) calls while it is set up is credited to every test
  that uses the fixture, not only to the first, which set it up.

Outside a mutmut run this plugin does nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

_AT_IMPORT: set[str] = set()
_BY_FIXTURE: dict[object, set[str]] = {}
"""What each wider-scoped fixture called while it was set up (keyed by its FixtureDef)."""
_OWN_NAME = __name__
CACHING_MODULES = (
    "generator.content.schema.",
    "generator.content.privacy.",
    "generator.render.linkcheck.",
    "generator.render.markdown.",
)
"""Modules whose results are kept in caches filled while mutmut recorded the tests (lru_cache)."""
DECLARING_MODULES = (
    "generator.output.export_tables.",
    "generator.output.export_relations.",
)
"""Modules that declare their tables at import time. Which functions ran at import is known only in
the process that recorded the tests; a later `mutmut run "<module>.*"` reuses the saved record and
would not know it, so every mutant of these modules is imported afresh (about a second each)."""


def _recorded() -> set[str] | None:
    if "mutmut" not in sys.modules:
        return None
    from mutmut.state import state

    return state()._stats


def _forget_project_modules() -> None:
    tests = Path.cwd() / "tests"
    for name, module in list(sys.modules.items()):
        if name == _OWN_NAME:
            continue
        file = getattr(module, "__file__", None) or ""
        if (
            name == "generator"
            or name.startswith(("generator.", "benchmarks"))
            or name == "conftest"
            or file.startswith(f"{tests}/")
        ):
            del sys.modules[name]


def _needs_fresh_import(mutant: str) -> bool:
    if mutant == "fail":
        # mutmut's check that a failing function fails the tests: every function raises, so the
        # modules already imported (by the clean run, in this process) are kept; imported afresh,
        # the tables declared at import time would raise in conftest.py, a usage error (exit 4)
        # that stops the run instead of failing a test.
        return False
    if "__mutmut_" not in mutant:  # mutmut's own runs (stats, the clean run): import once, afresh
        return True
    return mutant.rsplit("__mutmut_", 1)[0] in _AT_IMPORT or mutant.startswith(CACHING_MODULES + DECLARING_MODULES)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]) -> None:
    if "mutmut" in sys.modules and _needs_fresh_import(os.environ.get("MUTANT_UNDER_TEST", "")):
        _forget_project_modules()


def pytest_collection_finish(session: pytest.Session) -> None:
    recorded = _recorded()
    if recorded:
        _AT_IMPORT.update(recorded)


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest):
    recorded = _recorded()
    if recorded is None or fixturedef.scope == "function":
        yield
        return
    before = set(recorded)
    recorded.clear()
    try:
        yield
    finally:
        _BY_FIXTURE[fixturedef] = set(recorded)
        recorded.update(before)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    recorded = _recorded()
    if recorded is None:
        return
    recorded.update(_AT_IMPORT)
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    for name in getattr(item, "fixturenames", ()):
        for fixturedef in definitions.get(name, ()):
            recorded.update(_BY_FIXTURE.get(fixturedef, ()))
