"""The modes that rewrite expected files (tests/expected_files.py): refused in CI, and never silently green."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from expected_files import rewrite, update_requested

ROOT = Path(__file__).resolve().parents[2]


def test_not_asked_nothing_happens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UPDATE_SOMETHING", raising=False)
    assert update_requested("UPDATE_SOMETHING") is False
    monkeypatch.setenv("UPDATE_SOMETHING", "0")
    assert update_requested("UPDATE_SOMETHING") is False


@pytest.mark.parametrize("ci", ["true", "1", "yes", "TRUE"])
def test_refused_under_ci(monkeypatch: pytest.MonkeyPatch, ci: str) -> None:
    monkeypatch.setenv("UPDATE_SOMETHING", "1")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="refused under CI=true"):
        update_requested("UPDATE_SOMETHING")


def test_asked_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPDATE_SOMETHING", "1")
    monkeypatch.delenv("CI", raising=False)
    assert update_requested("UPDATE_SOMETHING") is True


def test_a_rewrite_that_changes_files_fails_naming_them(tmp_path: Path) -> None:
    same, changed, new, gone = (tmp_path / name for name in ("same.txt", "changed.txt", "sub/new.txt", "gone.txt"))
    same.write_bytes(b"kept\n")
    changed.write_bytes(b"old\n")
    gone.write_bytes(b"old page\n")
    with pytest.raises(pytest.fail.Exception) as failed:
        rewrite("UPDATE_SOMETHING", {same: b"kept\n", changed: b"new\n", new: b"made\n", gone: None})
    message = str(failed.value)
    assert "rewrote 3 expected file(s)" in message and "run the tests again without UPDATE_SOMETHING" in message
    assert str(changed) in message and str(new) in message and str(gone) in message and str(same) not in message
    assert (same.read_bytes(), changed.read_bytes(), new.read_bytes(), gone.exists()) == (
        b"kept\n",
        b"new\n",
        b"made\n",
        False,
    )


def test_a_rewrite_that_changes_nothing_passes(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"a")
    rewrite("UPDATE_SOMETHING", {tmp_path / "a.txt": b"a", tmp_path / "absent.txt": None})


def test_both_modes_refuse_in_ci_and_leave_the_files_alone() -> None:
    """The golden-file and expected-message tests, run as CI would run them with the variables set."""
    watched = [
        ROOT / "tests/fixtures/invalid/yaml-syntax/expected.txt",
        *sorted((ROOT / "tests/golden/site-basic").rglob("*.html"))[:5],
    ]
    before = {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in watched}
    env = {**os.environ, "CI": "true", "UPDATE_GOLDEN": "1", "UPDATE_EXPECTED": "1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/render/test_render_golden.py",
            "tests/content/test_check_cli.py::test_invalid_fixture_site[yaml-syntax]",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.count("refused under CI=true") >= 3 and "3 failed" in done.stdout, done.stdout
    assert {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in watched} == before
