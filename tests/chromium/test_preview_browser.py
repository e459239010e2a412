"""What an editor sees when an edit is answered from memory: the edited page reloads, a page the edit
does not change stays as it is (no reload), and a note says while search and data files follow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser import launch_chromium, watch
from conftest import CHECK_AS_OF, FIXTURES

from generator.config import BuildOptions
from generator.serve import DevServer, ServeOptions

pytestmark = pytest.mark.browser

ADVISOR = "content/programs/advisor.md"
WAIT_MS = 60_000
"""Bound for an edit to reach the page; only reached when something is broken."""
NOTE = ".catalog-live-pending"


def test_only_the_pages_an_edit_changes_reload_and_a_note_says_what_follows(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "site-basic", project)
    path = project / ADVISOR
    good = path.read_text("utf-8")
    with DevServer(
        ServeOptions(BuildOptions(project, project / "site", CHECK_AS_OF, search=False), port=0),
        say=lambda *a, **k: None,
    ) as server:
        origin = server.url.rstrip("/")
        with launch_chromium() as browser:
            edited, other = browser.new_page(), browser.new_page()
            seen = watch(edited, origin)
            edited.goto(f"{origin}/programs/advisor/")
            other.goto(f"{origin}/roles/dx-senmonkan/")  # does not show the program
            for page in (edited, other):
                page.evaluate("() => { window.notReloaded = true; }")

            path.write_text(
                good.replace("専門家を派遣します。", "専門家を派遣します。メモリから届いた一文です。", 1), "utf-8"
            )
            edited.wait_for_function(
                "() => document.body.textContent.includes('メモリから届いた一文です。')", timeout=WAIT_MS
            )
            assert edited.evaluate("() => window.notReloaded") is None  # it reloaded

            # The background build: a note while it runs (on every page), gone when it is done.
            other.locator(NOTE).wait_for(state="attached", timeout=WAIT_MS)
            assert other.locator(f"{NOTE}[role=status]").inner_text() == "検索とデータファイルを更新しています…"
            other.locator(NOTE).wait_for(state="detached", timeout=WAIT_MS)
            assert other.evaluate("() => window.notReloaded") is True  # its bytes never changed
            assert edited.locator(NOTE).count() == 0

        assert [p for p in seen.problems() if "/_catalog/events" not in p] == []
