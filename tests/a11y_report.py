"""Run the accessibility checks on the real site and publish their result.

    make a11y-report            (or: .venv/bin/python tests/a11y_report.py)
    .venv/bin/python tests/a11y_report.py --table-only     (the page's table from the committed data)

1. builds the real site at the tests' fixed date and runs axe-core on every page type of
   tests/a11y_pages.py at every width;
2. runs the other browser checks (tests/chromium/test_a11y_keyboard.py, tests/chromium/test_a11y_layout.py) with pytest;
3. writes both into docs/accessibility-results.json (the committed data) and the Markdown table of
   content/pages/accessibility.md between the ``a11y-results`` markers, which the policy page shows.

tests/chromium/test_a11y_axe.py fails when the committed rows no longer match a fresh run, or when the
table in the policy page is not the one this script writes from the data file. Nothing here is
timed: the only date written is the day of the run.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also as `python -m tests.a11y_report`

import a11y_pages  # noqa: E402
from a11y_pages import WIDTHS, AxeRow  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "accessibility-results.json"
POLICY = ROOT / "content" / "pages" / "accessibility.md"
START = "<!-- a11y-results:start -->"
END = "<!-- a11y-results:end -->"
OTHER_CHECKS = ("tests/chromium/test_a11y_keyboard.py", "tests/chromium/test_a11y_layout.py")
JST = timezone(timedelta(hours=9))


def markdown_table(data: dict) -> str:
    """The generated section of the policy page: what was checked, with what, and the result."""
    from generator.content.dates import format_seireki, format_wareki

    day = datetime.strptime(data["date"], "%Y-%m-%d").date()
    rows = [AxeRow.from_json(r) for r in data["rows"]]
    by_page: dict[str, dict[int, AxeRow]] = {}
    for row in rows:
        by_page.setdefault(row.page, {})[row.width] = row
    failed = sum(1 for row in rows if row.violations)
    lines = [
        START,
        "",
        f"試験日: {format_wareki(day)}（{format_seireki(day)}）。"
        f"試験ツール: {data['tool']}（WCAG 2.0・2.1・2.2 のレベルA・AAの規則と、見出しの順序やランドマークなどの"
        f"ベストプラクティスの規則。タグ {'、'.join(data['tags'])}。無効にした規則はありません）。",
        "",
        f"ブラウザ: Chromium（ヘッドレス）。ページの種類 {len(by_page)} 種類 × 画面の幅 {len(WIDTHS)} 通り"
        f"（{'・'.join(f'{w}px' for w in WIDTHS)}）＝ {len(rows)} 通りを試験し、"
        + ("すべてで違反はありませんでした。" if not failed else f"{failed} 通りで違反が見つかりました。"),
        "",
        "| ページの種類 | " + " | ".join(f"違反（幅{w}px）" for w in WIDTHS) + " |",
        "| --- | " + " | ".join("---" for _ in WIDTHS) + " |",
    ]
    for page, widths in by_page.items():
        cells = [_cell(widths[w]) for w in WIDTHS]
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    review = sorted({(row.page, rule) for row in rows for rule in row.incomplete})
    if review:
        lines += ["", "axe-core が自動では判定できなかった項目（「要確認」。理由は「既知の制限」に書いています）:", ""]
        for page, rule in review:
            widths_of = "・".join(f"{r.width}px" for r in rows if r.page == page and rule in r.incomplete)
            lines.append(f"- {page}（{widths_of}）: `{rule}`")
    checks = data.get("checks", [])
    if checks:
        lines += ["", "axe-core のほかに、同じブラウザで次の点を試験しています。", ""]
        lines += [f"- {c['check']}: {'合格' if c['passed'] else '不合格'}" for c in checks]
    lines += ["", END]
    return "\n".join(lines)


def _cell(row: AxeRow) -> str:
    if not row.violations:
        return "なし"
    return "あり: " + "、".join(f"`{rule}`（{n}か所）" for rule, n in row.violations)


def replace_section(text: str, section: str) -> str:
    """``text`` with the part between the markers (markers included) replaced by ``section``."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{POLICY.relative_to(ROOT)} に {START} と {END} の行がありません")
    return text[:start] + section + text[end + len(END) :]


def committed_section(text: str) -> str:
    start, end = text.find(START), text.find(END)
    return text[start : end + len(END)] if 0 <= start < end else ""


class _Outcomes:
    """A pytest plugin that keeps, per test function, its docstring's first line and whether all its cases passed."""

    def __init__(self) -> None:
        self.checks: dict[str, bool] = {}
        self.names: dict[str, str] = {}

    def pytest_collection_modifyitems(self, items) -> None:
        for item in items:
            doc = (item.function.__doc__ or item.originalname).strip().splitlines()[0]
            self.names[item.nodeid] = doc.rstrip("。")

    def pytest_runtest_logreport(self, report) -> None:
        if report.when == "call" or report.outcome != "passed":
            name = self.names[report.nodeid]
            self.checks[name] = self.checks.get(name, True) and report.outcome == "passed"


def run_other_checks() -> list[dict]:
    import pytest

    outcomes = _Outcomes()
    code = pytest.main(["-q", "-p", "no:cacheprovider", *(str(ROOT / p) for p in OTHER_CHECKS)], plugins=[outcomes])
    if code not in (0, 1):
        raise SystemExit(f"pytest が終了コード {code} で止まりました")
    return [{"check": name, "passed": passed} for name, passed in outcomes.checks.items()]


def write_table(data: dict) -> None:
    POLICY.write_text(replace_section(POLICY.read_text(encoding="utf-8"), markdown_table(data)), encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv == ["--table-only"]:  # rewrite the page's table from the committed data, running nothing
        write_table(json.loads(RESULTS.read_text(encoding="utf-8")))
        return 0
    from browser import AS_OF, REAL_PROJECT, SiteServer, build_site, launch_chromium

    with tempfile.TemporaryDirectory(prefix="a11y-report-") as tmp:
        site = build_site(REAL_PROJECT, Path(tmp) / "site", as_of=AS_OF)
        with SiteServer(site) as server, launch_chromium() as browser:
            rows = a11y_pages.sweep(browser, server.origin)
    today = datetime.now(JST).date().isoformat()
    text = a11y_pages.dumps(rows, run_other_checks(), version=a11y_pages.axe_version(), day=today)
    RESULTS.write_text(text, encoding="utf-8")
    data = json.loads(text)
    write_table(data)
    failed = [f"{r.page} {r.width}px: {', '.join(rule for rule, _ in r.violations)}" for r in rows if r.violations]
    failed += [c["check"] for c in data["checks"] if not c["passed"]]
    print(f"{len(rows)} 通りを試験しました → {RESULTS.relative_to(ROOT)}、{POLICY.relative_to(ROOT)}")
    for line in failed:
        print(f"不合格: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
