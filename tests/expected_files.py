"""The modes that rewrite a test's expected files (UPDATE_GOLDEN, UPDATE_EXPECTED).

A test that compares output with files kept in the repository may offer to rewrite them
after an intended change. Rewriting then comparing would compare the output with itself,
so the rewriting run fails, naming every file it changed: a person reads
``git diff`` and runs the tests again without the variable. Under CI=true the modes refuse
to run at all: CI must compare, never accept.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def update_requested(variable: str) -> bool:
    """True when ``variable`` asks for the expected files to be rewritten; fails the test under CI."""
    if os.environ.get(variable, "") in ("", "0"):
        return False
    if in_ci():
        pytest.fail(
            f"{variable} rewrites expected files and is refused under CI=true: CI compares, it never accepts",
            pytrace=False,
        )
    return True


def rewrite(variable: str, files: Mapping[Path, bytes | None]) -> None:
    """Write each file whose bytes differ (None: delete it), then fail naming them, if any changed."""
    changed = []
    for path, data in sorted(files.items()):
        if data is None:
            if path.exists():
                path.unlink()
                changed.append(path)
        elif not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            changed.append(path)
    if changed:
        names = "\n".join(f"  {path}" for path in changed)
        pytest.fail(
            f"{variable}: rewrote {len(changed)} expected file(s):\n{names}\n"
            f"Review the change (git diff), then run the tests again without {variable}.",
            pytrace=False,
        )
