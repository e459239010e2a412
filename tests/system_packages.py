"""The Debian packages the browser, print and editor tests need, checked once when `make test` starts.

`.ci/run` installs them. On a machine without them, pytest says at its start, in
one message, which are missing and how to install them; it then skips the tests
that need them, except under CI=true, where the run stops there: CI must run every
test (the developers' guide).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from browser import CHROMIUM

FONTS = Path(os.environ.get("CATALOG_FONTS", "/usr/share/fonts"))


def _noto_cjk() -> bool:
    return FONTS.is_dir() and any(FONTS.rglob("Noto*CJK*"))


def _decap_fetched() -> bool:
    """Decap's bundle is already in tests/.decap/ (fetched earlier): npm is not needed again."""
    from decap_bundle import BUNDLE

    return BUNDLE.is_file()


@dataclass(frozen=True)
class Package:
    name: str
    gives: str
    installed: Callable[[], bool]


PACKAGES = (
    Package("chromium", f"ブラウザ（{CHROMIUM}）", lambda: CHROMIUM.is_file()),
    Package(
        "poppler-utils",
        "PDF を読む pdftotext と pdfinfo",
        lambda: bool(shutil.which("pdftotext") and shutil.which("pdfinfo")),
    ),
    Package("fonts-noto-cjk", "日本語のフォント（ページの配置と axe の測定が実際の画面と同じになるように）", _noto_cjk),
    Package(
        "npm",
        "編集画面のテストで Decap CMS の本体を npm レジストリから取得する npm",
        lambda: bool(shutil.which("npm")) or _decap_fetched(),
    ),
)
NEEDED_BY = {
    "browser": ("chromium", "fonts-noto-cjk"),
    "print": ("poppler-utils",),
    "cms": ("chromium", "fonts-noto-cjk", "npm"),
}
"""Marker → the packages its tests need."""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(markers: Iterable[str]) -> tuple[Package, ...]:
    """The packages the tests with these markers need that this machine lacks."""
    needed = {name for marker in markers for name in NEEDED_BY.get(marker, ())}
    return tuple(p for p in PACKAGES if p.name in needed and not p.installed())


def message(absent: tuple[Package, ...], tests: int) -> str:
    names = " ".join(p.name for p in absent)
    listed = "、".join(f"{p.name}（{p.gives}）" for p in absent)
    outcome = "CI=true なので、ここで止めます" if in_ci() else f"これらを使う {tests} 件のテストは飛ばします"
    return (
        f"ブラウザと印刷のテストに必要なシステムパッケージがありません: {listed}。"
        f"sudo apt-get install --no-install-recommends {names} で入れてください（.ci/run は入れてから make test を実行します）。"
        f"{outcome}"
    )
