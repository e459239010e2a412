"""What an editor sees in the browser with `catalog serve`: reload on save, the problems overlay, recovery."""

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
"""Bound for a rebuild to reach the page; only reached when something is broken."""


def test_overlay_appears_on_an_invalid_save_and_goes_away_when_fixed(tmp_path: Path) -> None:
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
            page = browser.new_page()
            seen = watch(page, origin)
            page.goto(f"{origin}/programs/advisor/")
            assert page.locator("h1").first.inner_text() == "アドバイザー派遣制度"

            path.write_text(good.replace("level: national", "level: 国"), "utf-8")
            overlay = page.get_by_role("alert")
            overlay.wait_for(timeout=WAIT_MS)
            text = overlay.inner_text()
            assert "コンテンツに問題があります" in text
            assert "最後に成功したビルドを表示しています" in text
            assert "content/programs/advisor.md:6:1" in text
            assert "「level」（制度の主体）に「国」は使えません。" in text
            assert page.locator("h1").first.inner_text() == "アドバイザー派遣制度"  # the last good page stays

            page.get_by_role("button", name="閉じる").click()
            assert page.get_by_role("alert").count() == 0

            path.write_text(good.replace("title: アドバイザー派遣制度", "title: 直した制度"), "utf-8")
            page.wait_for_function(
                "() => document.querySelector('h1') && document.querySelector('h1').textContent.includes('直した制度')",
                timeout=WAIT_MS,
            )
            assert page.get_by_role("alert").count() == 0

        # Reloading aborts the open event stream; that is expected, anything else is not.
        assert [p for p in seen.problems() if "/_catalog/events" not in p] == []
