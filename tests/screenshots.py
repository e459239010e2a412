"""Full-page PNG screenshots of every page type at desktop and phone width, for a reviewer's eyes.

    make screenshots            (or: .venv/bin/python tests/screenshots.py [FOLDER])
    .venv/bin/python tests/screenshots.py --docs

Writes screenshots/NN-<page>-<width>.png (the folder is git-ignored) from the real site built at
the tests' fixed date, with the same page list as the accessibility checks (tests/a11y_pages.py).
With --docs it writes the pages a new visitor meets first (DOCS below) into docs/screenshots/,
which is committed: each image is at most MAX_HEIGHT px tall, the top of the page.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from a11y_pages import HEIGHT, PAGES, WIDTHS, PageType, open_page  # noqa: E402
from browser import REAL_PROJECT, SiteServer, build_site, launch_chromium  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOCS = (
    ("home", "/"),
    ("compare", "/programs/compare/"),
    ("find", "/programs/find/project_manager/any/"),
    ("program", "/programs/chiiki-kasseika-kigyoujin/"),
    ("case", "/cases/ehime-talent-sharing/"),
    ("role", "/roles/municipal-cio-hosakan/"),
    ("search", "/search/?q=" + quote("アドバイザー")),
)
"""(file name, path) of the committed screenshots."""
MAX_HEIGHT = 3000


def file_name(index: int, path: str, width: int) -> str:
    """01-programs-chiiki-johoka-advisor-1280.png; the home page is 00-home."""
    ascii_part = re.sub(r"[^a-z0-9]+", "-", path.lower().replace("%", "")).strip("-") or "home"
    return f"{index:02d}-{ascii_part[:60]}-{width}.png"


def docs(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        site = build_site(REAL_PROJECT, Path(tmp) / "site")
        with SiteServer(site) as server, launch_chromium() as browser:
            for width in WIDTHS:
                context = browser.new_context(locale="ja-JP", viewport={"width": width, "height": HEIGHT[width]})
                page = context.new_page()
                for name, path in DOCS:
                    open_page(page, server.origin, PageType(name, path, search=path.startswith("/search/")))
                    height = min(MAX_HEIGHT, page.evaluate("() => document.documentElement.scrollHeight"))
                    page.screenshot(
                        path=str(folder / f"{name}-{width}.png"),
                        full_page=True,
                        clip={"x": 0, "y": 0, "width": width, "height": height},
                    )
                context.close()
    print(f"{len(DOCS) * len(WIDTHS)} 枚のスクリーンショットを保存しました: {folder}")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--docs"]:
        return docs(ROOT / "docs" / "screenshots")
    folder = Path(argv[0]) if argv else ROOT / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        site = build_site(REAL_PROJECT, Path(tmp) / "site")
        with SiteServer(site) as server, launch_chromium() as browser:
            for width in WIDTHS:
                context = browser.new_context(locale="ja-JP", viewport={"width": width, "height": HEIGHT[width]})
                page = context.new_page()
                for index, page_type in enumerate(PAGES):
                    open_page(page, server.origin, page_type)
                    page.screenshot(path=str(folder / file_name(index, page_type.path, width)), full_page=True)
                context.close()
    print(f"{len(PAGES) * len(WIDTHS)} 枚のスクリーンショットを保存しました: {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
