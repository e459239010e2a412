"""The house rules a linter does not check: short modules and functions, short lines, a pipeline that
reads as the stages.

ruff's line-length rule measures display width (a Japanese character counts two) and its formatter never
splits a string; these count characters, as a reader does. See docs/architecture.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[2] / "generator"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_LINE_CHARACTERS = 120
MAX_PIPELINE_LINES = 200


def sources() -> list[Path]:
    return sorted(GENERATOR.rglob("*.py"))


def test_no_module_in_the_generator_is_longer_than_400_lines() -> None:
    """A module a reader can hold in mind: one role, at most 400 lines (formatted). Split a longer one by role."""
    lines = {
        path.relative_to(GENERATOR.parent).as_posix(): len(path.read_text("utf-8").splitlines()) for path in sources()
    }
    long = [f"{name} ({n} lines)" for name, n in lines.items() if n > MAX_MODULE_LINES]
    assert long == [], f"modules over {MAX_MODULE_LINES} lines: {', '.join(long)}"


def test_no_function_in_the_generator_is_longer_than_60_lines() -> None:
    long = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(GENERATOR.parent)}:{node.lineno} {node.name} ({lines} lines)")
    assert long == [], f"functions over {MAX_FUNCTION_LINES} lines: {', '.join(long)}"


def test_no_line_in_the_generator_is_longer_than_120_characters() -> None:
    long = [
        f"{path.relative_to(GENERATOR.parent)}:{number} ({len(line)} characters)"
        for path in sources()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if len(line) > MAX_LINE_CHARACTERS
    ]
    assert long == []


def test_the_pipeline_reads_as_the_order_of_the_stages() -> None:
    """pipeline.py holds the order of the stages and nothing else; reuse and forking live in their packages."""
    text = (GENERATOR / "pipeline.py").read_text("utf-8")
    assert len(text.splitlines()) <= MAX_PIPELINE_LINES
    imported = {
        node.module
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.ImportFrom) and node.module is not None
    }
    assert "pickle" not in text and "store" not in imported and "os" not in imported
    assert "isinstance(sink" not in text  # a sink is a Sink, whatever it is
