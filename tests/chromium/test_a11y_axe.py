"""axe-core on every page type of the real site at 1280 px and 375 px: zero WCAG 2.x A/AA violations.

No rule is turned off (tests/a11y_pages.py runs every rule with the tags wcag2a, wcag2aa,
wcag21a, wcag21aa, wcag22aa). The same run is compared with the results committed in
docs/accessibility-results.json and shown on the アクセシビリティ方針 page; when they differ,
run ``make a11y-report`` and commit both files.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from a11y_pages import AXE_TAGS, BEST_PRACTICE, PAGES, WIDTHS, AxeRow, axe_version, sweep
from a11y_report import POLICY, RESULTS, committed_section, markdown_table

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def fresh_rows(a11y_browser, a11y_origin) -> dict[tuple[str, int], AxeRow]:
    return {(row.path, row.width): row for row in sweep(a11y_browser, a11y_origin)}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_type", PAGES, ids=lambda p: p.path)
def test_no_axe_violations(fresh_rows, page_type, width):
    row = fresh_rows[(page_type.path, width)]
    assert row.violations == (), "\n".join(row.details)


def test_committed_results_match_a_fresh_run(fresh_rows):
    committed = json.loads(RESULTS.read_text(encoding="utf-8"))
    hint = "make a11y-report を実行して docs/accessibility-results.json と content/pages/accessibility.md をコミットしてください"
    assert committed["tool"] == f"axe-core {axe_version()}", hint
    assert committed["tags"] == [*AXE_TAGS, *BEST_PRACTICE], hint
    rows = [AxeRow.from_json(r).key() for r in committed["rows"]]
    assert rows == [fresh_rows[(p.path, w)].key() for p in PAGES for w in WIDTHS], hint


def test_policy_page_shows_the_committed_results():
    committed = json.loads(RESULTS.read_text(encoding="utf-8"))
    assert all(check["passed"] for check in committed["checks"])
    assert committed_section(POLICY.read_text(encoding="utf-8")) == markdown_table(committed)


def test_every_undecided_rule_is_explained_in_the_policy():
    """What axe-core leaves for a person to judge is explained outside the generated table."""
    committed = json.loads(RESULTS.read_text(encoding="utf-8"))
    text = POLICY.read_text(encoding="utf-8")
    prose = text.replace(committed_section(text), "")
    undecided = sorted({rule for row in committed["rows"] for rule in row["incomplete"]})
    assert [rule for rule in undecided if f"`{rule}`" not in prose] == []


def test_published_checks_are_the_tests_that_exist():
    """The policy lists each keyboard and layout test by its docstring: none renamed or gone since the run."""
    names = [
        (ast.get_docstring(node) or "").strip().splitlines()[0].rstrip("。")
        for module in ("test_a11y_keyboard.py", "test_a11y_layout.py")  # read, not imported: tests import no test
        for node in ast.parse((Path(__file__).parent / module).read_text("utf-8")).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    ]
    committed = json.loads(RESULTS.read_text(encoding="utf-8"))
    assert [c["check"] for c in committed["checks"]] == names
