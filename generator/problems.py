"""Problems found in content, collected and reported all at once.

Every stage returns its problems as values; nothing here raises. The CLI decides
what to print and which exit code follows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Characters that would break a report line or drive the terminal (ANSI escapes)."""


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the content, with where it is.

    ``path`` is relative to the project folder, in POSIX form; ``line`` and
    ``col`` are 1-based (0 when unknown).
    """

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        """One line, whatever the content held: control characters are shown escaped."""
        text = f"{self.path}:{self.line}:{self.col}: {self.severity.value}[{self.code}]: {self.message}"
        return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text)

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command."""
        kind = "error" if self.is_error else "warning"
        message = _escape_data(f"[{self.code}] {self.message}")
        file = _escape_property(self.path)
        return f"::{kind} file={file},line={max(self.line, 1)},col={max(self.col, 1)}::{message}"


def error(path: str, line: int, col: int, code: str, message: str) -> Problem:
    return Problem(path, line, col, Severity.ERROR, code, message)


def warning(path: str, line: int, col: int, code: str, message: str) -> Problem:
    return Problem(path, line, col, Severity.WARNING, code, message)


def sort_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Stable report order: by file, then position, then code."""
    return tuple(sorted(set(problems), key=lambda p: (p.path, p.line, p.col, p.code, p.message)))


def has_errors(problems: Iterable[Problem], *, strict: bool = False) -> bool:
    return any(p.is_error or strict for p in problems)


def summary_line(problems: Iterable[Problem]) -> str:
    problems = tuple(problems)
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    return f"エラー {errors} 件、警告 {warnings} 件"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
