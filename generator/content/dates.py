"""Dates as Japanese editors write them, and back again.

Accepted: ISO days (``2023-10-24``), 西暦 days (``2023年10月24日``), 和暦 days
(``令和5年10月24日``, ``令和元年5月1日``, ``R5.10.24``), and fiscal years
(``令和7年度``, ``R7年度``, ``2025年度``). A fiscal year (年度) runs from 1 April
to 31 March of the next year; which end is meant depends on where it is used.

Parsing never raises: it returns a FlexDate or a Japanese message.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Literal

from ..model import FlexDate

# (name, first day of the era). 元年 is year 1.
ERAS: tuple[tuple[str, str, date], ...] = (
    ("令和", "R", date(2019, 5, 1)),
    ("平成", "H", date(1989, 1, 8)),
    ("昭和", "S", date(1926, 12, 25)),
)
_ERA_BY_NAME = {name: start for name, _, start in ERAS}
_ERA_BY_LETTER = {letter: name for name, letter, _ in ERAS}

_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_SEIREKI = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_SEIREKI_MONTH = re.compile(r"^(\d{4})年(\d{1,2})月$")
_WAREKI = re.compile(r"^(令和|平成|昭和)(元|\d{1,3})年(\d{1,2})月(\d{1,2})日$")
_WAREKI_MONTH = re.compile(r"^(令和|平成|昭和)(元|\d{1,3})年(\d{1,2})月$")
_WAREKI_SHORT = re.compile(r"^([RHS])(元|\d{1,3})[.．/](\d{1,2})[.．/](\d{1,2})$")
_FY_WAREKI = re.compile(r"^(令和|平成|昭和|[RHS])(元|\d{1,3})年度$")
_FY_SEIREKI = re.compile(r"^(\d{4})年度$")

Role = Literal["start", "end", "day"]

MIN_YEAR = 1900
MAX_YEAR = 2200


def parse_flexdate(text: object, role: Role = "day") -> FlexDate | str:
    """Parse a date or fiscal year; return a FlexDate or an error message in Japanese.

    ``role`` says how a fiscal year or month is read: ``start`` → its first
    day, ``end`` → its last day, ``day`` → fiscal years and months are refused.
    """
    if isinstance(text, bool) or not isinstance(text, (str, date, int)):
        return f"日付は文字列で書いてください（例: 2023-10-24、令和5年10月24日、令和7年度）。「{text!r}」は日付ではありません"
    if isinstance(text, date):
        return FlexDate(text, text.isoformat(), "date")
    raw = str(text)
    norm = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    if not norm:
        return "日付が空です"

    m = _ISO.match(norm) or _SEIREKI.match(norm)
    if m:
        return _day(raw, int(m[1]), int(m[2]), int(m[3]))
    m = _WAREKI.match(norm)
    if m:
        year = _era_year(m[1], m[2])
        return year if isinstance(year, str) else _day(raw, year, int(m[3]), int(m[4]), era=m[1], era_year=m[2])
    m = _WAREKI_SHORT.match(norm)
    if m:
        era = _ERA_BY_LETTER[m[1]]
        year = _era_year(era, m[2])
        return year if isinstance(year, str) else _day(raw, year, int(m[3]), int(m[4]), era=era, era_year=m[2])

    fiscal = _fiscal_year(raw, norm, role)
    if fiscal is not None:
        return fiscal

    m = _SEIREKI_MONTH.match(norm) or _WAREKI_MONTH.match(norm)
    if m:
        if role == "day":
            return f"「{raw}」は月までしかありません。日まで書いてください（例: 令和5年10月24日）"
        if len(m.groups()) == 3:
            year = _era_year(m[1], m[2])
            if isinstance(year, str):
                return year
            month = int(m[3])
        else:
            year, month = int(m[1]), int(m[2])
        return _month(raw, year, month, role)

    return (
        f"「{raw}」は日付として読めません。2023-10-24、令和5年10月24日、"
        "令和7年度、2025年度 のいずれかの形で書いてください"
    )


def _era_year(era: str, year_text: str, *, fiscal: bool = False) -> int | str:
    start = _ERA_BY_NAME[era]
    n = 1 if year_text == "元" else int(year_text)
    if n < 1:
        return f"{era}{year_text}年はありません（元年は「{era}元年」または「{era}1年」と書きます）"
    year = start.year + n - 1
    later = [s for _, _, s in ERAS if s > start]
    if later and year > min(later).year:
        return f"{era}{year_text}年はありません（{era}は{min(later).year}年に終わっています）"
    return year


def _fiscal_year(raw: str, norm: str, role: Role) -> FlexDate | str | None:
    """A fiscal year (令和7年度, 2025年度) read for ``role``; None when ``norm`` is not one."""
    m = _FY_WAREKI.match(norm)
    if m:
        era = _ERA_BY_LETTER.get(m[1], m[1])
        year = _era_year(era, m[2], fiscal=True)
        if isinstance(year, str):
            return year
        if not MIN_YEAR <= year <= MAX_YEAR:
            return f"「{raw}」の年が範囲外です（{MIN_YEAR}〜{MAX_YEAR}年）"
        return _fiscal(raw, year, role)
    m = _FY_SEIREKI.match(norm)
    if m:
        year = int(m[1])
        if not MIN_YEAR <= year <= MAX_YEAR:
            return f"「{raw}」の年が範囲外です（{MIN_YEAR}〜{MAX_YEAR}年）"
        return _fiscal(raw, year, role)
    return None


def _day(
    raw: str, year: int, month: int, day: int, *, era: str | None = None, era_year: str | None = None
) -> FlexDate | str:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"「{raw}」の年が範囲外です（{MIN_YEAR}〜{MAX_YEAR}年）"
    try:
        value = date(year, month, day)
    except ValueError:
        return f"「{raw}」という日はありません（{month}月{day}日は存在しません）"
    if era is not None:
        start = _ERA_BY_NAME[era]
        later = [s for _, _, s in ERAS if s > start]
        if value < start:
            return f"「{raw}」は{era}の期間外です（{era}は{format_seireki(start)}からです）"
        if later and value >= min(later):
            last = date.fromordinal(min(later).toordinal() - 1)
            return f"「{raw}」は{era}の期間外です（{era}は{format_seireki(last)}までです）"
    return FlexDate(value, raw, "date")


def _fiscal(raw: str, year: int, role: Role) -> FlexDate | str:
    if role == "start":
        return FlexDate(date(year, 4, 1), raw, "fiscal_year_start")
    if role == "end":
        return FlexDate(date(year + 1, 3, 31), raw, "fiscal_year_end")
    return f"「{raw}」は年度です。ここには日付を書いてください（例: 令和5年10月24日）"


def _month(raw: str, year: int, month: int, role: Role) -> FlexDate | str:
    if not 1 <= month <= 12:
        return f"「{raw}」という月はありません"
    if role == "start":
        return FlexDate(date(year, month, 1), raw, "date")
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    return FlexDate(date.fromordinal(next_first.toordinal() - 1), raw, "date")


# --- the shapes, for a form ---------------------------------------------------------

_DAY_SHAPES = (_ISO, _SEIREKI, _WAREKI, _WAREKI_SHORT)
_PERIOD_SHAPES = (*_DAY_SHAPES, _FY_WAREKI, _FY_SEIREKI, _SEIREKI_MONTH, _WAREKI_MONTH)
_WIDE = (("\\d", "[0-9０-９]"), ("[-/]", "[-/－／]"), ("[.．/]", "[.．/／]"), ("[RHS]", "[RHSＲＨＳ]"))
"""What NFKC folds before parsing (full-width digits, letters, hyphens, slashes), spelled out."""


def shape_pattern(role: Role) -> str:
    """A regular expression (JavaScript and Python) for the shapes ``parse_flexdate`` reads in ``role``.

    For a form's first check (the editor in the browser, docs/editing.md): it
    knows the shapes, not the calendar, so 2023-02-30 fits; ``parse_flexdate``
    has the last word. Spaces are allowed around the date, not inside it.
    """
    parts = []
    for shape in _DAY_SHAPES if role == "day" else _PERIOD_SHAPES:
        text = shape.pattern.removeprefix("^").removesuffix("$")
        for narrow, wide in _WIDE:
            text = text.replace(narrow, wide)
        parts.append(text.replace("(", "(?:").replace("(?:?:", "(?:"))
    return "^[ 　]*(?:" + "|".join(parts) + ")[ 　]*$"


# --- formatting -----------------------------------------------------------------


def wareki_year(year: int, on: date | None = None) -> str:
    """令和5年 for 2023; 令和元年 for 2019 (from 1 May; 平成31年 before)."""
    for name, _, start in ERAS:
        if (on or date(year, 12, 31)) >= start:
            n = year - start.year + 1
            return f"{name}{'元' if n == 1 else n}年"
    return f"{year}年"


def format_wareki(value: date) -> str:
    """令和5年10月24日."""
    return f"{wareki_year(value.year, value)}{value.month}月{value.day}日"


def format_seireki(value: date) -> str:
    """2023年10月24日."""
    return f"{value.year}年{value.month}月{value.day}日"


def fiscal_year_of(value: date) -> int:
    """The 西暦 year a fiscal year is named by: 2026-03-31 → 2025."""
    return value.year if value.month >= 4 else value.year - 1


def format_flexdate(fd: FlexDate) -> str:
    """How a date reads on a page: 令和7年度末（2026年3月31日）, 令和5年10月24日（2023年10月24日）."""
    seireki = format_seireki(fd.value)
    # A fiscal year takes the era in force at the end of its calendar year:
    # April 2019 – March 2020 is 令和元年度 (not 平成31年度), as official documents name it.
    if fd.kind == "fiscal_year_end":
        fy = fiscal_year_of(fd.value)
        return f"{wareki_year(fy)[:-1]}年度末（{seireki}）"
    if fd.kind == "fiscal_year_start":
        fy = fiscal_year_of(fd.value)
        return f"{wareki_year(fy)[:-1]}年度（{seireki}から）"
    return f"{format_wareki(fd.value)}（{seireki}）"
