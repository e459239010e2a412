"""The screenshots of the editor's chapter of the guide (docs/editing.md), taken from the real editor.

    make editor-screenshots     (or: .venv/bin/python tests/editor_screenshots.py [FOLDER])

Serves a copy of the real content with `catalog serve`, opens /admin/ in Chromium with Decap's
bundle from tests/.decap/ (tests/decap_bundle.py fetches it with npm), and writes
docs/screenshots/editor-*.png: the list of a collection, an entry with its preview, a refused
save with its messages, and the form of a new entry. Nothing is saved in the repository's content.
"""

from __future__ import annotations

import shutil
import socket
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from browser import AS_OF, REAL_PROJECT, launch_chromium  # noqa: E402
from decap_bundle import bundle  # noqa: E402

from generator.cms.decap import BUNDLE_URL  # noqa: E402
from generator.config import BuildOptions  # noqa: E402
from generator.serve import DevServer, ServeOptions  # noqa: E402

FOLDER = HERE.parent / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
WAIT_MS = 60_000


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    script = bundle().read_bytes()
    with tempfile.TemporaryDirectory(prefix="editor-screenshots-") as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(REAL_PROJECT / "content", project / "content")
        # Port 8000 when free, so that the pictures show the address of `make serve`.
        with socket.socket() as probe:
            port = 0 if probe.connect_ex(("127.0.0.1", 8000)) == 0 else 8000
        options = ServeOptions(BuildOptions(project, project / "site", AS_OF, search=False), port=port)
        with DevServer(options, say=lambda *a, **k: None) as server, launch_chromium() as browser:
            origin = server.url.rstrip("/")
            page = browser.new_context(locale="ja-JP", viewport=VIEWPORT).new_page()
            page.route(
                BUNDLE_URL,
                lambda route: route.fulfill(
                    status=200,
                    body=script,
                    headers={"Content-Type": "text/javascript", "Access-Control-Allow-Origin": "*"},
                ),
            )
            page.goto(f"{origin}/admin/")
            page.screenshot(path=folder / "editor-login.png")
            page.get_by_role("button", name="ログイン").click(timeout=WAIT_MS)
            page.get_by_text("地域情報化アドバイザー制度", exact=True).wait_for(timeout=WAIT_MS)
            page.screenshot(path=folder / "editor-list.png")

            page.locator("a[href$='/collections/programs/entries/chiiki-johoka-advisor']").click()
            updated = page.get_by_label("この項目の文章を最後に書き換えた日（updated）")
            updated.wait_for(timeout=WAIT_MS)
            page.wait_for_timeout(1000)  # the preview pane draws its page
            page.screenshot(path=folder / "editor-entry.png")

            updated.scroll_into_view_if_needed()
            updated.click()
            page.keyboard.press("Control+A")
            page.keyboard.insert_text("令和8年2月30日")
            page.get_by_role("button", name="公開", exact=True).click()
            page.screenshot(path=folder / "editor-publish.png")
            page.get_by_role("menuitem", name="公開する", exact=True).click()
            page.locator(".catalog-refusal[role=alert]").wait_for(timeout=WAIT_MS)
            page.screenshot(path=folder / "editor-refused.png")
        print(f"書き込みました: {folder}/editor-*.png", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
