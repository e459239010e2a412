"""The test folders themselves: every one is collected by a plain `pytest`."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]


def test_no_test_folder_is_skipped_by_pytest(pytestconfig: pytest.Config) -> None:
    """pytest never enters folders named like its `norecursedirs` (build, dist, venv, …): tests in
    such a folder pass by never running (tests/build/ did, for 114 tests)."""
    patterns = pytestconfig.getini("norecursedirs")
    folders = sorted({path.parent for path in TESTS.rglob("test_*.py")})
    assert len(folders) >= 7
    for folder in folders:
        for part in folder.relative_to(TESTS).parts:
            assert not any(fnmatch(part, pattern) for pattern in patterns), f"{folder} is never collected"
