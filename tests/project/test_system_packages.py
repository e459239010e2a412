"""`make test` on a machine without chromium, poppler-utils or fonts-noto-cjk: one message at the start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_pytest(tmp_path: Path, *, ci: bool) -> subprocess.CompletedProcess[str]:
    """The print test, on a machine that lacks all three packages (nothing on PATH, no fonts, no chromium)."""
    empty = tmp_path / "empty"
    empty.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(PATH=str(empty), CATALOG_CHROMIUM=str(empty / "chromium"), CATALOG_FONTS=str(empty))
    if ci:
        env["CI"] = "true"
    args = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "tests/chromium/test_a11y_layout.py",
        "-k",
        "print",
        "-q",
    ]
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


MESSAGE = (
    "ブラウザと印刷のテストに必要なシステムパッケージがありません: chromium（ブラウザ（{empty}/chromium））、"
    "poppler-utils（PDF を読む pdftotext と pdfinfo）、"
    "fonts-noto-cjk（日本語のフォント（ページの配置と axe の測定が実際の画面と同じになるように））。"
    "sudo apt-get install --no-install-recommends chromium poppler-utils fonts-noto-cjk で入れてください"
    "（.ci/run は入れてから make test を実行します）。"
)


def test_missing_packages_skip_their_tests_with_one_message(tmp_path: Path) -> None:
    result = run_pytest(tmp_path, ci=False)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    expected = MESSAGE.format(empty=tmp_path / "empty") + "これらを使う 1 件のテストは飛ばします"
    assert out.count("システムパッケージがありません: chromium") == 1, out
    assert expected in out, out
    assert "1 skipped" in out


def test_missing_packages_stop_the_run_in_ci(tmp_path: Path) -> None:
    result = run_pytest(tmp_path, ci=True)
    out = result.stdout + result.stderr
    assert result.returncode == 4, out
    assert MESSAGE.format(empty=tmp_path / "empty") + "CI=true なので、ここで止めます" in out
    assert "passed" not in out and "skipped" not in out
